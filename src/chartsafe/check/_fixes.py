"""The command that closes each gap, written out so it can be copied.

The store is the source of truth: a missing key a generator can make is filled by
``chartsafe secrets init``; a key only a person knows (an API key, a user name), or a value
that is empty or implausible, is set with ``chartsafe secrets set``; then the store is
delivered where the check looked (``deliver``). Value flags are never repeated in a fix:
``--set`` may carry a secret, so the fix says "your -f/--set flags" instead.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

__all__ = ["FILE_FORMATS", "STORE_FROM_ENV", "Fixes", "set_command"]

_FLAGS = "<your -f/--set flags>"

#: Formats whose values are documents (a registry config, PEM, htpasswd lines): set from a
#: file, not typed at a hidden prompt.
FILE_FORMATS = frozenset(
    {"dockerconfigjson", "json", "htpasswd", "pem-certificate", "pem-private-key",
     "ed25519-private-key", "ed25519-public-key"}
)  # fmt: skip


def _q(word: str) -> str:
    return shlex.quote(word)


#: What a fix command says for ``--store`` when the caller has no store of its own.
STORE_FROM_ENV = "$CHARTSAFE_STORE"


def _store_arg(store: str | None) -> str:
    """``--store``'s argument: the store given, quoted for a shell, else the variable."""
    return _q(store) if store and store != STORE_FROM_ENV else STORE_FROM_ENV


def set_command(
    namespace: str, secret: str, key: str, store: str | None, fmt: str = "unknown"
) -> str:
    """The ``chartsafe secrets set`` line for one key; no ``store``: ``$CHARTSAFE_STORE``."""
    where = _store_arg(store)
    line = f"chartsafe secrets set -n {_q(namespace)} {_q(secret)} {_q(key)} --store {where}"
    return line + " --from-file FILE" if fmt.split(":")[0] in FILE_FORMATS else line


@dataclass(frozen=True)
class Fixes:
    """How to write fix commands for one release checked against one place."""

    release: str
    chart: str  # the chart as the user gave it
    namespace: str
    against: str  # "cluster", a directory or a file
    store: str | None = None  # the caller's store (up's); None: $CHARTSAFE_STORE

    def _release_args(self) -> str:
        return f"{_q(self.release)} {_q(self.chart)} -n {_q(self.namespace)}"

    def init(self) -> str:
        store = _store_arg(self.store)
        return f"chartsafe secrets init {self._release_args()} --store {store} {_FLAGS}"

    def set(self, namespace: str, secret: str, key: str, fmt: str = "unknown") -> str:
        return set_command(namespace, secret, key, self.store, fmt)

    def values_path(self, paths: list[str]) -> str:
        return " or ".join(f"--set {p}=NAME" for p in paths) + " (NAME: a Secret that exists)"

    def deliver(self) -> str:
        render = (
            f"chartsafe secrets render {self._release_args()} --store {_store_arg(self.store)} "
            f"--as secret {_FLAGS}"
        )
        if self.against == "cluster":
            # A plain Secret manifest holds the values: to a 0600 file, then applied.
            out = f"{self.release}-secrets.yaml"
            return f"{render} --out {_q(out)} && kubectl apply -n {_q(self.namespace)} -f {_q(out)}"
        from pathlib import Path

        target = Path(self.against)
        if target.is_dir():
            return f"{render} --out {_q(str(target / f'{self.release}-secrets.yaml'))}"
        # The file may hold more than these Secrets: never suggest overwriting it.
        return (
            f"{render} --out {_q(f'{self.release}-secrets.yaml')}  "
            f"# then replace the Secrets in {target} with it"
        )
