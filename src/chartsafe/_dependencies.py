"""A chart's dependencies (``Chart.yaml`` ``dependencies:``), listed and fetched by Helm.

``helm dependency list|update|build`` through the SDK: Helm's own resolver and
downloader, with the repositories Chart.yaml names registered in a private temporary
configuration (the user's Helm repositories and caches are not touched). ``update``
resolves the versions and writes ``Chart.lock``; ``build`` fetches what ``Chart.lock``
pins (and, with no lock, does what ``update`` does, as Helm). Both write the archives
into the chart's ``charts/``. ``--dependency-update`` on template, install and upgrade
runs ``update`` only when a dependency is missing, as Helm's does. With ``verify`` each
downloaded dependency is checked against its provenance (the ``.prov`` a registry or
repository serves beside it) with the keyring, as ``helm dependency update --verify``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import ChartLoadError
from ._go_log import go_log_filtered
from ._helm import _message, helm
from ._helm_repo import listed_url

__all__ = [
    "Dependency",
    "build_dependencies",
    "fetch_hint",
    "lacks_dependencies",
    "list_dependencies",
    "update_dependencies",
    "update_if_missing",
]


@dataclass(frozen=True)
class Dependency:
    """One ``dependencies:`` entry and what ``charts/`` holds for it (Helm's status words:
    ok, missing, unpacked, wrong version, invalid version, corrupt, misnamed...)."""

    name: str
    version: str
    repository: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "repository": self.repository,
            "status": self.status,
        }


def _chart_dir(chart: Path, action: str) -> Path:
    if not (chart / "Chart.yaml").is_file():
        raise ChartLoadError(
            f"dependency {action} {chart}: not a chart directory (no Chart.yaml in it)",
            chart=chart,
            hint="pass the chart's directory; a packaged .tgz carries its dependencies",
        )
    return chart


def list_dependencies(chart: Path) -> list[Dependency]:
    """Each dependency Chart.yaml declares, with its status in ``charts/`` (reads only)."""
    h = helm()
    try:
        with go_log_filtered(str):
            found = h.dependency_list(_chart_dir(chart, "list"))
    except h.HelmError as exc:
        raise ChartLoadError(f"dependency list {chart}: {_message(exc)}", chart=chart) from None
    return [
        Dependency(
            str(d.get("name", "")),
            str(d.get("version", "")),
            str(d.get("repository", "")),
            str(d.get("status", "")),
        )
        for d in found
    ]


def _fetch(
    action: str,
    chart: Path,
    *,
    plain_http: bool,
    skip_refresh: bool,
    verify: bool = False,
    keyring: Path | None = None,
) -> list[Dependency]:
    h = helm()
    run = h.dependency_update if action == "update" else h.dependency_build
    _refuse_aliases(_chart_dir(chart, action), action)
    ring = None
    if verify:
        from ._provenance import keyring_file

        ring = keyring_file(keyring, "verify")
    try:
        with go_log_filtered(str):
            run(
                _chart_dir(chart, action),
                plain_http=plain_http,
                skip_refresh=skip_refresh,
                verify=verify,
                keyring=ring,
            )
    except h.HelmError as exc:
        message = _readable(_message(exc), chart)
        if ring is not None:
            from ._provenance import provenance_failure

            failed = provenance_failure(f"dependency {action} {chart}", message, ring, chart=chart)
            if failed is not None:
                raise failed from None
        raise ChartLoadError(
            f"dependency {action} {chart}: {message}", chart=chart, hint=fetch_hint(message)
        ) from None
    return list_dependencies(chart)


#: Words of a registry that wants credentials it was not given.
_NO_CREDENTIALS = ("credential not found", "unauthorized", "401")


def fetch_hint(
    message: str,
    otherwise: str = "check the repository URLs and versions in Chart.yaml; --plain-http "
    "for a registry without TLS",
) -> str:
    """How to fix a failed fetch: log in, when the registry asked for credentials;
    ``otherwise`` for any other failure.

    Helm's resolver in the SDK reads them from ``registry/config.json`` under Helm's
    config home (``$HELM_CONFIG_HOME``, else ``$XDG_CONFIG_HOME/helm``, else
    ``~/.config/helm``), where ``chartsafe registry login`` writes by default. It takes
    no other file: not ``--registry-config``, not ``$HELM_REGISTRY_CONFIG``
    (tests/oci/test_dependencies_login.py).
    """
    from ._helm_messages import outside_locations

    if not any(word in outside_locations(message) for word in _NO_CREDENTIALS):
        return otherwise
    if os.environ.get("HELM_REGISTRY_CONFIG"):
        return (
            "fetching dependencies reads no $HELM_REGISTRY_CONFIG, only registry/config.json "
            "under Helm's config home: unset it and run chartsafe registry login HOST"
        )
    return (
        "log in first: chartsafe registry login HOST (fetching dependencies reads the "
        "credentials under Helm's config home, not a --registry-config file)"
    )


def _readable(message: str, chart: Path) -> str:
    """The SDK's error in one line; its words for a repository index that did not download
    (the name of its temporary configuration, "try 'helm repo update'") replaced by the
    repositories Chart.yaml names."""
    text = " ".join(message.split())
    if "no cached repository for helm-c-dep-" not in text:
        return text
    repositories = {str(d.get("repository", "")) for d in _declared(chart)}
    urls = sorted(r for r in repositories if r.startswith(("http://", "https://")))
    where = f" ({', '.join(urls)})" if urls else ""
    return f"a chart repository in Chart.yaml{where} could not be read: its index did not download"


def _declared(chart: Path) -> list[dict[str, Any]]:
    """Chart.yaml's ``dependencies:`` entries, or none when it cannot be read (Helm's own
    load reports that, in its words)."""
    import yaml

    try:
        declared = yaml.safe_load((chart / "Chart.yaml").read_text()).get("dependencies") or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError, RecursionError):
        return []
    return [d for d in declared if isinstance(d, dict)] if isinstance(declared, list) else []


#: How Chart.yaml names a repository of Helm's list instead of giving its URL.
_ALIAS_PREFIXES = ("@", "alias:")


def _refuse_aliases(chart: Path, action: str) -> None:
    """Refuse a dependency whose repository is a name of Helm's list (``@stable``,
    ``alias:stable``), saying which URL to write instead.

    Helm's ``dependency update`` looks such a name up in the user's repository list.
    The SDK fetches with a private list of the URLs Chart.yaml gives, so the name is
    never found, and its error says to ``helm repo add`` it, which does not help
    (tests/cli/test_bad_input_dependency_alias.py).
    """
    for entry in _declared(chart):
        repository = str(entry.get("repository") or "")
        prefix = next((p for p in _ALIAS_PREFIXES if repository.startswith(p)), None)
        if prefix is None:
            continue
        name = repository[len(prefix) :]
        url = listed_url(name)
        # without user info: credentials do not belong in Chart.yaml
        instead = f"repository: {_without_user(url)}" if url else "the repository's URL"
        raise ChartLoadError(
            f"dependency {action} {chart}: {entry.get('name')}: repository {repository} "
            "names a repository of Helm's list, which chartsafe's fetch does not read",
            chart=chart,
            hint=f"write {instead} in Chart.yaml",
        )


def _without_user(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def update_dependencies(
    chart: Path,
    *,
    plain_http: bool = False,
    skip_refresh: bool = False,
    verify: bool = False,
    keyring: Path | None = None,
) -> list[Dependency]:
    """``helm dependency update``: resolve Chart.yaml's ranges, fetch into ``charts/``,
    write ``Chart.lock``; the dependencies afterwards."""
    return _fetch(
        "update",
        chart,
        plain_http=plain_http,
        skip_refresh=skip_refresh,
        verify=verify,
        keyring=keyring,
    )


def build_dependencies(
    chart: Path,
    *,
    plain_http: bool = False,
    skip_refresh: bool = False,
    verify: bool = False,
    keyring: Path | None = None,
) -> list[Dependency]:
    """``helm dependency build``: fetch what ``Chart.lock`` pins into ``charts/``."""
    return _fetch(
        "build",
        chart,
        plain_http=plain_http,
        skip_refresh=skip_refresh,
        verify=verify,
        keyring=keyring,
    )


def update_if_missing(chart: Path, *, plain_http: bool = False) -> bool:
    """``--dependency-update``: :func:`update_dependencies` when a dependency is missing
    (as Helm's install, template and upgrade do); whether it ran."""
    if not lacks_dependencies(chart):
        return False
    update_dependencies(chart, plain_http=plain_http)
    return True


def lacks_dependencies(chart: Path) -> bool:
    """Whether a chart directory lacks a dependency it declares, by the check the render
    then makes (``HelmChart.missing_dependencies``, as Helm's install checks before its
    ``--dependency-update``). False for a packaged chart, which carries its own."""
    from ._helm import HelmChart

    if not (chart / "Chart.yaml").is_file():
        return False
    loaded = HelmChart(chart)
    try:
        return bool(loaded.missing_dependencies())
    finally:
        loaded.close()
