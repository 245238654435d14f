"""``up``'s checks before anything is rendered, read or written: the flags, and the cluster.

Split from ``_up`` so that module stays about the steps. Two questions are answered here:

- :func:`check_flags`: is the command line one ``up`` can run? A mistake found after
  ``secrets init`` would leave a store written for a run that never delivers.
- :func:`cluster_reason`: does a cluster answer, and if none does, why? ``up`` writes a
  deploy bundle instead of installing for two reasons only: no cluster is configured at
  all (no kubeconfig, no ``--kube-apiserver``, not in a pod: the ``make demo`` path) or
  the configured API server does not answer. A cluster configuration that cannot be used
  (a ``--kube-context`` the kubeconfig lacks, a kubeconfig that does not parse or names
  no current context, ``--kubeconfig`` naming no file) and an API server refusing the
  credentials are bad input (exit 2, as every other command that reaches a cluster says),
  never a bundle and exit 0: that would hide a typo behind a success.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import InputError

if TYPE_CHECKING:
    from ._cluster_access import ClusterAccess
    from ._cluster_errors import ClusterError
    from ._helm_release import ClusterTarget
    from ._up_model import UpRequest

__all__ = ["as_deliver", "check_flags", "cluster_reason"]

#: How to run ``up`` when no cluster is to be used, for the hints below.
_OFFLINE = "write a deploy bundle without a cluster with --out DIR"


def check_flags(request: UpRequest) -> None:
    """Flag mistakes found before anything is rendered, read or written."""
    from .deliver import backend_for
    from .store.secret_init import check_generator_spec

    try:  # the backend checks its own flags' values too (a --scope, a --store-setting)
        backend_for(request.deliver, request.deliver_options, flag="--deliver")
    except InputError as exc:
        raise as_deliver(exc) from None
    if request.deliver == "aws" and request.settings.dry_run:
        # the backend pushes the store as it delivers: a dry run would change AWS
        raise InputError(
            f"--deliver aws with --dry-run {request.settings.dry_run}: --deliver aws pushes "
            "the store to AWS Secrets Manager, and a dry run changes nothing",
            hint="drop --dry-run to push, or preview with another --deliver",
        )
    if request.store.is_dir():
        raise InputError(f"--store {request.store}: is a directory", hint="give the store's file")
    for name, spec in request.generators.items():
        check_generator_spec(spec, where=f"--generator {name}=...")
    if request.out is not None:
        _check_out(request.out)


def _check_out(out: Path) -> None:
    """``--out`` must be a directory or creatable as one: not a file, nor under a file."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: not a directory", hint="give a directory for the bundle")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(
                    f"--out {out}: {parent} is not a directory",
                    hint="give a directory for the bundle",
                )
            break


def as_deliver(exc: InputError) -> InputError:
    """A backend's flag error, speaking of ``--deliver`` (the flag ``up`` takes), not ``--as``."""
    exc.message = exc.message.replace("--as ", "--deliver ")
    exc.args = (exc.message,)
    if exc.hint:
        exc.hint = exc.hint.replace("--as ", "--deliver ")
    return exc


def cluster_reason(target: ClusterTarget) -> str | None:
    """Why no cluster answers (None: one answered ``GET /version``), for the bundle's note.

    Raises ClusterError (exit 2) for a configuration that cannot be used, see the module
    docstring; only "nothing configured" and "no answer" come back as a reason.
    """
    from ._cluster import Cluster, ClusterError
    from ._cluster_errors import NoClusterConfigured

    access = target.access
    check_context(access)
    try:
        cluster = Cluster.connect(access)
    except NoClusterConfigured as exc:
        return exc.message
    except ClusterError as exc:
        raise _unusable(exc) from None
    cluster.timeout = 5.0
    try:
        cluster.get("/version", resource="version")
    except ClusterError as exc:
        if _credentials_refused(exc):
            raise _unusable(exc) from None
        return exc.message
    return None


def check_context(access: ClusterAccess) -> None:
    """ClusterError (exit 2) naming the flag when ``--kube-context`` (or ``$HELM_KUBECONTEXT``)
    names a context the kubeconfig lacks, in the words ``status`` and ``install`` use."""
    if not access.context:
        return
    from ._cluster_context import context_namespace
    from ._cluster_errors import ClusterError

    from_env = access.context == (os.environ.get("HELM_KUBECONTEXT") or None)
    flag = "$HELM_KUBECONTEXT" if from_env else "--kube-context"
    try:
        context_namespace(access.kubeconfig, access.context, context_flag=flag)
    except ClusterError as exc:
        raise _unusable(exc) from None


def _credentials_refused(exc: ClusterError) -> bool:
    """Whether the API server answered, refusing the credentials or the identity (401, 403):
    a cluster that answers, with a configuration that cannot be used."""
    import urllib.error

    answer = exc.__context__
    return isinstance(answer, urllib.error.HTTPError) and answer.code in (401, 403)


def _unusable(exc: ClusterError) -> ClusterError:
    """``exc`` with the way to run ``up`` without a cluster added to its hint."""
    from ._cluster_errors import ClusterError

    hint = f"{exc.hint}; or {_OFFLINE}" if exc.hint else _OFFLINE
    return ClusterError(exc.message, hint=hint)
