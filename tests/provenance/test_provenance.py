"""Chart provenance: ``package --sign``, ``verify`` and ``--verify`` on every command taking CHART.

Signing and verifying run Helm's own code through the SDK; the keyrings are test-only keys
in tests/data/provenance (its README says how they were made). GnuPG, where installed,
is the peer: it checks the signatures chartsafe writes, and signs a provenance file
that chartsafe then verifies.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from chartsafe import Provenance, ProvenanceError, sign_chart, verify_chart
from chartsafe._helm_oci import package_chart
from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
KEYS = REPO / "tests" / "data" / "provenance"
PUBRING = KEYS / "pubring.gpg"
SIGNER = "signer@chartsafe.test"
LOCKED = "locked@chartsafe.test"
PASSPHRASE = "chartsafe-test-passphrase"
CHART = REPO / "charts" / "agentapi-proxy"
GPG = shutil.which("gpg")


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """agentapi-proxy packaged and signed by the test signer (read-only for the tests)."""
    archive = package_chart(CHART, tmp_path_factory.mktemp("signed"))
    sign_chart(archive, SIGNER, KEYS / "signer-secring.gpg")
    return archive


def _copy(archive: Path, folder: Path, *, prov: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / archive.name
    shutil.copyfile(archive, copy)
    if prov:
        shutil.copyfile(f"{archive}.prov", f"{copy}.prov")
    return copy


def test_package_sign_then_verify_names_the_signer_and_the_archives_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = tmp_path / "dist"
    args = ["package", str(CHART), "-d", str(dist), "--sign", "--key", SIGNER]
    assert main([*args, "--keyring", str(KEYS / "signer-secring.gpg")]) == 0
    archive = dist / "agentapi-proxy-0.1.0.tgz"
    assert f"Signed it: {archive}.prov" in capsys.readouterr().out
    assert main(["verify", str(archive), "--keyring", str(PUBRING)]) == 0
    out = capsys.readouterr().out
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert out.splitlines() == [
        "Signed by: chartsafe test signer <signer@chartsafe.test>",
        f"Chart Hash Verified: sha256:{digest}",
    ]


def test_verify_json_and_the_library_agree(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(signed), "--keyring", str(PUBRING), "-o", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    found = verify_chart(signed, PUBRING)
    assert isinstance(found, Provenance)
    assert shown == found.as_dict()
    assert found.provenance_file == Path(f"{signed}.prov")
    assert found.signed_by == ("chartsafe test signer <signer@chartsafe.test>",)


def test_the_default_keyring_is_helms(
    signed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg (HOME is a temp folder here)."""
    monkeypatch.delenv("GNUPGHOME", raising=False)
    home_ring = Path.home() / ".gnupg" / "pubring.gpg"
    home_ring.parent.mkdir(parents=True)
    shutil.copyfile(PUBRING, home_ring)
    assert verify_chart(signed).signed_by
    monkeypatch.setenv("GNUPGHOME", str(tmp_path))
    with pytest.raises(Exception, match=r"pubring\.gpg \(the default keyring\): no such file"):
        verify_chart(signed)


def test_a_protected_key_signs_with_its_passphrase_from_a_file_or_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = str(KEYS / "locked-secring.gpg")
    phrase = tmp_path / "passphrase"
    phrase.write_text(PASSPHRASE + "\n")
    args = ["package", str(CHART), "-d", str(tmp_path / "a"), "--sign", "--key", LOCKED]
    assert main([*args, "--keyring", locked, "--passphrase-file", str(phrase)]) == 0
    assert verify_chart(tmp_path / "a" / "agentapi-proxy-0.1.0.tgz", PUBRING).signed_by == (
        "chartsafe locked test signer <locked@chartsafe.test>",
    )
    # Helm's code opens /dev/stdin itself: the process's real stdin, so a child process.
    done = subprocess.run(
        [sys.executable, "-m", "chartsafe", "package", str(CHART), "-d", str(tmp_path / "b"),
         "--sign", "--key", LOCKED, "--keyring", locked, "--passphrase-file", "-"],
        input=PASSPHRASE + "\n", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert verify_chart(tmp_path / "b" / "agentapi-proxy-0.1.0.tgz", PUBRING).signed_by


@pytest.mark.parametrize(
    ("phrase", "words"),
    [
        (None, ["--key 'locked@chartsafe.test'", "protected by a passphrase",
                "--passphrase-file"]),
        ("not-the-passphrase-4410", ["--passphrase-file", "wrong passphrase"]),
    ],
    ids=["no passphrase", "wrong passphrase"],
)  # fmt: skip
def test_a_protected_key_without_its_passphrase_is_one_line_that_never_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], phrase: str | None, words: list[str]
) -> None:
    args = ["package", str(CHART), "-d", str(tmp_path), "--sign", "--key", LOCKED]
    args += ["--keyring", str(KEYS / "locked-secring.gpg")]
    if phrase is not None:
        (tmp_path / "p").write_text(phrase + "\n")
        args += ["--passphrase-file", str(tmp_path / "p")]
    assert main(args) == 2
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0]
    assert not (tmp_path / "agentapi-proxy-0.1.0.tgz.prov").exists()
    if phrase is not None:
        assert phrase not in out + err


def _tampered(archive: Path, folder: Path) -> Path:
    copy = _copy(archive, folder)
    with copy.open("ab") as file:
        file.write(b"\0")
    return copy


def _stranger_signed(archive: Path, folder: Path) -> Path:
    copy = _copy(archive, folder, prov=False)
    sign_chart(copy, "stranger@chartsafe.test", KEYS / "stranger-secring.gpg")
    return copy


def _renamed(archive: Path, folder: Path) -> Path:
    copy = _copy(archive, folder)
    renamed = copy.with_name("agentapi-proxy-9.9.9.tgz")
    copy.rename(renamed)
    Path(f"{copy}.prov").rename(f"{renamed}.prov")
    return renamed


def _unsigned_prov(archive: Path, folder: Path) -> Path:
    copy = _copy(archive, folder)
    prov = Path(f"{copy}.prov")
    prov.write_text(prov.read_text().split("-----BEGIN PGP SIGNATURE-----")[0])
    return copy


#: (id, how the archive is broken, words of the one line); each is a failed check: exit 1.
FAILED = [
    ("altered archive", _tampered, ["not the one that was signed", "sha256 sum does not match"]),
    ("a stranger signed it", _stranger_signed,
     ["signed by a key the keyring does not hold", "import the publisher's public key"]),
    ("renamed archive", _renamed, ["signs another file name", "agentapi-proxy-9.9.9.tgz"]),
    ("no provenance file", lambda a, f: _copy(a, f, prov=False),
     ["no provenance file", ".tgz.prov", "chartsafe package --sign"]),
    ("provenance without signature", _unsigned_prov, ["holds no signature"]),
]  # fmt: skip


@pytest.mark.parametrize(("make", "words"), [c[1:] for c in FAILED], ids=[c[0] for c in FAILED])
def test_a_chart_its_provenance_does_not_vouch_for_fails_the_check(
    signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object,
    words: list[str],
) -> None:  # fmt: skip
    archive = make(signed, tmp_path)  # type: ignore[operator]
    assert main(["verify", str(archive), "--keyring", str(PUBRING)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert str(archive) in lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    with pytest.raises(ProvenanceError):
        verify_chart(archive, PUBRING)


@pytest.fixture(scope="module")
def broken(signed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tampered(signed, tmp_path_factory.mktemp("tampered"))


#: Every command that takes CHART, as far as its arguments go (no cluster is reached:
#: the provenance is checked before anything reads the chart).
COMMANDS = [
    ["template", "ap", "{chart}"],
    ["lint", "{chart}"],
    ["contract", "ap", "{chart}"],
    ["check", "ap", "{chart}", "--against", "{tmp}"],
    ["audit", "ap", "{chart}"],
    ["secrets", "init", "ap", "{chart}", "--store", "{tmp}/store.yaml"],
    ["secrets", "render", "ap", "{chart}", "--store", "{store}", "--as", "secret"],
    ["install", "ap", "{chart}", "--dry-run", "client", "--storage", "memory"],
    ["upgrade", "--install", "ap", "{chart}", "--dry-run", "client", "--storage", "memory"],
    ["diff", "upgrade", "ap", "{chart}", "--storage", "memory"],
    ["up", "ap", "{chart}", "--store", "{tmp}/store.yaml", "--out", "{tmp}/bundle"],
    ["show", "values", "{chart}"],
]


@pytest.fixture(scope="module")
def store(signed: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store filled for the signed chart (``secrets render`` opens its store first)."""
    path = tmp_path_factory.mktemp("store") / "store.yaml"
    key = path.parent / "key.txt"
    assert main(["keys", "init", "--key-file", str(key)]) == 0
    recipient = key.read_text().split("public key: ")[1].split()[0]
    args = ["secrets", "init", "ap", str(signed), "--store", str(path), "--age", recipient]
    assert main(args) == 0
    return str(path)


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_verify_stops_every_command_before_it_reads_an_altered_chart(
    broken: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    fill = {"chart": str(broken), "tmp": str(tmp_path)}
    if "{store}" in command:
        fill["store"] = request.getfixturevalue("store")
        monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(Path(fill["store"]).parent / "key.txt"))
    args = [a.format(**fill) for a in command]
    capsys.readouterr()
    assert main([*args, "--verify", "--keyring", str(PUBRING)]) == 1
    err = capsys.readouterr().err
    assert "provenance check failed: the archive is not the one that was signed" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written, no store made


def test_verify_lets_a_signed_chart_through(
    signed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["template", "ap", str(signed), "--verify", "--keyring", str(PUBRING)]
    assert main(args) == 0
    assert "# Source: agentapi-proxy/templates/" in capsys.readouterr().out


@pytest.fixture
def gnupg(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A throw-away GNUPGHOME for the gpg peer; its agent is stopped afterwards."""
    if GPG is None:
        pytest.skip("gpg is not installed (.ci/run installs gnupg)")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    yield env
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False, capture_output=True)


def _gpg(env: dict[str, str], *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    assert GPG is not None
    done = subprocess.run(
        [GPG, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", *args],
        input=stdin, env=env, capture_output=True, check=False,
    )  # fmt: skip
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode()
    )


def test_gpg_accepts_the_signature_chartsafe_writes(signed: Path, gnupg: dict[str, str]) -> None:
    assert _gpg(gnupg, "--import", str(PUBRING)).returncode == 0
    checked = _gpg(gnupg, "--verify", f"{signed}.prov")
    assert checked.returncode == 0, checked.stderr
    assert 'Good signature from "chartsafe test signer <signer@chartsafe.test>"' in checked.stderr
    altered = Path(f"{signed}.prov").read_text().replace("name: agentapi-proxy", "name: other", 1)
    refused = _gpg(gnupg, "--verify", stdin=altered.encode())
    assert refused.returncode != 0
    assert "BAD signature" in refused.stderr


def test_chartsafe_verifies_a_provenance_file_gpg_signed(
    signed: Path, tmp_path: Path, gnupg: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """The signed body Helm wrote, signed again by GnuPG's --clearsign with another key."""
    assert _gpg(gnupg, "--import", str(KEYS / "stranger-secring.gpg")).returncode == 0
    body = _gpg(gnupg, "--decrypt", f"{signed}.prov")  # the clear-signed text, unescaped
    assert "files:" in body.stdout
    copy = _copy(signed, tmp_path / "gpg", prov=False)
    signing = _gpg(gnupg, "--clearsign", "--digest-algo", "SHA512", "-u",
                   "stranger@chartsafe.test", stdin=body.stdout.encode())  # fmt: skip
    assert signing.returncode == 0, signing.stderr
    Path(f"{copy}.prov").write_text(signing.stdout)
    stranger_pub = tmp_path / "stranger.gpg"
    stranger_pub.write_bytes(
        subprocess.run(
            [GPG or "gpg", "--export", "stranger@chartsafe.test"],
            env=gnupg, capture_output=True, check=True,
        ).stdout
    )  # fmt: skip
    assert main(["verify", str(copy), "--keyring", str(stranger_pub)]) == 0
    assert "Signed by: chartsafe stranger <stranger@chartsafe.test>" in capsys.readouterr().out
    assert main(["verify", str(copy), "--keyring", str(PUBRING)]) == 1  # not the stranger's


def test_no_verify_command_writes(signed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``verify`` reads only: the folder holding the archive is unchanged after it."""
    before = sorted((p.name, p.stat().st_mtime_ns) for p in signed.parent.iterdir())
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["verify", str(signed), "--keyring", str(PUBRING)]) == 0
    assert sorted((p.name, p.stat().st_mtime_ns) for p in signed.parent.iterdir()) == before
