"""Charts from classic HTTP chart repositories (an ``index.yaml`` and archives), as
``helm install --repo URL NAME`` finds them, through the SDK's pull.

Many charts are still published that way rather than to an OCI registry. The SDK's pull
reads the repository's index with Helm's own code, resolves ``--version`` (a version or
a range; none means the newest release) and downloads the archive; nothing of the user's
Helm repository list is read or written. A failure becomes one :class:`InputError` line
naming the chart and the repository, with the one thing to do about it.
"""

from __future__ import annotations

from pathlib import Path

from ._errors import InputError
from ._helm import _message, helm
from ._helm_messages import one_line

__all__ = ["REPOSITORY_SCHEMES", "check_repository_url", "pull_from_repository"]

#: The schemes Helm's getters fetch a chart repository over (``oci://`` is a registry).
REPOSITORY_SCHEMES = ("http://", "https://")

#: (words in the SDK's message, the hint for the user), first match wins.
_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("certificate", "x509", "tls:"),
     "a repository whose certificate a private CA signed: run chartsafe with "
     "SSL_CERT_FILE=CA.pem (Helm's code trusts the system's CAs and that file)"),
    (("401", "403", "unauthorized", "forbidden"),
     "chartsafe passes no repository credentials: download the chart with "
     "`helm pull NAME --repo URL --username USER` and give chartsafe the .tgz"),
    (("cannot be reached", "not a valid chart repository"),
     "check the URL: the repository's index must be at URL/index.yaml"),
    (("not found",),
     "check the chart's name and --version against the repository's index.yaml"),
)  # fmt: skip


def check_repository_url(url: str) -> str:
    """``--repo URL`` as Helm accepts it: an ``http://`` or ``https://`` URL with a host."""
    if not url.startswith(REPOSITORY_SCHEMES) or not url.split("://", 1)[1].strip("/"):
        hint = "an oci:// registry is not a --repo: give CHART as oci://HOST/PATH/NAME"
        raise InputError(
            f"--repo {url}: not an http:// or https:// chart repository URL",
            hint=hint if url.startswith("oci://") else "e.g. --repo https://charts.example.com",
        )
    return url


def pull_from_repository(
    name: str, url: str, destination: Path, *, version: str | None = None
) -> Path:
    """Download chart ``name`` (at ``version``; else the newest) from the repository at
    ``url`` into ``destination``, an empty folder; returns the archive."""
    h = helm()
    shown = f"{name} from {url}" + (f" --version {version}" if version else "")
    try:
        h.pull(name, destination=destination, version=version, repo_url=check_repository_url(url))
    except h.HelmError as exc:
        text = one_line(_message(exc))
        lowered = text.lower()
        hint = next((hint for words, hint in _HINTS if any(w in lowered for w in words)), None)
        raise InputError(f"{shown}: {text}", chart=shown, hint=hint) from None
    archives = sorted(destination.glob("*.tgz"))
    if len(archives) != 1:
        raise InputError(f"{shown}: the repository returned no chart archive", chart=shown)
    return archives[0]
