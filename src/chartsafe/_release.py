"""Install, upgrade, roll back and uninstall releases, gated by validation and a preflight.

Install and upgrade first render the chart with :func:`render_chart` (Helm's
engine, strict Kubernetes and CRD schema validation) and stop, before the
cluster is touched, when an object is invalid or when the ``gate`` says the
release's contract is not met. ``gate`` is the plug for the preflight check:
a callable that receives the :class:`RenderResult` and raises
:class:`CheckFailed` naming every gap. Only then does Helm's own install or
upgrade action run, with the same values and namespace, and Helm renders the
chart again itself. On a cluster (not ``--dry-run=client``) both renders take the
cluster's ``.Capabilities``, which Helm's own action asks for (``_cluster_capabilities``);
``lookup`` answers only in Helm's. With ``--dry-run=client``, ``--kube-version`` and
``--api-versions`` set them in both.

Values passed here are the user values (``-f``/``--set``), loaded once, so a
``-f -`` read from stdin is not read twice.

Helm's action flags are :class:`ReleaseSettings` (``_release_settings``); what an
install or upgrade did, and the strings never to show from it, is a
:class:`ReleaseOutcome` (``_release_outcome``). Both stay importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ._cluster_capabilities import live_render_options, refuse_ignored_flags
from ._errors import CheckFailed
from ._helm_parse import validate_release_name
from ._helm_release import ClusterTarget, HelmReleases
from ._refs import ValuesPath
from ._release_errors import ReleaseNotFound
from ._release_outcome import ReleaseOutcome, outcome_from_sdk, secret_strings

# ReleaseSettings and ReleaseOutcome are public here (chartsafe's front door maps them to
# this module); parse_timeout and DRY_RUN_MODES were always importable from here too.
from ._release_settings import DRY_RUN_MODES, ReleaseSettings, parse_timeout, sdk_options
from ._render import RenderOptions, RenderResult, as_user_values, render_chart
from ._reused_values import values_helm_reuses
from ._values import ValuesInput

__all__ = [
    "DRY_RUN_MODES",
    "Gate",
    "ReleaseOutcome",
    "ReleaseSettings",
    "ValidationFailed",
    "install_release",
    "parse_timeout",
    "upgrade_release",
]

#: How to render without the cluster, where --kube-version and --api-versions apply.
_OFFLINE = "add --dry-run=client"

#: A preflight: raises CheckFailed when the rendered release must not be applied.
Gate = Callable[[RenderResult], None]


class ValidationFailed(CheckFailed):
    """Rendered objects violate their schemas; nothing was sent to the cluster."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(
            message, hint="`chartsafe template` shows them all; --no-validate skips this"
        )
        self.problems = problems

    @classmethod
    def of(cls, result: RenderResult, consequence: str) -> ValidationFailed:
        """The failure for a render with problems: count, what did not happen, first three."""
        problems = [str(p) for p in result.problems]
        shown = "; ".join(problems[:3]) + ("; ..." if len(problems) > 3 else "")
        return cls(
            f"{result.problems_count} in the rendered objects; {consequence}: {shown}", problems
        )


def _render(
    name: str,
    chart: Path,
    values: ValuesInput | dict[str, Any] | None,
    target: ClusterTarget,
    options: RenderOptions,
    settings: ReleaseSettings,
    *,
    is_upgrade: bool,
    gate: Gate | None,
) -> RenderResult:
    validate_release_name(name)
    options = options.for_release(name, target.namespace, is_upgrade=is_upgrade)
    if settings.dry_run != "client":  # Helm's action renders with the cluster's capabilities
        options = live_render_options(
            options, target, otherwise=_OFFLINE, dry_run_helps=not is_upgrade
        )
    if settings.no_hooks:  # hooks Helm will not run are neither validated nor checked
        options = replace(options, no_hooks=True)
    result = render_chart(chart, values, options)
    if result.problems:
        raise ValidationFailed.of(result, "nothing was sent to the cluster")
    if gate is not None:
        gate(result)
    return result


def install_release(
    name: str,
    chart: Path | str,
    values: ValuesInput | dict[str, Any] | None = None,
    *,
    target: ClusterTarget | None = None,
    settings: ReleaseSettings | None = None,
    render: RenderOptions | None = None,
    gate: Gate | None = None,
    releases: HelmReleases | None = None,
) -> ReleaseOutcome:
    """``helm install`` after validation and the gate; ``releases`` reuses an SDK Config.

    Raises ValidationFailed or the gate's CheckFailed before anything is sent;
    ClusterError, ReleaseFailed (exit 1) from Helm's action.
    """
    target = target or ClusterTarget()
    settings = settings or ReleaseSettings()
    render = render or RenderOptions()
    result = _render(
        name, Path(chart), values, target, render, settings, is_upgrade=False, gate=gate
    )
    secrets = secret_strings(result.objects, result.user_values)
    with _releases(releases, target, secrets) as helm_releases:
        raw = helm_releases.install(
            Path(chart), name, result.user_values, **_render_flags(render),
            **sdk_options(settings, upgrade=False),
        )  # fmt: skip
    outcome = outcome_from_sdk("install", target, raw, result, secrets, settings)
    _record_secret_paths(outcome, target, settings)
    return outcome


def upgrade_release(
    name: str,
    chart: Path | str,
    values: ValuesInput | dict[str, Any] | None = None,
    *,
    target: ClusterTarget | None = None,
    settings: ReleaseSettings | None = None,
    render: RenderOptions | None = None,
    gate: Gate | None = None,
    releases: HelmReleases | None = None,
    command: str = "upgrade",
) -> ReleaseOutcome:
    """``helm upgrade`` (``--install`` when ``settings.install``), after validation and the gate.

    Helm takes values from the current revision when none are given (unless
    ``settings.reset_values``) and with ``reuse_values`` or ``reset_then_reuse_values``:
    the render validated and gated is made with what Helm takes (``_reused_values``).
    ``command`` is the one typed (``upgrade``, ``up``), for the errors of reading the history.
    """
    target = target or ClusterTarget()
    settings = settings or ReleaseSettings()
    render = render or RenderOptions()
    if settings.dry_run != "client":  # before the release is read
        refuse_ignored_flags(render, otherwise=_OFFLINE)
    if not settings.install:
        _refuse_empty_memory("upgrade", name, target, releases, hint=_UPGRADE_IN_MEMORY)
    with _releases(releases, target, ()) as helm_releases:
        # As helm upgrade --install: no release, or one uninstalled with its history kept,
        # is installed anew (over that history: Helm's install --replace).
        if settings.install:
            last = _last_status(helm_releases, name, fresh=releases is None, command=command)
            if last in (None, "uninstalled"):
                return install_release(
                    name, chart, values, target=target, render=render, gate=gate,
                    settings=replace(settings, replace=last == "uninstalled"),
                    releases=helm_releases,
                )  # fmt: skip
        given = as_user_values(values)  # loaded once: `-f -` reads stdin
        reused = values_helm_reuses(
            helm_releases, name, given, reset_values=settings.reset_values,
            reuse_values=settings.reuse_values,
            reset_then_reuse_values=settings.reset_then_reuse_values, action="upgrade",
        )  # fmt: skip
        used, options = (given, render)
        if reused is not None:
            used, options = reused.values, replace(render, chart_values=reused.chart_values)
        result = _render(
            name, Path(chart), used, target, options, settings, is_upgrade=True, gate=gate
        )
        secrets = secret_strings(result.objects, result.user_values)
        helm_releases.secrets |= secrets
        deployed = _deployed_revision(helm_releases, name, settings, action="upgrade")
        previous = _recorded_paths(helm_releases, name, deployed)
        # With a reuse flag Helm gets it and the values given, and takes from the same
        # revision what was rendered here; with none, the values rendered, reused or not.
        handed = given if reused is not None and reused.flag else result.user_values
        raw = helm_releases.upgrade(
            Path(chart), name, handed, **_render_flags(render),
            **sdk_options(settings, upgrade=True),
        )  # fmt: skip
    outcome = outcome_from_sdk("upgrade", target, raw, result, secrets, settings)
    if reused is not None:
        outcome.reused_values_from, outcome.reused_values_flag = reused.revision, reused.flag
    _record_secret_paths(outcome, target, settings, previous)
    return outcome


def _render_flags(render: RenderOptions) -> dict[str, Any]:
    """The rendering flags Helm's own render takes, as chartsafe's render used them:
    ``.Capabilities`` (``--kube-version``, ``--api-versions``), ``--enable-dns`` and
    ``--skip-schema-validation``."""
    return {
        "kube_version": render.kube_version,
        "api_versions": list(render.api_versions),
        "enable_dns": render.enable_dns,
        "skip_schema_validation": not render.values_schema,
    }


def _recorded(target: ClusterTarget, settings: ReleaseSettings) -> bool:
    """Whether this action leaves a record object to annotate (not a dry run, not memory)."""
    return settings.dry_run is None and target.storage != "memory"


def _deployed_revision(
    releases: HelmReleases, name: str, settings: ReleaseSettings, *, action: str
) -> int | None:
    """The deployed revision, when this action leaves records to annotate; else None.

    Read for ``action``: a cluster that cannot be reached is told as ``rollback NAME:``,
    the command typed, not as a ``history`` nobody asked for.
    """
    if not _recorded(releases.target, settings):
        return None
    history = releases.history(name, max_revisions=1, action=action)
    return int(history[-1].get("revision") or 0) if history else None


def _recorded_paths(
    releases: HelmReleases, name: str, revision: int | None
) -> tuple[int, list[ValuesPath]] | None:
    """A revision and its recorded secret paths; None when nothing is recorded on it."""
    from ._release_record import read_secret_paths

    paths = read_secret_paths(releases.target, name, revision) if revision else None
    return None if paths is None else (revision or 0, paths)


def _write_paths(
    target: ClusterTarget,
    name: str,
    revision: int,
    paths: list[ValuesPath],
    previous: tuple[int, list[ValuesPath]] | None,
) -> None:
    """Record ``paths`` on the new revision and put the superseded one's back (Helm dropped
    them when it rewrote that record). Raises ClusterError when the API server refuses."""
    from ._release_record import record_secret_paths

    if paths:
        record_secret_paths(target, name, revision, paths)
    if previous is not None and previous[0] != revision:
        record_secret_paths(target, name, previous[0], previous[1])


def _record_secret_paths(
    outcome: ReleaseOutcome,
    target: ClusterTarget,
    settings: ReleaseSettings,
    previous: tuple[int, list[ValuesPath]] | None = None,
) -> None:
    """Record which values paths were secret on the new revision's record (see
    ``_release_record``); a refusal is a warning: the release itself is done."""
    from ._cluster import ClusterError

    paths = outcome.render.user_values.secrets.paths
    if not _recorded(target, settings) or not (paths or previous):
        return
    release = outcome.release
    try:
        _write_paths(target, release.name, release.revision, list(paths), previous)
    except ClusterError as exc:
        outcome.render.warnings.append(
            f"could not record which values are secret on the release record ({exc.message}); "
            "get values, status and diff will mask them by key names only"
        )


def _last_status(
    releases: HelmReleases, name: str, *, fresh: bool, command: str = "upgrade"
) -> str | None:
    """The status of the release's last revision; None when it has no record.

    Read as ``helm upgrade --install`` reads it, a client dry run too: it decides between
    installing and upgrading. An error names ``command`` and says so (not ``history``,
    which nobody typed), with the ways that need no cluster.
    """
    # A Config made just now with the memory driver holds no records: nothing to ask.
    if fresh and releases.target.storage == "memory":
        return None
    why = (
        " to read the release's history (whether to install or upgrade; a dry run needs it too)",
        _WITHOUT_CLUSTER.get(command, ""),
    )
    try:
        history = releases.history(name, max_revisions=1, action=command, why=why)
    except ReleaseNotFound:
        return None
    return str(history[-1].get("status") or "") if history else None


#: How ``_last_status``'s command does without a cluster (what needs no release history).
_WITHOUT_CLUSTER = {
    "upgrade": "without a cluster: install --dry-run client, or add --storage memory",
    "up": "without a cluster: --dry-run client --storage memory, or a bundle with --out DIR",
}


_UPGRADE_IN_MEMORY = (
    "pass --install to render it as a new release (with --dry-run client that needs no "
    "cluster), or drop --storage memory to upgrade the release recorded in the cluster"
)
_DROP_MEMORY = "drop --storage memory to act on the release recorded in the cluster"


def _refuse_empty_memory(
    action: str, name: str, target: ClusterTarget, given: HelmReleases | None, *, hint: str
) -> None:
    """Stop an action on an existing release when the storage cannot hold one.

    A memory storage opened for this call starts empty, so there is never a release to
    upgrade, roll back or uninstall; Helm would first insist on reaching the cluster (its
    upgrade, rollback and uninstall actions all probe it) and only then find nothing. Saying
    so here needs no cluster and names the real reason.
    """
    if given is None and target.storage == "memory":
        raise ReleaseNotFound(
            f"{action} {name}: no release {name!r} in namespace {target.namespace}: "
            "--storage memory starts empty in every command",
            hint=hint,
        )


class _releases:
    """Use the caller's HelmReleases, or open (and close) one for this call."""

    def __init__(
        self, given: HelmReleases | None, target: ClusterTarget, secrets: Iterable[str]
    ) -> None:
        self.given = given
        self.target = target
        self.secrets = set(secrets)
        self.opened: HelmReleases | None = None

    def __enter__(self) -> HelmReleases:
        if self.given is not None:
            self.given.secrets |= self.secrets
            return self.given
        self.opened = HelmReleases(self.target, secrets=self.secrets)
        return self.opened

    def __exit__(self, *exc: object) -> None:
        if self.opened is not None:
            self.opened.close()
