"""chartsafe: deploy Helm charts together with their secrets.

The public API is what this module exports; everything else lives in private
modules whose names are not API.

    >>> from chartsafe import render_chart, RenderOptions
    >>> result = render_chart("charts/tracecat", {"tracecat": {...}}, RenderOptions())
    >>> [o.ref for o in result.objects]
"""

from __future__ import annotations

import importlib
from typing import Any

from ._errors import (
    ChartLoadError,
    ChartsafeError,
    CheckFailed,
    InputError,
    KubeVersionError,
    TemplateError,
    ValuesError,
    ValuesSchemaError,
)
from ._lint import LintFinding, LintResult, lint_chart
from ._objects import HookInfo, K8sObject
from ._output import manifests_json, manifests_yaml
from ._podspec import ContainerView, PodView, iter_pods, pod_spec_of
from ._render import RenderOptions, RenderResult, render_chart
from ._schema import DEFAULT_KUBE_VERSION, CrdSchemas, ObjectProblem, SchemaValidator
from ._values import ValuesInput, load_values
from ._version import __version__

#: Names loaded on first use: their modules import cryptography, pyrage or boto3, which a
#: command that does not need them should not pay for at start-up.
_LAZY: dict[str, str] = {
    "Cluster": "chartsafe._cluster",
    "ClusterAccessDenied": "chartsafe._cluster",
    "ClusterConfig": "chartsafe._cluster",
    "ClusterError": "chartsafe._cluster",
    "ClusterNotFound": "chartsafe._cluster",
    "Contract": "chartsafe.contract",
    "ContractFinding": "chartsafe.contract",
    "Creator": "chartsafe.contract",
    "EditResult": "chartsafe._sops_tool",
    "GENERATORS": "chartsafe.generate",
    "Gate": "chartsafe._release",
    "GeneratorError": "chartsafe.generate",
    "HelmReleases": "chartsafe._helm_release",
    "KeyChange": "chartsafe._diff",
    "KeyInfo": "chartsafe.store.secret_store",
    "ObjectChange": "chartsafe._diff",
    "Reader": "chartsafe.contract",
    "Reference": "chartsafe._refs",
    "ReleaseDiff": "chartsafe._diff",
    "ReleaseFailed": "chartsafe._helm_release",
    "ReleaseInfo": "chartsafe._release_info",
    "ReleaseNotFound": "chartsafe._helm_release",
    "ReleaseOutcome": "chartsafe._release",
    "ReleaseSettings": "chartsafe._release",
    "ReleaseStatus": "chartsafe._release_info",
    "ReleaseValues": "chartsafe._release_info",
    "ResolveContext": "chartsafe._refs",
    "Scope": "chartsafe.deliver.sealed_crypto",
    "SealedPlacement": "chartsafe.deliver.sealed_verify",
    "SealingError": "chartsafe.deliver.sealed_crypto",
    "SecretKey": "chartsafe.contract",
    "SecretRef": "chartsafe.contract",
    "SecretStore": "chartsafe.store.secret_store",
    "SecretValues": "chartsafe._refs",
    "SelectorFlags": "chartsafe._sops_tool",
    "UnsealError": "chartsafe.deliver.sealed_crypto",
    "UserValues": "chartsafe._refs",
    "ValidationFailed": "chartsafe._release",
    "check_placement": "chartsafe.deliver.sealed_verify",
    "contract_for_chart": "chartsafe.contract",
    "contract_markdown": "chartsafe.contract",
    "derive_contract": "chartsafe.contract",
    "diff_objects": "chartsafe._diff",
    "diff_upgrade": "chartsafe._diff",
    "fill_from_contract": "chartsafe.store.secret_init",
    "find_references": "chartsafe._refs",
    "generator": "chartsafe.generate",
    "install_release": "chartsafe._release",
    "list_releases": "chartsafe._release_info",
    "load_certificate": "chartsafe.deliver.sealed_keys",
    "load_cluster_config": "chartsafe._cluster",
    "load_private_keys": "chartsafe.deliver.sealed_keys",
    "parse_reference": "chartsafe._refs",
    "parse_spec": "chartsafe.generate",
    "release_history": "chartsafe._release_info",
    "release_status": "chartsafe._release_info",
    "release_values": "chartsafe._release_info",
    "reseal": "chartsafe.deliver.sealed",
    "rollback_release": "chartsafe._release",
    "seal_secret": "chartsafe.deliver.sealed",
    "sealed_secret_json": "chartsafe.deliver.sealed",
    "sealed_secret_yaml": "chartsafe.deliver.sealed",
    "sops_decrypt": "chartsafe._sops_tool",
    "sops_edit": "chartsafe._sops_tool",
    "sops_encrypt": "chartsafe._sops_tool",
    "spec_for_format": "chartsafe.generate",
    "uninstall_release": "chartsafe._release",
    "unseal": "chartsafe.deliver.sealed",
    "upgrade_release": "chartsafe._release",
}

__all__ = [
    "DEFAULT_KUBE_VERSION",
    "GENERATORS",
    "ChartLoadError",
    "ChartsafeError",
    "CheckFailed",
    "Cluster",
    "ClusterAccessDenied",
    "ClusterConfig",
    "ClusterError",
    "ClusterNotFound",
    "ContainerView",
    "Contract",
    "ContractFinding",
    "CrdSchemas",
    "Creator",
    "EditResult",
    "Gate",
    "GeneratorError",
    "HelmReleases",
    "HookInfo",
    "InputError",
    "K8sObject",
    "KeyChange",
    "KeyInfo",
    "KubeVersionError",
    "LintFinding",
    "LintResult",
    "ObjectChange",
    "ObjectProblem",
    "PodView",
    "Reader",
    "Reference",
    "ReleaseDiff",
    "ReleaseFailed",
    "ReleaseInfo",
    "ReleaseNotFound",
    "ReleaseOutcome",
    "ReleaseSettings",
    "ReleaseStatus",
    "ReleaseValues",
    "RenderOptions",
    "RenderResult",
    "ResolveContext",
    "SchemaValidator",
    "Scope",
    "SealedPlacement",
    "SealingError",
    "SecretKey",
    "SecretRef",
    "SecretStore",
    "SecretValues",
    "SelectorFlags",
    "TemplateError",
    "UnsealError",
    "UserValues",
    "ValidationFailed",
    "ValuesError",
    "ValuesInput",
    "ValuesSchemaError",
    "__version__",
    "check_placement",
    "contract_for_chart",
    "contract_markdown",
    "derive_contract",
    "diff_objects",
    "diff_upgrade",
    "fill_from_contract",
    "find_references",
    "generator",
    "install_release",
    "iter_pods",
    "lint_chart",
    "list_releases",
    "load_certificate",
    "load_cluster_config",
    "load_private_keys",
    "load_values",
    "manifests_json",
    "manifests_yaml",
    "parse_reference",
    "parse_spec",
    "pod_spec_of",
    "release_history",
    "release_status",
    "release_values",
    "render_chart",
    "reseal",
    "rollback_release",
    "seal_secret",
    "sealed_secret_json",
    "sealed_secret_yaml",
    "sops_decrypt",
    "sops_edit",
    "sops_encrypt",
    "spec_for_format",
    "uninstall_release",
    "unseal",
    "upgrade_release",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chartsafe' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
