"""``up``'s last steps: check and write a bundle, or check and install/upgrade and roll out.

Split from ``_up`` (the steps before: render, secrets init, deliver) so each module stays
about one concept. ``DeliveredSource`` is the check's view of what ``up`` delivers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ._up_model import STEPS, Progress, UpRequest, UpResult
from ._values import ValuesInput

__all__ = ["DeliveredSource", "bundle_mode", "release_mode"]


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

    @property
    def warnings(self) -> list[str]:
        return list(self.under.warnings) if self.under is not None else []

    def find(
        self, namespaces: Collection[str], *, names: Collection[tuple[str, str]] = ()
    ) -> dict[tuple[str, str], Any]:
        from .check import parse_manifest

        found: dict[tuple[str, str], Any] = (
            dict(self.under.find(namespaces, names=names)) if self.under else {}
        )
        for body in self.manifests:
            for secret in parse_manifest(body, self.namespace, f"--deliver {self.backend}"):
                found[(secret.namespace, secret.name)] = secret
        return found

    def find_config_maps(
        self, namespaces: Collection[str], *, names: Collection[tuple[str, str]] = ()
    ) -> Any:
        """The ConfigMaps of the source below (a delivery makes Secrets only); with none (a
        bundle), unverified: they are the cluster's, where the bundle will be applied."""
        from .check import FoundConfigMaps

        if self.under is not None:
            return self.under.find_config_maps(namespaces, names=names)
        why = "no cluster to list it in: make sure it exists where the bundle is applied"
        return FoundConfigMaps(unverified=dict.fromkeys(namespaces, why))


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
        say(f"[4/{STEPS}] check: skipped (--skip-check)")
        return None
    source = DeliveredSource(
        delivery.manifests, request.deliver, namespace=request.target.namespace, under=under
    )

    def seen(report: Any) -> None:
        result.check = report
        say(f"[4/{STEPS}] check: {report.summary()}")

    return contract_gate(
        source,
        release=name,
        chart=request.chart_label or str(request.chart),
        namespace=request.target.namespace,
        against=against,
        on_report=seen,
        store=str(request.store),
        formats=result.recorded_formats,
    )


def bundle_mode(
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

    options = request.render.for_release(name, request.target.namespace)
    rendered = render_chart(request.chart, values, options)
    if rendered.problems:
        raise ValidationFailed.of(rendered, "no bundle written")
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
    before, summary = outside_cluster(request, name, delivery)
    plan = plan_markdown(
        result.plan,
        release=name,
        chart=request.chart_label or str(request.chart),
        backend=request.deliver,
        namespace=request.target.namespace,
        create_namespace=request.settings.create_namespace,
        before=before,
    )
    if request.settings.dry_run:  # a dry run writes nothing, the bundle neither
        say(f"[5/{STEPS}] bundle: not written (dry run); without --dry-run it goes to {out} "
            f"({len(annotated)} workload(s) would carry the rollout digest)")  # fmt: skip
        say(f"[6/{STEPS}] nothing applied to the cluster, nothing written (dry run)")
        return
    result.bundle = write_bundle(
        out,
        plan=plan,
        delivered=delivery.manifests,
        objects=rendered.objects,
        overrides=delivery.overrides,
        contract_md=contract_markdown(contract),
        holds_secret=rendered.user_values.secrets.found_in,
    )
    say(
        f"[5/{STEPS}] bundle: {len(result.bundle)} files in {out} "
        f"({len(annotated)} workload(s) carry the rollout digest)"
    )
    done = f" ({summary})" if request.deliver == "aws" else ""
    say(f"[6/{STEPS}] nothing applied to the cluster{done}: apply the bundle as "
        f"{out / 'PLAN.md'} says")  # fmt: skip


def optional_left_unset(contract: Any, store: Any, store_path: Path) -> tuple[list[str], str]:
    """The Secrets read only optionally (``optional: true``, or by ``helm test`` hooks alone)
    that have no key in the store, as ``NAMESPACE/NAME``, and the progress line saying so.

    Every backend leaves them out (``secrets_to_deliver``) and the release starts without
    them, by design; counting them as delivered would promise objects the plan never holds.
    The line names the keys the readers name (a ``secretKeyRef`` names one), or says that
    none is named (an ``optional`` volume or envFrom).
    """
    from .deliver.external_layout import secrets_to_deliver

    delivered = {(d.namespace, d.name) for d in secrets_to_deliver(contract, store)}
    refs = [r for r in contract.required if (r.namespace, r.name) not in delivered]
    if not refs:
        return [], ""
    left = [f"{r.namespace}/{r.name}" for r in refs]
    what = "optional Secret" if len(refs) == 1 else "optional Secrets"
    why = _unset_why(refs, store_path)
    return left, f"{len(refs)} {what} left unset: {', '.join(left)} ({why})"


def _unset_why(refs: list[Any], store_path: Path) -> str:
    """Why the Secrets ``refs`` are left out, with the command that sets one of their keys."""
    from .check._fixes import set_command

    if len(refs) > 1:
        command = set_command("NAMESPACE", "SECRET", "KEY", str(store_path))
        if any(r.keys for r in refs):
            return f"none of their keys set in the store; set them with `{command}`"
        return f"no keys named; set them with `{command}`"
    ref = refs[0]
    keys = sorted(ref.keys)
    command = set_command(ref.namespace, ref.name, keys[0] if keys else "KEY", str(store_path))
    tests = "only helm test reads it; " if ref.test_only else ""
    if not keys:
        return f"{tests}no keys named; set them with `{command}`"
    if len(keys) == 1:
        return f"{tests}key {keys[0]} not set in the store; set it with `{command}`"
    return f"{tests}keys {', '.join(keys)} not set in the store; set them with `{command}`"


def outside_cluster(request: UpRequest, name: str, delivery: Any) -> tuple[list[str], str]:
    """What happens outside the cluster: PLAN.md lines and a one-line summary (no value).

    ``--deliver aws`` has pushed the store to Secrets Manager already (the backend's nature):
    the remote names and ARNs. ``--deliver external`` only reads the provider, which must hold
    the values before the ExternalSecrets sync: the ``secrets push`` line for AWS, else the
    remote secrets to create and their keys, from the layout.
    """
    import shlex

    details = delivery.details
    if request.deliver == "aws":
        pushed = details.get("secrets") or []
        region = details.get("region") or "its default region"
        lines = [f"- chartsafe has pushed {len(pushed)} secret(s) to AWS Secrets Manager "
                 f"({region}); this is done, not to do:"]  # fmt: skip
        lines += [f"  - `{p['remoteKey']}` ({p['action']}): `{p['arn']}`" for p in pushed]
        lines += [f"- note: {note}" for note in details.get("notes") or []]
        names = ", ".join(p["remoteKey"] for p in pushed)
        return lines, f"pushed {len(pushed)} secret(s) to AWS Secrets Manager: {names}"
    if request.deliver != "external":
        return [], ""
    layout = details.get("layout") or []
    provider = request.deliver_options.get("provider") or "aws"
    if provider == "aws":
        command = ["chartsafe", "secrets", "push", name, request.chart_label or
                   str(request.chart), "-n", request.target.namespace]  # fmt: skip
        tail = ["--store", str(request.store), "--to", "aws"]
        for flag in ("prefix", "region"):
            if request.deliver_options.get(flag):
                tail += [f"--{flag}", str(request.deliver_options[flag])]
        push = f"{shlex.join(command)} -f <your values> {shlex.join(tail)}"
        lines = ["- AWS Secrets Manager must hold the values before the ExternalSecrets can "
                 f"sync; push them from the store first: `{push}`"]  # fmt: skip
        return lines, f"the ExternalSecrets read AWS Secrets Manager: push first ({push})"
    lines = [f"- {provider} must hold these {len(layout)} remote secret(s) before the "
             "ExternalSecrets can sync; create them from the store first:"]  # fmt: skip
    for remote in layout:
        keys = list(remote.get("keys") or {})
        shape = (f"the bare value of key `{keys[0]}`" if remote.get("format") == "raw"
                 else "fields " + ", ".join(f"`{k}`" for k in keys))  # fmt: skip
        lines.append(f"  - `{remote['remoteKey']}`: {shape}")
    return lines, f"{provider} must hold {len(layout)} remote secret(s) first (PLAN.md lists them)"


def release_mode(
    request: UpRequest,
    name: str,
    delivery: Any,
    values: ValuesInput,
    result: UpResult,
    say: Progress,
) -> None:
    from ._bundle import build_plan
    from ._release import upgrade_release
    from ._rollout import annotate_bodies, apply_rollout, unpatched_notes

    live = request.settings.dry_run is None
    cluster = None
    under = None
    if request.settings.dry_run != "client":
        from ._cluster import Cluster
        from .check import ClusterSource

        cluster = Cluster.connect(request.target.access)
        under = ClusterSource(request.target.access)
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
        command="up",
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
        event=outcome.action,  # an upgrade runs its pre-/post-upgrade hooks, not install's
    )
    done = "would be applied (dry run)" if not live else f"{outcome.action}ed"
    say(f"[5/{STEPS}] {outcome.action}: release {name} revision {outcome.release.revision} {done}")
    if live and cluster is not None:
        result.rollout = apply_rollout(cluster, result.digests)
        patched = sum(1 for r in result.rollout if r.action == "patched")
        say(f"[6/{STEPS}] rollout: {patched} workload(s) restarted for changed Secret keys")
        for note in unpatched_notes(result.rollout):
            say(f"      {note}")
    else:
        say(f"[6/{STEPS}] rollout: {len(result.digests)} workload(s) would carry the digest")


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


def sealed_in_cluster(request: UpRequest, namespaces: Collection[str]) -> list[dict[str, Any]]:
    """The SealedSecrets already in ``namespaces``: what sealing again may keep (``sealed_keep``).

    The live counterpart of a bundle's old ``secrets.yaml``: without it every ``up`` would
    apply new ciphertexts for unchanged values, and the controller would unseal them all again.
    A namespace whose SealedSecrets cannot be listed (no CRD yet, no right to list) gives
    nothing to keep: its values are sealed anew, as on a first run.
    """
    from ._cluster import Cluster, ClusterError
    from ._cluster_write import collection_path

    try:
        cluster = Cluster.connect(request.target.access)
    except ClusterError:
        return []
    found: list[dict[str, Any]] = []
    for namespace in sorted(namespaces):
        try:
            listing = cluster.get_json(
                collection_path("SealedSecret", namespace),
                verb="list",
                resource="sealedsecrets",
                namespace=namespace,
            )
        except ClusterError:
            continue
        items = listing.get("items")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found.append({"kind": "SealedSecret", **item})
    return found
