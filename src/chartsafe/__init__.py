"""chartsafe: deploy Helm charts together with their secrets.

The public API is what this module exports; everything else lives in private
modules whose names are not API.

    >>> from chartsafe import render_chart, RenderOptions, ValuesInput
    >>> from pathlib import Path
    >>> result = render_chart(
    ...     "charts/tracecat",
    ...     ValuesInput(files=[Path("charts/tracecat/examples/values-minikube.yaml")]),
    ...     RenderOptions(release_name="tc", namespace="tracecat", validate=False),
    ... )
    >>> [o.ref for o in result.objects]
"""

from __future__ import annotations

from ._version import __version__

# Not typing.TYPE_CHECKING: importing typing alone costs the CLI several milliseconds
# before it can start Helm's engine. Type checkers read this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:  # the same names, eagerly, for type checkers and editors
    from typing import Any

    from ._bundle import PlanStep, build_plan, write_bundle
    from ._chart_source import ChartSource, open_chart
    from ._cluster import (
        Cluster,
        ClusterAccess,
        ClusterAccessDenied,
        ClusterConfig,
        ClusterError,
        ClusterNotFound,
        load_cluster_config,
    )
    from ._cluster_config import context_namespace
    from ._diff import KeyChange, ObjectChange, ReleaseDiff, diff_objects, diff_upgrade
    from ._errors import (
        ChartLoadError,
        ChartsafeError,
        CheckFailed,
        DecryptionError,
        InputError,
        IntegrityError,
        KubeVersionError,
        SopsConfigError,
        SopsFormatError,
        StoreError,
        TemplateError,
        ValuesError,
        ValuesSchemaError,
    )
    from ._helm_oci import (
        PushResult,
        RegistryAccess,
        RegistryError,
        package_chart,
        pull_chart,
        push_chart,
        registry_login,
        registry_logout,
    )
    from ._helm_release import ClusterTarget, HelmReleases
    from ._lint import LintFinding, LintResult, lint_chart
    from ._objects import HookInfo, K8sObject
    from ._output import manifests_json, manifests_yaml
    from ._podspec import ContainerView, PodView, iter_pods, pod_spec_of
    from ._provenance import Provenance, ProvenanceError, sign_chart, verify_chart
    from ._refs import (
        Reference,
        ResolveContext,
        SecretValues,
        UserValues,
        find_references,
        parse_reference,
    )
    from ._release import (
        Gate,
        ReleaseOutcome,
        ReleaseSettings,
        ValidationFailed,
        install_release,
        upgrade_release,
    )
    from ._release_errors import ReleaseFailed, ReleaseNotFound
    from ._release_info import (
        ReleaseInfo,
        ReleaseStatus,
        list_releases,
        release_history,
        release_status,
    )
    from ._release_undo import rollback_release, uninstall_release
    from ._release_values import ReleaseAll, ReleaseValues, release_all, release_values
    from ._render import RenderOptions, RenderResult, render_chart
    from ._rollout import (
        DIGEST_ANNOTATION,
        RolloutChange,
        WorkloadDigest,
        annotate_bodies,
        apply_rollout,
        workload_digests,
    )
    from ._schema import DEFAULT_KUBE_VERSION, CrdSchemas, ObjectProblem, SchemaValidator
    from ._sops_tool import EditResult, SelectorFlags, sops_decrypt, sops_edit, sops_encrypt
    from ._up import KeysMissing, UpRequest, UpResult, up
    from ._values import ValuesInput, load_values
    from .audit import (
        AuditResult,
        Severity,
        all_rules,
        audit_chart,
        audit_files,
        to_sarif,
    )
    from .audit import (
        Finding as AuditFinding,
    )
    from .check import (
        CheckReport,
        ConfigMapCheck,
        ContractNotMet,
        HazardCheck,
        KeyCheck,
        SecretCheck,
        check_chart,
        check_contract,
        contract_gate,
    )
    from .contract import (
        Contract,
        ContractFinding,
        Creator,
        Reader,
        SecretKey,
        SecretRef,
        contract_for_chart,
        contract_for_render,
        contract_markdown,
        derive_contract,
    )
    from .deliver import BACKENDS, Delivery, DeliveryRequest
    from .deliver.aws import AwsPush, push_to_aws
    from .deliver.external import ExternalDelivery, ExternalOptions, render_external
    from .deliver.external_stores import StoreOptions
    from .deliver.sealed import reseal, seal_secret, sealed_secret_json, sealed_secret_yaml, unseal
    from .deliver.sealed_crypto import Scope, SealingError, UnsealError
    from .deliver.sealed_keys import load_certificate, load_private_keys
    from .deliver.sealed_verify import SealedPlacement, check_placement
    from .generate import GENERATORS, GeneratorError, generator, parse_spec, spec_for_format
    from .store.secret_fill import FillResult
    from .store.secret_init import fill_from_contract
    from .store.secret_init_refs import RefFillResult, fill_references
    from .store.secret_store import KeyInfo, SecretStore

#: Every public name but ``__version__``, loaded on first use ("module", or
#: "module:attribute" for an alias). ``import chartsafe`` then costs nothing beyond the
#: version: the command line starts Helm's engine in a thread before it imports
#: anything heavy, and a library user pays only for the parts they touch.
#: tests/test_exported_members.py checks this table against the block above.
_LAZY: dict[str, str] = {
    "AuditFinding": "chartsafe.audit:Finding",
    "AuditResult": "chartsafe.audit",
    "AwsPush": "chartsafe.deliver.aws",
    "BACKENDS": "chartsafe.deliver",
    "ChartLoadError": "chartsafe._errors",
    "ChartSource": "chartsafe._chart_source",
    "ChartsafeError": "chartsafe._errors",
    "CheckFailed": "chartsafe._errors",
    "CheckReport": "chartsafe.check",
    "Cluster": "chartsafe._cluster",
    "ClusterAccess": "chartsafe._cluster",
    "ClusterAccessDenied": "chartsafe._cluster",
    "ClusterConfig": "chartsafe._cluster",
    "ClusterError": "chartsafe._cluster",
    "ClusterNotFound": "chartsafe._cluster",
    "ClusterTarget": "chartsafe._helm_release",
    "ConfigMapCheck": "chartsafe.check",
    "ContainerView": "chartsafe._podspec",
    "Contract": "chartsafe.contract",
    "ContractFinding": "chartsafe.contract",
    "ContractNotMet": "chartsafe.check",
    "CrdSchemas": "chartsafe._schema",
    "Creator": "chartsafe.contract",
    "DEFAULT_KUBE_VERSION": "chartsafe._schema",
    "DIGEST_ANNOTATION": "chartsafe._rollout",
    "DecryptionError": "chartsafe._errors",
    "Delivery": "chartsafe.deliver",
    "DeliveryRequest": "chartsafe.deliver",
    "EditResult": "chartsafe._sops_tool",
    "ExternalDelivery": "chartsafe.deliver.external",
    "ExternalOptions": "chartsafe.deliver.external",
    "FillResult": "chartsafe.store.secret_fill",
    "GENERATORS": "chartsafe.generate",
    "Gate": "chartsafe._release",
    "GeneratorError": "chartsafe.generate",
    "HazardCheck": "chartsafe.check",
    "HelmReleases": "chartsafe._helm_release",
    "HookInfo": "chartsafe._objects",
    "InputError": "chartsafe._errors",
    "IntegrityError": "chartsafe._errors",
    "K8sObject": "chartsafe._objects",
    "KeyChange": "chartsafe._diff",
    "KeyCheck": "chartsafe.check",
    "KeyInfo": "chartsafe.store.secret_store",
    "KeysMissing": "chartsafe._up",
    "KubeVersionError": "chartsafe._errors",
    "LintFinding": "chartsafe._lint",
    "LintResult": "chartsafe._lint",
    "ObjectChange": "chartsafe._diff",
    "ObjectProblem": "chartsafe._schema",
    "PlanStep": "chartsafe._bundle",
    "PodView": "chartsafe._podspec",
    "Provenance": "chartsafe._provenance",
    "ProvenanceError": "chartsafe._provenance",
    "PushResult": "chartsafe._helm_oci",
    "Reader": "chartsafe.contract",
    "RefFillResult": "chartsafe.store.secret_init_refs",
    "Reference": "chartsafe._refs",
    "RegistryAccess": "chartsafe._helm_oci",
    "RegistryError": "chartsafe._helm_oci",
    "ReleaseAll": "chartsafe._release_values",
    "ReleaseDiff": "chartsafe._diff",
    "ReleaseFailed": "chartsafe._release_errors",
    "ReleaseInfo": "chartsafe._release_info",
    "ReleaseNotFound": "chartsafe._release_errors",
    "ReleaseOutcome": "chartsafe._release",
    "ReleaseSettings": "chartsafe._release",
    "ReleaseStatus": "chartsafe._release_info",
    "ReleaseValues": "chartsafe._release_values",
    "RenderOptions": "chartsafe._render",
    "RenderResult": "chartsafe._render",
    "ResolveContext": "chartsafe._refs",
    "RolloutChange": "chartsafe._rollout",
    "SchemaValidator": "chartsafe._schema",
    "Scope": "chartsafe.deliver.sealed_crypto",
    "SealedPlacement": "chartsafe.deliver.sealed_verify",
    "SealingError": "chartsafe.deliver.sealed_crypto",
    "SecretCheck": "chartsafe.check",
    "SecretKey": "chartsafe.contract",
    "SecretRef": "chartsafe.contract",
    "SecretStore": "chartsafe.store.secret_store",
    "SecretValues": "chartsafe._refs",
    "SelectorFlags": "chartsafe._sops_tool",
    "Severity": "chartsafe.audit",
    "SopsConfigError": "chartsafe._errors",
    "SopsFormatError": "chartsafe._errors",
    "StoreError": "chartsafe._errors",
    "StoreOptions": "chartsafe.deliver.external_stores",
    "TemplateError": "chartsafe._errors",
    "UnsealError": "chartsafe.deliver.sealed_crypto",
    "UpRequest": "chartsafe._up",
    "UpResult": "chartsafe._up",
    "UserValues": "chartsafe._refs",
    "ValidationFailed": "chartsafe._release",
    "ValuesError": "chartsafe._errors",
    "ValuesInput": "chartsafe._values",
    "ValuesSchemaError": "chartsafe._errors",
    "WorkloadDigest": "chartsafe._rollout",
    "all_rules": "chartsafe.audit",
    "annotate_bodies": "chartsafe._rollout",
    "apply_rollout": "chartsafe._rollout",
    "audit_chart": "chartsafe.audit",
    "audit_files": "chartsafe.audit",
    "build_plan": "chartsafe._bundle",
    "check_chart": "chartsafe.check",
    "check_contract": "chartsafe.check",
    "check_placement": "chartsafe.deliver.sealed_verify",
    "context_namespace": "chartsafe._cluster_config",
    "contract_for_chart": "chartsafe.contract",
    "contract_for_render": "chartsafe.contract",
    "contract_gate": "chartsafe.check",
    "contract_markdown": "chartsafe.contract",
    "derive_contract": "chartsafe.contract",
    "diff_objects": "chartsafe._diff",
    "diff_upgrade": "chartsafe._diff",
    "fill_from_contract": "chartsafe.store.secret_init",
    "fill_references": "chartsafe.store.secret_init_refs",
    "find_references": "chartsafe._refs",
    "generator": "chartsafe.generate",
    "install_release": "chartsafe._release",
    "iter_pods": "chartsafe._podspec",
    "lint_chart": "chartsafe._lint",
    "list_releases": "chartsafe._release_info",
    "load_certificate": "chartsafe.deliver.sealed_keys",
    "load_cluster_config": "chartsafe._cluster",
    "load_private_keys": "chartsafe.deliver.sealed_keys",
    "load_values": "chartsafe._values",
    "manifests_json": "chartsafe._output",
    "manifests_yaml": "chartsafe._output",
    "open_chart": "chartsafe._chart_source",
    "package_chart": "chartsafe._helm_oci",
    "parse_reference": "chartsafe._refs",
    "parse_spec": "chartsafe.generate",
    "pod_spec_of": "chartsafe._podspec",
    "pull_chart": "chartsafe._helm_oci",
    "push_chart": "chartsafe._helm_oci",
    "push_to_aws": "chartsafe.deliver.aws",
    "registry_login": "chartsafe._helm_oci",
    "registry_logout": "chartsafe._helm_oci",
    "release_all": "chartsafe._release_values",
    "release_history": "chartsafe._release_info",
    "release_status": "chartsafe._release_info",
    "release_values": "chartsafe._release_values",
    "render_chart": "chartsafe._render",
    "render_external": "chartsafe.deliver.external",
    "reseal": "chartsafe.deliver.sealed",
    "rollback_release": "chartsafe._release_undo",
    "seal_secret": "chartsafe.deliver.sealed",
    "sealed_secret_json": "chartsafe.deliver.sealed",
    "sealed_secret_yaml": "chartsafe.deliver.sealed",
    "sign_chart": "chartsafe._provenance",
    "sops_decrypt": "chartsafe._sops_tool",
    "sops_edit": "chartsafe._sops_tool",
    "sops_encrypt": "chartsafe._sops_tool",
    "spec_for_format": "chartsafe.generate",
    "to_sarif": "chartsafe.audit",
    "uninstall_release": "chartsafe._release_undo",
    "unseal": "chartsafe.deliver.sealed",
    "up": "chartsafe._up",
    "upgrade_release": "chartsafe._release",
    "verify_chart": "chartsafe._provenance",
    "workload_digests": "chartsafe._rollout",
    "write_bundle": "chartsafe._bundle",
}

__all__ = [
    "BACKENDS",
    "DEFAULT_KUBE_VERSION",
    "DIGEST_ANNOTATION",
    "GENERATORS",
    "AuditFinding",
    "AuditResult",
    "AwsPush",
    "ChartLoadError",
    "ChartSource",
    "ChartsafeError",
    "CheckFailed",
    "CheckReport",
    "Cluster",
    "ClusterAccess",
    "ClusterAccessDenied",
    "ClusterConfig",
    "ClusterError",
    "ClusterNotFound",
    "ClusterTarget",
    "ConfigMapCheck",
    "ContainerView",
    "Contract",
    "ContractFinding",
    "ContractNotMet",
    "CrdSchemas",
    "Creator",
    "DecryptionError",
    "Delivery",
    "DeliveryRequest",
    "EditResult",
    "ExternalDelivery",
    "ExternalOptions",
    "FillResult",
    "Gate",
    "GeneratorError",
    "HazardCheck",
    "HelmReleases",
    "HookInfo",
    "InputError",
    "IntegrityError",
    "K8sObject",
    "KeyChange",
    "KeyCheck",
    "KeyInfo",
    "KeysMissing",
    "KubeVersionError",
    "LintFinding",
    "LintResult",
    "ObjectChange",
    "ObjectProblem",
    "PlanStep",
    "PodView",
    "Provenance",
    "ProvenanceError",
    "PushResult",
    "Reader",
    "RefFillResult",
    "Reference",
    "RegistryAccess",
    "RegistryError",
    "ReleaseAll",
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
    "RolloutChange",
    "SchemaValidator",
    "Scope",
    "SealedPlacement",
    "SealingError",
    "SecretCheck",
    "SecretKey",
    "SecretRef",
    "SecretStore",
    "SecretValues",
    "SelectorFlags",
    "Severity",
    "SopsConfigError",
    "SopsFormatError",
    "StoreError",
    "StoreOptions",
    "TemplateError",
    "UnsealError",
    "UpRequest",
    "UpResult",
    "UserValues",
    "ValidationFailed",
    "ValuesError",
    "ValuesInput",
    "ValuesSchemaError",
    "WorkloadDigest",
    "__version__",
    "all_rules",
    "annotate_bodies",
    "apply_rollout",
    "audit_chart",
    "audit_files",
    "build_plan",
    "check_chart",
    "check_contract",
    "check_placement",
    "context_namespace",
    "contract_for_chart",
    "contract_for_render",
    "contract_gate",
    "contract_markdown",
    "derive_contract",
    "diff_objects",
    "diff_upgrade",
    "fill_from_contract",
    "fill_references",
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
    "open_chart",
    "package_chart",
    "parse_reference",
    "parse_spec",
    "pod_spec_of",
    "pull_chart",
    "push_chart",
    "push_to_aws",
    "registry_login",
    "registry_logout",
    "release_all",
    "release_history",
    "release_status",
    "release_values",
    "render_chart",
    "render_external",
    "reseal",
    "rollback_release",
    "seal_secret",
    "sealed_secret_json",
    "sealed_secret_yaml",
    "sign_chart",
    "sops_decrypt",
    "sops_edit",
    "sops_encrypt",
    "spec_for_format",
    "to_sarif",
    "uninstall_release",
    "unseal",
    "up",
    "upgrade_release",
    "verify_chart",
    "workload_digests",
    "write_bundle",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chartsafe' has no attribute {name!r}")
    module, _, attribute = module.partition(":")  # "module:Name" exports Name under an alias
    import importlib

    value = getattr(importlib.import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
