"""``helm test``: run a release's test hooks through Helm's SDK, and report them masked.

A chart's tests are hooks on the ``test`` event: pods Helm creates on demand, whose
success says the release works (a connection test against its database, say). Helm's
action creates them, waits for each to finish, and records each hook's last run (start,
end, phase) in the release's record; chartsafe prints what that record then says, as
``helm test`` prints it.

Test pods print what they like, and a connection test may print the password it used.
Their logs are masked as ``status`` masks notes: the values the release's record says
were secret, and what the release's own Secrets carry (``--reveal`` shows them).

When a test fails the SDK raises and returns no logs; ``--logs`` then reads them from the
API server itself (the pods a failed test leaves behind), as ``helm test --logs`` still
prints them after a failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._errors import ChartsafeError, CheckFailed, InputError
from ._helm_parse import validate_release_name
from ._helm_release import ClusterTarget, HelmReleases
from ._release_errors import ReleaseFailed
from ._release_info import HookRun, ReleaseInfo, ReleaseStatus, hook_test_runs, status_of_record

__all__ = [
    "HookRun",  # defined with the record's other parts (status prints it too)
    "ReleaseTestFailed",
    "ReleaseTestRun",
    "TestFilter",
    "parse_test_filters",
    "run_release_tests",
]


@dataclass(frozen=True)
class TestFilter:
    """``--filter``: the test hooks to run by name (none: all), and those to skip."""

    __test__ = False  # a library class, not a pytest test class

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def selects(self, name: str) -> bool:
        return (not self.include or name in self.include) and name not in self.exclude


def parse_test_filters(flags: Iterable[str]) -> TestFilter:
    """Helm's ``--filter``: ``name=NAME`` runs only the tests named, ``!name=NAME`` skips
    one; a flag may hold several, separated by commas. ``name`` is the one attribute."""
    include: list[str] = []
    exclude: list[str] = []
    for flag in flags:
        for item in flag.split(","):
            item = item.strip()
            if not item:
                continue
            negated = item.startswith("!")
            attribute, equals, value = item.removeprefix("!").partition("=")
            if attribute.strip() != "name" or not equals or not value.strip():
                raise InputError(
                    f"--filter {item}: not name=NAME or !name=NAME",
                    hint="filter tests by name: --filter name=my-test or --filter '!name=slow'",
                )
            (exclude if negated else include).append(value.strip())
    return TestFilter(tuple(include), tuple(exclude))


@dataclass
class ReleaseTestRun:
    """What a test run leaves: the release, each test hook's last run, masked logs."""

    release: ReleaseInfo
    suites: list[HookRun]
    notes: str = ""
    logs: str = ""
    passed: bool = True
    #: the SDK's words when a test failed ("" when every one passed)
    failure: str = ""
    stored_logs: str = field(default="", repr=False)
    stored_notes: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.release.as_dict(),
            "passed": self.passed,
            "failure": self.failure,
            "tests": [run.as_dict() for run in self.suites],
            "notes": self.notes,
            "logs": self.logs,
        }


class ReleaseTestFailed(CheckFailed):
    """A test hook failed (or did not finish in time): exit 1; ``run`` has what is known."""

    def __init__(self, message: str, run: ReleaseTestRun, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.run = run


def run_release_tests(
    name: str,
    *,
    target: ClusterTarget | None = None,
    timeout: int = 300,
    logs: bool = False,
    selected: TestFilter | None = None,
) -> ReleaseTestRun:
    """Run the release's test hooks (``helm test NAME``) and read back what they did.

    Raises :class:`ReleaseTestFailed` (exit 1) when one fails, after collecting its logs
    with ``logs``; a missing release or an unreachable cluster raises as ``status`` does.
    """
    target = target or ClusterTarget()
    selected = selected or TestFilter()
    validate_release_name(name)
    failure = ""
    sdk_logs = ""
    with HelmReleases(target) as releases:
        before = releases.get_all(name, action="test")
        try:
            result = releases.test(
                name,
                timeout=timeout,
                logs=logs or None,
                include_names=list(selected.include) or None,
                exclude_names=list(selected.exclude) or None,
            )
            sdk_logs = str(result.get("logs") or "")
        except ReleaseFailed as exc:
            failure = exc.message
        try:
            after = releases.get_all(name, action="test")
        except ChartsafeError:
            after = before  # the run is over; its record could not be read back
    status = status_of_record(target, name, after)
    suites = hook_test_runs(after.get("hooks") or [], selected.selects)
    stored = sdk_logs
    if logs and failure:
        stored = _pod_logs(target, status, suites)
    run = ReleaseTestRun(
        release=status.release,
        suites=suites,
        notes=status.notes,
        logs=status.redact(stored),
        passed=not failure,
        failure=failure,
        stored_logs=stored,
        stored_notes=status.stored_notes,
    )
    if failure:
        hint = None if logs else "--logs prints the test pods' logs"
        raise ReleaseTestFailed(failure, run, hint=hint)
    return run


def _pod_logs(target: ClusterTarget, status: ReleaseStatus, suites: list[HookRun]) -> str:
    """The logs of the test pods a failed run left, in Helm's ``POD LOGS:`` layout; a pod
    that is gone (a delete policy removed it) or unreadable is said so in its place."""
    from urllib.parse import quote

    from ._cluster import Cluster, ClusterError

    namespace = status.release.namespace or target.namespace
    cluster = Cluster.connect(target.access)
    parts = []
    for run in suites:
        if run.kind != "Pod":
            continue
        path = f"/api/v1/namespaces/{quote(namespace)}/pods/{quote(run.name)}/log"
        try:
            text = cluster.get(
                path, accept="text/plain", resource="pods/log", namespace=namespace
            ).decode("utf-8", "replace")
        except ClusterError as exc:
            text = f"(no logs: {exc.message})\n"
        parts.append(f"POD LOGS: {run.name}\n{text}\n")
    return "".join(parts)
