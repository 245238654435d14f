"""What an install or upgrade did, and every string that must not be shown from it.

An outcome carries Helm's manifest and notes, which can hold Secret data and
values the chart copied from secret inputs. :func:`secret_strings` collects
those strings (Secret data, encoded and decoded; user values under secret-like
keys; values from SOPS files and references) so that :meth:`ReleaseOutcome.redact`,
``diff`` and Helm's error messages can mask them wherever they appear.

``install``, ``upgrade`` and ``up`` have no ``--reveal``: in what they print, the printed
manifest's placeholder for a Secret value says where the value can be seen instead
(:data:`RELEASE_MASK`), rather than naming a flag these commands do not take.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._helm_release import ClusterTarget
from ._objects import K8sObject
from ._output import MASK
from ._refs import UserValues
from ._release_errors import scrub
from ._release_info import ReleaseInfo, manifest_objects
from ._release_settings import ReleaseSettings
from ._render import RenderResult
from ._secret_like import is_secret_like_key, release_secret_strings

__all__ = ["RELEASE_MASK", "ReleaseOutcome", "outcome_from_sdk", "secret_strings"]

#: A Secret value in an install/upgrade manifest: ``template`` with the same chart and values
#: renders the same Secret, and it takes ``--reveal``. No quote, so YAML quoting still holds.
RELEASE_MASK = "<masked: chartsafe template --reveal prints it>"


@dataclass
class ReleaseOutcome:
    """What an install or upgrade did (or, with a dry run, would do)."""

    action: str  # "install" or "upgrade"
    release: ReleaseInfo
    dry_run: str | None
    objects: list[K8sObject]  # the manifest Helm applied / would apply, without hooks
    render: RenderResult
    notes: str = ""
    secret_values: set[str] = field(default_factory=set, repr=False)
    #: The revision Helm's upgrade takes values from: because none were given, or (with
    #: ``reused_values_flag``) the values given are coalesced over that revision's.
    reused_values_from: int | None = None
    reused_values_flag: str | None = None  # "--reuse-values" or "--reset-then-reuse-values"

    def redact(self, text: str) -> str:
        """``text`` with every secret masked: values from SOPS files and references (raw,
        JSON-escaped, base64, wherever the chart copied them) and what the Secrets carry.

        A Secret value already masked for printing (``_output.MASK``, which names
        ``--reveal``) gets :data:`RELEASE_MASK`: these commands have no ``--reveal``.
        """
        text = text.replace(MASK, RELEASE_MASK)
        return scrub(self.render.user_values.secrets.redact(text), self.secret_values)

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "dryRun": self.dry_run,
            "release": self.release.as_dict(),
            "objects": [
                {"kind": o.kind, "name": o.name, "namespace": o.namespace, "source": o.source}
                for o in self.objects
            ],
            "warnings": list(self.render.warnings),
            "reusedValuesFrom": self.reused_values_from,
        }


def _secret_like_leaves(values: Any, parent_secret: bool = False) -> Iterator[str]:
    if isinstance(values, dict):
        for key, item in values.items():
            yield from _secret_like_leaves(item, parent_secret or is_secret_like_key(str(key)))
    elif isinstance(values, list):
        for item in values:
            yield from _secret_like_leaves(item, parent_secret)
    elif isinstance(values, str) and parent_secret:
        yield values


def secret_strings(objects: Iterable[K8sObject], user_values: dict[str, Any]) -> set[str]:
    """Every string that must not appear in a message: Secret data (encoded and decoded)
    and user values under secret-like keys."""
    objects = list(objects)
    found: set[str] = set(_secret_like_leaves(user_values)) | release_secret_strings(objects)
    # Values that came from SOPS files or ref+ references are secret whatever their key.
    if isinstance(user_values, UserValues):
        found |= user_values.secrets.texts
    for obj in objects:
        data = obj.body.get("data") if obj.kind == "Secret" else None
        if isinstance(data, dict):
            found.update(str(v) for v in data.values() if v)
    return found


def outcome_from_sdk(
    action: str,
    target: ClusterTarget,
    raw: dict[str, Any],
    result: RenderResult,
    secrets: set[str],
    settings: ReleaseSettings,
) -> ReleaseOutcome:
    """The outcome of Helm's ``action`` from the release it returned (``raw``)."""
    namespace = str(raw.get("namespace") or target.namespace)
    objects = manifest_objects(str(raw.get("manifest", "")), namespace)
    return ReleaseOutcome(
        action=action,
        release=ReleaseInfo.from_sdk(raw),
        dry_run=settings.dry_run,
        objects=objects,
        render=result,
        notes=str(raw.get("notes", "")),
        secret_values=secrets | secret_strings(objects, {}),
    )
