"""A chart's ``kubeVersion`` (Chart.yaml) held against the Kubernetes version rendered for.

Helm refuses to render a chart for a version its ``kubeVersion`` excludes: ``helm
template`` and ``helm install --dry-run=client`` stop on "chart requires kubeVersion:
>=1.40.0-0 which is incompatible with Kubernetes v1.36.0" before any template runs. The
SDK's render entry point skips that step: it is in Helm's install action, not its engine.

So chartsafe asks the install action itself, on a chart of one ``Chart.yaml`` carrying
the range, written to a private temporary folder: a client dry run with the release kept
in memory, which reads no kubeconfig and contacts nothing (about a millisecond). Helm's
rule is not a plain semver check: a pre-release such as ``v1.30.2-eks-1`` counts as
``1.30.2`` (measured: sprig's ``semverCompare`` answers otherwise), and only the action
knows it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from ._errors import KubeVersionError, KubeVersionMismatch, TemplateError
from ._helm import _message, helm, probe_chart
from ._schema import DEFAULT_KUBE_VERSION

__all__ = ["check_kube_version"]


@cache
def _refusal(constraint: str, version: str) -> str | None:
    """Helm's install action's refusal of a chart with range ``constraint`` on Kubernetes
    ``version`` (its message), or None when it accepts it. Asked once per pair in a process:
    a command may render the chart more than once (``_regenerated`` renders it twice).
    Raises the SDK's HelmInvalidArgError for a version Helm cannot parse."""
    h = helm()
    options = {"dry_run": "client", "kube_version": version, "namespace": "default"}
    with (
        probe_chart("kube-version", f"kubeVersion: {json.dumps(constraint)}\n") as probe,
        h.Config(namespace="default", storage_driver="memory") as config,
    ):
        try:
            h._native.call_string(
                "helm_install", config._raw(), config._context_arg(None),
                h._native.HANDLE(0), str(probe), "kube-version", "{}", json.dumps(options),
            )  # fmt: skip
        except h.HelmInvalidArgError:  # the version, not the range: the caller says so
            raise
        except h.HelmError as exc:
            return _message(exc)
    return None


def check_kube_version(
    metadata: dict[str, Any], kube_version: str | None, *, chart: str, from_cluster: bool = False
) -> None:
    """Raise KubeVersionMismatch when the ``kubeVersion`` of ``metadata`` (the chart's
    Chart.yaml) excludes ``kube_version``, as Helm does; a chart with none passes.

    ``kube_version`` None is chartsafe's default version (Helm's default too), and the hint
    says so; ``from_cluster``: it is the cluster's own, which no flag changes. A range that
    is no semver range excludes every version, for Helm as here.
    """
    constraint = metadata.get("kubeVersion")
    if not isinstance(constraint, str) or not constraint:
        return
    h = helm()
    try:
        message = _refusal(constraint, kube_version or DEFAULT_KUBE_VERSION)
    except h.HelmInvalidArgError as exc:
        raise KubeVersionError(
            f"--kube-version {kube_version}: {_message(exc)}",
            hint="use a Kubernetes version such as v1.36.0",
        ) from None
    if message is None:
        return
    if "requires kubeVersion" not in message:  # not the range: say what Helm said
        raise TemplateError(f"chart {chart}: {message}", chart=chart)
    if from_cluster:
        hint = "the cluster's version: install a chart version that supports it"
    elif kube_version:
        hint = "pass the --kube-version of a cluster the chart supports"
    else:
        hint = f"{DEFAULT_KUBE_VERSION} is chartsafe's default: pass your cluster's --kube-version"
    raise KubeVersionMismatch(
        f"chart {chart} {message.removeprefix('chart ')}", chart=chart, hint=hint
    )
