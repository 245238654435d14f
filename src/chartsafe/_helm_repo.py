"""Charts from classic HTTP chart repositories (an ``index.yaml`` and archives), as
``helm install --repo URL NAME`` and ``helm install REPO/NAME`` find them, through the
SDK's pull.

Many charts are still published that way rather than to an OCI registry. The SDK's pull
reads the repository's index with Helm's own code, resolves ``--version`` (a version or
a range; none means the newest release) and downloads the archive. ``REPO/NAME`` is looked
up in Helm's repository list (``helm repo add`` writes it): its URL and credentials go to
the SDK's pull, which keeps its own list, so the file is read, never written. Helm reads
the index it cached at the last ``helm repo update``; chartsafe reads the repository's
index as it is now. A failure becomes one :class:`InputError` line naming the chart and
the repository, with the one thing to do about it; a password is never in it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._errors import InputError, yaml_error_at
from ._fetch import shown_url
from ._helm import _message, helm
from ._helm_messages import one_line, outside_locations

__all__ = [
    "REPOSITORY_SCHEMES",
    "Repository",
    "RepositoryIndex",
    "check_repository_url",
    "configured_chart",
    "describe",
    "hide_password",
    "index_repository",
    "listed_url",
    "pull_from_repository",
    "repository_config_path",
]


@dataclass(frozen=True)
class Repository:
    """A chart repository: its URL, and for one of Helm's list its name and credentials."""

    url: str
    name: str | None = None  # None: given as --repo URL
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    insecure_skip_tls_verify: bool = False

    @property
    def credentials(self) -> bool:
        return bool(self.username or self.password)


def repository_config_path() -> Path:
    """Helm's repository list: ``$HELM_REPOSITORY_CONFIG``, else ``repositories.yaml`` in
    Helm's config home."""
    from ._helm_oci import helm_config_home

    env = os.environ.get("HELM_REPOSITORY_CONFIG")
    return Path(env) if env else helm_config_home() / "repositories.yaml"


def configured_chart(chart: str) -> tuple[Repository, str] | None:
    """``REPO/NAME`` as a repository of Helm's list and a chart name, or None when CHART is
    not one: a path that exists (Helm prefers it too), not two parts, or no repository of
    that name (then CHART is a local path that is missing, and says so)."""
    repo_name, _, name = chart.partition("/")
    if not repo_name or not name or "/" in name or Path(chart).exists():
        return None
    path = repository_config_path()
    entry = _entry_named(path, repo_name) if path.is_file() else None
    return (_repository(path, entry), name) if entry is not None else None


def listed_url(name: str) -> str | None:
    """The URL Helm's repository list gives the repository ``name``; None when the list
    has no such name or cannot be read (the caller's message then goes without it)."""
    path = repository_config_path()
    try:
        entry = _entry_named(path, name) if path.is_file() else None
    except InputError:
        return None
    url = entry.get("url") if entry is not None else None
    return url if isinstance(url, str) and url else None


def _entry_named(path: Path, name: str) -> dict[str, Any] | None:
    """The entry of repository ``name`` in the list at ``path``, if it has one."""
    return next((e for e in _entries(path) if e.get("name") == name), None)


def _entries(path: Path) -> list[dict[str, Any]]:
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise InputError(f"repository list {path}: {reason}") from None
    except yaml.YAMLError as exc:  # where, never the line: it may hold a password
        raise InputError(f"repository list {path}: {yaml_error_at(exc)}") from None
    except RecursionError:
        raise InputError(f"repository list {path}: nested too deeply to read") from None
    entries = loaded.get("repositories") if isinstance(loaded, dict) else None
    if loaded is not None and not isinstance(entries, list | None):
        raise InputError(
            f"repository list {path}: repositories: expected a list",
            hint="compare it with `helm repo list`, or add the repository again",
        )
    return [entry for entry in entries or [] if isinstance(entry, dict)]


def _repository(path: Path, entry: dict[str, Any]) -> Repository:
    name = str(entry["name"])
    where = f"repository {name} in {path}"
    url = entry.get("url")
    if not isinstance(url, str) or not url:
        raise InputError(f"{where}: no url", hint="add it again with helm repo add")
    try:
        check_repository_url(url, "url")
    except InputError as exc:
        raise InputError(
            f"{where}: {exc.message}", hint="add it again with helm repo add"
        ) from None
    if entry.get("certFile") or entry.get("keyFile"):
        raise InputError(
            f"{where}: a client certificate (certFile/keyFile), which Helm's pull in the SDK "
            "cannot be given",
            hint="fetch the chart with helm pull and give chartsafe the .tgz",
        )
    if entry.get("caFile"):
        raise InputError(
            f"{where}: caFile, which Helm's pull in the SDK cannot be given",
            hint="run chartsafe with SSL_CERT_FILE=CA.pem instead (Go trusts that file)",
        )
    username, password = entry.get("username"), entry.get("password")
    return Repository(
        url=url,
        name=name,
        username=str(username) if username else None,
        password=str(password) if password else None,
        insecure_skip_tls_verify=entry.get("insecure_skip_tls_verify") is True,
    )


#: The schemes Helm's getters fetch a chart repository over (``oci://`` is a registry).
REPOSITORY_SCHEMES = ("http://", "https://")

#: (words in the SDK's message, the hint for the user), first match wins.
_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("certificate", "x509", "tls:"),
     "a repository whose certificate a private CA signed: run chartsafe with "
     "SSL_CERT_FILE=CA.pem (Helm's code trusts the system's CAs and that file)"),
    (("401", "403", "unauthorized", "forbidden"),
     "credentials come from Helm's repository list: `helm repo add REPO URL --username "
     "USER --password-stdin` (again with --force-update to change them), then give CHART "
     "as REPO/NAME"),
    (("cannot be reached", "not a valid chart repository"),
     "check the URL: the repository's index must be at URL/index.yaml"),
    (("not found",),
     "check the chart's name and --version against the repository's index.yaml"),
)  # fmt: skip


def pull_hint(text: str) -> str | None:
    """The one thing to do about the SDK's pull error ``text``, judged by its words outside
    the URLs it quotes (see :func:`outside_locations`)."""
    lowered = outside_locations(text)
    return next((hint for words, hint in _HINTS if any(w in lowered for w in words)), None)


def hide_password(text: str, url: str) -> str:
    """``text`` without the password of ``url``'s user info (``https://user:pw@host``, which
    Go's HTTP client sends as basic auth), wherever Helm's message repeats the URL. The URL
    itself is shown with ``_fetch.shown_url``."""
    from urllib.parse import urlsplit

    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


def check_repository_url(url: str, flag: str = "--repo") -> str:
    """A chart repository's URL as Helm accepts it: ``http://`` or ``https://``, a host."""
    if not url.startswith(REPOSITORY_SCHEMES) or not url.split("://", 1)[1].strip("/"):
        oci = "an oci:// registry is not a --repo: give CHART as oci://HOST/PATH/NAME"
        raise InputError(
            f"{flag} {shown_url(url)}: not an http:// or https:// chart repository URL",
            hint=oci
            if url.startswith("oci://") and flag == "--repo"
            else f"e.g. {flag} https://charts.example.com",
        )
    return url


def pull_from_repository(
    name: str, repository: Repository, destination: Path, *, version: str | None = None
) -> Path:
    """Download chart ``name`` (at ``version``; else the newest) from ``repository`` into
    ``destination``, an empty folder; returns the archive."""
    h = helm()
    shown = describe(name, repository, version)
    try:
        h.pull(
            name,
            destination=destination,
            version=version,
            repo_url=repository.url,  # checked where it came in: --repo, or the list
            username=repository.username,
            password=repository.password,
            insecure_skip_tls_verify=repository.insecure_skip_tls_verify,
        )
    except h.HelmError as exc:
        failed: str | None = hide_password(one_line(_message(exc)), repository.url)
    else:
        failed = None
    # Raised here, not in the handler: there Helm's error, which quotes the URL with its
    # password, would stay on ours as __context__ (``from None`` only hides it).
    if failed is not None:
        raise InputError(f"{shown}: {failed}", chart=shown, hint=pull_hint(failed))
    archives = sorted(destination.glob("*.tgz"))
    if len(archives) != 1:
        raise InputError(f"{shown}: the repository returned no chart archive", chart=shown)
    return archives[0]


def describe(name: str, repository: Repository, version: str | None = None) -> str:
    """The chart as the user named it: ``REPO/NAME``, or ``NAME from URL`` for ``--repo``."""
    url = shown_url(repository.url)
    shown = f"{repository.name}/{name}" if repository.name else f"{name} from {url}"
    return f"{shown} --version {version}" if version else shown


@dataclass(frozen=True)
class RepositoryIndex:
    """What ``repo index`` wrote: the index file, and each chart's versions in it."""

    path: Path
    charts: dict[str, list[str]]


def index_repository(
    directory: str | os.PathLike[str],
    *,
    url: str | None = None,
    merge: str | os.PathLike[str] | None = None,
    json_index: bool = False,
) -> RepositoryIndex:
    """Write ``directory/index.yaml`` for the chart archives in it, as ``helm repo index``
    does, with Helm's own code: what a folder served over HTTP needs to be a chart
    repository. ``url`` prefixes each archive's URL (the address the folder is served at);
    ``merge`` keeps the entries of an existing index for versions the folder no longer
    holds; ``json_index`` also writes ``index.json``.
    """
    directory = Path(directory)
    merge = Path(merge) if merge is not None else None
    if not directory.is_dir():
        what = "not a directory" if directory.exists() else "no such directory"
        raise InputError(
            f"repo index {directory}: {what}", hint="give the folder of the .tgz files"
        )
    if merge is not None and not merge.is_file():
        raise InputError(
            f"--merge {merge}: no such file",
            hint="--merge takes the index.yaml the repository serves now",
        )
    if url is not None:
        check_repository_url(url, "--url")
    h = helm()
    try:
        made = h.repo_index_generate(directory, base_url=url, merge=merge, json_index=json_index)
    except h.HelmError as exc:
        where = f"--merge {merge}" if merge is not None else f"repo index {directory}"
        raise InputError(f"{where}: {one_line(_message(exc))}") from None
    entries = made.get("entries") or {}
    charts = {
        name: [str(e.get("version")) for e in versions if isinstance(e, dict)]
        for name, versions in sorted(entries.items())
        if isinstance(versions, list)
    }
    return RepositoryIndex(directory / "index.yaml", charts)
