"""Bad input around chart provenance (package --sign, verify, --verify): one line, exit 2.

Placeholders in the rows: {tgz} a signed agentapi-proxy archive, {tmp} the test's folder,
{keys} tests/data/provenance, {junk} a file that is not a keyring, {two} a keyring
holding two secret keys whose user IDs both contain "chartsafe". A row's failed check
(a provenance that does not vouch for the archive) exits 1 instead: that is
tests/provenance/test_provenance.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from chartsafe import sign_chart
from chartsafe._helm_oci import package_chart
from chartsafe.cli import main

REPO = Path(__file__).resolve().parents[2]
CHART = str(REPO / "charts" / "agentapi-proxy")
KEYS = REPO / "tests" / "data" / "provenance"
SIGN = ["package", CHART, "-d", "{tmp}/dist", "--sign"]
PUB = ["--keyring", "{keys}/pubring.gpg"]

# (id, args, words the one line must contain)
CASES: list[tuple[str, list[str], list[str]]] = [
    ("verify: a chart directory", ["verify", CHART, *PUB],
     [CHART, "a chart directory cannot be verified", "chartsafe package"]),
    ("verify: archive missing", ["verify", "{tmp}/none.tgz", *PUB],
     ["{tmp}/none.tgz", "no such file"]),
    ("verify: keyring missing", ["verify", "{tgz}", "--keyring", "{tmp}/ring.gpg"],
     ["--keyring {tmp}/ring.gpg", "no such file", "gpg --export"]),
    ("verify: default keyring missing", ["verify", "{tgz}"],
     ["--keyring {tmp}/gnupg/pubring.gpg (the default keyring)", "no such file"]),
    ("verify: keyring is not one", ["verify", "{tgz}", "--keyring", "{junk}"],
     ["--keyring {junk}", "not an OpenPGP keyring"]),
    ("verify: --prov missing", ["verify", "{tgz}", "--prov", "{tmp}/x.prov", *PUB],
     ["--prov {tmp}/x.prov", "no such file"]),
    ("template --verify: a chart directory", ["template", CHART, "--verify", *PUB],
     [CHART, "a chart directory cannot be verified"]),
    ("install --verify: an oci:// chart with --registry-config",
     ["install", "ap", "oci://127.0.0.1:9/charts/ap", "--verify", "--registry-config",
      "{tmp}/c.json", "--dry-run", "client", "--storage", "memory"],
     ["--verify with --registry-config", "oci://127.0.0.1:9/charts/ap", "registry login"]),
    ("template --verify: an oci:// registry not listening",
     ["template", "oci://127.0.0.1:9/charts/ap", "--version", "1.0.0", "--verify", *PUB],
     ["oci://127.0.0.1:9/charts/ap --version 1.0.0", "connection refused"]),
    ("up --verify: keyring missing",
     ["up", "ap", "{tgz}", "--store", "{tmp}/s.yaml", "--verify", "--keyring", "{tmp}/r.gpg"],
     ["--keyring {tmp}/r.gpg", "no such file"]),
    ("package: --sign without --key", [*SIGN], ["--key", "--sign needs the signing key"]),
    ("package: --key without --sign", ["package", CHART, "-d", "{tmp}", "--key", "x"],
     ["--key", "without --sign"]),
    ("package: --passphrase-file without --sign",
     ["package", CHART, "-d", "{tmp}", "--passphrase-file", "{junk}"],
     ["--passphrase-file", "without --sign"]),
    ("package: no such key", [*SIGN, "--key", "nobody", "--keyring", "{keys}/signer-secring.gpg"],
     ["--key 'nobody'", "no secret key", "gpg --list-secret-keys"]),
    ("package: a public keyring", [*SIGN, "--key", "signer@", *PUB],
     ["--keyring {keys}/pubring.gpg", "holds no secret key", "--export-secret-keys"]),
    ("package: two keys match", [*SIGN, "--key", "chartsafe", "--keyring", "{two}"],
     ["--key 'chartsafe'", "more than one key", "e-mail"]),
    ("package: keyring is not one", [*SIGN, "--key", "signer@", "--keyring", "{junk}"],
     ["--keyring {junk}", "not an OpenPGP secret keyring"]),
    ("package: keyring missing", [*SIGN, "--key", "signer@", "--keyring", "{tmp}/r.gpg"],
     ["--keyring {tmp}/r.gpg", "no such file", "--export-secret-keys"]),
    ("package: passphrase file missing",
     [*SIGN, "--key", "locked@", "--keyring", "{keys}/locked-secring.gpg", "--passphrase-file",
      "{tmp}/none"],
     ["--passphrase-file {tmp}/none", "no such file"]),
    ("dependency update --verify: keyring missing",
     ["dependency", "update", CHART, "--verify", "--keyring", "{tmp}/r.gpg"],
     ["--keyring {tmp}/r.gpg", "no such file"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("bad-input-provenance")
    tgz = package_chart(Path(CHART), root)
    sign_chart(tgz, "signer@chartsafe.test", KEYS / "signer-secring.gpg")
    junk = root / "junk.gpg"
    junk.write_text("not a keyring\n")
    two = root / "two.gpg"
    two.write_bytes(
        (KEYS / "signer-secring.gpg").read_bytes() + (KEYS / "locked-secring.gpg").read_bytes()
    )
    return {"tgz": str(tgz), "keys": str(KEYS), "junk": str(junk), "two": str(two)}


@pytest.mark.parametrize(("args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line(
    world: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    words: list[str],
) -> None:
    fill = {**world, "tmp": str(tmp_path)}
    monkeypatch.setenv("GNUPGHOME", str(tmp_path / "gnupg"))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main([a.format(**fill) for a in args]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word.format(**fill) in lines[0], lines[0]
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").glob("*.prov"))


def test_a_missing_signing_keyring_is_refused_before_anything_is_packaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.format(tmp=tmp_path) for a in SIGN]
    assert main([*args, "--key", "signer@", "--keyring", str(tmp_path / "none.gpg")]) == 2
    assert not (tmp_path / "dist").exists()
