"""What ``up`` is given and what it gives back: its request, its result, the error that
stops it for keys only a person can set, and its progress callback.

Apart from ``_up`` (the steps) so that ``_up_apply`` and ``_up_checks``, which the steps
call, read these types without importing the steps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import CheckFailed
from ._helm_release import ClusterTarget
from ._release import ReleaseOutcome, ReleaseSettings
from ._render import RenderOptions
from ._values import ValuesInput

__all__ = ["STEPS", "KeysMissing", "Progress", "UpRequest", "UpResult"]

Progress = Callable[[str], None]
STEPS = 6


class KeysMissing(CheckFailed):
    """Keys no generator can make are not in the store (exit 1); ``commands`` set them.

    ``missing`` holds (namespace, Secret, key) in the order of ``commands``; ``as_dict`` is
    what ``-o json`` prints, like ``secrets init -o json``'s ``missing`` (names only).
    """

    def __init__(
        self, commands: list[str], missing: list[tuple[str, str, str]] | None = None
    ) -> None:
        super().__init__(
            f"{len(commands)} key(s) no generator can make are not in the store",
            # the CLI prints the commands before this line; a library caller has them in
            # .commands: "listed with this error" holds for both
            hint="set each with its chartsafe secrets set command, listed with this error, "
            "then run up again",
        )
        self.commands = commands
        self.missing = missing or []

    def as_dict(self) -> dict[str, Any]:
        return {
            "error": self.message,
            "missing": [
                {"namespace": ns, "secret": secret, "key": key, "command": command}
                for (ns, secret, key), command in zip(self.missing, self.commands, strict=False)
            ],
        }


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

    def __post_init__(self) -> None:
        # A library caller may give the files as str: they are read as Paths.
        self.store = Path(self.store)
        if self.out is not None:
            self.out = Path(self.out)


@dataclass
class UpResult:
    """What ``up`` did: the mode, the store changes (names), the plan and the rollout."""

    release: str
    namespace: str
    mode: str  # "bundle", "dry-run", "release"
    backend: str
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    optional_unset: list[str] = field(default_factory=list)
    optional_secrets_unset: list[str] = field(default_factory=list)  # no key named, none set
    store_written: bool = False
    plan: list[Any] = field(default_factory=list)  # _bundle.PlanStep
    digests: list[Any] = field(default_factory=list)  # _rollout.WorkloadDigest
    rollout: list[Any] = field(default_factory=list)  # _rollout.RolloutChange
    bundle: list[Path] = field(default_factory=list)
    outcome: ReleaseOutcome | None = None
    check: Any = None  # check.CheckReport
    note: str = ""
    warnings: list[str] = field(default_factory=list)  # printed as they are found
    #: (namespace, Secret, key) → the format the store records (``secrets set --format``):
    #: the check takes it over a guess from the key's name. Names only; not printed.
    recorded_formats: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "namespace": self.namespace,
            "mode": self.mode,
            "deliver": self.backend,
            "store": {
                "added": self.added,
                "kept": self.kept,
                "optionalUnset": self.optional_unset,
                "optionalSecretsUnset": self.optional_secrets_unset,
                "written": self.store_written,
            },
            "plan": [s.as_dict() for s in self.plan],
            "digests": [d.as_dict() for d in self.digests],
            "rollout": [r.as_dict() for r in self.rollout],
            "bundle": [str(p) for p in self.bundle],
            "release_info": self.outcome.release.as_dict() if self.outcome else None,
            "check": self.check.as_dict() if self.check is not None else None,
            "note": self.note or None,
            "warnings": list(self.warnings),
        }
