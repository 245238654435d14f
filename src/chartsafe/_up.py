"""``chartsafe up``: from chart to running release in one command.

    render → contract → secrets init → deliver → check → install/upgrade (+ rollout)

1. **render** the chart with the user's values and derive its contract;
2. **secrets init**: fill every required key a generator can make into the store; keys only
   a person knows stop the run (exit 1) with the ``chartsafe secrets set`` lines, unless the
   store already holds them;
3. **deliver** the store through a backend of :mod:`chartsafe.deliver` (Secret, SealedSecret,
   ExternalSecret), which also yields the values overrides naming the delivered Secrets;
4. **check** the contract against what will exist: the delivered objects (and, live, the
   cluster's Secrets);
5. **install or upgrade** through Helm with the overrides, gated by that check; afterwards
   the rollout digest is set on exactly the workloads that read store keys (``_rollout``).

With ``out`` (or when no cluster is reachable) step 5 writes a deploy bundle instead
(``_bundle``). With a dry run nothing is applied: Helm renders through its client dry run.
The result holds names, counts and digests only, never a value.
"""

from __future__ import annotations

import dataclasses
import shlex
import tempfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import CheckFailed, InputError
from ._helm_release import ClusterTarget
from ._release import ReleaseOutcome, ReleaseSettings
from ._render import RenderOptions
from ._values import ValuesInput

__all__ = ["KeysMissing", "UpRequest", "UpResult", "up"]

Progress = Callable[[str], None]
_STEPS = 6


class KeysMissing(CheckFailed):
    """Keys no generator can make are not in the store (exit 1); ``commands`` set them."""

    def __init__(self, commands: list[str]) -> None:
        super().__init__(
            f"{len(commands)} key(s) no generator can make are not in the store",
            hint="set them with the chartsafe secrets set lines above, then run up again",
        )
        self.commands = commands


@dataclass
class UpRequest:
    """Everything ``up`` needs: the chart and values, the store, delivery and the target."""

    name: str | None
    chart: Path
    values: ValuesInput
    store: Path
    deliver: str = "secret"
    deliver_options: Mapping[str, Any] = field(default_factory=dict)
    target: ClusterTarget = field(default_factory=ClusterTarget)
    settings: ReleaseSettings = field(default_factory=ReleaseSettings)
    render: RenderOptions = field(default_factory=RenderOptions)
    out: Path | None = None
    generators: Mapping[str, str] = field(default_factory=dict)
    recipients: list[str] = field(default_factory=list)
    age_key_file: Path | None = None
    skip_check: bool = False
    chart_label: str = ""  # the chart as the user named it, for messages and fix commands


@dataclass
class UpResult:
    """What ``up`` did: the mode, the store changes (names), the plan and the rollout."""

    release: str
    namespace: str
    mode: str  # "bundle", "dry-run", "release"
    backend: str
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    store_written: bool = False
    plan: list[Any] = field(default_factory=list)  # _bundle.PlanStep
    digests: list[Any] = field(default_factory=list)  # _rollout.WorkloadDigest
    rollout: list[Any] = field(default_factory=list)  # _rollout.RolloutChange
    bundle: list[Path] = field(default_factory=list)
    outcome: ReleaseOutcome | None = None
    check: Any = None  # check.CheckReport
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "namespace": self.namespace,
            "mode": self.mode,
            "deliver": self.backend,
            "store": {"added": self.added, "kept": self.kept, "written": self.store_written},
            "plan": [s.as_dict() for s in self.plan],
            "digests": [d.as_dict() for d in self.digests],
            "rollout": [r.as_dict() for r in self.rollout],
            "bundle": [str(p) for p in self.bundle],
            "release_info": self.outcome.release.as_dict() if self.outcome else None,
            "check": self.check.as_dict() if self.check is not None else None,
            "note": self.note or None,
        }


class DeliveredSource:
    """A check source: the delivered objects, over another source (the live cluster) if any."""

    def __init__(
        self, manifests: list[dict[str, Any]], backend: str, *, namespace: str, under: Any = None
    ) -> None:
        self.manifests = manifests
        self.backend = backend
        self.namespace = namespace
        self.under = under

    @property
    def description(self) -> str:
        mine = f"the objects --deliver {self.backend} makes"
        return f"{mine} over {self.under.description}" if self.under is not None else mine

    def find(self, namespaces: Collection[str]) -> dict[tuple[str, str], Any]:
        from .check import parse_manifest

        found: dict[tuple[str, str], Any] = dict(self.under.find(namespaces)) if self.under else {}
        for body in self.manifests:
            for secret in parse_manifest(body, self.namespace, f"--deliver {self.backend}"):
                found[(secret.namespace, secret.name)] = secret
        return found


def default_name(chart: Path) -> str:
    """The release name when none is given: the chart's own name (``Chart.yaml``)."""
    import yaml

    meta = chart / "Chart.yaml"
    try:
        loaded = yaml.safe_load(meta.read_text()) if meta.is_file() else None
    except (OSError, yaml.YAMLError):
        loaded = None
    name = loaded.get("name") if isinstance(loaded, dict) else None
    if not isinstance(name, str) or not name:
        raise InputError(
            f"{chart}: no release NAME given and no chart name to use",
            hint="run chartsafe up NAME CHART",
        )
    return name


def cluster_reason(target: ClusterTarget) -> str | None:
    """Why no cluster can be reached (None: one answered ``GET /version``)."""
    from ._cluster import Cluster, ClusterError

    try:
        cluster = Cluster.connect(target.kubeconfig, target.kube_context)
        cluster.timeout = 5.0
        cluster.get("/version", resource="version")
    except ClusterError as exc:
        return exc.message
    return None


def _fill(request: UpRequest, contract: Any, result: UpResult, say: Progress) -> Any:
    from .store.secret_init import fill_from_contract
    from .store.secret_store import SecretStore

    store = SecretStore.open_or_create(
        request.store, recipients=request.recipients or None, key_file=request.age_key_file
    )
    filled = fill_from_contract(store, contract, overrides=dict(request.generators))
    result.added = [f"{w.namespace}/{w.secret}/{w.key}" for w in filled.added]
    result.kept = [f"{w.namespace}/{w.secret}/{w.key}" for w in filled.kept]
    result.store_written = store.save()
    say(
        f"      {len(filled.added)} key(s) generated, {len(filled.kept)} kept"
        + (f", store written: {request.store}" if result.store_written else ", store unchanged")
    )
    if filled.missing:
        raise KeysMissing(
            [
                shlex.join(
                    [
                        "chartsafe",
                        "secrets",
                        "set",
                        "-n",
                        w.namespace,
                        w.secret,
                        w.key,
                        "--store",
                        str(request.store),
                    ]
                )
                for w in filled.missing
            ]
        )
    return store


def _check_flags(request: UpRequest) -> None:
    """Flag mistakes found before anything is rendered, read or written."""
    from ._helm_release import STORAGE_DRIVERS
    from .deliver import BACKENDS

    backend = BACKENDS.get(request.deliver)
    if backend is None:
        raise InputError(
            f"--deliver {request.deliver!r} is not a delivery backend",
            hint=f"use one of {', '.join(sorted(BACKENDS))}",
        )
    given = sorted(k for k, v in request.deliver_options.items() if v not in (None, False, ()))
    foreign = [k for k in given if k not in backend.options]
    if foreign:
        flags = ", ".join("--" + k.replace("_", "-") for k in foreign)
        raise InputError(f"{flags}: not used by --deliver {request.deliver}")
    if request.target.storage not in STORAGE_DRIVERS:
        raise InputError(
            f"--storage {request.target.storage}: unknown release storage driver",
            hint=f"use one of {', '.join(STORAGE_DRIVERS)}",
        )
    if request.store.is_dir():
        raise InputError(f"--store {request.store}: is a directory", hint="give the store's file")


def _deliver(name: str, request: Any) -> Any:
    """The backend's result; its flag errors speak of ``--deliver``, the flag ``up`` takes."""
    from .deliver import deliver

    try:
        return deliver(name, request)
    except InputError as exc:
        exc.message = exc.message.replace("--as ", "--deliver ")
        if exc.hint:
            exc.hint = exc.hint.replace("--as ", "--deliver ")
        raise


def _with_overrides(values: ValuesInput, overrides_file: Path) -> ValuesInput:
    return dataclasses.replace(values, files=[*values.files, overrides_file])


def up(request: UpRequest, *, progress: Progress | None = None) -> UpResult:
    """Run the whole path; raises KeysMissing, ContractNotMet, ValidationFailed (exit 1) or
    an InputError (exit 2) naming the flag or file."""
    import yaml

    from .contract import contract_for_chart
    from .deliver import DeliveryRequest

    say = progress or (lambda _line: None)
    _check_flags(request)
    name = request.name or default_name(request.chart)
    namespace = request.target.namespace
    options = dataclasses.replace(
        request.render, release_name=name, namespace=namespace, validate=False
    )
    contract, rendered = contract_for_chart(request.chart, request.values, options)
    say(
        f"[1/{_STEPS}] render: {len(rendered.objects)} objects; contract: "
        f"{len(contract.required)} Secret(s) to deliver"
    )

    reason = None
    mode = (
        "bundle"
        if request.out is not None
        else ("dry-run" if request.settings.dry_run else "release")
    )
    if mode == "release":
        reason = cluster_reason(request.target)
        if reason is not None:
            mode = "bundle"
    out = request.out or (Path(f"{name}-bundle") if mode == "bundle" else None)
    result = UpResult(release=name, namespace=namespace, mode=mode, backend=request.deliver)
    if reason is not None:
        result.note = f"no cluster reachable ({reason}); wrote a deploy bundle to {out}"

    say(f"[2/{_STEPS}] secrets init: store {request.store}")
    store = _fill(request, contract, result, say)

    delivery = _deliver(
        request.deliver,
        DeliveryRequest(contract, store, dict(request.deliver_options), values=rendered.values),
    )
    say(f"[3/{_STEPS}] deliver: {len(delivery.manifests)} object(s) by --deliver {request.deliver}")

    from ._rollout import workload_digests

    result.digests = workload_digests(contract, store)
    with tempfile.TemporaryDirectory(prefix="chartsafe-up-") as scratch:
        overrides_file = (out if out is not None else Path(scratch)) / "values-overrides.yaml"
        overrides_file.parent.mkdir(parents=True, exist_ok=True)
        overrides_file.write_text(yaml.safe_dump(delivery.overrides, sort_keys=False))
        values = _with_overrides(request.values, overrides_file)
        if mode == "bundle":
            assert out is not None
            _bundle_mode(request, name, contract, delivery, values, out, result, say)
        else:
            _release_mode(request, name, delivery, values, result, say)
    return result


def _gate(
    request: UpRequest,
    name: str,
    delivery: Any,
    against: str,
    result: UpResult,
    say: Progress,
    under: Any = None,
) -> Callable[[Any], None] | None:
    from .check import contract_gate

    if request.skip_check:
        say(f"[4/{_STEPS}] check: skipped (--skip-check)")
        return None
    source = DeliveredSource(
        delivery.manifests, request.deliver, namespace=request.target.namespace, under=under
    )

    def seen(report: Any) -> None:
        result.check = report
        say(f"[4/{_STEPS}] check: {report.summary()}")

    return contract_gate(
        source,
        release=name,
        chart=request.chart_label or str(request.chart),
        namespace=request.target.namespace,
        against=against,
        on_report=seen,
    )


def _bundle_mode(
    request: UpRequest,
    name: str,
    contract: Any,
    delivery: Any,
    values: ValuesInput,
    out: Path,
    result: UpResult,
    say: Progress,
) -> None:
    from ._bundle import build_plan, plan_markdown, write_bundle
    from ._release import ValidationFailed
    from ._render import render_chart
    from ._rollout import annotate_bodies
    from .contract import contract_markdown

    options = dataclasses.replace(
        request.render, release_name=name, namespace=request.target.namespace
    )
    rendered = render_chart(request.chart, values, options)
    if rendered.problems:
        problems = [str(p) for p in rendered.problems]
        raise ValidationFailed(
            f"{len(problems)} schema violation(s) in the rendered objects; "
            f"no bundle written: {'; '.join(problems[:3])}",
            problems,
        )
    gate = _gate(request, name, delivery, str(out), result, say)
    if gate is not None:
        gate(rendered)
    annotated = annotate_bodies(
        [o.body for o in rendered.objects if o.hook is None],
        result.digests,
        namespace=request.target.namespace,
    )
    result.plan = build_plan(
        delivery.manifests, rendered.objects, annotated, namespace=request.target.namespace
    )
    plan = plan_markdown(
        result.plan,
        release=name,
        chart=request.chart_label or str(request.chart),
        backend=request.deliver,
    )
    result.bundle = write_bundle(
        out,
        plan=plan,
        delivered=delivery.manifests,
        objects=rendered.objects,
        overrides=delivery.overrides,
        contract_md=contract_markdown(contract),
    )
    say(
        f"[5/{_STEPS}] bundle: {len(result.bundle)} files in {out} "
        f"({len(annotated)} workload(s) carry the rollout digest)"
    )
    say(f"[6/{_STEPS}] nothing applied: apply the bundle as {out / 'PLAN.md'} says")


def _release_mode(
    request: UpRequest,
    name: str,
    delivery: Any,
    values: ValuesInput,
    result: UpResult,
    say: Progress,
) -> None:
    from ._bundle import build_plan
    from ._release import upgrade_release
    from ._rollout import annotate_bodies, apply_rollout

    live = request.settings.dry_run is None
    cluster = None
    under = None
    if request.settings.dry_run != "client":
        from ._cluster import Cluster
        from .check import ClusterSource

        cluster = Cluster.connect(request.target.kubeconfig, request.target.kube_context)
        under = ClusterSource(request.target.kubeconfig, request.target.kube_context)
    gate = _gate(request, name, delivery, "cluster", result, say, under=under)
    if live and cluster is not None:
        _apply_delivered(cluster, request, delivery, say)
    settings = dataclasses.replace(request.settings, install=True)
    outcome = upgrade_release(
        name,
        request.chart,
        values,
        target=request.target,
        settings=settings,
        render=request.render,
        gate=gate,
    )
    result.outcome = outcome
    annotated = annotate_bodies(
        [o.body for o in outcome.objects], result.digests, namespace=request.target.namespace
    )
    result.plan = build_plan(
        delivery.manifests,
        [*outcome.objects, *outcome.render.hooks],
        annotated,
        namespace=request.target.namespace,
    )
    done = "would be applied (dry run)" if not live else f"{outcome.action}ed"
    say(f"[5/{_STEPS}] {outcome.action}: release {name} revision {outcome.release.revision} {done}")
    if live and cluster is not None:
        result.rollout = apply_rollout(cluster, result.digests)
        patched = sum(1 for r in result.rollout if r.action == "patched")
        say(f"[6/{_STEPS}] rollout: {patched} workload(s) restarted for changed Secret keys")
    else:
        say(f"[6/{_STEPS}] rollout: {len(result.digests)} workload(s) would carry the digest")


def _apply_delivered(cluster: Any, request: UpRequest, delivery: Any, say: Progress) -> None:
    from ._cluster_write import KIND_PATHS, apply_object

    if request.settings.create_namespace:
        apply_object(
            cluster,
            {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": request.target.namespace},
            },
        )
    for body in delivery.manifests:
        where = KIND_PATHS.get(str(body.get("kind")))
        if where is None or where.namespaced:
            body.setdefault("metadata", {}).setdefault("namespace", request.target.namespace)
        apply_object(cluster, body)
    say(f"      applied {len(delivery.manifests)} delivered object(s) to the cluster")
