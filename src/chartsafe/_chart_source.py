"""Where a CHART argument comes from: a local directory or archive, an ``oci://``
reference, or a chart of a classic HTTP chart repository (``NAME --repo URL``, or
``REPO/NAME`` of Helm's repository list).

Every command that takes CHART opens it through :func:`open_chart`, so ``template``,
``lint``, ``contract``, ``install``, ``upgrade`` and ``diff`` all accept
``oci://HOST/PATH/NAME --version V``, ``NAME --repo URL --version V`` and ``REPO/NAME
--version V`` the same way ``helm install`` does. A pulled archive goes into a private
temporary directory (mode 0700) that is removed when the command is done: nothing is
cached, and nothing stays behind on failure.

With ``verify`` (``--verify``) a packaged chart is checked against its ``.prov`` before
anything reads it, and an ``oci://`` one is pulled with its provenance and checked, as
``helm install --verify`` does; see ``_provenance``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._errors import ChartsafeError, InputError

if TYPE_CHECKING:  # the registry code is imported only for a remote chart
    from ._helm_oci import RegistryAccess
    from ._helm_repo import Repository

__all__ = ["OCI_SCHEME", "ChartSource", "is_oci", "open_chart"]

#: How a CHART argument names a chart in an OCI registry, as Helm writes it.
OCI_SCHEME = "oci://"

#: What helm's ``--devel`` means: any version, pre-releases included.
DEVEL_VERSIONS = ">0.0.0-0"


def is_oci(chart: str | Path) -> bool:
    """An ``oci://`` reference (a string; ``Path`` would fold the double slash)."""
    return isinstance(chart, str) and chart.startswith(OCI_SCHEME)


@dataclass(frozen=True)
class ChartSource:
    """A CHART argument with what is needed to fetch it when it is remote."""

    chart: str | Path
    version: str | None = None
    access: RegistryAccess | None = None  # None: Helm's own registry settings
    verify: bool = False  # check the archive's provenance before it is read
    keyring: Path | None = None  # None: Helm's default keyring
    repo: str | None = None  # an HTTP chart repository's URL; ``chart`` is then a name
    devel: bool = False  # with no version: the newest, pre-releases included (helm --devel)

    @property
    def wanted(self) -> str | None:
        """The version (or range) to fetch: ``version``, else ``--devel``'s, else the newest."""
        return self.version if self.version is not None or not self.devel else DEVEL_VERSIONS

    @property
    def remote(self) -> bool:
        return is_oci(self.chart) or self.repo is not None

    def describe(self) -> str:
        """The chart as the user wrote it, for messages."""
        if self.repo is not None:
            from ._helm_repo import Repository, describe

            return describe(str(self.chart), Repository(self.repo), self.wanted)
        if self.remote and self.wanted:
            return f"{self.chart} --version {self.wanted}"
        return str(self.chart)


@contextmanager
def open_chart(source: ChartSource) -> Iterator[Path]:
    """Yield a local path to the chart: as given, or pulled from its registry or
    repository.

    ``--version`` selects a version only of a remote chart; with a local chart it
    is an error rather than silently ignored (Helm ignores it), since the caller
    asked for a version the local files may not be.
    """
    repository, name = _repository(source)
    if not source.remote and repository is None:
        if source.version is not None or source.devel:
            flag = "--devel" if source.version is None else f"--version {source.version}"
            raise InputError(
                f"{flag}: CHART {source.chart} is a local chart",
                hint=f"{flag.split()[0]} selects a version of an oci:// chart or of a chart "
                "in a repository; drop it for local charts",
            )
        if source.verify:
            from ._provenance import verify_chart

            verify_chart(Path(source.chart), source.keyring)
        yield Path(source.chart)
        return
    if repository is not None:
        _check_repository_source(source, repository)
    elif source.verify and source.access is not None and source.access.registry_config:
        raise InputError(
            f"--verify with --registry-config: {source.describe()} is fetched with its "
            "provenance by Helm's dependency downloader, which reads only the credentials "
            "under Helm's config home",
            hint="drop --registry-config and log in with chartsafe registry login HOST",
        )
    import shutil
    import tempfile

    from ._helm_oci import RegistryAccess, pull_chart

    access = source.access or RegistryAccess()
    workdir = Path(tempfile.mkdtemp(prefix="chartsafe-pull-"))  # 0700, only ours
    try:
        if source.verify:
            from ._provenance import pull_verified

            archive = pull_verified(
                name,
                workdir,
                repository=repository.url if repository is not None else None,
                version=source.wanted,
                keyring=source.keyring,
                plain_http=access.plain_http,
            )
        elif repository is not None:
            from ._helm_repo import pull_from_repository

            archive = pull_from_repository(name, repository, workdir, version=source.wanted)
        else:
            archive = pull_chart(name, workdir, version=source.wanted, access=access)
        try:
            yield archive
        except ChartsafeError as exc:
            _name_the_reference(exc, archive, _describe(source, repository, name))
            raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _repository(source: ChartSource) -> tuple[Repository | None, str]:
    """The HTTP chart repository CHART comes from and the chart's name there: ``--repo``'s,
    or for ``REPO/NAME`` one of Helm's repository list; None for a registry or a path."""
    chart = str(source.chart)
    if source.repo is not None:
        from ._helm_repo import Repository

        return Repository(source.repo), chart
    if is_oci(chart) or "/" not in chart or Path(chart).exists():  # no file read: timed
        return None, chart
    from ._helm_repo import configured_chart

    found = configured_chart(chart)
    return found if found is not None else (None, chart)


def _describe(source: ChartSource, repository: Repository | None, name: str) -> str:
    """:meth:`ChartSource.describe`, or ``REPO/NAME`` for a chart of Helm's list."""
    if repository is None or repository.name is None:
        return source.describe()
    from ._helm_repo import describe

    return describe(name, repository, source.wanted)


def _check_repository_source(source: ChartSource, repository: Repository) -> None:
    """CHART from an HTTP repository: a chart's name, and the registry flags have no say.
    With --verify Helm's downloader fetches it, with no credentials to give."""
    from ._fetch import shown_url
    from ._helm_repo import check_repository_url

    if repository.name is not None:
        if source.verify and repository.credentials:
            raise InputError(
                f"--verify: {source.chart} is fetched with its provenance by Helm's "
                f"dependency downloader, which cannot be given repository {repository.name}'s "
                "credentials",
                hint="helm pull --verify it, then give chartsafe the .tgz with --verify",
            )
        shown = str(source.chart)
    else:
        check_repository_url(repository.url)
        shown = f"--repo {shown_url(repository.url)}"
        if is_oci(source.chart):
            raise InputError(
                f"{shown}: CHART {source.chart} is an oci:// reference",
                hint="give an oci:// CHART without --repo, or the chart's name with it",
            )
    access = source.access
    for flag, given in (
        ("--plain-http", access is not None and access.plain_http),
        ("--registry-config", access is not None and access.registry_config is not None),
    ):
        if given:
            raise InputError(
                f"{flag} with {shown}: {flag} is for oci:// registries",
                hint="a chart repository's URL says http or https; drop " + flag,
            )


def _name_the_reference(exc: ChartsafeError, archive: Path, reference: str) -> None:
    """Errors about the pulled archive name the reference given, not a removed temp file."""
    exc.message = exc.message.replace(str(archive), reference)
    exc.args = (exc.message, *exc.args[1:])
    if exc.chart is not None and str(exc.chart) == str(archive):
        exc.chart = reference
