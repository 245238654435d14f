"""Bad input to seal, unseal, reseal and sealed verify/cert: one clear line, exit 2."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from bad_input import one_clear_line

from chartsafe.cli import main

GENERATED = Path(__file__).resolve().parents[3] / "shared" / "vectors" / "sealed" / "generated"
DATA = Path(__file__).resolve().parents[1] / "data" / "sealed"
CERT = str(GENERATED / "rsa2048.cert.pem")
KEY = str(GENERATED / "rsa2048.key.pem")
SECRET = str(DATA / "secret-full.yaml")
SEALED = str(GENERATED / "sealedsecret.kubeseal-format-yaml.yaml")


def _expired_cert(tmp: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    from chartsafe.deliver.sealed_keys import parse_private_keys

    key = parse_private_keys(Path(KEY).read_bytes(), source="k")[0]
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "old")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(1)
        .not_valid_before(dt.datetime(2015, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2016, 1, 1, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    path = tmp / "expired.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


def _small_cert(tmp: Path, bits: int = 512) -> str:
    """A certificate for an RSA key too small for RSA-OAEP SHA-256 to wrap a session key
    (``openssl req -x509 -newkey rsa:512``); only its public key matters, so the modulus is
    any odd number of that size and the certificate is signed with the test key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from chartsafe.deliver.sealed_keys import parse_private_keys

    signer = parse_private_keys(Path(KEY).read_bytes(), source="k")[0]
    small = rsa.RSAPublicNumbers(65537, (1 << (bits - 1)) | (0xC0FFEE << 64) | 1).public_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(small)
        .serial_number(1).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=10)).sign(signer, hashes.SHA256())
    )  # fmt: skip
    path = tmp / f"r{bits}.crt"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


def _store(tmp: Path) -> list[str]:
    """A store with one key, and the flags that open it."""
    from chartsafe.store import create_identity_file

    recipient = create_identity_file(tmp / "age.txt", exist_ok=True)
    store = str(tmp / "store.yaml")
    argv = ["secrets", "set", "-n", "x", "s", "k", "--from-literal", "v", "--store", store,
            "--age", recipient]  # fmt: skip
    assert main(argv) == 0
    return ["--store", store, "--age-key-file", str(tmp / "age.txt")]


#: A chart that reads no Secret: the certificate is still read, before anything is sealed.
READER = str(Path(__file__).resolve().parents[1] / "data" / "check" / "configmap-reader")
_SMALL = ["512 bits", "too small to seal with", "784 bits or more"]


def _write(tmp: Path, name: str, text: str) -> str:
    path = tmp / name
    path.write_text(text)
    return str(path)


def _write_bytes(tmp: Path, name: str, data: bytes) -> str:
    path = tmp / name
    path.write_bytes(data)
    return str(path)


_BARE = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ok\nstringData:\n  a: b\n"
#: A Secret for the SealedSecret SEALED (mysecret in default, namespace-wide) to merge.
_MINE = _BARE.replace("name: ok", "name: mysecret")


def _merge(secret: str, *extra: str, target: str | None = None) -> Callable[[Path], list[str]]:
    """``seal -f SECRET --merge-into (a copy of SEALED)``; the Secret given as YAML text."""

    def argv(tmp: Path) -> list[str]:
        into = target if target is not None else _write(tmp, "into.yaml", Path(SEALED).read_text())
        return ["seal", "-f", _write(tmp, "s.yaml", secret), "--cert", CERT, "--merge-into",
                into, *extra]  # fmt: skip

    return argv


#: SEALED without metadata.namespace: a merge takes the Secret's, else -n, as kubeseal.
_NO_NAMESPACE = Path(SEALED).read_text().replace("  name: mysecret\n  namespace: default\n",
                                                 "  name: mysecret\n", 1)  # fmt: skip
_V1 = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: mysecret}\n" \
      "spec: {data: AQA=}\n"  # fmt: skip

# (id, args or builder, exit code, words the message must contain)
CASES: list[tuple[str, object, int, list[str]]] = [
    ("seal: cert file missing", ["seal", "-f", SECRET, "--cert", "/no/cert.pem"], 2,
     ["--cert /no/cert.pem", "no such file"]),
    ("seal: cert is not PEM", ["seal", "-f", SECRET, "--cert", SECRET], 2,
     ["no PEM CERTIFICATE block"]),
    ("seal: cert expired", lambda t: ["seal", "-f", SECRET, "--cert", _expired_cert(t)], 2,
     ["expired on 2016-01-01"]),
    ("seal: cert RSA key too small", lambda t: ["seal", "-f", SECRET, "--cert",
     _small_cert(t)], 2, ["r512.crt", *_SMALL]),
    ("seal --raw: cert RSA key too small", lambda t: ["seal", "--raw", "--from-file", SECRET,
     "--scope", "cluster-wide", "--cert", _small_cert(t)], 2, ["r512.crt", *_SMALL]),
    ("seal: cert RSA key of 776 bits too small", lambda t: ["seal", "-f", SECRET, "--cert",
     _small_cert(t, 776)], 2, ["r776.crt", "776 bits", "too small to seal with"]),
    ("reseal: cert RSA key too small", lambda t: ["reseal", SEALED, "--from-key", KEY,
     "--cert", _small_cert(t)], 2, ["r512.crt", *_SMALL]),
    ("sealed cert: cert RSA key too small", lambda t: ["sealed", "cert", "--cert",
     _small_cert(t)], 2, ["r512.crt", *_SMALL]),
    ("secrets render --as sealed: cert RSA key too small", lambda t: ["secrets", "render",
     "rel", READER, *_store(t), "--as", "sealed", "--cert", _small_cert(t)], 2,
     ["r512.crt", *_SMALL]),
    ("up --deliver sealed: cert RSA key too small", lambda t: ["up", "rel", READER,
     *_store(t), "--deliver", "sealed", "--cert", _small_cert(t), "--out", str(t / "b")], 2,
     ["r512.crt", *_SMALL]),
    ("seal: cert URL unreachable", ["seal", "-f", SECRET, "--cert", "http://127.0.0.1:9/c.pem"], 2,
     ["--cert http://127.0.0.1:9/c.pem", "cannot fetch"]),
    ("seal: secret file missing", ["seal", "-f", "/no/s.yaml", "--cert", CERT], 2,
     ["--secret-file /no/s.yaml", "no such file"]),
    ("seal: secret YAML broken", lambda t: ["seal", "-f", _write(t, "b.yaml", "a: [1\n"),
     "--cert", CERT], 2, ["b.yaml", "YAML syntax error", "line"]),
    ("seal: secret file not UTF-8", lambda t: ["seal", "-f", _write_bytes(t, "b.yaml",
     b"kind: Secret\n\xff\xfe\n"), "--cert", CERT], 2, ["b.yaml", "not UTF-8 text"]),
    ("seal: secret file nested too deeply", lambda t: ["seal", "-f", _write(t, "d.yaml",
     "a: " + "[" * 3000 + "]" * 3000 + "\n"), "--cert", CERT], 2, ["d.yaml", "nested too deeply"]),
    ("seal: namespace disagrees", ["seal", "-f", SECRET, "--cert", CERT, "-n", "prod"], 2,
     ["namespace is tracecat but -n says prod"]),
    ("seal: bad scope", ["seal", "-f", SECRET, "--cert", CERT, "--scope", "global"], 2,
     ["--scope"]),
    ("seal: -n not a namespace name", lambda t: ["seal", "-f", _write(t, "s.yaml", _BARE),
     "--cert", CERT, "-n", "Bad_NS"], 2, ["namespace 'Bad_NS'", "API server would refuse"]),
    ("seal: --name not a Secret name", ["seal", "-f", SECRET, "--cert", CERT, "--name",
     "Bad_Name"], 2, ["Secret name 'Bad_Name'", "API server would refuse"]),
    ("seal: data key not a Secret key", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE.replace("a: b", "bad key: b")), "--cert", CERT], 2,
     ["key 'bad key'", "API server would refuse"]),
    ("seal: YAML boolean in stringData", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE.replace("a: b", "enabled: true\n  port: 8080")), "--cert", CERT], 2,
     ["Secret ok: stringData.enabled: must be of type string; stringData.port:",
      "quote YAML values such as true"]),
    ("seal: data not a mapping", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE + "data: [a]\n"), "--cert", CERT], 2, ["Secret ok: data: must be of "
                                                                   "type object"]),
    ("seal: metadata not a mapping", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE.replace("metadata:\n  name: ok", "metadata: [ok]")), "--cert", CERT],
     2, ["the Secret: metadata: must be of type object"]),
    ("seal: annotations not a mapping", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE.replace("name: ok", "name: ok\n  annotations: x")), "--cert", CERT],
     2, ["Secret ok: metadata.annotations: must be of type object"]),
    ("seal: a label that is a number", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE.replace("name: ok", "name: ok\n  labels: {tier: 2}")), "--cert",
        CERT], 2, ["metadata.labels.tier: must be of type string", "quote YAML values"]),
    ("seal: a misspelt stringData", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE.replace("stringData", "stringdata")), "--cert", CERT], 2,
     ["'stringdata' was unexpected", "the API server would refuse the Secret too"]),
    ("seal: immutable as text", lambda t: ["seal", "-f", _write(
        t, "s.yaml", _BARE + "immutable: 'yes'\n"), "--cert", CERT], 2,
     ["immutable: must be of type boolean"]),
    ("seal: --from-file without --raw", ["seal", "--from-file", SECRET, "--cert", CERT], 2,
     ["--from-file works only with --raw"]),
    ("seal: raw strict without name", ["seal", "--raw", "--cert", CERT, "-n", "x"], 2,
     ["--raw with scope strict needs --name"]),
    ("seal: raw, -n not a namespace name", ["seal", "--raw", "--cert", CERT, "-n", "Bad_NS",
     "--name", "db"], 2, ["namespace 'Bad_NS'", "API server would refuse"]),
    ("seal: raw, --name not a Secret name", ["seal", "--raw", "--cert", CERT, "-n", "prod",
     "--name", "Bad_Name"], 2, ["Secret name 'Bad_Name'", "API server would refuse"]),
    ("seal: raw without namespace", ["seal", "--raw", "--cert", CERT, "--scope",
     "namespace-wide"], 2, ["needs -n/--namespace"]),
    ("seal: no kubeconfig for the controller", ["seal", "-f", SECRET], 2,
     ["no kubeconfig found"]),
    ("merge: --name names another", _merge(_MINE, "--name", "db"), 2,
     ["into.yaml is SealedSecret mysecret but --name is db"]),
    ("merge: -n names another namespace", _merge(_MINE, "-n", "prod"), 2,
     ["into.yaml is for namespace default but -n says prod"]),
    ("merge: no namespace in the file, -n and the Secret's differ", lambda t: _merge(
        _MINE.replace("name: mysecret", "name: mysecret\n  namespace: prod"), "-n", "staging",
        target=_write(t, "nons.yaml", _NO_NAMESPACE))(t), 2,
     ["nons.yaml names no namespace, the Secret's is prod but -n says staging"]),
    ("merge: --scope differs", _merge(_MINE, "--scope", "strict"), 2,
     ["into.yaml is sealed namespace-wide but --scope says strict"]),
    ("merge: the Secret's scope annotation differs", _merge(_MINE.replace(
        "name: mysecret", "name: mysecret\n  annotations:\n    "
        "sealedsecrets.bitnami.com/cluster-wide: 'true'")), 2,
     ["is sealed namespace-wide but the Secret's annotations say cluster-wide"]),
    ("merge: the Secret's metadata not a mapping", _merge(_BARE.replace(
        "metadata:\n  name: ok", "metadata: [ok]")), 2,
     ["the Secret: metadata: must be of type object"]),
    ("merge: file missing", _merge(_MINE, target="/no/sealed.yaml"), 2,
     ["--merge-into /no/sealed.yaml", "no such file"]),
    ("merge: file holds a Secret", _merge(_MINE, target=SECRET), 2,
     ["--merge-into", "want one SealedSecret, found Secret"]),
    ("merge: file in the deprecated v1 format", lambda t: _merge(
        _MINE, target=_write(t, "v1.yaml", _V1))(t), 2, ["spec.data is the deprecated v1 "
                                                         "format", "chartsafe reseal"]),
    ("merge: two Secrets", _merge(_MINE + "---\n" + _MINE), 2,
     ["--merge-into takes one Secret", "has 2"]),
    ("merge: with --raw", ["seal", "--raw", "--cert", CERT, "--merge-into", SEALED], 2,
     ["--merge-into and --raw"]),
    ("merge: with -w", ["seal", "-f", SECRET, "--cert", CERT, "--merge-into", SEALED, "-w",
     "/tmp/x.yaml"], 2, ["--merge-into and -w"]),
    ("unseal: key missing", ["unseal", SEALED, "--private-key", "/no/key.pem"], 2,
     ["--private-key /no/key.pem", "no such file"]),
    ("unseal: key is a cert", ["unseal", SEALED, "--private-key", CERT], 2,
     ["no PEM PRIVATE KEY block"]),
    ("unseal: wrong key", ["unseal", SEALED, "--private-key",
     str(GENERATED / "rsa4096.key.pem")], 2, ["item password", "no private key opens"]),
    ("unseal: not a SealedSecret", ["unseal", SECRET, "--private-key", KEY], 2,
     ["expected a SealedSecret"]),
    ("unseal: FILE and -f", ["unseal", SEALED, "-f", SEALED, "--private-key", KEY], 2,
     [f"FILE {SEALED} and -f {SEALED}: two inputs", "give the manifest once"]),
    ("unseal: -f missing", ["unseal", "-f", "/no/sealed.yaml", "--private-key", KEY], 2,
     ["--secret-file /no/sealed.yaml", "no such file"]),
    ("reseal: FILE and -f", ["reseal", SEALED, "--secret-file", SEALED, "--from-key", KEY,
     "--cert", CERT], 2, ["two inputs"]),
    ("reseal: no old key opens", ["reseal", SEALED, "--from-key",
     str(GENERATED / "rsa4096.key.pem"), "--cert", CERT], 2, ["no private key opens"]),
    ("verify: no SealedSecret in file", ["sealed", "verify", SECRET], 2,
     ["no SealedSecret in it"]),
    ("verify: FILE and -f", ["sealed", "verify", SEALED, "-f", SEALED], 2, ["two inputs"]),
    ("verify: nothing on stdin", ["sealed", "verify"], 2, ["stdin: no manifest in it"]),
    ("verify: bad -o", ["sealed", "verify", SEALED, "-o", "xml"], 2, ["-o xml"]),
    ("cert: bad kubeconfig path", ["sealed", "cert", "--kubeconfig", "/no/kc"], 2,
     ["--kubeconfig /no/kc", "no such file"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [(args, code, words) for _, args, code, words in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_sealing_input_gets_one_clear_line(
    args: object,
    code: int,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(""))
    argv = args(tmp_path) if callable(args) else args
    assert main(list(argv)) == code  # type: ignore[arg-type]
    err = capsys.readouterr().err
    one_clear_line(err, code, words)
