"""Chart provenance: sign a packaged chart and verify it, with Helm's own code.

A chart archive ``NAME-VERSION.tgz`` is signed by a ``NAME-VERSION.tgz.prov`` beside it: an
OpenPGP clear-signed document holding the chart's metadata and the archive's SHA-256
(Helm's provenance format, readable by ``gpg --verify``). ``helm package --sign``
writes it, ``helm verify`` and ``helm install --verify`` check it; chartsafe calls the
same Go code through the SDK (``helm_python.sign`` / ``helm_python.verify``), so a chart
signed by one verifies with the other. ``chartsafe push`` uploads the ``.prov`` with the
archive, as ``helm push`` does, and :func:`pull_verified` fetches an ``oci://`` chart with
its provenance and checks it, as ``helm pull --verify`` does.

What goes wrong is sorted by who must act: a flag naming a file that is not there, or a
chart directory (Helm verifies archives only), is bad input (exit 2); an archive whose
provenance is missing, altered, or signed by a key the keyring does not hold failed the
check (exit 1), and the message says which.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import ChartLoadError, ChartsafeError, CheckFailed, InputError

__all__ = [
    "Provenance",
    "ProvenanceError",
    "default_keyring",
    "keyring_file",
    "provenance_failure",
    "pull_verified",
    "sign_chart",
    "verify_chart",
]


class ProvenanceError(CheckFailed):
    """The chart's provenance does not vouch for it: missing, altered or signed by a stranger."""


@dataclass(frozen=True)
class Provenance:
    """What a verified ``.prov`` vouches for: this archive's hash, signed by these keys."""

    archive: Path
    provenance_file: Path
    file_hash: str
    signed_by: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "archive": str(self.archive),
            "provenance_file": str(self.provenance_file),
            "file_hash": self.file_hash,
            "signed_by": list(self.signed_by),
        }


def default_keyring() -> Path:
    """Helm's default keyring: ``$GNUPGHOME/pubring.gpg``, else ``~/.gnupg/pubring.gpg``."""
    home = os.environ.get("GNUPGHOME")
    return Path(home, "pubring.gpg") if home is not None else Path.home() / ".gnupg" / "pubring.gpg"


#: GnuPG 2.1 and later keep keys in pubring.kbx, which Helm's OpenPGP code cannot read:
#: the keyring Helm wants is an export (public keys to verify, secret keys to sign).
_EXPORT_HINT = {
    "verify": "export the signer's public key: gpg --export > FILE, then pass --keyring FILE",
    "sign": "export the signing key: gpg --export-secret-keys > FILE, then pass --keyring FILE",
}


def keyring_file(keyring: str | os.PathLike[str] | None, use: str) -> Path:
    """The keyring to ``use`` ("verify" or "sign"): as given, else Helm's default; it must
    be a file (Helm's code would name only the path it could not open)."""
    path = Path(keyring) if keyring is not None else default_keyring()
    if not path.is_file():
        what = "no such file" if not path.exists() else "not a file"
        default = "" if keyring is not None else " (the default keyring)"
        raise InputError(f"--keyring {path}{default}: {what}", hint=_EXPORT_HINT[use])
    return path


def _require_archive(archive: Path, what: str) -> None:
    if archive.is_dir():
        raise InputError(
            f"chart {archive}: a chart directory cannot be {what}; Helm signs archives",
            chart=archive,
            hint="package it first: chartsafe package DIR --sign ...",
        )
    if not archive.is_file():
        raise ChartLoadError(f"chart {archive}: no such file", chart=archive)


def verify_chart(
    archive: str | os.PathLike[str],
    keyring: str | os.PathLike[str] | None = None,
    *,
    provenance_file: str | os.PathLike[str] | None = None,
) -> Provenance:
    """Check ``archive`` against its ``.prov`` (default: beside it) with ``keyring``.

    ``keyring`` is an OpenPGP public keyring (default: :func:`default_keyring`).
    Raises :class:`ProvenanceError` when the check fails, :class:`InputError` when a
    file to check with is missing or unreadable.
    """
    from ._helm import helm

    archive = Path(archive)
    provenance_file = Path(provenance_file) if provenance_file is not None else None
    _require_archive(archive, "verified")
    if provenance_file is not None and not provenance_file.is_file():
        raise InputError(f"--prov {provenance_file}: no such file", chart=archive)
    ring = keyring_file(keyring, "verify")
    prov = provenance_file if provenance_file is not None else Path(f"{archive}.prov")
    if not prov.is_file():
        raise ProvenanceError(
            f"chart {archive}: no provenance file {prov}",
            chart=archive,
            hint="get the .prov its publisher made, or sign it: chartsafe package --sign",
        )
    h = helm()
    try:
        found = h.verify(archive, ring, provenance_file=prov)
    except h.HelmError as exc:
        text = " ".join(str(exc).split())
        raise provenance_failure(f"chart {archive}", text, ring, chart=archive) or ProvenanceError(
            f"chart {archive}: provenance check failed: {text}", chart=archive
        ) from None
    return Provenance(
        archive=archive,
        provenance_file=prov,
        file_hash=str(found.get("file_hash", "")),
        signed_by=tuple(str(s) for s in found.get("signed_by") or ()),
    )


#: (words in Helm's message, what they mean, what to do): the failed checks Helm's
#: verifier reports, for a chart archive and for a dependency it downloads.
_FAILURES: tuple[tuple[str, str, str | None], ...] = (
    ("sha256 sum does not match", "the archive is not the one that was signed", None),
    ("signature made by unknown entity", "signed by a key the keyring does not hold",
     "import the publisher's public key into the keyring, or pass the right --keyring"),
    ("does not contain a SHA for a file named", "the provenance signs another file name",
     "keep the archive's file name: the .prov names the archive it signed"),
    ("failed to fetch provenance", "the chart has no provenance where it was downloaded",
     "ask its publisher to sign it (helm package --sign, then push the .prov with it)"),
    ("signature block not found", "the provenance file holds no signature", None),
)  # fmt: skip


def provenance_failure(
    where: str, text: str, ring: Path, *, chart: Path | None = None
) -> ChartsafeError | None:
    """The error for Helm's verifier message ``text`` about ``where``: the keyring named when
    it is unreadable (bad input), a :class:`ProvenanceError` when the check failed, None
    when the message is about something else."""
    text = " ".join(text.split())
    if "failed to load keyring" in text:
        return InputError(
            f"--keyring {ring}: not an OpenPGP keyring ({text})", hint=_EXPORT_HINT["verify"]
        )
    for words, meaning, hint in _FAILURES:
        if words in text:
            return ProvenanceError(
                f"{where}: provenance check failed: {meaning} ({text})", chart=chart, hint=hint
            )
    return None


def sign_chart(
    archive: str | os.PathLike[str],
    key: str,
    keyring: str | os.PathLike[str] | None = None,
    *,
    passphrase_file: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``archive``'s ``.prov``, signed by ``key`` from the secret ``keyring``.

    ``key`` is a part of the key's user ID that names one key. A key protected by a
    passphrase needs ``passphrase_file`` (its first line; ``-`` is stdin, which Helm's
    code opens as ``/dev/stdin``): nothing ever prompts. The passphrase is read by
    Helm's code and never by ours, so no chartsafe message can carry it.
    """
    from ._helm import helm

    archive = Path(archive)
    passphrase_file = Path(passphrase_file) if passphrase_file is not None else None
    _require_archive(archive, "signed")
    ring = keyring_file(keyring, "sign")
    opened = passphrase_file
    if passphrase_file is not None and str(passphrase_file) == "-":
        opened = Path("/dev/stdin")
    elif passphrase_file is not None and not passphrase_file.is_file():
        raise InputError(f"--passphrase-file {passphrase_file}: no such file")
    h = helm()
    try:
        written = h.sign(archive, key=key, keyring=ring, passphrase_file=opened)
    except h.HelmError as exc:
        raise _sign_error(" ".join(str(exc).split()), key, ring, passphrase_file) from None
    return Path(written)


def _sign_error(text: str, key: str, ring: Path, passphrase_file: Path | None) -> InputError:
    if text == "private key not found":
        return InputError(
            f"--key {key!r}: no secret key in {ring} has a user ID containing it",
            hint="list them with gpg --list-secret-keys; --keyring must hold secret keys",
        )
    if "not a private key" in text:
        return InputError(
            f"--keyring {ring}: holds no secret key for {key!r} (a public keyring?)",
            hint=_EXPORT_HINT["sign"],
        )
    if text.startswith("more than one key contain"):
        return InputError(
            f"--key {key!r}: more than one key in {ring} matches",
            hint="give more of the user ID, such as the e-mail address",
        )
    if "private key checksum failure" in text:
        if passphrase_file is None:
            return InputError(
                f"--key {key!r}: the key is protected by a passphrase",
                hint="pass --passphrase-file FILE, or - to read it from stdin",
            )
        return InputError(f"--passphrase-file {passphrase_file}: wrong passphrase for {key!r}")
    if text.startswith("openpgp:"):
        return InputError(
            f"--keyring {ring}: not an OpenPGP secret keyring ({text})", hint=_EXPORT_HINT["sign"]
        )
    return InputError(f"signing with {key!r} from {ring}: {text}")


def pull_verified(
    reference: str,
    destination: Path,
    *,
    repository: str | None = None,
    version: str | None = None,
    keyring: Path | None = None,
    plain_http: bool = False,
) -> Path:
    """Download ``oci://HOST/PATH/NAME`` (or chart ``reference`` of the HTTP chart
    ``repository``) with its provenance, check it, and return the archive (in
    ``destination``, an empty folder of the caller's).

    The SDK's pull fetches no provenance; its dependency fetch does, with Helm's own
    downloader and verifier (what ``helm pull --verify`` runs). So the chart is fetched as
    the one dependency of a throw-away chart in ``destination``: same registry (or
    repository) calls, same check. Like every dependency fetch, it reads registry
    credentials from Helm's config home only. ``version`` may be a range; none means the
    newest release (``*``).
    """
    from ._helm import _message, helm

    ring = keyring_file(keyring, "verify")
    if repository is None:
        base, _, name = reference.rstrip("/").rpartition("/")
    else:
        from ._fetch import shown_url

        base, name = repository, reference
        reference = f"{name} from {shown_url(repository)}"
    shown = f"{reference} --version {version}" if version else reference
    parent = destination / "verify"
    (parent / "charts").mkdir(parents=True)
    (parent / "Chart.yaml").write_text(
        "apiVersion: v2\nname: chartsafe-verify\nversion: 0.0.0\ndependencies:\n"
        f"  - name: {json.dumps(name)}\n    version: {json.dumps(version or '*')}\n"
        f"    repository: {json.dumps(base)}\n"
    )
    h = helm()
    try:
        h.dependency_update(parent, verify=True, keyring=ring, plain_http=plain_http)
    except h.HelmError as exc:
        text = " ".join(_message(exc).split()).replace(str(parent), reference)
        if repository is not None:  # a password in the URL's user info stays out of it
            from ._helm_repo import hide_password

            text = hide_password(text, repository)
        from ._dependencies import fetch_hint

        otherwise = (
            "check the reference and --version; --plain-http for a registry without TLS"
            if repository is None
            else "check the chart's name and --version against the repository's index.yaml"
        )
        raise provenance_failure(shown, text, ring) or InputError(
            f"{shown}: {text}", hint=fetch_hint(text, otherwise)
        ) from None
    archives = sorted((parent / "charts").glob("*.tgz"))
    if len(archives) != 1:
        raise InputError(f"{shown}: no chart archive was downloaded")
    return archives[0]
