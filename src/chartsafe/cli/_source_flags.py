"""The flags that say where CHART comes from, as one value (:class:`SourceFlags`), and
``--dependency-update``'s fetch.

No typer here: ``template``'s quick path (``_template_quick``) uses them too;
``_source_options`` declares the flags for typer.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import NamedTuple

__all__ = ["SourceFlags", "fetch_missing_dependencies"]


def fetch_missing_dependencies(path: Path, wanted: bool, plain_http: bool) -> None:
    """``--dependency-update``: fetch a chart directory's missing dependencies, and say so."""
    if not wanted:
        return
    from .._dependencies import update_if_missing

    if update_if_missing(path, plain_http=plain_http):
        print(
            f"chartsafe: fetched the missing dependencies into {path / 'charts'}", file=sys.stderr
        )


class SourceFlags(NamedTuple):
    """The flags that say where CHART comes from, as one value: what a command decorated
    with :func:`takes_chart` receives as ``source``. (A NamedTuple, not a dataclass: it is
    defined on every start, where a dataclass's generated methods cost a millisecond.)"""

    version: str | None = None
    devel: bool = False
    repo: str | None = None
    plain_http: bool = False
    registry_config: Path | None = None
    verify: bool = False
    keyring: Path | None = None

    def open(self, chart: str) -> AbstractContextManager[Path]:
        """CHART as a local path for the command's duration; ``oci://`` charts and charts of
        a repository are pulled, and with ``--verify`` a packaged chart is checked against
        its provenance first."""
        from .._chart_source import ChartSource, is_oci
        from .._chart_source import open_chart as open_source

        access = None
        # a local chart needs no registry code (template's start-up is timed); a registry
        # flag given with a chart of a repository is refused, so it is passed on
        if is_oci(chart) or self.repo is not None or self.plain_http or self.registry_config:
            from .._helm_oci import RegistryAccess

            access = RegistryAccess(
                plain_http=self.plain_http, registry_config=self.registry_config
            )
        return open_source(
            ChartSource(
                chart, self.version, access, self.verify, self.keyring, self.repo, self.devel
            )
        )
