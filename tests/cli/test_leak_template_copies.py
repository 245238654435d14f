"""``chartsafe template`` masks a secret wherever the chart prints it, not only in the Secret.

Two ways a secret reaches a rendered object other than a Secret:

- the chart's own Secret holds a credential and the chart copies it elsewhere
  (``tests/data/leaks/copies``: a DSN in a ConfigMap, an env literal, ``args``, an
  annotation, a PEM key in a ConfigMap). Only credentials are masked there: the Secret's
  user name, host and port are printed as they are (a Service's name and port);
- a value from the store passes through a template function (``tests/data/leaks/forms``:
  ``urlquery`` into a connection URL, ``html``, ``js``...).

Every output is checked: YAML, ``-o json`` and ``--output-dir``; ``--reveal`` prints all.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from chart_files import write_chart

from chartsafe._secret_like import is_secret_like_key
from chartsafe.cli import main
from chartsafe.store import create_identity_file
from chartsafe.store.secret_store import SecretStore

LEAKS = Path(__file__).resolve().parents[1] / "data" / "leaks"
PASSWORD = "Xy7Qp9Lm2Zt4-LEAK"
PEM_BODY = "MIIEvQIBADANBgkqLEAKPEMhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"
PEM = f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----\n"
STORED = 'LEAKCANARY+b64/pw==<&"x>'


def _output(args: list[str], mode: str, tmp: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``template`` prints (or writes, with --output-dir) in ``mode``."""
    extra = {"yaml": [], "json": ["-o", "json"], "output-dir": ["--output-dir", str(tmp / "out")]}
    assert main([*args, *extra[mode]]) == 0
    out, err = capsys.readouterr()
    if mode == "output-dir":
        out = "".join(p.read_text() for p in sorted((tmp / "out").rglob("*.yaml")))
    if mode == "json":
        json.loads(out)  # masking kept it JSON
    return out + err


MODES = ["yaml", "json", "output-dir"]


@pytest.mark.parametrize("mode", MODES)
def test_copies_of_a_secrets_credentials_are_masked(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pem = tmp_path / "key.pem"
    pem.write_text(PEM)
    args = ["template", "r", str(LEAKS / "copies"), "--set", f"db.password={PASSWORD}",
            "--set-file", f"tlsKey={pem}"]  # fmt: skip
    printed = _output(args, mode, tmp_path, capsys)
    assert PASSWORD not in printed
    assert PEM_BODY not in printed
    assert printed.count("<masked>") >= 5  # DSN, annotation, args, env, key.pem
    # The Secret's other values are no credentials: a Service name and port, a user name,
    # and a flag under a secret-like key (use-token: "true") is none either.
    for plain in ("copies-postgres", "5432", "admin-user"):
        assert plain in printed, plain
    assert "enableServiceLinks: true" in printed or '"enableServiceLinks": true' in printed


@pytest.mark.parametrize("mode", MODES)
def test_copies_are_masked_when_show_only_leaves_the_secret_out(
    mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--show-only templates/copies.yaml`` prints the copies and not the Secret they copy."""
    args = ["template", "r", str(LEAKS / "copies"), "--set", f"db.password={PASSWORD}",
            "--show-only", "templates/copies.yaml"]  # fmt: skip
    printed = _output(args, mode, tmp_path, capsys)
    assert "kind: Secret" not in printed and '"kind": "Secret"' not in printed
    assert PASSWORD not in printed
    assert printed.count("<masked>") == 4  # DSN, annotation, args, env
    assert "admin-user" in printed


HOOK_SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-hook
  annotations:
    "helm.sh/hook": HOOK
stringData:
  password: {{ .Values.password | quote }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-copy
data:
  url: {{ printf "redis://:%s@cache:6379" .Values.password | quote }}
"""


@pytest.mark.parametrize(
    ("hook", "flag"), [("pre-install", "--no-hooks"), ("test", "--skip-tests")]
)
def test_copies_are_masked_when_the_secret_is_a_hook_left_out(
    hook: str, flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = write_chart(tmp_path / "hooked", {"all.yaml": HOOK_SECRET.replace("HOOK", hook)})
    args = ["template", "r", str(chart), "--set", f"password={PASSWORD}"]
    assert main([*args, flag]) == 0
    printed = capsys.readouterr().out
    assert "kind: Secret" not in printed
    assert PASSWORD not in printed
    assert 'url: "redis://:<masked>@cache:6379"' in printed
    assert main([*args, flag, "--reveal"]) == 0
    assert PASSWORD in capsys.readouterr().out


def test_reveal_prints_the_copies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["template", "r", str(LEAKS / "copies"), "--set", f"db.password={PASSWORD}", "--reveal"]
    assert main(args) == 0
    assert capsys.readouterr().out.count(PASSWORD) == 5  # the Secret's and 4 copies


@pytest.mark.parametrize(
    ("key", "secret_like"),
    [("pw", True), ("dbPw", True), ("admin-pw", True), ("password", True),
     ("username", False), ("host", False), ("port", False), ("pwName", False)],
)  # fmt: skip
def test_secret_like_keys(key: str, secret_like: bool) -> None:
    assert is_secret_like_key(key) is secret_like


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store holding STORED at apps/db/password, its key named by the environment."""
    key_file = tmp_path / "keys" / "age.txt"
    recipient = create_identity_file(key_file)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    path = tmp_path / "store.enc.yaml"
    opened = SecretStore.create(path, recipients=recipient)
    opened.set("apps", "db", "password", STORED)
    opened.save()
    return path


def _b32(text: str) -> str:
    return base64.b32encode(text.encode()).decode()


# (template function of tests/data/leaks/forms, the start of what it makes of STORED)
FUNCTIONS: list[tuple[str, Callable[[str], str]]] = [
    ("urlquery in a URL", lambda s: "LEAKCANARY%2Bb64%2Fpw%3D%3D"),
    ("html", lambda s: "LEAKCANARY+b64/pw==&lt;&amp;&#34;x&gt;"),
    ("js", lambda s: "LEAKCANARY+b64/pw\\u003D\\u003D\\u003C\\u0026"),
    ("lower", str.lower),
    ("b32enc", _b32),
]
_PIECE = 14  # no character an escaper changes in the first 14 of any of them


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("use", "form"), FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_store_values_are_masked_through_template_functions(
    use: str, form: Callable[[str], str], mode: str, store: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    args = ["template", "r", str(LEAKS / "forms"), "--store", str(store), "--set", f"use={use}",
            "--set", "value=ref+chartsafe://apps/db/password", "-n", "apps"]  # fmt: skip
    printed = _output(args, mode, tmp_path, capsys)
    assert "<masked>" in printed
    assert "LEAKCANARY" not in printed.upper()
    assert form(STORED)[:_PIECE] not in printed
    if mode != "output-dir":  # the same command with --reveal shows the form masked above
        assert main([*args, "--reveal", *(["-o", "json"] if mode == "json" else [])]) == 0
        assert form(STORED)[:_PIECE] in capsys.readouterr().out


@pytest.mark.parametrize(
    ("flags", "value"),
    [
        (["--set-string", 'db.password=pa"ss\\\\LEAKCANARY_QQ'], 'pa"ss\\LEAKCANARY_QQ'),
        (["--set-string", "db.password=pass\\\\LEAKCANARY_BS"], "pass\\LEAKCANARY_BS"),
        (["-f", "tab"], "tab\tLEAKCANARY_TAB"),
        (["-f", "lines"], "line1 LEAKCANARY_A\nline2 LEAKCANARY_B"),
        (["-f", "unicode"], "héllo LEAKCANARY_ünïcode"),
    ],
    ids=["double quote", "backslash", "tab", "lines", "non-ASCII"],
)
def test_install_dry_run_masks_escaped_copies(
    flags: list[str], value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``install --dry-run`` masks a Secret's value where the chart's ``quote`` escaped it."""
    if flags[0] == "-f":
        values = tmp_path / "values.json"
        values.write_text(json.dumps({"db": {"password": value}}))
        flags = ["-f", str(values)]
    code = main(["install", "r", str(LEAKS / "copies"), *flags, "--dry-run", "client",
                 "--storage", "memory", "--skip-check"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "LEAKCANARY" not in out + err
    assert "<masked>" in out


def test_bundle_holding_a_store_value_in_another_form_is_private(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``up --out`` writes manifests.yaml 0600 when it holds a store value, in any form."""
    bundle = tmp_path / "bundle"
    code = main(["up", "r", str(LEAKS / "forms"), "-n", "apps", "--store", str(store),
                 "--set", "use=urlquery in a URL", "--set",
                 "value=ref+chartsafe://apps/db/password", "--out", str(bundle)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    manifests = bundle / "manifests.yaml"
    assert "LEAKCANARY%2Bb64" in manifests.read_text()  # the bundle is the resolved render
    assert manifests.stat().st_mode & 0o777 == 0o600
