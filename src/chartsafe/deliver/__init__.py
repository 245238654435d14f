"""Delivery: how the store's values reach the cluster (Secret, SealedSecret, ExternalSecret, AWS).

One module per backend; each takes the release's contract, the store and its own options, and
returns a :class:`Delivery`: the manifests to apply plus the values overrides that point the
chart at what was delivered. ``chartsafe secrets render --as NAME`` looks backends up in
:data:`BACKENDS`.

Adding a backend is one module with a ``deliver(request) -> Delivery`` function and one line
in :data:`BACKENDS` naming it, the module and the option names it reads. The options are the
``secrets render`` flags (``--cert`` is ``cert``); a flag given to a backend that does not read
it is refused, so a mistyped invocation fails instead of being silently ignored. A backend
module may also have ``check_options(options)``, which refuses bad flag values (a ``--scope``);
:func:`backend_for` runs it, so ``up`` finds them before it renders or writes the store.
Backends are imported only when chosen, which keeps start-up light (``cryptography``,
``boto3``).

A library caller runs a backend with :func:`deliver` (``chartsafe.deliver_secrets``); the
function ``Backend.load()`` returns makes the same checks, so ``BACKENDS[name].load()(request)``
refuses a mistyped option too instead of ignoring it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, cast

from .._errors import InputError

__all__ = [
    "BACKENDS",
    "CONTROLLER_NAME",
    "CONTROLLER_NAMESPACE",
    "Backend",
    "Delivery",
    "DeliveryRequest",
    "backend_for",
    "deliver",
    "read_previous",
]


#: kubeseal's defaults: where the sealed-secrets controller's Service is looked for.
CONTROLLER_NAMESPACE: Final = "kube-system"
CONTROLLER_NAME: Final = "sealed-secrets-controller"


@dataclass(frozen=True)
class DeliveryRequest:
    """What a backend works from: the contract, the store and the flags meant for it.

    ``previous`` are the manifests the same delivery wrote last time to the same place (the
    bundle's or ``--out`` file's old content): a backend whose output is random (sealing)
    keeps from them what has not changed, so that running twice changes nothing.
    """

    contract: Any  # chartsafe.contract.Contract
    store: Any  # chartsafe.store.secret_store.SecretStore
    options: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)  # the merged chart values
    previous: Sequence[Mapping[str, Any]] = ()

    def option(self, name: str, default: Any = None) -> Any:
        """The value of flag ``name``, or ``default`` when it was not given."""
        value = self.options.get(name)
        return default if value is None else value

    def __repr__(self) -> str:
        """Option names and counts only: ``values`` are the merged chart values, resolved
        store values included, and ``previous`` may be plain Secrets a delivery wrote."""
        return (
            f"<DeliveryRequest: options {', '.join(sorted(self.options)) or 'none'}; "
            f"{len(self.values)} top-level value(s), {len(self.previous)} previous object(s)>"
        )


@dataclass
class Delivery:
    """A backend's result.

    ``manifests`` are the Kubernetes objects to apply; ``overrides`` the chart values naming
    them. ``holds_values`` is true when the manifests carry the plaintext values (a plain
    Secret is only base64): such manifests go to a 0600 file, or to stdout only with
    ``--reveal``. ``details`` is backend-specific, value-free reporting (remote layout, ARNs).
    """

    backend: str
    manifests: list[dict[str, Any]]
    overrides: dict[str, Any]
    holds_values: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """The backend and counts only: the ``secret`` backend's manifests carry the values
        (base64 is no encryption), and a repr is what logs and tracebacks print."""
        holds = ", holds values" if self.holds_values else ""
        return (
            f"<Delivery {self.backend}: {len(self.manifests)} manifest(s), "
            f"{len(self.overrides)} top-level override(s){holds}>"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "manifests": self.manifests,
            "overrides": self.overrides,
            **self.details,
        }


@dataclass(frozen=True)
class Backend:
    """A registry entry: the module (relative to this package) and the flags it reads."""

    name: str
    module: str
    options: tuple[str, ...]
    summary: str

    def load(self) -> Callable[[DeliveryRequest], Delivery]:
        """The backend's ``deliver``, which first refuses what :func:`backend_for` refuses (an
        option it does not read, a bad option value): the registry is public, and an option
        silently ignored there would deliver something other than what was asked."""
        module = importlib.import_module(self.module, __name__)
        run = cast("Callable[[DeliveryRequest], Delivery]", module.deliver)

        def checked(request: DeliveryRequest) -> Delivery:
            self.check(request.options)
            return run(request)

        return checked

    def check(self, options: Mapping[str, Any], *, flag: str = "--as") -> None:
        """Refuse options this backend does not read, then run its own check of their values
        (``check_options``), if it has one; ``flag`` is how the user chose the backend."""
        given = sorted(k for k, v in options.items() if v not in (None, False, ()))
        foreign = [k for k in given if k not in self.options]
        if foreign:
            raise InputError(
                f"{_flags(tuple(foreign))}: not used by {flag} {self.name}",
                hint=f"{flag} {self.name} reads {_flags(self.options) or 'no backend flags'}",
            )
        check = getattr(importlib.import_module(self.module, __name__), "check_options", None)
        if check is not None:
            check(options)


_POLICIES = ("refresh_interval", "creation_policy", "deletion_policy")
_ESO = ("store_ref", "store_kind", "provider", "prefix", "region", *_POLICIES, "with_store",
        "store_setting")  # fmt: skip
_AWS = ("prefix", "region", "store_ref", "store_kind", *_POLICIES)
#: --cert, or where to ask the controller for it (as kubeseal)
_SEALED = ("cert", "scope", "controller_namespace", "controller_name", "access")

BACKENDS: Final[dict[str, Backend]] = {
    backend.name: backend
    for backend in (
        Backend("secret", ".secret", (), "v1 Secret manifests (values base64, not encrypted)"),
        Backend("sealed", "._sealed_backend", _SEALED, "Bitnami SealedSecrets"),
        Backend("external", ".external", _ESO, "External Secrets Operator ExternalSecrets"),
        Backend("aws", ".aws", _AWS, "push to AWS Secrets Manager, chart values take the ARNs"),
    )
}


def _named(name: str, flag: str) -> Backend:
    backend = BACKENDS.get(name)
    if backend is None:
        raise InputError(
            f"{flag} {name!r} is not a delivery backend",
            hint=f"use one of {', '.join(sorted(BACKENDS))}",
        )
    return backend


def backend_for(name: str, options: Mapping[str, Any], *, flag: str = "--as") -> Backend:
    """Backend ``name``, refusing flags it does not read; ``flag`` is how the user chose it."""
    backend = _named(name, flag)
    backend.check(options, flag=flag)
    return backend


def read_previous(path: Path) -> list[dict[str, Any]]:
    """The objects in a file a delivery wrote before (``DeliveryRequest.previous``).

    Anything that cannot be read as YAML objects (no file yet, a file edited into something
    else) gives nothing to keep: the delivery is then made anew, as on a first run.
    """
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            documents = list(yaml.load_all(handle, Loader=yaml.CSafeLoader))
    except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError):
        return []
    return [document for document in documents if isinstance(document, dict)]


def deliver(name: str, request: DeliveryRequest) -> Delivery:
    """Run backend ``name`` on ``request``, refusing flags that backend does not read.

    What ``chartsafe secrets render --as NAME`` runs; exported as ``chartsafe.deliver_secrets``
    (``chartsafe.deliver`` is this package). Raises InputError for an unknown backend, an
    option it does not read or a bad option value, before anything is delivered.
    """
    return _named(name, "--as").load()(request)


#: Options a backend reads that no flag sets (the cluster access ``up`` passes in).
_NOT_FLAGS = frozenset({"access"})


def _flags(options: tuple[str, ...]) -> str:
    return ", ".join("--" + k.replace("_", "-") for k in options if k not in _NOT_FLAGS)
