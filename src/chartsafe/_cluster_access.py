"""How to reach a cluster, as helm's global flags say it: one value for every command.

Helm takes ``--kubeconfig`` and ``--kube-context`` and, on top of whatever they select,
overrides of the API server (``--kube-apiserver``), its CA (``--kube-ca-file``), the
name its certificate is checked against (``--kube-tls-server-name``) or no check at all
(``--kube-insecure-skip-tls-verify``), the bearer token (``--kube-token``), an identity
to impersonate (``--kube-as-user``, ``--kube-as-group``) and client-side throttling
(``--burst-limit``, ``--qps``). A CI job with a token and no kubeconfig uses only these.

chartsafe talks to a cluster two ways: Helm's SDK for release actions and its own small
client (``_cluster``) for the reads before them (``check``, the sealing certificate,
release records). Both must reach the same server as the same identity, or ``up``
would check Secrets as one user and install as another; so one :class:`ClusterAccess`
feeds both, :meth:`ClusterAccess.sdk_options` for the SDK and :func:`with_overrides` for
the client, which applies the overrides as client-go does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import InputError

if TYPE_CHECKING:
    from ._cluster_config import ClusterConfig

__all__ = ["ClusterAccess", "is_tls", "server_url", "with_overrides"]


@dataclass(frozen=True)
class ClusterAccess:
    """Which kubeconfig and context, and what to override in them (helm's names).

    Unset fields leave the kubeconfig's answer alone. ``burst_limit`` and ``qps`` throttle
    Helm's client only: chartsafe's own reads are a handful of requests. The token is
    kept out of ``repr``.
    """

    kubeconfig: Path | None = None
    context: str | None = None
    apiserver: str | None = None
    token: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    tls_server_name: str | None = None
    insecure_skip_tls_verify: bool = False
    as_user: str | None = None
    as_groups: tuple[str, ...] = ()
    burst_limit: int | None = None
    qps: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_groups", tuple(self.as_groups))
        if self.kubeconfig is not None:  # a str from a library caller, as a Path
            object.__setattr__(self, "kubeconfig", Path(self.kubeconfig))

    def verify_files(self) -> None:
        """InputError naming the flag when ``--kubeconfig`` or ``--kube-ca-file`` is no file.

        Checked before Helm's SDK is called: its message for a missing file names no flag.
        """
        for flag, path in (("--kubeconfig", self.kubeconfig), ("--kube-ca-file", self.ca_file)):
            if path is not None and not Path(path).is_file():
                raise InputError(f"{flag} {path}: no such file", hint="pass the path of a file")

    def sdk_options(self) -> dict[str, Any]:
        """Keyword arguments of ``helm_python.Config`` for this access (namespace aside).

        The kubeconfig is always named (a file, or the merge of ``$KUBECONFIG``'s as
        content): the SDK would read ``$KUBECONFIG`` as one path (see
        ``_cluster_kubeconfig``). Reads the kubeconfig files; ClusterError when one cannot
        be read.
        """
        from ._cluster_kubeconfig import sdk_kubeconfig

        return {
            **sdk_kubeconfig(self.kubeconfig),
            "kube_context": self.context,
            "kube_apiserver": self.apiserver,
            "kube_token": self.token,
            "kube_ca_file": os.fspath(self.ca_file) if self.ca_file else None,
            "kube_tls_server_name": self.tls_server_name,
            "kube_insecure_skip_tls_verify": self.insecure_skip_tls_verify,
            "kube_as_user": self.as_user,
            "kube_as_groups": list(self.as_groups) or None,
            "burst_limit": self.burst_limit,
            "qps": self.qps,
        }


def with_overrides(config: ClusterConfig, access: ClusterAccess) -> ClusterConfig:
    """``config`` (from a kubeconfig or a service account) with ``access``'s overrides.

    As client-go applies helm's flags: each one given replaces the kubeconfig's field;
    a token replaces the user's token (client certificates stay, and no exec plugin is
    run for it: ``load_cluster_config`` skips that) and, like the user's, is only sent
    over https; impersonation given replaces the kubeconfig user's ``as``/``as-groups``.
    """
    changes: dict[str, Any] = {}
    notes: list[str] = []
    if access.apiserver:
        changes["server"] = server_url(access.apiserver, secure=_secure(config, access))
        notes.append("--kube-apiserver")
    if access.ca_file is not None:
        changes["ca_data"] = _read_ca(access.ca_file)
    if access.tls_server_name:
        changes["tls_server_name"] = access.tls_server_name
    if access.insecure_skip_tls_verify:
        changes["insecure"] = True
    if access.token and is_tls(access.apiserver or config.server):
        changes["token"] = access.token
        notes.append("--kube-token")
    if access.as_user:
        changes["as_user"] = access.as_user
    if access.as_groups:
        changes["as_groups"] = access.as_groups
    if changes.get("as_groups", config.as_groups) and not changes.get("as_user", config.as_user):
        given = "--kube-as-group" if access.as_groups else f"as-groups in {config.source}"
        raise InputError(
            f"{given}: Kubernetes impersonates groups only together with a user",
            hint="add --kube-as-user NAME (or `as` to the kubeconfig's user)",
        )
    if notes:
        flags = ", ".join(notes)  # where the server and the credentials came from
        changes["source"] = f"{config.source}, with {flags}" if config.source else flags
    return replace(config, **changes) if changes else config


def is_tls(server: str) -> bool:
    """Whether credentials may be sent to ``server``: only over https, as client-go decides
    before it reads a user's (on the server as written: ``host:port`` is not https then)."""
    return server.lower().startswith("https://")


def server_url(server: str, *, secure: bool) -> str:
    """``server`` as a URL: client-go takes ``host:port`` too, with https only when TLS is
    configured (a CA, a client certificate or insecure), else http."""
    server = server.rstrip("/")
    if "://" in server:
        return server
    return f"{'https' if secure else 'http'}://{server}"


def _secure(config: ClusterConfig, access: ClusterAccess) -> bool:
    return bool(
        access.ca_file
        or access.insecure_skip_tls_verify
        or config.ca_data
        or config.insecure
        or config.client_cert
    )


def _read_ca(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"--kube-ca-file {path}: {exc.strerror}") from None
