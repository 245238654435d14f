"""Render a chart through Helm's engine and validate what comes out.

``render_chart`` is the first step of every chartsafe command: load the chart
with Helm's loader, build the user values in Helm's order, render with Helm's
engine (which also enforces ``values.schema.json``), parse the documents into
objects, and, unless asked not to, validate every object against the
Kubernetes schemas of the selected version and against CRD schemas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ._errors import InputError
from ._go_log import each_warning_once
from ._helm import HelmChart
from ._helm_parse import validate_release_name
from ._kube_version import check_kube_version
from ._objects import K8sObject, list_items, sort_for_install
from ._refs import UserValues
from ._rendered import parse_crds, parse_rendered
from ._schema import DEFAULT_KUBE_VERSION, ObjectProblem, SchemaValidator, nearest_schema_version
from ._values import ValuesInput, load_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._cluster_capabilities import Capabilities

__all__ = ["RenderOptions", "RenderResult", "as_user_values", "render_chart"]


@dataclass
class RenderOptions:
    """How to render: the ``helm template`` flags that are not values."""

    release_name: str = "release-name"
    namespace: str = "default"
    kube_version: str | None = None
    api_versions: list[str] = field(default_factory=list)
    include_crds: bool = False
    skip_tests: bool = False
    no_hooks: bool = False  # helm template --no-hooks: hooks (tests too) left out
    show_only: list[str] = field(default_factory=list)
    is_upgrade: bool = False
    validate: bool = True  # Kubernetes and CRD schemas of the rendered objects
    values_schema: bool = True  # values.schema.json; off = helm's --skip-schema-validation
    enable_dns: bool = False  # helm's --enable-dns: getHostByName resolves names
    #: Chart.yaml's ``kubeVersion`` held against the version rendered for, as ``helm
    #: template`` does. Off for a release command given no --kube-version: its render
    #: stands in for the cluster's, whose own version Helm's install checks.
    check_kube_version: bool = True
    crd_dirs: list[Path] = field(default_factory=list)
    #: The top chart's defaults replaced by these (Helm's upgrade --reuse-values renders the
    #: new chart with the current revision's coalesced values as its defaults).
    chart_values: dict[str, Any] | None = None
    #: A cluster's ``.Capabilities`` (``_cluster_capabilities``), when this render stands in
    #: for Helm's install there: its version unless ``kube_version`` is given, its API
    #: versions with ``api_versions`` added (as helm template adds them to its defaults), the
    #: chart's ``kubeVersion`` held against that version as Helm's install holds it, and a
    #: version kubernetes-validate has no schemas for validated against the nearest set, with
    #: a warning: a cluster's version is a fact, not a typo to refuse. A function giving
    #: them is called when the chart and values have been read, so that their errors come
    #: before the cluster's (see :meth:`resolved`).
    capabilities: Capabilities | Callable[[], Capabilities] | None = None

    @property
    def effective_kube_version(self) -> str:
        return self.kube_version or self._cluster_version or DEFAULT_KUBE_VERSION

    @property
    def effective_api_versions(self) -> list[str]:
        cluster = self._known.api_versions if self._known else ()
        return [*cluster, *self.api_versions]

    @property
    def version_from_cluster(self) -> bool:
        """Whether the version rendered for is the cluster's (none was given)."""
        return not self.kube_version and bool(self._cluster_version)

    @property
    def _cluster_version(self) -> str | None:
        return self._known.kube_version if self._known else None

    @property
    def _known(self) -> Capabilities | None:
        """The capabilities, once :meth:`resolved` (a function giving them is not yet)."""
        return None if callable(self.capabilities) else self.capabilities

    def resolved(self) -> RenderOptions:
        """A copy whose ``capabilities`` are the cluster's answer, asked now if not yet."""
        if not callable(self.capabilities):
            return self
        return replace(self, capabilities=self.capabilities())

    def for_release(self, name: str, namespace: str, *, is_upgrade: bool = False) -> RenderOptions:
        """A copy naming the release and its namespace, for install, upgrade and up.

        Those take the name and the namespace from their own arguments (the
        release's, the ``ClusterTarget``'s); one set here too and different
        is a mistake the caller must hear of, not a value silently replaced
        (it would render, and store keys, for another namespace).
        """
        for field_name, given, wanted, where in (
            ("release_name", self.release_name, name, "the release name"),
            ("namespace", self.namespace, namespace, "ClusterTarget.namespace"),
        ):
            if given not in (wanted, getattr(RenderOptions, field_name)):
                raise InputError(
                    f"RenderOptions.{field_name} {given!r} differs from {where} {wanted!r}",
                    hint=f"leave RenderOptions.{field_name} unset; {where} decides",
                )
        return replace(
            self, release_name=name, namespace=namespace, is_upgrade=is_upgrade,
            check_kube_version=self.check_kube_version and self.kube_version is not None,
        )  # fmt: skip


@dataclass
class RenderResult:
    """What a render produced: objects in Helm's order, notes, and what validation found."""

    chart: Path
    chart_metadata: dict[str, Any]
    user_values: UserValues  # as given, and which of them are secret
    values: dict[str, Any]  # chart defaults coalesced with the user values
    objects: list[K8sObject]  # CRDs (if included), regular objects, then hooks
    notes: str
    problems: list[ObjectProblem] = field(default_factory=list)
    not_validated: list[K8sObject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    validated: bool = False
    subchart_metadata: list[dict[str, Any]] = field(default_factory=list)  # Chart.yaml of each
    is_upgrade: bool = False  # rendered for an upgrade (.Release.IsUpgrade)
    #: What the chart rendered and ``show_only``, ``no_hooks`` or ``skip_tests`` left out of
    #: ``objects``: not printed, but a Secret among them still holds values that the
    #: printed objects may copy (a DSN in a ConfigMap), and output masks those copies.
    left_out: list[K8sObject] = field(default_factory=list)

    def __repr__(self) -> str:
        """The chart and counts only, as ``UserValues`` and ``SecretStore`` show theirs.

        ``values``, ``objects`` and ``notes`` hold resolved store and SOPS values (a Secret's
        data, a password copied into a ConfigMap), and a repr is what ``logging.debug("%r")``,
        debuggers and tracebacks with locals print.
        """
        name = f"{self.chart_metadata.get('name', '')} {self.chart_metadata.get('version', '')}"
        return (
            f"<RenderResult {name.strip() or self.chart} from {self.chart}: "
            f"{len(self.objects)} object(s) ({len(self.hooks)} hook(s)), {self.problems_count}, "
            f"{len(self.warnings)} warning(s)>"
        )

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problems_count(self) -> str:
        """Reads "3 validation problems": schema violations and API-server rules together."""
        count = len(self.problems)
        return f"{count} validation problem{'s' if count != 1 else ''}"

    @property
    def hooks(self) -> list[K8sObject]:
        return [o for o in self.objects if o.hook is not None]

    @property
    def resources(self) -> list[K8sObject]:
        """The regular (non-hook, non-CRD) objects, with a kind."""
        return [o for o in self.objects if o.hook is None and not o.crd and o.kind]


def as_user_values(values: ValuesInput | dict[str, Any] | None) -> UserValues:
    """The values for Helm, keeping what is secret in them (a ``UserValues`` passes as is)."""
    if isinstance(values, ValuesInput):
        return load_values(values)
    if isinstance(values, UserValues):
        return values
    return UserValues(values)


def _show_only(objects: list[K8sObject], patterns: list[str]) -> list[K8sObject]:
    """Keep objects whose template matches a pattern, as ``helm template --show-only``.

    Patterns are chart-relative (``templates/db.yaml``) or include the chart
    name; globs are Go's ``filepath.Match``, as in Helm: ``*`` stops at ``/``.
    """
    from ._go_match import go_match

    kept: set[int] = set()  # ids: comparing objects field by field was quadratic and slow
    for pattern in patterns:
        wanted = pattern.replace("\\", "/")
        matched = [
            o
            for o in objects
            if go_match(wanted, o.source) or go_match(wanted, o.source.split("/", 1)[-1])
        ]
        if not matched:
            raise InputError(
                f"--show-only {pattern}: no rendered template matches",
                hint="name a template path such as templates/deployment.yaml",
            )
        kept.update(id(o) for o in matched)
    return [o for o in objects if id(o) in kept]


def render_chart(
    chart: Path | str,
    values: ValuesInput | dict[str, Any] | None = None,
    options: RenderOptions | None = None,
    *,
    validator: SchemaValidator | None = None,
) -> RenderResult:
    """Render ``chart`` with Helm's engine; validate unless ``options.validate`` is off.

    Raises ChartLoadError, ValuesError, ValuesSchemaError, TemplateError or
    KubeVersionError (all ChartsafeError) with a message naming the input.
    Object schema violations are returned in ``problems``, not raised, so a
    caller can still show the objects.
    """
    options = options or RenderOptions()
    path = Path(chart)
    asks_cluster = callable(options.capabilities)
    # Check the version first: an unknown one is bad input whatever the chart says.
    schemas_note = None
    if options.validate and not asks_cluster:
        validator, schemas_note = _validator(options, validator)
    if options.release_name != RenderOptions.release_name:
        validate_release_name(options.release_name)
    user_values = as_user_values(values)
    with each_warning_once():  # Helm logs a warning in render and again in merge
        helm_chart = HelmChart(path)
        try:
            helm_chart.check_installable()
            if asks_cluster:  # now: a missing chart or values file is said first
                options = options.resolved()
                if options.validate:
                    validator, schemas_note = _validator(options, validator)
            if options.check_kube_version or options.capabilities is not None:
                given = options.kube_version or options._cluster_version
                check_kube_version(
                    helm_chart.metadata, given, chart=str(path),
                    from_cluster=options.version_from_cluster,
                )  # fmt: skip
            if not options.values_schema:
                helm_chart.drop_values_schemas()
            if options.chart_values is not None:
                helm_chart.replace_values(options.chart_values)
            rendered = helm_chart.render(
                user_values,
                release_name=options.release_name,
                namespace=options.namespace,
                kube_version=options.effective_kube_version,
                api_versions=options.effective_api_versions,
                is_upgrade=options.is_upgrade,
                enable_dns=options.enable_dns,
            )
            parsed = parse_rendered(rendered, options.namespace)
            # The chart's crds/ files: printed with --include-crds, and a source of
            # schemas for validation; read and parsed once, only when either needs them.
            wanted = options.include_crds or options.validate
            chart_crds = parse_crds(helm_chart.crds, options.namespace) if wanted else []
            crds = chart_crds if options.include_crds else []
            merged = helm_chart.merge_values(user_values)
            metadata = helm_chart.metadata
            subcharts = helm_chart.dependencies
        finally:
            helm_chart.close()

    regular = sort_for_install([o for o in parsed.objects if o.hook is None])
    hooks = sort_for_install([o for o in parsed.objects if o.hook is not None])
    if options.no_hooks:
        hooks = []
    elif options.skip_tests:
        hooks = [h for h in hooks if not (h.hook and h.hook.is_test)]
    objects = [*crds, *regular, *hooks]
    if options.show_only:
        objects = _show_only(objects, options.show_only)
    shown = {id(o) for o in objects}
    left_out = [o for o in parsed.objects if id(o) not in shown]

    result = RenderResult(
        chart=path,
        chart_metadata=metadata,
        user_values=user_values,
        values=merged,
        objects=objects,
        notes=parsed.notes,
        warnings=list(parsed.skipped),
        subchart_metadata=subcharts,
        is_upgrade=options.is_upgrade,
        left_out=left_out,
    )
    if metadata.get("deprecated") is True:  # helm install/upgrade/template warn of it too
        result.warnings.insert(
            0, f"chart {metadata.get('name')} is deprecated (deprecated: true in its Chart.yaml)"
        )
    if schemas_note is not None:
        result.warnings.append(schemas_note)
    if options.validate and validator is not None:
        for directory in options.crd_dirs:
            validator.crds.add_dir(Path(directory))
        validator.crds.add_objects([*chart_crds, *parsed.objects])
        _validate(result, validator)
    return result


def _validator(
    options: RenderOptions, given: SchemaValidator | None
) -> tuple[SchemaValidator, str | None]:
    """The validator for the version rendered for (``given``, when the caller has one), its
    schemas loading in a thread; and the warning when a cluster's version has none."""
    schema_version, note = options.effective_kube_version, None
    if options.version_from_cluster:
        schema_version, note = nearest_schema_version(schema_version)
    validator = given or SchemaValidator(schema_version)
    # Load the schemas while Helm's engine loads and renders (it releases the GIL).
    validator.warm_up()
    return validator, note


def _validate(result: RenderResult, validator: SchemaValidator) -> None:
    """The schema's verdict on each object, then what the API server refuses beyond it."""
    from ._api_rules import api_problems
    from ._meta_rules import duplicates, meta_problems

    # a document holding only comments, or an empty List: Helm prints it, it creates nothing
    checked = [obj for obj in result.objects if obj.kind and list_items(obj.body) is None]
    for obj, problems in zip(checked, validator.problems_each(checked), strict=True):
        if problems is None:
            result.not_validated.append(obj)
        else:
            result.problems.extend(problems)
        result.problems.extend(meta_problems(obj))
        result.problems.extend(api_problems(obj))
    twice, same = duplicates(checked)
    result.problems.extend(twice)
    result.warnings.extend(same)
    result.validated = True
