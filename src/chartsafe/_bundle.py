"""The plan of what ``chartsafe up`` applies, in order, and the deploy bundle it writes.

The order is Helm's: the Secrets chartsafe delivers first (they must exist before any pod or
pre-install hook reads them), then the chart's ``crds/`` (Helm installs them before any hook:
a hook may be a custom resource), then pre-install hooks by weight and name, then the
release's objects in Helm's install order by kind, then post-install hooks. Hooks are marked,
because a hook that reads a Secret created by the release is the classic install that never
finishes. Hooks for other events only (upgrade, delete, rollback, test) are not applied on
install: the plan lists them apart and ``manifests.yaml`` leaves them out, or applying it
would run a pre-delete "drop database" Job at deploy time.

A bundle is a directory a person (or a GitOps repository) applies without chartsafe::

    PLAN.md                 this plan, in words
    secrets.yaml            the delivered objects (0600: a plain Secret holds values)
    manifests.yaml          the release's objects in install order, CRDs and install hooks
                            included and marked, readers of store keys carrying the rollout
                            digest (0600 when the chart itself renders Secret data); each as
                            Helm rendered it, unless chartsafe changed it (the digest)
    values-overrides.yaml   the chart values naming the delivered Secrets (no value)
    CONTRACT.md             the contract: every Secret and key the release reads

The bundle is built in a hidden sibling directory and moved into place at the end, so a
failed or interrupted run leaves no half bundle; running ``up`` again with nothing changed
rewrites the same bytes. ``secrets.yaml`` is left out when nothing is delivered in the
cluster (``--deliver aws`` without ExternalSecrets).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ._errors import InputError
from ._objects import K8sObject, sort_for_install

__all__ = ["BUNDLE_FILES", "PlanStep", "build_plan", "plan_markdown", "write_bundle"]

BUNDLE_FILES: Final = (
    "PLAN.md",
    "secrets.yaml",
    "manifests.yaml",
    "values-overrides.yaml",
    "CONTRACT.md",
)


@dataclass(frozen=True)
class PlanStep:
    """One object in apply order; ``phase`` says who applies it and when."""

    # "deliver", "crd", "pre-install hook", "resource", "post-install hook", or "not on
    # install" for a hook Helm runs on other events only (listed, never applied)
    phase: str
    kind: str
    name: str
    namespace: str | None
    hook: str = ""  # "pre-install,pre-upgrade weight -5"
    digest: bool = False  # carries the rollout annotation

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "hook": self.hook or None,
            "rolloutDigest": self.digest,
        }


def _hook_order(obj: K8sObject) -> tuple[int, str]:
    assert obj.hook is not None
    return (obj.hook.weight, obj.name)


def _hook_text(obj: K8sObject) -> str:
    assert obj.hook is not None
    return f"{','.join(obj.hook.events)} weight {obj.hook.weight}"


def _install_phase(obj: K8sObject, event: str) -> str | None:
    """The phase a hook runs in on ``event`` (``install``, or ``upgrade``), None when Helm
    runs it on other events only. A hook for both phases runs first (Helm would run it
    twice; applied once, it is there before the resources)."""
    assert obj.hook is not None
    for when in ("pre", "post"):
        if f"{when}-{event}" in obj.hook.events:
            return f"{when}-{event} hook"
    return None


def ordered_objects(
    objects: Sequence[K8sObject], *, event: str = "install"
) -> list[tuple[str, K8sObject]]:
    """(phase, object) in the order Helm creates them on ``event``: the chart's CRDs (when
    rendered with ``include_crds``: Helm's install creates them, its upgrade leaves them),
    the pre hooks by weight and name (a stable sort of the render's kind order, as Helm's),
    the resources by kind, the post hooks. Hooks for other events only are not in it
    (:func:`other_hooks`)."""
    pre: list[K8sObject] = []
    post: list[K8sObject] = []
    for obj in objects:
        if obj.hook is not None:
            phase = _install_phase(obj, event)
            if phase is not None:
                (pre if phase.startswith("pre-") else post).append(obj)
    crds = [o for o in objects if o.crd]
    resources = sort_for_install([o for o in objects if o.hook is None and not o.crd and o.kind])
    return [
        *(("crd", o) for o in crds),
        *((f"pre-{event} hook", o) for o in sorted(pre, key=_hook_order)),
        *(("resource", o) for o in resources),
        *((f"post-{event} hook", o) for o in sorted(post, key=_hook_order)),
    ]


def other_hooks(objects: Sequence[K8sObject], *, event: str = "install") -> list[K8sObject]:
    """The hooks Helm does not run on ``event`` (delete, rollback, test, the other of
    install and upgrade), by weight and name: listed in the plan, never applied."""
    hooks = [o for o in objects if o.hook is not None and _install_phase(o, event) is None]
    return sorted(hooks, key=_hook_order)


def build_plan(
    delivered: Iterable[dict[str, Any]],
    objects: Sequence[K8sObject],
    annotated: Iterable[str],
    *,
    namespace: str,
    event: str = "install",
) -> list[PlanStep]:
    """Every object ``up`` applies on ``event``, in order, then the hooks it does not apply
    (phase ``not on install``); ``annotated`` are the ``Kind/name`` with a digest."""
    marked = set(annotated)
    steps = []
    for body in delivered:
        meta = body.get("metadata") or {}
        steps.append(
            PlanStep(
                "deliver",
                str(body.get("kind")),
                str(meta.get("name")),
                str(meta.get("namespace") or namespace),
            )
        )
    for phase, obj in ordered_objects(objects, event=event):
        steps.append(
            PlanStep(
                phase,
                obj.kind,
                obj.name,
                obj.namespace,
                hook=_hook_text(obj) if obj.hook else "",
                digest=obj.hook is None and f"{obj.kind}/{obj.name}" in marked,
            )
        )
    for obj in other_hooks(objects, event=event):
        steps.append(
            PlanStep(f"not on {event}", obj.kind, obj.name, obj.namespace, hook=_hook_text(obj))
        )
    return steps


def _applied(step: PlanStep) -> bool:
    return not step.phase.startswith("not on ")


def plan_lines(steps: Sequence[PlanStep]) -> list[str]:
    """The plan as numbered lines, for the terminal and for PLAN.md; the hooks for other
    events after them, unnumbered: they are not steps of this deploy."""
    lines = []
    applied = [s for s in steps if _applied(s)]
    for number, step in enumerate(applied, 1):
        where = f" -n {step.namespace}" if step.namespace else ""
        notes = []
        if step.phase == "deliver":
            notes.append("delivered by chartsafe, before Helm")
        elif step.hook:
            notes.append(f"HOOK {step.hook}")
        if step.digest:
            notes.append("rollout digest")
        suffix = f"  [{'; '.join(notes)}]" if notes else ""
        lines.append(f"{number:3}. {step.phase:<18} {step.ref}{where}{suffix}")
    others = [s for s in steps if not _applied(s)]
    if others:
        event = others[0].phase.removeprefix("not on ")
        lines.append(f"Not applied on {event}: hooks Helm runs on their other events only")
        for step in others:
            where = f" -n {step.namespace}" if step.namespace else ""
            lines.append(f"  -  {step.ref}{where}  [HOOK {step.hook}]")
    return lines


def plan_markdown(
    steps: Sequence[PlanStep],
    *,
    release: str,
    chart: str,
    backend: str,
    namespace: str,
    create_namespace: bool = False,
    before: Sequence[str] = (),
) -> str:
    """PLAN.md: what would be applied, in order, and how to apply it by hand.

    The commands name the release namespace, as the delivered objects do: a ``helm``
    line without ``-n`` would install into ``default``, away from its Secrets. There is no
    ``kubectl apply -f secrets.yaml`` when nothing is delivered in the cluster (``--deliver
    aws`` without ExternalSecrets): the bundle then has no secrets.yaml. ``before`` are
    Markdown lines on what happened, or must happen, outside the cluster first (a push).
    """
    applied = [s for s in steps if _applied(s)]
    hooks = sum(1 for s in applied if s.hook)
    others = len(steps) - len(applied)
    delivered = sum(1 for s in steps if s.phase == "deliver")
    crds = sum(1 for s in steps if s.phase == "crd")
    helm = f"helm upgrade --install {release} CHART -n {namespace}"
    if create_namespace:
        helm += " --create-namespace"
    commands = []
    if delivered:
        if create_namespace:  # secrets.yaml goes in before Helm could create the namespace
            commands.append(f"kubectl create namespace {namespace}")
        commands.append("kubectl apply -f secrets.yaml")
    commands.append(f"{helm} -f <your values> -f values-overrides.yaml")
    gitops = "after `secrets.yaml` " if delivered else ""
    lines = [
        f"# Deploy plan: release `{release}` of chart `{chart}`",
        "",
        f"{len(applied)} objects: {delivered} delivered by chartsafe (`--deliver {backend}`), "
        + (f"{crds} CRD(s) from the chart's crds/, " if crds else "")
        + f"{hooks} Helm hook(s), the rest the release's own objects, in install order.",
        "",
    ]
    if others:
        lines += [
            f"{others} hook(s) for other events (upgrade, delete, rollback, test) are listed "
            "after them: not applied on install, and not in `manifests.yaml`.",
            "",
        ]
    if before:
        lines += ["Outside the cluster:", "", *before, ""]
    lines += [
        "Apply by hand, in this order:",
        "",
        *(f"    {command}" for command in commands),
        "",
        f"Or apply `manifests.yaml` with a GitOps tool {gitops}(hooks are marked",
        "in it; tools that understand Helm hooks run them in their phase).",
        "",
        "```",
        *plan_lines(steps),
        "```",
        "",
    ]
    return "\n".join(lines)


def _as_rendered(objects: Sequence[K8sObject]) -> set[int]:
    """The ``id`` of each object whose body is still what its rendered text reads as.

    ``up`` changes bodies before the bundle is written (the rollout digest on the readers of
    store keys); reading each text again with Helm's parser is what tells, for any change.
    An item of a List has no text of its own, and is never as rendered."""
    from ._helm_parse import values_from_yaml_each

    candidates = [o for o in objects if o.text and o.listed_in is None]
    parsed = values_from_yaml_each([o.text for o in candidates])
    return {id(o) for o, body in zip(candidates, parsed, strict=True) if body == o.body}


def _manifest_text(ordered: Sequence[tuple[str, K8sObject]]) -> str:
    """``manifests.yaml``: each object as Helm rendered it (its comments, key order and
    quoting kept), or, changed by chartsafe, dumped so that Go's YAML reads it back the same
    (``_yaml_dump``: a plain ``1e3`` would reach the API server as a number)."""
    from ._yaml_dump import dump

    unchanged = _as_rendered([obj for _, obj in ordered])
    parts = []
    for phase, obj in ordered:
        marker = f"# Hook: {_hook_text(obj)}\n" if obj.hook else ""
        body = obj.text if id(obj) in unchanged else dump(obj.body).rstrip("\n")
        parts.append(f"---\n# Source: {obj.source}\n# Phase: {phase}\n{marker}{body}\n")
    return "".join(parts)


def _write(path: Path, text: str, mode: int) -> None:
    from .store._atomic import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"), mode=mode)
    except OSError as exc:
        raise InputError(
            f"--out {path.parent}: cannot write {path.name} ({exc.strerror})"
        ) from None


def write_bundle(
    out: str | os.PathLike[str],
    *,
    plan: str,
    delivered: Sequence[dict[str, Any]],
    objects: Sequence[K8sObject],
    overrides: dict[str, Any],
    contract_md: str,
    holds_secret: Callable[[str], bool] | None = None,
) -> list[Path]:
    """Write the bundle files into ``out`` (created if needed); returns the paths written.

    ``manifests.yaml`` is 0600 when the chart renders Secret data, and also when
    ``holds_secret`` (the user values' secrets, ``SecretValues.found_in``) finds a value from
    a SOPS file or a reference in it: a chart may copy one into a ConfigMap or an env literal.
    With nothing ``delivered`` there is no ``secrets.yaml`` (an empty one would only be
    applied for nothing); one left by an earlier run is removed.
    """
    from ._yaml_dump import dump, dump_all

    out = Path(out)

    holds_data = any(
        o.kind == "Secret" and (o.body.get("data") or o.body.get("stringData")) for o in objects
    )
    manifests = _manifest_text(ordered_objects(objects))
    if holds_secret is not None and holds_secret(manifests):
        holds_data = True
    files = {
        "PLAN.md": (plan, 0o644),
        "secrets.yaml": (dump_all(delivered), 0o600),
        "manifests.yaml": (manifests, 0o600 if holds_data else 0o644),
        "values-overrides.yaml": (dump(overrides), 0o644),
        "CONTRACT.md": (contract_md, 0o644),
    }
    if not delivered:
        del files["secrets.yaml"]
    stage = _stage(out)
    try:
        for name, (text, mode) in files.items():
            _write(stage / name, text, mode)
        _publish(stage, out, list(files))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [out / name for name in files]


def _stage(out: Path) -> Path:
    """A new hidden sibling of ``out`` to build the bundle in: a run that fails or is
    interrupted while writing leaves no half bundle in ``out``, only this (removed) one."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = out.parent / f".{out.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        stage.mkdir()  # umask applies, as to a directory mkdir'd in place
    except OSError as exc:
        raise InputError(f"--out {out}: cannot create the directory ({exc.strerror})") from None
    return stage


def _publish(stage: Path, out: Path, names: Sequence[str]) -> None:
    """Move the staged bundle to ``out``: one rename for a new directory, else file by file
    (each atomic), keeping files of the user's that are not bundle files."""
    try:
        if not out.exists():
            stage.rename(out)
            return
        if not out.is_dir():
            raise InputError(f"--out {out}: not a directory")
        for name in names:
            os.replace(stage / name, out / name)
        for name in BUNDLE_FILES:
            if name not in names and (out / name).is_file():
                (out / name).unlink()  # from an earlier run: this bundle has no such file
    except OSError as exc:
        raise InputError(f"--out {out}: cannot write the bundle ({exc.strerror})") from None
