"""One revision as a line of ``helm list`` or ``helm history``: :class:`ReleaseInfo`.

Helm's SDK summarises a revision (name, revision, status, chart, time) without its record;
this is that summary, with the fields Helm's ``list`` and ``history`` print in their JSON
shapes, and the Go time layouts their tables print times in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._release_settings import SYSTEM_LABELS

__all__ = [
    "ANSIC_LAYOUT",
    "GET_ALL_TIME_LAYOUT",
    "LIST_TIME_LAYOUT",
    "ReleaseInfo",
    "user_labels",
]

#: How ``helm list`` prints a release's time without ``--time-format``: Go's
#: ``time.Time.String()`` (``2026-01-02 10:00:00 +0000 UTC``), in the table and in -o json.
LIST_TIME_LAYOUT = "2006-01-02 15:04:05.999999999 -0700 MST"

#: How helm's tables print a release's time: Go's ``time.ANSIC`` (the day padded with a
#: space, ``Thu Jan  1 10:00:00 2026``), in the record's own zone: ``history``'s UPDATED,
#: and LAST DEPLOYED of ``status``, ``install``, ``upgrade`` and ``test``. Their -o json
#: keeps the record's RFC 3339 time, as Go marshals a ``time.Time``.
ANSIC_LAYOUT = "Mon Jan _2 15:04:05 2006"

#: ``helm get all``'s LAST DEPLOYED: its template's own layout, the day not padded.
GET_ALL_TIME_LAYOUT = "Mon Jan 2 15:04:05 2006"


def user_labels(labels: dict[str, Any] | None) -> dict[str, str]:
    """A release's ``--labels``: its labels without those Helm's storage sets itself."""
    return {str(k): str(v) for k, v in (labels or {}).items() if k not in SYSTEM_LABELS}


@dataclass
class ReleaseInfo:
    """One revision of a release, as ``helm list``/``history`` show it."""

    name: str
    namespace: str
    revision: int
    status: str
    chart: str
    app_version: str
    updated: str
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # --labels; not the storage's own

    @property
    def exists(self) -> bool:
        """Whether this names a stored revision: Helm numbers them from 1, and an action that
        found no release (``uninstall --ignore-not-found``) reports revision 0."""
        return self.revision > 0

    def updated_as(self, layout: str = ANSIC_LAYOUT) -> str:
        """The revision's time in a Go ``layout``, as helm's tables print it (ANSIC unless
        another is given); text that is no RFC 3339 time as it is."""
        from ._go_time import helm_time

        return helm_time(self.updated, layout)

    @classmethod
    def from_sdk(cls, raw: dict[str, Any]) -> ReleaseInfo:
        chart = str(raw.get("chart_name", ""))
        if raw.get("chart_version"):
            chart = f"{chart}-{raw['chart_version']}"
        return cls(
            name=str(raw.get("name", "")),
            namespace=str(raw.get("namespace", "")),
            revision=int(raw.get("revision") or 0),
            status=str(raw.get("status", "")),
            chart=chart,
            app_version=str(raw.get("app_version", "")),
            updated=str(raw.get("deployed_at", "")),
            description=str(raw.get("description", "")),
            labels=user_labels(raw.get("labels")),
        )

    def as_dict(self) -> dict[str, Any]:
        """chartsafe's own summary of a revision, where there is no Helm JSON to follow:
        ``rollback``, ``uninstall`` and ``test`` (Helm's have no ``-o``) and ``up``."""
        return {
            "name": self.name,
            "namespace": self.namespace,
            "revision": self.revision,
            "status": self.status,
            "chart": self.chart,
            "appVersion": self.app_version,
            "updated": self.updated,
            "description": self.description,
            "labels": dict(self.labels),
        }

    def as_list_entry(self) -> dict[str, Any]:
        """One release as ``helm list -o json`` prints it: its field names, the revision a
        string; then what chartsafe adds (the description and the ``--labels``)."""
        return {
            "name": self.name,
            "namespace": self.namespace,
            "revision": str(self.revision),
            "updated": self.updated,
            "status": self.status,
            "chart": self.chart,
            "app_version": self.app_version,
            "description": self.description,
            "labels": dict(self.labels),
        }

    def as_history_entry(self) -> dict[str, Any]:
        """One revision as ``helm history -o json`` prints it (the revision an integer);
        then what chartsafe adds (the release's name, namespace and ``--labels``)."""
        return {
            "revision": self.revision,
            "updated": self.updated,
            "status": self.status,
            "chart": self.chart,
            "app_version": self.app_version,
            "description": self.description,
            "name": self.name,
            "namespace": self.namespace,
            "labels": dict(self.labels),
        }
