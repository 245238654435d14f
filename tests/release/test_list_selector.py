"""``list -l/--selector`` that Helm's label-query parser refuses is bad input (exit 2), one
line naming the flag and its value, as ``--labels``, ``--timeout`` and ``test --filter`` are.

Before, it was ``chartsafe: list failed: unable to parse requirement: ...`` and exit 1 (an
action that failed). Helm's own parser still decides (fake API server: it parses the
selector once it has reached the cluster); the queries it takes keep working.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

# (id, the selector, exit code, words of the one line)
CASES: list[tuple[str, str, int, list[str]]] = [
    ("two words", "bad selector!!", 2, ["-l/--selector 'bad selector!!'", "not a label query",
                                        "found 'selector'"]),
    ("operator first", "=x", 2, ["-l/--selector '=x'", "not a label query"]),
    ("unclosed set", "team in (a", 2, ["-l/--selector 'team in (a'", "expected: ',' or ')'"]),
    ("empty requirement", "x,,y", 2, ["-l/--selector 'x,,y'"]),
    ("bad key prefix", "Team_x.y/z=ok", 2, ["-l/--selector 'Team_x.y/z=ok'", "RFC 1123"]),
    ("a query Helm takes", "team in (a,b),tier!=web,!gone", 0, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("selector", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_selector_helm_refuses_is_bad_input(
    capsys: pytest.CaptureFixture[str],
    fake_kubeconfig: Path,
    selector: str,
    code: int,
    words: list[str],
) -> None:
    assert main(["list", "-A", "-l", selector, "--kubeconfig", str(fake_kubeconfig)]) == code
    err = capsys.readouterr().err
    if code == 0:
        assert err == ""
        return
    one_clear_line(err, code, words)
    assert "list failed" not in err
