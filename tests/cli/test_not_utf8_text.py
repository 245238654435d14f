"""Text that is not UTF-8 and fails to encode: shown only when it is a path the user typed.

The top-level handler turned every such failure into a line quoting the text, assuming a
path from the command line. Text read from a file (a decrypted value, a file's content)
can fail the same way, and quoting it would print a secret.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chartsafe.cli import main

MINIMAL = str(Path(__file__).resolve().parents[1] / "data" / "minimal")


def _fails_to_encode(text: str) -> None:
    text.encode("utf-8")  # raises: lone surrogates are not UTF-8


@pytest.mark.parametrize(
    ("typed", "failing", "shown"),
    [
        (False, "hunter2-\udce9-secret", False),  # content read from disk
        (True, "{chart}/templates/x.yaml", True),  # a path made from the one typed
    ],
    ids=["content", "typed path"],
)
def test_the_text_is_shown_only_when_it_holds_an_argument(
    typed: bool, failing: str, shown: bool, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import chartsafe.cli._template_run as template

    chart = str(tmp_path / "lat\udce9n") if typed else MINIMAL
    if typed:
        shutil.copytree(MINIMAL, chart)
    text = failing.format(chart=chart)
    monkeypatch.setattr(template, "render_chart", lambda *a, **k: _fails_to_encode(text))
    assert main(["template", chart]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert ("lat\\xe9n" in err) is shown
    assert ("not valid UTF-8, which Helm's engine needs" in err) is shown
    assert "hunter2" not in err
