"""The front door: ``chartsafe.__all__`` is sorted and is exactly the public names."""

from __future__ import annotations

import chartsafe


def _isort_style(name: str) -> tuple[int, str]:
    """CONSTANTS, then Classes, then functions: ruff's RUF022 order."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _type_checking_imports() -> dict[str, str]:
    """The ``if TYPE_CHECKING:`` block of the front door, as the ``_LAZY`` table writes it."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(chartsafe.__file__).read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    found: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        if node.level == 0:
            continue  # typing names for the module's own annotations
        for alias in node.names:
            where = f"chartsafe.{node.module}"
            found[alias.asname or alias.name] = f"{where}:{alias.name}" if alias.asname else where
    return found


def test_all_is_sorted_and_complete() -> None:
    """``__all__`` = the lazy names plus ``__version__``, and type checkers see the same."""
    assert chartsafe.__all__ == sorted(chartsafe.__all__, key=_isort_style)
    assert set(chartsafe.__all__) == set(chartsafe._LAZY) | {"__version__"}
    assert _type_checking_imports() == chartsafe._LAZY


def test_import_loads_nothing_but_the_version() -> None:
    """``import chartsafe`` stays free, so the CLI can start Helm's engine before typer."""
    import subprocess
    import sys

    code = "import sys, chartsafe; print(sorted(m for m in sys.modules if 'chartsafe' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['chartsafe',", "'chartsafe._version']"]


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
