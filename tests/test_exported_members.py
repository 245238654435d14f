"""The front door: ``chartsafe.__all__`` is sorted and is exactly the public names."""

from __future__ import annotations

import chartsafe


def _isort_style(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions: ruff's RUF022 order."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    """``__all__`` = the names imported eagerly plus the lazy ones, nothing else."""
    import subprocess
    import sys

    # A fresh interpreter: other tests may already have loaded lazy names into the module.
    code = (
        "import types, chartsafe;"
        "print(' '.join(n for n, v in vars(chartsafe).items() if not n.startswith('_')"
        " and not isinstance(v, types.ModuleType)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    eager = set(out.stdout.split()) - {"annotations", "importlib", "Any"}
    lazy = set(chartsafe._LAZY)
    assert chartsafe.__all__ == sorted(chartsafe.__all__, key=_isort_style)
    assert not eager & lazy
    assert set(chartsafe.__all__) - {"__version__"} == eager | lazy


def test_every_lazy_name_resolves_to_its_module() -> None:
    import importlib

    for name, where in chartsafe._LAZY.items():
        module, _, attribute = where.partition(":")
        value = getattr(chartsafe, name)
        assert value is getattr(importlib.import_module(module), attribute or name)
    assert "SecretStore" in dir(chartsafe)


def test_unknown_attribute_is_an_attribute_error() -> None:
    import pytest

    with pytest.raises(AttributeError, match="no_such_name"):
        chartsafe.no_such_name  # noqa: B018


def test_help_does_not_load_the_helm_sdk() -> None:
    import subprocess
    import sys

    code = (
        "import sys, chartsafe.cli; chartsafe.cli.main(['--help']);"
        "print('helm_python' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")
