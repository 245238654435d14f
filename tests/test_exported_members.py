"""The front door: ``chartsafe.__all__`` is sorted and is exactly the public names."""

from __future__ import annotations

from types import ModuleType

import chartsafe


def _isort_style(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions: ruff's RUF022 order."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    public = {
        name
        for name, value in vars(chartsafe).items()
        if not name.startswith("_") and not isinstance(value, ModuleType)  # subpackages
    } - {"annotations"}
    assert chartsafe.__all__ == sorted(chartsafe.__all__, key=_isort_style)
    assert set(chartsafe.__all__) - {"__version__"} == public


def test_help_does_not_load_the_helm_sdk() -> None:
    import subprocess
    import sys

    code = (
        "import sys, chartsafe.cli; chartsafe.cli.main(['--help']);"
        "print('helm_python' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")
