"""The kubeconfig context a command works in, and its namespace: read without credentials.

Apart from ``_cluster_config`` (which also reads a user's credentials, runs exec plugins and
imports ``subprocess`` for them) because every command that takes ``-n`` resolves its
namespace here, ``audit --files`` and ``template`` among them, which never connect: they
import this and the kubeconfig reader only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ._cluster_errors import ClusterError
from ._cluster_kubeconfig import existing_files, kubeconfig_files, merged_kubeconfig

__all__ = ["SERVICE_ACCOUNT_DIR", "choose_context", "context_namespace", "in_a_pod", "named"]

SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")


def in_a_pod(service_account_dir: Path) -> bool:
    """What client-go asks before it uses the pod's service account."""
    return bool(
        os.environ.get("KUBERNETES_SERVICE_HOST")
        and os.environ.get("KUBERNETES_SERVICE_PORT")
        and (service_account_dir / "token").is_file()
    )


def named(entries: Any, name: str, kind: str, source: str) -> dict[str, Any]:
    """The ``kind`` mapping (``context``, ``cluster``, ``user``) of the kubeconfig list
    entry called ``name``; ClusterError naming ``source`` when there is none."""
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            value = entry.get(kind)
            return value if isinstance(value, dict) else {}
    raise ClusterError(f"kubeconfig {source}: no {kind} named {name!r}")


def context_namespace(
    kubeconfig: str | os.PathLike[str] | None = None,
    context: str | None = None,
    *,
    service_account_dir: str | os.PathLike[str] = SERVICE_ACCOUNT_DIR,
    context_flag: str = "--kube-context",
) -> str:
    """The namespace a command uses without ``-n``, found as helm and kubectl find it.

    The kubeconfig context's namespace, else (no kubeconfig) ``$POD_NAMESPACE`` or the
    pod's service account namespace, else ``default``, which is also the answer when
    the kubeconfig cannot be read. Only the context is read: no user credentials, so
    no exec plugin runs (``aws eks get-token`` takes seconds) and a user kind chartsafe
    cannot use (an auth-provider) does not change the namespace helm would pick.

    A ``kubeconfig`` file or a ``context`` named explicitly that is not there raises
    ClusterError: helm falls back to ``default`` then, and a mistyped context name would
    render a release for a namespace nobody asked for. The error names ``context_flag``,
    where the name came from.
    """
    kubeconfig = Path(kubeconfig) if kubeconfig is not None else None
    service_account_dir = Path(service_account_dir)
    files = kubeconfig_files(kubeconfig)
    existing = existing_files(files, kubeconfig)
    if existing:
        try:
            config, chosen, source = choose_context(existing, context)
        except (ClusterError, AttributeError, KeyError, TypeError, ValueError):
            return "default"  # unreadable, or no current context: helm's answer too
        try:
            namespace = named(config["contexts"], chosen, "context", source).get("namespace")
        except ClusterError:  # no context of that name
            if context is None:
                return "default"
            raise ClusterError(
                f"{context_flag} {context}: no such context in kubeconfig {source}",
                hint="`kubectl config get-contexts` lists the contexts",
            ) from None
        return str(namespace) if namespace else "default"
    if context is not None:
        raise ClusterError(f"{context_flag} {context}: there is no kubeconfig to find it in")
    if not in_a_pod(service_account_dir):
        return "default"
    if os.environ.get("POD_NAMESPACE"):
        return os.environ["POD_NAMESPACE"]
    try:
        found = (service_account_dir / "namespace").read_text().strip()
    except (OSError, UnicodeDecodeError):
        return "default"
    return found or "default"


def choose_context(files: list[Path], context: str | None) -> tuple[dict[str, Any], str, str]:
    """The files' clusters, users and contexts, the chosen context's name, and the source.

    Merged like kubectl: the first file that defines a name (or current-context) wins, and
    relative paths are relative to the file that holds them (``_cluster_kubeconfig``).
    """
    merged = merged_kubeconfig(files)
    source = os.pathsep.join(str(path) for path in files)
    chosen = context or merged.get("current-context")
    if not chosen:
        raise ClusterError(
            f"kubeconfig {source}: no current-context", hint="pass --kube-context NAME"
        )
    return merged, str(chosen), source
