"""Where the API server is and how to authenticate to it: kubeconfig or service account.

Connection facts are found as kubectl finds them: ``--kubeconfig``, else ``$KUBECONFIG`` merged
in order, else ``~/.kube/config`` (the files and their merge are ``_cluster_kubeconfig``'s,
shared with what Helm's SDK is given); ``--kube-context`` or the current context. A user's
credentials are a token, a token file, a client certificate, or what an exec credential plugin
(``aws eks get-token``, ``gke-gcloud-auth-plugin``, kubelogin) prints. With no kubeconfig at
all, a pod's service account is used. The result is a :class:`ClusterConfig`, the only thing
the client in ``_cluster`` needs; reading the files is kept apart from making requests so that
each can be read (and tested) without the other.

Helm's override flags (``--kube-apiserver``, ``--kube-token``...) come in a ``ClusterAccess``
and are applied on top by ``_cluster_access.with_overrides``; with ``--kube-apiserver``, no
kubeconfig is needed at all.

Errors are ``ClusterError`` (a missing context/cluster/user, a failed plugin), and its
``NoClusterConfigured`` when no kubeconfig is there at all.
Credentials are kept out of ``ClusterConfig``'s ``repr`` and out of every message.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._cluster_access import ClusterAccess, is_tls, with_overrides
from ._cluster_context import SERVICE_ACCOUNT_DIR, choose_context, in_a_pod, named
from ._cluster_errors import ClusterError, NoClusterConfigured
from ._cluster_kubeconfig import existing_files, kubeconfig_files, malformed
from ._secret_types import decode_data

__all__ = ["ClusterConfig", "load_cluster_config"]

_EXEC_INFO_VERSION = "client.authentication.k8s.io/v1"


@dataclass(frozen=True)
class ClusterConfig:
    """How to reach one API server; credentials are kept out of ``repr``."""

    server: str
    namespace: str = "default"
    context: str | None = None
    source: str = ""
    ca_data: bytes | None = field(default=None, repr=False)
    insecure: bool = False
    tls_server_name: str | None = None
    token: str | None = field(default=None, repr=False)
    client_cert: bytes | None = field(default=None, repr=False)
    client_key: bytes | None = field(default=None, repr=False)
    proxy_url: str | None = None
    as_user: str | None = None
    as_groups: tuple[str, ...] = ()


def load_cluster_config(
    access: ClusterAccess | None = None,
    *,
    service_account_dir: str | os.PathLike[str] = SERVICE_ACCOUNT_DIR,
) -> ClusterConfig:
    """Find the cluster as helm does: kubeconfig files first, else ``--kube-apiserver``,
    else the pod's service account; then ``access``'s overrides on top."""
    access = access or ClusterAccess()
    return with_overrides(_base_config(access, Path(service_account_dir)), access)


def _base_config(access: ClusterAccess, service_account_dir: Path) -> ClusterConfig:
    files = kubeconfig_files(access.kubeconfig)
    existing = existing_files(files, access.kubeconfig)
    context = access.context
    if existing:
        try:
            return _from_kubeconfig(existing, access)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise malformed(existing, exc) from None
    if context:
        raise ClusterError(f"--kube-context {context}: there is no kubeconfig to find it in")
    if access.apiserver:  # client-go: the flags alone, even in a pod
        return ClusterConfig(server="")
    if in_a_pod(service_account_dir):
        host, port = os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"]
        return _in_cluster(host, port, service_account_dir)
    looked = ", ".join(str(path) for path in files) or "~/.kube/config"
    raise NoClusterConfigured(
        f"no kubeconfig found (looked in {looked}) and not running in a cluster",
        hint="pass --kubeconfig, set KUBECONFIG, or pass --kube-apiserver and --kube-token",
    )


def _from_kubeconfig(files: list[Path], access: ClusterAccess) -> ClusterConfig:
    config, chosen, source = choose_context(files, access.context)
    ctx = named(config["contexts"], chosen, "context", source)
    cluster = named(config["clusters"], str(ctx.get("cluster")), "cluster", source)
    user = named(config["users"], str(ctx.get("user")), "user", source) if ctx.get("user") else {}
    server = str(access.apiserver or cluster.get("server") or "")
    if not server:
        raise ClusterError(f"kubeconfig {source}: cluster {ctx.get('cluster')!r} has no server")
    if not is_tls(server):
        user = {}  # client-go reads no credentials for plain http: none cross it in clear
    token, cert, key = _user_credentials(user, source, server, given_token=access.token)
    return ClusterConfig(
        server=str(cluster.get("server") or "").rstrip("/"),
        namespace=str(ctx.get("namespace") or "default"),
        context=chosen,
        source=f"kubeconfig {source}, context {chosen}",
        ca_data=_data_or_file(cluster, "certificate-authority", source),
        insecure=_boolean(cluster, "insecure-skip-tls-verify", source),
        tls_server_name=_text(cluster, "tls-server-name", source),
        token=token,
        client_cert=cert,
        client_key=key,
        proxy_url=_text(cluster, "proxy-url", source),
        as_user=_text(user, "as", source),
        as_groups=tuple(str(group) for group in user.get("as-groups") or ()),
    )


def _boolean(entry: Mapping[str, Any], name: str, source: str) -> bool:
    """A true/false field; kubectl refuses any other type, and ``bool("false")`` is true
    (a quoted ``"false"`` turned TLS verification off)."""
    value = entry.get(name, False)
    if value is None or isinstance(value, bool):
        return bool(value)
    raise ClusterError(
        f"kubeconfig {source}: {name} must be true or false", hint="write it without quotes"
    )


def _text(entry: Mapping[str, Any], name: str, source: str) -> str | None:
    value = entry.get(name)
    if value is None or isinstance(value, str):
        return value or None
    raise ClusterError(f"kubeconfig {source}: {name} must be a string")


def _data_or_file(entry: Mapping[str, Any], stem: str, source: str) -> bytes | None:
    if entry.get(f"{stem}-data"):
        try:
            return decode_data(str(entry[f"{stem}-data"]))  # []byte in client-go: Go's base64
        except ValueError as exc:
            raise ClusterError(f"kubeconfig {source}: {stem}-data is not base64") from exc
    if entry.get(stem):
        try:
            return Path(str(entry[stem])).read_bytes()
        except OSError as exc:
            raise ClusterError(f"kubeconfig {source}: {stem} {entry[stem]}: {exc}") from exc
    return None


def _user_credentials(
    user: Mapping[str, Any], source: str, server: str, *, given_token: str | None = None
) -> tuple[str | None, bytes | None, bytes | None]:
    """The user's token, client certificate and key. With ``given_token`` (--kube-token)
    that token is used and, as client-go does, no exec plugin runs; certificates stay."""
    if given_token:
        cert = _data_or_file(user, "client-certificate", source)
        return given_token, cert, _data_or_file(user, "client-key", source)
    if user.get("auth-provider"):
        raise ClusterError(
            f"kubeconfig {source}: auth-provider users are not supported",
            hint="use an exec credential plugin or a token",
        )
    token = user.get("token")
    if not token and user.get("tokenFile"):
        token_file = Path(str(user["tokenFile"]))
        try:
            token = token_file.read_bytes().decode("utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ClusterError(f"kubeconfig {source}: tokenFile {token_file}: {reason}") from None
    cert = _data_or_file(user, "client-certificate", source)
    key = _data_or_file(user, "client-key", source)
    if user.get("exec") and not token and not cert:
        token, cert, key = _exec_credential(user["exec"], source, server)
    return (str(token) if token else None), cert, key


def _exec_credential(
    spec: Mapping[str, Any], source: str, server: str
) -> tuple[str | None, bytes | None, bytes | None]:
    """Run an exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin, kubelogin)."""
    command = [str(spec.get("command", "")), *(str(arg) for arg in spec.get("args") or [])]
    env = dict(os.environ)
    env.update({str(e["name"]): str(e["value"]) for e in spec.get("env") or [] if "name" in e})
    api_version = str(spec.get("apiVersion") or _EXEC_INFO_VERSION)
    env["KUBERNETES_EXEC_INFO"] = json.dumps(
        {"apiVersion": api_version, "kind": "ExecCredential", "spec": {"interactive": False}}
    )
    try:
        done = subprocess.run(command, env=env, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(
            f"kubeconfig {source}: exec plugin {command[0]!r} failed ({exc})"
        ) from exc
    if done.returncode != 0:
        raise ClusterError(
            f"kubeconfig {source}: exec plugin {command[0]!r} exited {done.returncode}",
            hint=(
                str(spec.get("installHint") or "").strip() or "run it by hand to see why"
            ).splitlines()[0],
        )
    try:
        status = json.loads(done.stdout)["status"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ClusterError(
            f"kubeconfig {source}: exec plugin {command[0]!r} printed no ExecCredential status"
        ) from exc
    fields = ("token", "clientCertificateData", "clientKeyData")
    if not isinstance(status, dict) or not all(
        isinstance(status.get(name), str | None) for name in fields
    ):
        raise ClusterError(
            f"kubeconfig {source}: exec plugin {command[0]!r} printed an ExecCredential "
            "whose status is not a mapping of strings"
        )
    token, cert, key = (status.get(name) or None for name in fields)
    return token, (cert.encode() if cert else None), (key.encode() if key else None)


def _in_cluster(host: str, port: str, sa_dir: Path) -> ClusterConfig:
    namespace_file = sa_dir / "namespace"
    ca_file = sa_dir / "ca.crt"
    host = f"[{host}]" if ":" in host else host
    try:
        namespace = namespace_file.read_text().strip() if namespace_file.is_file() else "default"
        ca_data = ca_file.read_bytes() if ca_file.is_file() else None
        token = (sa_dir / "token").read_text().strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ClusterError(f"in-cluster service account {sa_dir}: {reason}") from None
    return ClusterConfig(
        server=f"https://{host}:{port}",
        namespace=namespace,
        source=f"in-cluster service account {sa_dir}",
        ca_data=ca_data,
        token=token,
    )
