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
The result holds names, counts and digests only, never a value. Steps 4 and 5 live in
``_up_apply``.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from ._errors import InputError
from ._render import RenderOptions, RenderResult
from ._up_checks import as_deliver, check_context, check_flags, cluster_reason
from ._up_model import STEPS, KeysMissing, Progress, UpRequest, UpResult
from ._values import ValuesInput

__all__ = ["default_name", "up"]


def default_name(chart: Path) -> str:
    """The release name when none is given: the chart's own name (``Chart.yaml``)."""
    import yaml

    meta = chart / "Chart.yaml"
    try:
        loaded = yaml.safe_load(meta.read_text()) if meta.is_file() else None
    except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError):
        loaded = None
    name = loaded.get("name") if isinstance(loaded, dict) else None
    if not isinstance(name, str) or not name:
        raise InputError(
            f"{chart}: no release NAME given and no chart name to use",
            hint="run chartsafe up NAME CHART",
        )
    return name


def _fill(
    request: UpRequest, contract: Any, refs: list[Any], result: UpResult, say: Progress
) -> Any:
    """``secrets init``: the contract's keys, then the entries references name; never
    regenerates a present value, and stops (KeysMissing) on what only a person can set.

    A dry run changes nothing, the store included: what it generates stays in memory, for
    this run's output only (``docs/store.md``: dry runs are not recorded)."""
    from .store.secret_init import fill_from_contract
    from .store.secret_init_refs import fill_references
    from .store.secret_store import SecretStore

    recipients, key_file = request.recipients or None, request.age_key_file
    if request.settings.dry_run:
        store = SecretStore.open_or_create(request.store, recipients=recipients, key_file=key_file)
        filled = fill_from_contract(store, contract, overrides=dict(request.generators))
        from_refs = fill_references(store, refs, made_now=filled.added)
        kept_as_is = "not created" if store.created else "unchanged"
        saved = f", not saved (dry run): {request.store} {kept_as_is}" if store.dirty else ""
    else:
        with SecretStore.editing(request.store, recipients=recipients, key_file=key_file) as store:
            filled = fill_from_contract(store, contract, overrides=dict(request.generators))
            from_refs = fill_references(store, refs, made_now=filled.added)
            result.store_written = store.save()
        saved = f", store written: {request.store}" if result.store_written else ""
    # a key both the contract and a reference name is one key: listed once
    added = _once([*filled.added, *(e.wanted for e in from_refs.added)])
    kept = _once([*filled.kept, *(e.wanted for e in from_refs.kept)])
    result.added = [f"{w.namespace}/{w.secret}/{w.key}" for w in added]
    result.kept = [f"{w.namespace}/{w.secret}/{w.key}" for w in kept]
    result.optional_unset = [f"{w.namespace}/{w.secret}/{w.key}" for w in filled.optional_unset]
    unset = len(result.optional_unset)
    say(
        f"      {len(added)} key(s) generated, {len(kept)} kept"
        + (f", {unset} optional left unset" if unset else "")
        + (saved or ", store unchanged")
    )
    missing = {(w.namespace, w.secret, w.key): w for w in filled.missing}
    for entry in from_refs.missing:
        w = entry.wanted
        missing.setdefault((w.namespace, w.secret, w.key), w)
    if missing:
        from .check._fixes import set_command

        store_path = str(request.store)
        raise KeysMissing(
            [set_command(*where, store_path, w.format) for where, w in missing.items()],
            list(missing),
        )
    return store


def _once(wanted: list[Any]) -> list[Any]:
    """``wanted`` keys, each (namespace, Secret, key) once, in order."""
    first: dict[tuple[str, str, str], Any] = {}
    for w in wanted:
        first.setdefault((w.namespace, w.secret, w.key), w)
    return list(first.values())


def _deliver(name: str, request: Any) -> Any:
    """The backend's result; its flag errors speak of ``--deliver``, the flag ``up`` takes."""
    from .deliver import deliver

    try:
        return deliver(name, request)
    except InputError as exc:
        raise as_deliver(exc) from None


def _with_overrides(values: ValuesInput, overrides_file: Path) -> ValuesInput:
    return dataclasses.replace(values, files=[*values.files, overrides_file])


def _regenerated_warnings(
    rendered: RenderResult, options: RenderOptions, *, bundle: bool
) -> list[str]:
    """The Secret keys the chart makes anew on every render (see ``_regenerated``): the store
    cannot keep them, and each upgrade replaces them. A key the chart keeps with ``lookup``
    (that key itself, not another one) is kept when it is installed against the cluster, not
    in a bundle."""
    from ._regenerated import regenerated_keys

    warnings = []
    for changed in regenerated_keys(rendered, options):
        if changed.kept_by_lookup and not bundle:
            continue
        why = (
            "the chart keeps it with lookup, which a bundle rendered offline cannot do"
            if changed.kept_by_lookup
            else "each upgrade replaces it"
        )
        warnings.append(
            f"Secret {changed.namespace}/{changed.secret} key {changed.key} is made anew by "
            f"the chart on every render ({why}): give the chart this value instead "
            "(chartsafe audit: secret-regenerated)"
        )
    return warnings


def _scratch_copy(store: Any, scratch: Path) -> Path:
    """The store as a dry run filled it, encrypted as the store is, in ``scratch`` (private,
    removed at the end), for ``ref+chartsafe://`` references to read what the run generated
    while the user's store file stays as it was."""
    real: Path = store.path
    copy = scratch / real.name  # the same name: its suffix says the format
    store.path = copy
    try:
        store.save()
    finally:
        store.path = real
    return copy


def up(request: UpRequest, *, progress: Progress | None = None) -> UpResult:
    """Run the whole path; raises KeysMissing, ContractNotMet, ValidationFailed (exit 1) or
    an InputError (exit 2) naming the flag or file."""
    check_flags(request)
    with tempfile.TemporaryDirectory(prefix="chartsafe-up-") as scratch:
        # Not into --out: the bundle appears there whole at the end, or not at all.
        return _up(request, Path(scratch), progress or (lambda _line: None))


def _up(request: UpRequest, scratch: Path, say: Progress) -> UpResult:
    from ._refs import find_references
    from .contract import contract_for_chart
    from .deliver import DeliveryRequest, read_previous
    from .store.secret_init_refs import references_to_fill

    if request.values.store is None:
        # the store up fills is the one its references read, also when this run creates it
        request = dataclasses.replace(
            request, values=dataclasses.replace(request.values, store=request.store)
        )
    name = request.name or default_name(request.chart)
    namespace = request.target.namespace
    reason = None
    dry_run = request.settings.dry_run
    mode = "bundle" if request.out is not None else ("dry-run" if dry_run else "release")
    if mode == "release":
        reason = cluster_reason(request.target)
        if reason is not None:
            mode = "bundle"
    elif mode == "dry-run" and (request.target.storage != "memory" or dry_run == "server"):
        check_context(request.target.access)  # before the run, not when Helm is reached
    out = request.out or (Path(f"{name}-bundle") if mode == "bundle" else None)
    options = dataclasses.replace(request.render.for_release(name, namespace), validate=False)
    if mode == "release" or dry_run == "server":
        # Helm's install renders with the cluster's capabilities: the contract too
        from ._cluster_capabilities import live_render_options

        otherwise = "write a bundle with --out DIR"
        options = live_render_options(options, request.target, otherwise=otherwise)
        # asked once: the install below renders with them too
        render = dataclasses.replace(request.render, capabilities=options.capabilities)
        request = dataclasses.replace(request, render=render)
    elif mode == "bundle":
        # A bundle is applied as rendered, for the default version: no Helm install holds
        # the chart's kubeVersion to the cluster's, so the render holds it to that one, as
        # helm template does (a release run leaves it to Helm's install).
        options = dataclasses.replace(options, check_kube_version=True)
        # Helm's install creates the chart's crds/ first: the bundle's render holds them too.
        crds = dataclasses.replace(request.render, include_crds=not request.settings.skip_crds)
        request = dataclasses.replace(request, render=crds)
    # References stay as written for now: the store entries they name may be made below.
    unresolved = dataclasses.replace(request.values, resolve_refs=False)
    contract, rendered = contract_for_chart(request.chart, unresolved, options)
    refs = references_to_fill(rendered, request.generators)
    # every Secret the contract lists, as `chartsafe contract` does; those the chart creates
    # itself are counted apart (nothing is delivered for them)
    made = len(contract.secrets) - len(contract.required)
    say(
        f"[1/{STEPS}] render: {len(rendered.objects)} objects; contract: "
        f"{len(contract.secrets)} Secret(s) read"
        + (f", {made} of them created by the chart" if made else "")
    )
    result = UpResult(release=name, namespace=namespace, mode=mode, backend=request.deliver)
    if reason is not None:
        result.note = f"no cluster reachable ({reason}); wrote a deploy bundle to {out}"
    for warning in [
        *rendered.warnings,
        *_regenerated_warnings(rendered, options, bundle=mode == "bundle"),
    ]:
        result.warnings.append(warning)
        say(f"      warning: {warning}")

    say(f"[2/{STEPS}] secrets init: store {request.store}")
    store = _fill(request, contract, refs, result, say)
    from .check._run import recorded_formats

    result.recorded_formats = recorded_formats(store)
    reads = request.store
    if dry_run and store.dirty:  # generated, not saved: every later render reads this copy
        reads = _scratch_copy(store, scratch)
        request = dataclasses.replace(
            request, values=dataclasses.replace(request.values, store=reads)
        )
    if request.values.resolve_refs and next(find_references(rendered.user_values), None):
        # the store now holds what the references name: render them resolved, as installed
        resolved = dataclasses.replace(request.values, store=reads)
        contract, rendered = contract_for_chart(request.chart, resolved, options)

    # Sealing is random: what was sealed before (the bundle's old file, or the cluster) is
    # kept where unchanged. No other backend reads it (an old plain Secret file stays unread).
    previous: list[dict[str, Any]] = []
    if request.deliver == "sealed" and mode == "bundle" and out is not None:
        previous = read_previous(out / "secrets.yaml")
    elif request.deliver == "sealed" and dry_run != "client":
        from ._up_apply import sealed_in_cluster

        previous = sealed_in_cluster(request, {ref.namespace for ref in contract.required})
    delivery = _deliver(
        request.deliver,
        DeliveryRequest(contract, store, dict(request.deliver_options), values=rendered.values,
                        previous=previous),
    )  # fmt: skip
    from ._up_apply import optional_left_unset, outside_cluster

    # counted as every backend delivers: an optional Secret with no key set is left out
    result.optional_secrets_unset, unset = optional_left_unset(contract, store, request.store)
    delivered = len(contract.required) - len(result.optional_secrets_unset)
    say(f"[3/{STEPS}] deliver: {delivered} Secret(s) as {len(delivery.manifests)} object(s) "
        f"by --deliver {request.deliver}")  # fmt: skip
    if unset:
        say(f"      {unset}")
    outside = outside_cluster(request, name, delivery)[1]
    if outside:
        say(f"      {outside}")

    from ._rollout import workload_digests

    result.digests = workload_digests(contract, store)
    overrides_file = scratch / "values-overrides.yaml"
    from ._yaml_dump import dump  # quoted as Helm (Go) reads it: a Secret named "1e3" stays so

    overrides_file.write_text(dump(delivery.overrides), encoding="utf-8")
    values = _with_overrides(request.values, overrides_file)
    from ._up_apply import bundle_mode, release_mode

    if mode == "bundle":
        assert out is not None
        bundle_mode(request, name, contract, delivery, values, out, result, say)
    else:
        release_mode(request, name, delivery, values, result, say)
    return result
