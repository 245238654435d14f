"""No error class of helm-python-sdk reaches the CLI as a bug (exit 3), wherever it is raised.

The release and registry paths call the SDK in three kinds of places: building a ``Config``
or a ``RegistryClient`` (which already reads files: the registry credentials), and running
an action. Each SDK error class is raised from each of them in turn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python
import pytest

from chartsafe.cli import main

ERRORS = [
    getattr(helm_python.errors, name)
    for name in helm_python.errors.__all__
    if name.startswith("Helm") and name.endswith("Error")
]
OCI = "oci://127.0.0.1:1/charts/x"  # never reached: the SDK is replaced


def _raise(error: type[Exception]) -> Any:
    def failing(*_: Any, **__: Any) -> Any:
        raise error("what the SDK said")

    return failing


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
@pytest.mark.parametrize(
    ("patched", "args"),
    [
        ("Config", ["list"]),
        ("Config.history", ["history", "shop"]),
        ("Config.get_all", ["status", "shop"]),
        ("RegistryClient", ["template", OCI, "--registry-config", "{tmp}/c.json"]),
        ("RegistryClient.pull", ["template", OCI, "--registry-config", "{tmp}/c.json"]),
    ],
)
def test_sdk_errors_are_one_line_not_a_bug(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    error: type[Exception],
    patched: str,
    args: list[str],
) -> None:
    owner, _, method = patched.partition(".")
    if method:
        monkeypatch.setattr(getattr(helm_python, owner), method, _raise(error))
    else:
        monkeypatch.setattr(helm_python, owner, _raise(error))
    code = main([a.replace("{tmp}", str(tmp_path)) for a in args])
    _, err = capsys.readouterr()
    assert code in (1, 2), err
    assert len(err.strip().splitlines()) == 1 and "internal error" not in err
