"""The front door: ``chartsafe.__all__`` is sorted and is exactly the public names."""

from __future__ import annotations

from typing import Any

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


def test_every_error_class_is_exported() -> None:
    """The documented hierarchy (``chartsafe._errors``) is catchable from the front door."""
    import chartsafe._errors as errors

    classes = [name for name in errors.__all__ if isinstance(getattr(errors, name), type)]
    assert [name for name in classes if name not in chartsafe.__all__] == []


def test_every_exported_function_says_what_it_does() -> None:
    import inspect

    functions = [n for n in chartsafe.__all__ if inspect.isfunction(getattr(chartsafe, n))]
    assert [n for n in functions if not (getattr(chartsafe, n).__doc__ or "").strip()] == []


def _chartsafe_classes(hint: object) -> set[type]:
    """The chartsafe classes a resolved annotation names, inside unions and generics too."""
    import typing

    found = set()
    if isinstance(hint, type) and hint.__module__.startswith("chartsafe"):
        found.add(hint)
    for inner in (*typing.get_args(hint), typing.get_origin(hint)):
        if inner is not None and not isinstance(inner, (str, int, bool)):
            found |= _chartsafe_classes(inner)
    return found


def _hints(function: Any) -> dict[str, Any]:
    """``function``'s annotations, resolved; names its module imports for type checkers only
    are found among the exports, ``collections.abc`` and the RSA key types of cryptography."""
    import collections.abc
    import inspect
    import typing

    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
    from cryptography.x509 import Certificate

    names = {name: getattr(chartsafe, name) for name in chartsafe.__all__}
    names |= {k: v for k, v in vars(collections.abc).items() if not k.startswith("_")}
    names |= {"RSAPrivateKey": RSAPrivateKey, "RSAPublicKey": RSAPublicKey}
    names |= {"Certificate": Certificate, **inspect.unwrap(function).__globals__}
    return typing.get_type_hints(function, globalns=names)


def test_exported_functions_take_and_return_exported_types() -> None:
    """A caller of an exported function can name and build every type it takes or returns
    with the front door alone, not by reaching into chartsafe.check or chartsafe.store."""
    import inspect

    exported = {id(getattr(chartsafe, name)) for name in chartsafe.__all__}
    missing: dict[str, list[str]] = {}
    for name in chartsafe.__all__:
        function = getattr(chartsafe, name)
        if not inspect.isfunction(function):
            continue
        for hint in _hints(function).values():
            for cls in _chartsafe_classes(hint):
                if id(cls) not in exported:
                    missing.setdefault(name, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert missing == {}


#: (exported function, its parameter or "return", the exported name of that type). Aliases
#: (Callable, Literal) are not classes the test above finds; these are named here.
ALIASES = [
    ("fill_from_contract", "progress", "FillProgress"),
    ("fill_references", "progress", "FillProgress"),
    ("up", "progress", "UpProgress"),
    ("sops_encrypt", "fmt", "SopsFormat"),
    ("sops_decrypt", "fmt", "SopsFormat"),
    ("sops_edit", "fmt", "SopsFormat"),
    ("check_contract", "source", "SecretSource"),
    ("check_contract", "fixes", "Fixes"),
    ("contract_gate", "source", "SecretSource"),
    ("source_for", "return", "SecretSource"),
    ("fill_references", "entries", "RefEntry"),
    ("references_to_fill", "return", "RefEntry"),
    ("parse_spec", "return", "GeneratorSpec"),
    ("spec_for_format", "return", "GeneratorSpec"),
    ("all_rules", "return", "AuditRule"),
    ("backend_for", "return", "DeliveryBackend"),
    ("deliver_secrets", "request", "DeliveryRequest"),
    ("deliver_secrets", "return", "Delivery"),
]


def _mentions(hint: object, wanted: object) -> bool:
    import typing

    if hint == wanted:
        return True
    return any(_mentions(inner, wanted) for inner in typing.get_args(hint))


def test_each_signature_type_is_exported_under_a_clear_name() -> None:
    for function, parameter, exported in ALIASES:
        hints = _hints(getattr(chartsafe, function))
        assert _mentions(hints[parameter], getattr(chartsafe, exported)), (function, parameter)
    # the two progress callbacks differ: one counts keys, the other names steps
    assert chartsafe.FillProgress != chartsafe.UpProgress
