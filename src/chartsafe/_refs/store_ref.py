"""``ref+chartsafe://NAMESPACE/SECRET/KEY``: a value from chartsafe's own secret store.

The store file is the one given to the command (``--store FILE``), else ``?store=FILE`` in the
reference, else ``$CHARTSAFE_STORE``. It is opened once per load with the same identities as
every other encrypted input. A key missing from the store is an error that says how to fill it.

Every error here carries what ``ChartsafeError`` promises a caller: the values path holding the
reference, the Secret and key it names, and the store file (``values_file``) once it is known.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

from .._errors import ChartsafeError, StoreError, ValuesError
from .reference import Reference
from .resolve import ResolveContext

__all__ = ["SCHEME", "STORE_ENV", "resolve_chartsafe", "store_key", "store_path"]

SCHEME: Final = "chartsafe"

STORE_ENV: Final = "CHARTSAFE_STORE"


def store_path(reference: Reference, context: ResolveContext, where: str) -> Path:
    """Which store file a reference reads."""
    if context.store is not None:
        return context.store
    if reference.query.get("store"):
        return context.path(reference.query["store"])
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    raise ValuesError(
        f"{where}: {reference} needs a secret store, and none is given",
        values_path=where,
        hint=f"pass --store FILE or set {STORE_ENV}",
    )


def store_key(reference: Reference, where: str) -> tuple[str, str, str]:
    """(namespace, Secret, key) a ``ref+chartsafe://`` reference names; malformed: ValuesError."""
    from .._errors import InputError
    from ..store._store_layout import validate_names

    parts = reference.target.split("/")
    if len(parts) != 3 or not all(parts) or reference.fragment:
        raise ValuesError(
            f"{where}: {reference} must be ref+chartsafe://NAMESPACE/SECRET/KEY",
            values_path=where,
        )
    try:  # a name the store can never hold is a typo, not a key still to be set
        validate_names(parts[0], parts[1], parts[2])
    except InputError as exc:
        raise ValuesError(
            f"{where}: {reference}: {exc.message}",
            values_path=where,
            secret=exc.secret,
            key=exc.key,
        ) from None
    return parts[0], parts[1], parts[2]


def _add_context(exc: ChartsafeError, where: str, secret: str, key: str) -> None:
    """Fill in the reference's context on ``exc``, raised by what finds or opens the store."""
    exc.values_path = exc.values_path or where
    exc.secret = exc.secret or secret
    exc.key = exc.key or key


def resolve_chartsafe(reference: Reference, context: ResolveContext, where: str) -> Any:
    from ..store.secret_store import SecretStore

    namespace, secret, key = store_key(reference, where)
    try:
        path = store_path(reference, context, where)
    except ValuesError as exc:
        _add_context(exc, where, secret, key)
        raise

    def load() -> SecretStore:
        if not path.exists():
            raise ValuesError(
                f"{where}: {reference}: the secret store {path} does not exist",
                values_path=where,
                values_file=path,
                secret=secret,
                key=key,
                hint="chartsafe secrets init creates and fills it",
            )
        try:
            return SecretStore.open(path, identities=context.identities())
        except StoreError as exc:
            exc.message = f"{where}: {reference}: {exc.message}"
            exc.args = (exc.message,)
            _add_context(exc, where, secret, key)
            raise

    store: SecretStore = context.cached("chartsafe", str(path.resolve()), load)
    value = store.get(namespace, secret, key)
    if value is None:
        raise ValuesError(
            f"{where}: {reference}: the store {path} has no key {key} in Secret "
            f"{namespace}/{secret}",
            values_path=where,
            values_file=path,
            secret=secret,
            key=key,
            hint="fill it with chartsafe secrets set or chartsafe secrets init",
        )
    return value
