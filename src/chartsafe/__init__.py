"""chartsafe: deploy Helm charts together with their secrets.

The public API is what this module exports; everything else lives in private
modules whose names are not API.

    >>> from chartsafe import render_chart, RenderOptions
    >>> result = render_chart("charts/tracecat", {"tracecat": {...}}, RenderOptions())
    >>> [o.ref for o in result.objects]
"""

from __future__ import annotations

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

__all__ = [
    "DEFAULT_KUBE_VERSION",
    "ChartLoadError",
    "ChartsafeError",
    "CheckFailed",
    "ContainerView",
    "CrdSchemas",
    "HookInfo",
    "InputError",
    "K8sObject",
    "KubeVersionError",
    "LintFinding",
    "LintResult",
    "ObjectProblem",
    "PodView",
    "RenderOptions",
    "RenderResult",
    "SchemaValidator",
    "TemplateError",
    "ValuesError",
    "ValuesInput",
    "ValuesSchemaError",
    "__version__",
    "iter_pods",
    "lint_chart",
    "load_values",
    "manifests_json",
    "manifests_yaml",
    "pod_spec_of",
    "render_chart",
]
