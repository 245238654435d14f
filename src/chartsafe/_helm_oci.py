"""Charts as OCI artifacts through Helm's SDK: package, push, pull, registry login.

The sibling of ``_helm.py`` for registries: the only other module that touches
``helm_python``. Every SDK failure becomes a :class:`RegistryError` naming the
``oci://`` reference or the host, with the one thing to do about it, so a wrong
registry, a missing tag and refused credentials each read as one line; a
credentials file the SDK cannot decode is an :class:`InputError` naming the file
(``RegistryAccess.client``). No SDK error is left to reach the CLI as a bug.

Credentials live where Helm keeps them (``registry_config_path``), so a login
made here serves ``helm pull`` too and the other way round. Passwords go to the
SDK's login call and nowhere else; the SDK writes the file 0600 itself.

Quirks of helm-python-sdk 0.2.2 this module works around: ``pull`` ignores its
``username``/``password`` for ``oci://`` references (credentials come only from
a logged-in client's credentials file), and ``pull`` needs an existing
destination directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ._chart_source import OCI_SCHEME
from ._errors import ChartLoadError, InputError
from ._go_log import go_log_filtered
from ._helm import helm

__all__ = [
    "OCI_SCHEME",
    "PushResult",
    "RegistryAccess",
    "RegistryError",
    "archive_metadata",
    "helm_config_home",
    "package_chart",
    "pull_chart",
    "push_chart",
    "registry_config_path",
    "registry_login",
    "registry_logout",
]

_T = TypeVar("_T")


class RegistryError(InputError):
    """A registry cannot be reached, refuses the credentials, or lacks the chart.

    ``reference`` is the ``oci://`` reference or the host the message is about.
    """

    def __init__(self, message: str, *, reference: str, hint: str | None = None) -> None:
        super().__init__(message, chart=reference, hint=hint)
        self.reference = reference


def registry_config_path(explicit: Path | None = None) -> Path:
    """Where registry credentials live: Helm's own lookup order.

    ``--registry-config``, else ``$HELM_REGISTRY_CONFIG``, else
    ``registry/config.json`` under Helm's config home (``$HELM_CONFIG_HOME``,
    else ``$XDG_CONFIG_HOME/helm``, else ``~/.config/helm``).
    """
    if explicit is not None:
        return explicit
    env = os.environ.get("HELM_REGISTRY_CONFIG")
    if env:
        return Path(env)
    return helm_config_home() / "registry" / "config.json"


def helm_config_home() -> Path:
    """Helm's config home: ``$HELM_CONFIG_HOME``, else ``$XDG_CONFIG_HOME/helm``, else
    ``~/.config/helm``."""
    home = os.environ.get("HELM_CONFIG_HOME")
    if home:
        return Path(home)
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "helm"


@dataclass(frozen=True)
class RegistryAccess:
    """How to talk to a registry: HTTP or HTTPS, and which credentials file."""

    plain_http: bool = False
    registry_config: Path | None = None

    def __post_init__(self) -> None:
        if self.registry_config is not None:  # a str from a library caller, as a Path
            object.__setattr__(self, "registry_config", Path(self.registry_config))

    @property
    def credentials_file(self) -> Path:
        return registry_config_path(self.registry_config)

    def credentials_origin(self) -> str:
        """Where :attr:`credentials_file` came from: the flag, a variable or Helm's default."""
        if self.registry_config is not None:
            return "--registry-config"
        for name in ("HELM_REGISTRY_CONFIG", "HELM_CONFIG_HOME"):
            if os.environ.get(name):
                return f"${name}"
        return "Helm's default location"

    def client(self) -> Any:
        """Helm's registry client, which reads the credentials file as it starts.

        A file it cannot decode (not JSON, not Docker's ``config.json`` shape, a directory)
        would fail every registry command, so it is bad input naming the file, not a bug.
        """
        h = helm()
        path = self.credentials_file
        try:
            return h.RegistryClient(plain_http=self.plain_http, credentials_file=path)
        except h.HelmError as exc:
            detail = _one_line(exc).removeprefix(f"failed to decode config file {path}: ")
            raise InputError(
                f"registry credentials file {path} ({self.credentials_origin()}): {detail}",
                values_file=path,
                hint='it must hold Docker\'s config.json format, {"auths": {...}}: fix it, '
                "or remove it and run `chartsafe registry login HOST` again",
            ) from None


@dataclass
class PushResult:
    """What ``push`` put where: the reference with its tag, and the manifest digest.

    ``provenance`` is the ``.prov`` pushed with the archive (Helm's pusher uploads the one
    beside it as a layer of its own), or None when the chart was not signed.
    """

    reference: str
    chart: str
    version: str
    digest: str
    provenance: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "chart": self.chart,
            "version": self.version,
            "digest": self.digest,
            "provenance": None if self.provenance is None else str(self.provenance),
        }


def _one_line(exc: BaseException) -> str:
    return " ".join(part.strip() for part in str(exc).splitlines() if part.strip())


#: (words in the SDK's message, what it means, what to do). First match wins:
#: "basic credential not found" must be seen before the plain "not found".
_DIAGNOSES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("connection refused", "no such host", "i/o timeout", "connection reset"),
     "registry not reachable", "check HOST:PORT and that the registry is running"),
    (("server gave http response to https client",),
     "registry speaks plain HTTP", "pass --plain-http for a registry without TLS"),
    (("basic credential not found",),
     "registry needs credentials", "run `chartsafe registry login HOST` first"),
    (("status code 401", "status code 403", "unauthorized", "denied", "forbidden"),
     "credentials refused", "log in again with the right user and password"),
    (("could not locate a version",),
     "no version matches", "list the tags the registry has, or fix --version"),
    (("not found", "name unknown", "manifest unknown"),
     "no such chart or version in the registry", "check the chart path and --version"),
    (("certificate", "x509", "tls:"),
     "TLS failure", "a registry whose certificate a private CA signed: run chartsafe with "
     "SSL_CERT_FILE=CA.pem (Helm's code trusts the system's CAs and that file); "
     "--plain-http for a registry without TLS"),
)  # fmt: skip


def _diagnose(reference: str, exc: BaseException) -> RegistryError:
    from ._helm_messages import outside_locations

    text = _one_line(exc)
    lowered = outside_locations(text)
    for words, what, hint in _DIAGNOSES:
        if any(word in lowered for word in words):
            return RegistryError(f"{reference}: {what}: {text}", reference=reference, hint=hint)
    return RegistryError(f"{reference}: {text}", reference=reference)


def _call(reference: str, action: Callable[[], _T]) -> _T:
    """Run one SDK registry call; its failure becomes one RegistryError line."""
    h = helm()
    try:
        return action()
    except h.HelmError as exc:
        raise _diagnose(reference, exc) from None


def _require_oci(reference: str, what: str) -> str:
    if not reference.startswith(OCI_SCHEME) or len(reference) <= len(OCI_SCHEME):
        raise InputError(
            f"{what} {reference!r} is not an oci:// reference",
            hint="write oci://HOST[:PORT]/PATH, e.g. oci://registry.example.com/charts",
        )
    return reference


def normalize_host(host: str) -> str:
    """``HOST[:PORT]`` for login and logout; an ``oci://`` prefix is accepted, a path is not."""
    bare = host.removeprefix(OCI_SCHEME).rstrip("/")
    if not bare or "/" in bare:
        raise InputError(
            f"registry host {host!r}: expected HOST or HOST:PORT",
            hint="credentials belong to a whole registry, e.g. registry.example.com:5000",
        )
    return bare


def package_chart(
    chart: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    *,
    version: str | None = None,
    app_version: str | None = None,
) -> Path:
    """Package a chart directory into ``NAME-VERSION.tgz``, as ``helm package`` does."""
    chart, destination = Path(chart), Path(destination)
    h = helm()
    if not chart.is_dir():
        raise ChartLoadError(
            f"chart {chart}: not a chart directory",
            chart=chart,
            hint="package a directory with Chart.yaml; a .tgz is already packaged",
        )
    try:
        with go_log_filtered(str):  # the loader logs each symlinked folder it follows
            written = h.package(
                chart, destination=destination, version=version, app_version=app_version
            )
    except h.HelmError as exc:
        text = _one_line(exc)
        if version is not None and "version" in text.lower():
            raise InputError(
                f"--version {version}: {text}", hint="use a semantic version such as 1.2.3"
            ) from None
        raise ChartLoadError(f"chart {chart}: {text}", chart=chart) from None
    return Path(written)


def archive_metadata(archive: Path) -> tuple[str, str]:
    """The name and version a chart's Chart.yaml gives, read by Helm's loader."""
    from ._helm import HelmChart

    chart = HelmChart(archive)
    try:
        meta = chart.metadata
    finally:
        chart.close()
    return str(meta.get("name", "")), str(meta.get("version", ""))


def push_chart(
    archive: str | os.PathLike[str], remote: str, access: RegistryAccess | None = None
) -> PushResult:
    """Upload a packaged chart to ``oci://HOST/PATH``; the tag is the chart's version."""
    archive = Path(archive)
    access = access or RegistryAccess()
    remote = _require_oci(remote, "push destination").rstrip("/")
    if archive.is_dir():
        raise ChartLoadError(
            f"chart {archive}: push takes a packaged .tgz, not a directory",
            chart=archive,
            hint="run `chartsafe package` first",
        )
    name, version = archive_metadata(archive)
    reference = f"{remote}/{name}:{version}"
    prov = Path(f"{archive}.prov")
    signed = prov if prov.is_file() else None  # what Helm's pusher uploads with it
    with access.client() as client:
        _call(reference, lambda: client.push(archive, remote, plain_http=access.plain_http))
        found = _call(reference, lambda: client.resolve(reference))
    return PushResult(reference, name, version, str(found.get("digest", "")), signed)


def pull_chart(
    reference: str,
    destination: str | os.PathLike[str],
    *,
    version: str | None = None,
    access: RegistryAccess | None = None,
) -> Path:
    """Download ``oci://HOST/PATH/NAME`` (at ``version``; else the newest) into ``destination``.

    ``destination`` must be an empty directory: the one ``.tgz`` that lands in it is
    the chart, whatever name the registry's metadata gives it.
    """
    destination = Path(destination)
    access = access or RegistryAccess()
    _require_oci(reference, "chart")
    shown = f"{reference} --version {version}" if version else reference
    with access.client() as client:
        _call(
            shown,
            lambda: client.pull(
                reference, version=version, destination=destination, plain_http=access.plain_http
            ),
        )
    archives = sorted(destination.glob("*.tgz"))
    if len(archives) != 1:
        raise RegistryError(f"{shown}: the registry returned no chart archive", reference=shown)
    return archives[0]


def registry_login(
    host: str, username: str, password: str, access: RegistryAccess | None = None
) -> Path:
    """Check the credentials against the registry and store them; returns the credentials file."""
    access = access or RegistryAccess()
    bare = normalize_host(host)
    if not username:
        raise InputError("registry login: empty username", hint="pass -u USER")
    if not password:
        raise InputError("registry login: empty password", hint="pipe it to --password-stdin")
    with access.client() as client:
        _call(
            bare,
            lambda: client.login(bare, username, password, plain_http=access.plain_http),
        )
    return access.credentials_file


def registry_logout(host: str, access: RegistryAccess | None = None) -> Path:
    """Remove the stored credentials for ``host``; returns the credentials file.

    The SDK's logout succeeds silently when nothing is stored for the host, so a typo'd
    host would read as a logout; Helm says "not logged in", and so does this.
    """
    access = access or RegistryAccess()
    bare = normalize_host(host)
    with access.client() as client:  # first: a file it cannot read is reported as such
        path = access.credentials_file
        stored = _stored_hosts(path)
        if stored is not None and not ({bare} | _aliases(bare)) & stored:
            raise RegistryError(
                f"registry logout {bare}: not logged in (no credentials for it in {path}, "
                f"{access.credentials_origin()})",
                reference=bare,
                hint="name the host as at login, with its port; --registry-config picks the file",
            )
        _call(bare, lambda: client.logout(bare))
    return path


#: Docker Hub's names: a login to one is stored under https://index.docker.io/v1/.
_DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


def _aliases(host: str) -> frozenset[str]:
    return _DOCKER_HUB if host in _DOCKER_HUB else frozenset()


def _stored_hosts(path: Path) -> set[str] | None:
    """The hosts ``path`` holds credentials for; None when that cannot be told from the
    file: credentials kept by a credential helper (``credsStore``, ``credHelpers``)."""
    import json

    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        return None
    if not isinstance(config, dict) or config.get("credsStore") or config.get("credHelpers"):
        return None
    auths = config.get("auths") or {}
    if not isinstance(auths, dict):
        return None
    # Docker's keys may carry a scheme and path (https://index.docker.io/v1/)
    return {str(key).split("://", 1)[-1].split("/", 1)[0] for key in auths}
