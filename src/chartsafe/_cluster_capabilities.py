"""The ``.Capabilities`` Helm's install renders with on a live cluster, asked of Helm itself.

``helm install`` and ``helm upgrade`` against a cluster (and with ``--dry-run=server``)
render the chart with the cluster's own version and the API versions its discovery lists:
a chart that writes ``{{ if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}``
gets its ServiceMonitor there, and one that picks an API version by
``.Capabilities.KubeVersion`` picks the cluster's. Helm ignores ``--kube-version`` and
``--api-versions`` then (measured against helm-python-sdk 0.2.2: a server dry run with
both set renders the cluster's values). chartsafe's own render, the one it validates and
derives the contract from, must see what Helm's will, or it checks another release.

The answer comes from Helm's install action, not from discovery requests of ours: a server
dry run, release kept in memory (no release Secret read or written), of a chart whose only
template is a ``NOTES.txt`` printing ``.Capabilities`` as JSON. It renders no object, so
nothing is sent to the API server but discovery: the same requests Helm's install makes
(``/version``, aggregated discovery, then each group's resources where needed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, partial

from ._errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._helm_release import ClusterTarget
    from ._render import RenderOptions

__all__ = [
    "Capabilities",
    "asked_once",
    "cluster_capabilities",
    "live_render_options",
    "refuse_ignored_flags",
]

#: The probe's one template: Helm's capabilities as JSON (NOTES.txt renders as text).
_NOTES = (
    '{{ dict "version" .Capabilities.KubeVersion.Version '
    '"apiVersions" .Capabilities.APIVersions | toJson }}\n'
)


@dataclass(frozen=True)
class Capabilities:
    """A cluster's Kubernetes version (``v1.29.3``) and the API versions Helm finds there
    (``apps/v1``, and ``apps/v1/Deployment`` for each kind served)."""

    kube_version: str
    api_versions: tuple[str, ...]


def cluster_capabilities(target: ClusterTarget, *, dry_run_helps: bool = False) -> Capabilities:
    """What Helm's install action renders with on ``target``'s cluster.

    Raises ClusterError (and the SDK errors ``HelmReleases`` translates) when the cluster
    cannot be read; ``dry_run_helps``: its hint offers ``--dry-run client`` (for an
    install, which then needs no cluster).
    """
    from ._helm import probe_chart
    from ._helm_release import HelmReleases

    target = replace(target, storage="memory", namespace="default")  # no record read
    with (
        probe_chart("capabilities", templates={"NOTES.txt": _NOTES}) as probe,
        HelmReleases(target) as releases,
    ):
        answer = releases.server_dry_run(
            probe, "chartsafe-capabilities", action="reading the cluster's capabilities",
            dry_run_helps=dry_run_helps,
        )  # fmt: skip
    try:
        found = json.loads(str(answer.get("notes")))
        return Capabilities(str(found["version"]), tuple(str(v) for v in found["apiVersions"]))
    except (ValueError, KeyError, TypeError) as exc:  # not Helm's answer: a bug of ours
        raise RuntimeError(f"cannot read the cluster's capabilities from Helm: {exc}") from None


def refuse_ignored_flags(options: RenderOptions, *, otherwise: str) -> None:
    """InputError for a ``--kube-version`` or ``--api-versions`` in ``options`` of a release
    Helm renders on a cluster: Helm would ignore it, and chartsafe would validate and check
    another render than the one installed. Raised before the cluster is asked anything.
    ``otherwise`` is the hint's way to render without the cluster, where the flags apply
    (``add --dry-run=client``, ``write a bundle with --out DIR``)."""
    given = [("--kube-version", options.kube_version or ""), *(
        ("--api-versions", v) for v in options.api_versions
    )]  # fmt: skip
    for flag, value in given:
        if value:
            raise InputError(
                f"{flag} {value}: Helm ignores it for a release on a cluster, which it renders "
                "with the cluster's own version and API versions",
                hint=f"leave it out, or {otherwise} to render without the cluster",
            )


def live_render_options(
    options: RenderOptions, target: ClusterTarget, *, otherwise: str, dry_run_helps: bool = False
) -> RenderOptions:
    """``options`` for chartsafe's render of a release Helm installs or upgrades on
    ``target``'s cluster: with the cluster's capabilities (see the module docstring), after
    :func:`refuse_ignored_flags`. ``dry_run_helps`` as for :func:`cluster_capabilities`.
    """
    refuse_ignored_flags(options, otherwise=otherwise)
    if options.capabilities is not None:  # given already (up renders, then installs)
        return options
    return replace(options, capabilities=asked_once(target, dry_run_helps=dry_run_helps))


def asked_once(target: ClusterTarget, *, dry_run_helps: bool = False) -> Callable[[], Capabilities]:
    """A function giving :func:`cluster_capabilities`, asked on its first call only: for
    ``RenderOptions.capabilities``, which a render calls once the chart and values are read
    (their errors first), and every later render with the same options reuses."""
    return cache(partial(cluster_capabilities, target, dry_run_helps=dry_run_helps))
