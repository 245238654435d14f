"""helm's cluster flags, for the commands that reach a cluster: declared once, here.

A command declares one ``access: ClusterAccess = FROM_FLAGS`` parameter and is decorated
with :func:`with_cluster_access`, which shows typer the eleven flags in its place and hands
the command the one value built from them (see ``_cluster_access`` for what each does).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import click
import typer

from .._cluster_access import ClusterAccess
from ._cluster_options import CLUSTER_PANEL, Kubeconfig, KubeContext
from ._flag_group import flag_group

__all__ = ["FROM_FLAGS", "ClusterAccess", "with_cluster_access"]

#: The default of a command's ``access`` parameter, for Python's sake only: the
#: decorator always passes the value made of the flags.
FROM_FLAGS = ClusterAccess()


class _CommaList(click.types.StringParamType):
    """A repeatable flag whose variable lists its values with commas (helm's
    ``$HELM_KUBEASGROUPS``); the flag's own value is taken whole."""

    name = "GROUP"
    envvar_list_splitter = ","


def _option(*declarations: str, help: str, envvar: str, **more: Any) -> Any:
    return typer.Option(
        *declarations,
        envvar=envvar,
        help=help,
        show_default=False,
        rich_help_panel=CLUSTER_PANEL,
        **more,
    )


#: (parameter, its type for typer, default, ClusterAccess field): helm's flags and variables.
_FLAGS: tuple[tuple[str, Any, Any, str], ...] = (
    ("kubeconfig", Kubeconfig, None, "kubeconfig"),
    ("kube_context", KubeContext, None, "context"),
    ("kube_apiserver", Annotated[str | None, _option(
        "--kube-apiserver", envvar="HELM_KUBEAPISERVER",
        help="API server address, in place of the kubeconfig's (no kubeconfig needed).",
    )], None, "apiserver"),
    ("kube_token", Annotated[str | None, _option(
        "--kube-token", envvar="HELM_KUBETOKEN",
        help="Bearer token, in place of the kubeconfig user's (prefer the variable: a "
        "flag shows in the process list).",
    )], None, "token"),
    ("kube_ca_file", Annotated[Path | None, _option(
        "--kube-ca-file", envvar="HELM_KUBECAFILE",
        help="CA certificate file the API server's certificate is checked against.",
    )], None, "ca_file"),
    ("kube_tls_server_name", Annotated[str | None, _option(
        "--kube-tls-server-name", envvar="HELM_KUBETLS_SERVER_NAME",
        help="Name the API server's certificate is checked against (default: its host).",
    )], None, "tls_server_name"),
    ("kube_insecure_skip_tls_verify", Annotated[bool, _option(
        "--kube-insecure-skip-tls-verify", envvar="HELM_KUBEINSECURE_SKIP_TLS_VERIFY",
        help="Do not check the API server's certificate (insecure).",
    )], False, "insecure_skip_tls_verify"),
    ("kube_as_user", Annotated[str | None, _option(
        "--kube-as-user", envvar="HELM_KUBEASUSER", help="User to impersonate.",
    )], None, "as_user"),
    ("kube_as_group", Annotated[list[str] | None, _option(
        "--kube-as-group", envvar="HELM_KUBEASGROUPS", click_type=_CommaList(),
        help="Group to impersonate (repeatable; the variable takes a comma-separated list).",
    )], None, "as_groups"),
    ("burst_limit", Annotated[int | None, _option(
        "--burst-limit", envvar="HELM_BURST_LIMIT",
        help="Helm client's burst limit (Helm's default 100; -1 turns it off).",
    )], None, "burst_limit"),
    ("qps", Annotated[float | None, _option(
        "--qps", envvar="HELM_QPS", help="Helm client's queries per second.",
    )], None, "qps"),
)  # fmt: skip


def _access(values: dict[str, Any]) -> ClusterAccess:
    fields = {field: values[name] for name, _, _, field in _FLAGS}
    fields["as_groups"] = tuple(fields["as_groups"] or ())
    return ClusterAccess(**fields)


#: ``command`` with helm's cluster flags in place of its ``access`` parameter, which it
#: receives as the one ClusterAccess made of them (see ``_flag_group``).
with_cluster_access = flag_group("access", [flag[:3] for flag in _FLAGS], _access)
