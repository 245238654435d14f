"""Errors of Helm's release actions, as one line each, with every known secret masked.

Every message that leaves a release action goes through :func:`scrub`, with the
values the caller knows to be secret: a Kubernetes error quoting an object can
otherwise carry a password into a terminal or a CI log.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ._cluster_errors import ClusterError
from ._errors import ChartsafeError, InputError
from ._helm import helm
from ._secret_forms import needles, replace_all

if TYPE_CHECKING:
    from ._helm_release import ClusterTarget

__all__ = ["ReleaseFailed", "ReleaseNotFound", "scrub", "sdk_error"]

_SCRUBBED = "<masked>"


class ReleaseNotFound(ChartsafeError):
    """The named release (or revision) has no record in the release storage (exit 2)."""


class ReleaseFailed(ChartsafeError):
    """Helm ran the action and it failed: the cluster said no, a hook failed, a timeout (exit 1)."""

    exit_code = 1


def scrub(message: str, secrets: Iterable[str]) -> str:
    """``message`` with every known secret string replaced (longest first, so none leaks in
    part), in every form a chart or a YAML dump may print it in (``_secret_forms``: escaped
    by ``quote``, YAML or JSON, ``urlquery``, base64...), as ``SecretValues.redact`` does.

    Strings shorter than four characters are left alone: masking ``1`` or
    ``no`` would garble messages and protects nothing.
    """
    return replace_all(message, needles(secrets), _SCRUBBED)


#: A ``context: `` prefix said twice in a row (Helm wraps some errors twice with the same
#: words: "could not get apiVersions from Kubernetes: could not get apiVersions ...").
_REPEATED = re.compile(r"(^|: )([^:]{12,}: )\2+")


def _one_line(text: str) -> str:
    joined = " ".join(part.strip() for part in str(text).splitlines() if part.strip())
    return _REPEATED.sub(r"\1\2", joined)


def sdk_error(
    exc: Exception,
    action: str,
    name: str | None,
    target: ClusterTarget,
    secrets: Iterable[str],
    revisions: Callable[[str], list[int]],
    *,
    revision: int | None = None,
    dry_run_helps: bool = False,
    needed_for: str = "",
    offline: str = "",
) -> ChartsafeError:
    """One error for the CLI from the SDK's ``exc``. ``revision``: the one the caller asked
    for, so that a missing revision is told from a missing release (``revisions`` lists
    those the release has). ``dry_run_helps``: only a client dry run of install reaches no
    cluster, so only there is it worth suggesting. ``needed_for`` says, for a cluster that
    cannot be reached, what the command needed it for (``to read the release's history``),
    and ``offline`` how to do without it (``without a cluster: ...``) in the hint."""
    h = helm()
    text = scrub(_one_line(str(exc)), secrets)
    what = f"{action} {name}" if name else action
    if isinstance(exc, h.HelmKubeError):
        access = target.access
        where = f"--kube-apiserver {access.apiserver}" if access.apiserver else (
            f"context {access.context}" if access.context
            else f"kubeconfig {access.kubeconfig}" if access.kubeconfig
            else "the current kubeconfig context"
        )  # fmt: skip
        hint = "check --kube-apiserver (or $HELM_KUBEAPISERVER)" if access.apiserver else (
            "check --kubeconfig/--kube-context (or $KUBECONFIG/$HELM_KUBECONTEXT)")  # fmt: skip
        if dry_run_helps:
            hint += ", or use --dry-run client, which needs no cluster"
        if offline:
            hint += f"; {offline}"
        return ClusterError(
            f"{what}: cannot reach the cluster of {where}{needed_for}: {text}", hint=hint
        )
    missing = isinstance(exc, h.HelmNotFoundError) or f"has no {revision} version" in text
    if revision is not None and name is not None and missing:
        known = revisions(name)
        if known and revision not in known:
            return ReleaseNotFound(
                f"{what}: no revision {revision} of release {name} in namespace "
                f"{target.namespace} (revisions: {', '.join(map(str, known))})",
                hint=f"`chartsafe history {name} -n {target.namespace}` lists them",
            )
    if isinstance(exc, h.HelmNotFoundError) or "has no deployed releases" in text:
        return ReleaseNotFound(
            f"{what}: no release {name!r} in namespace {target.namespace} "
            f"(storage: {target.storage})",
            hint="`chartsafe list -A` shows the releases; -n picks the namespace",
        )
    if isinstance(exc, h.HelmInvalidArgError):
        return InputError(f"{what}: {text}")
    return ReleaseFailed(f"{what} failed: {text}")
