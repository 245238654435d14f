"""What an upgrade would change, object by object, with Secret values never shown.

The release's stored manifest and hooks (Helm's record of what it applied)
are compared with a fresh render of the chart with the new values. Each
object is matched by kind, namespace and name; changed objects get a unified
diff of their YAML (keys sorted, so only content differences show).

A Secret's ``data`` and ``stringData`` never enter a diff. They are compared
key by key after decoding (``stringData`` wins over ``data``, as the API
server merges them) and reported as added, removed or changed keys with their
sizes in bytes. Any known secret string that still appears in the text (a
password inlined into an env var, say) is replaced before the diff is returned.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._helm_release import ClusterTarget, HelmReleases
from ._objects import INSTALL_ORDER, K8sObject
from ._release_errors import scrub
from ._release_info import hook_objects, manifest_objects, recorded_secrets
from ._release_outcome import secret_strings
from ._render import RenderOptions, as_user_values, render_chart
from ._reused_values import current_revision, values_helm_reuses
from ._secret_like import release_secret_strings
from ._secret_types import decode_data
from ._values import ValuesInput

__all__ = ["KeyChange", "ObjectChange", "ReleaseDiff", "diff_objects", "diff_upgrade"]

_SECRET_FIELDS = ("data", "stringData")


@dataclass(frozen=True)
class KeyChange:
    """One Secret key that differs: ``added``, ``removed`` or ``changed``; sizes in bytes."""

    key: str
    change: str
    old_size: int | None
    new_size: int | None

    def __str__(self) -> str:
        if self.change == "added":
            return f"{self.key}: added ({self.new_size} bytes)"
        if self.change == "removed":
            return f"{self.key}: removed (was {self.old_size} bytes)"
        return f"{self.key}: changed ({self.old_size} -> {self.new_size} bytes)"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "change": self.change,
            "oldSize": self.old_size,
            "newSize": self.new_size,
        }


@dataclass
class ObjectChange:
    """One object that an upgrade adds, removes or changes."""

    kind: str
    name: str
    namespace: str | None
    change: str  # "added", "removed", "changed"
    diff: str  # unified diff of the YAML (Secret values left out)
    secret_keys: list[KeyChange] = field(default_factory=list)
    hook: bool = False

    @property
    def ref(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{where}{self.kind}/{self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "change": self.change,
            "hook": self.hook,
            "diff": self.diff,
            "secretKeys": [k.as_dict() for k in self.secret_keys],
        }


@dataclass
class ReleaseDiff:
    """Every object change, in install order (removed objects last)."""

    name: str
    namespace: str
    from_revision: int
    changes: list[ObjectChange]
    #: The revision Helm's upgrade takes values from: because none were given, or (with
    #: ``reused_values_flag``) the values given are coalesced over that revision's.
    reused_values_from: int | None = None
    reused_values_flag: str | None = None  # "--reuse-values" or "--reset-then-reuse-values"

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "fromRevision": self.from_revision,
            "changes": [c.as_dict() for c in self.changes],
            "reusedValuesFrom": self.reused_values_from,
        }


def _secret_data(body: dict[str, Any]) -> dict[str, bytes]:
    """A Secret's effective data, decoded; undecodable ``data`` is compared as its text."""
    decoded: dict[str, bytes] = {}
    data = body.get("data")
    if isinstance(data, dict):
        for key, value in data.items():
            text = "" if value is None else str(value)
            try:
                decoded[str(key)] = decode_data(text)
            except ValueError:
                decoded[str(key)] = text.encode()
    string_data = body.get("stringData")
    if isinstance(string_data, dict):
        for key, value in string_data.items():
            decoded[str(key)] = ("" if value is None else str(value)).encode()
    return decoded


def _key_changes(old: dict[str, bytes], new: dict[str, bytes]) -> list[KeyChange]:
    changes = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old:
            changes.append(KeyChange(key, "added", None, len(new[key])))
        elif key not in new:
            changes.append(KeyChange(key, "removed", len(old[key]), None))
        elif old[key] != new[key]:
            changes.append(KeyChange(key, "changed", len(old[key]), len(new[key])))
    return changes


def _is_secret(obj: K8sObject | None) -> bool:
    return obj is not None and obj.kind == "Secret"


def _shown_body(obj: K8sObject | None) -> dict[str, Any] | None:
    """The body as it enters the text diff: a Secret's values replaced by their key names."""
    if obj is None:
        return None
    if not _is_secret(obj):
        return obj.body
    body = {k: v for k, v in obj.body.items() if k not in _SECRET_FIELDS}
    keys = sorted(_secret_data(obj.body))
    if keys:
        body["data (keys only)"] = keys
    return body


def _yaml_lines(body: dict[str, Any] | None) -> list[str]:
    if body is None:
        return []
    # No line folding: a long secret split over two lines would escape the scrubbing.
    return yaml.safe_dump(
        body, sort_keys=True, default_flow_style=False, width=2**31 - 1
    ).splitlines(True)


def _identity(obj: K8sObject) -> tuple[str, str, str]:
    return (obj.kind, obj.namespace or "", obj.name)


def _order(obj: K8sObject) -> tuple[int, int, str]:
    index = INSTALL_ORDER.index(obj.kind) if obj.kind in INSTALL_ORDER else len(INSTALL_ORDER)
    return (1 if obj.hook else 0, index, obj.name)


def diff_objects(
    old: list[K8sObject], new: list[K8sObject], *, secrets: set[str] | None = None
) -> list[ObjectChange]:
    """Changes from ``old`` to ``new``; ``secrets`` are strings scrubbed from every diff."""
    secrets = (secrets or set()) | release_secret_strings([*old, *new])
    before = {_identity(o): o for o in old if o.kind}
    after = {_identity(o): o for o in new if o.kind}
    keys = sorted(after, key=lambda k: _order(after[k]))
    keys += sorted((k for k in before if k not in after), key=lambda k: _order(before[k]))
    changes: list[ObjectChange] = []
    for key in keys:
        was, now = before.get(key), after.get(key)
        shown_old, shown_new = _shown_body(was), _shown_body(now)
        secret_keys: list[KeyChange] = []
        if _is_secret(was) or _is_secret(now):
            secret_keys = _key_changes(
                _secret_data(was.body) if was else {}, _secret_data(now.body) if now else {}
            )
        if shown_old == shown_new and not secret_keys:
            continue
        kind, namespace, name = key
        label = f"{namespace + '/' if namespace else ''}{kind}/{name}"
        diff = "".join(
            difflib.unified_diff(
                _yaml_lines(shown_old),
                _yaml_lines(shown_new),
                fromfile=f"a/{label}" if was else "/dev/null",
                tofile=f"b/{label}" if now else "/dev/null",
            )
        )
        change = "added" if was is None else "removed" if now is None else "changed"
        obj = now or was
        changes.append(
            ObjectChange(
                kind=kind,
                name=name,
                namespace=namespace or None,
                change=change,
                diff=scrub(diff, secrets),
                secret_keys=secret_keys,
                hook=bool(obj and obj.hook),
            )
        )
    return changes


def diff_upgrade(
    name: str,
    chart: Path | str,
    values: ValuesInput | dict[str, Any] | None = None,
    *,
    target: ClusterTarget | None = None,
    render: RenderOptions | None = None,
    releases: HelmReleases | None = None,
    reset_values: bool = False,
    reuse_values: bool = False,
    reset_then_reuse_values: bool = False,
) -> ReleaseDiff:
    """What ``upgrade NAME CHART`` with these values would change in the deployed release.

    Reads only: the release record (Helm's storage), the cluster's capabilities (as
    Helm's upgrade reads them) and the chart. The new side is rendered with those, and a
    chart's ``lookup`` calls see nothing.
    With no values given (and not ``reset_values``), or with ``reuse_values`` or
    ``reset_then_reuse_values``, it is rendered with what Helm's upgrade would take from
    the current revision, as ``upgrade`` does (``_reused_values``).
    """
    target = target or ClusterTarget()
    options = render or RenderOptions()
    options.release_name = name
    options.namespace = target.namespace
    options.is_upgrade = True
    options.check_kube_version = options.kube_version is not None
    if target.storage != "memory":  # the upgrade renders with the cluster's capabilities
        from ._cluster_capabilities import live_render_options

        options = live_render_options(options, target, otherwise="use chartsafe template")
    own = releases is None
    helm_releases = releases or HelmReleases(target)
    given = as_user_values(values)
    try:
        # Helm's upgrade changes the revision it starts from (the deployed one, not a
        # failed one after it): that is the old side; the last one when Helm would refuse.
        revision = current_revision(helm_releases, name, action="diff upgrade")
        stored = helm_releases.get_all(name, revision, action="diff upgrade")
        reused = values_helm_reuses(
            helm_releases, name, given, reset_values=reset_values, reuse_values=reuse_values,
            reset_then_reuse_values=reset_then_reuse_values, action="diff upgrade",
            current=None if revision is None else (revision, stored),
        )  # fmt: skip
    finally:
        if own:
            helm_releases.close()
    summary = stored.get("summary") or {}
    namespace = str(summary.get("namespace") or target.namespace)
    old = [
        *manifest_objects(str(summary.get("manifest", "")), namespace),
        *hook_objects(list(stored.get("hooks") or []), namespace),
    ]
    if reused is not None:
        options.chart_values = reused.chart_values
    result = render_chart(chart, reused.values if reused else given, options)
    new = [o for o in result.objects if not o.crd]
    # The deployed side's values from SOPS files and references, as install recorded them.
    recorded = recorded_secrets(helm_releases.target, name, stored)
    secrets = (
        secret_strings(new, result.user_values)
        | secret_strings(old, dict(stored.get("config") or {}))
        | recorded.texts
    )
    changes = diff_objects(old, new, secrets=secrets)
    user = result.user_values.secrets
    for change in changes:
        # Their JSON-escaped and base64 forms too, wherever the chart copied them.
        change.diff = user.redact(recorded.redact(change.diff))
    return ReleaseDiff(
        name=name,
        namespace=namespace,
        from_revision=int(summary.get("revision") or 0),
        changes=changes,
        reused_values_from=reused.revision if reused else None,
        reused_values_flag=reused.flag if reused else None,
    )
