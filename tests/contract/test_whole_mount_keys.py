"""A Secret mounted whole: its keys are the files the pod names under the mount, else unknown.

With ``TLS_CERT_FILE=/etc/tls/tls.crt`` in the env (or ``--key=/etc/tls/tls.key`` in the
args) the container says which keys of the mounted Secret it reads. When nothing says so,
``secrets init`` must not report "nothing missing" while ``up`` cannot deliver: both stop on
the same Secret, naming the way out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from contract_cases import derive

from chartsafe import RenderOptions, ValuesInput, audit_chart
from chartsafe.cli import main

_SEALING_CERT = (
    Path(__file__).resolve().parents[3] / "shared/vectors/sealed/generated/rsa2048.cert.pem"
)

_TEMPLATE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: example.com/app:1
{{- with .Values.env }}
          env: {{ toJson . }}
{{- end }}
{{- with .Values.args }}
          args: {{ toJson . }}
{{- end }}
          volumeMounts:
            - name: certs
              mountPath: {{ .Values.mountPath }}
{{- with .Values.subPath }}
              subPath: {{ . }}
{{- end }}
      volumes:
        - {{ merge (dict "name" "certs") .Values.volume | toJson }}
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    """A chart whose one container mounts Secret app-tls whole; env, args, mount, volume from
    values."""
    root = tmp_path / "mounts"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: mounts\nversion: 0.1.0\n")
    (root / "values.yaml").write_text(
        "mountPath: /etc/tls\nvolume:\n  secret:\n    secretName: app-tls\n"
    )
    (root / "templates" / "app.yaml").write_text(_TEMPLATE)
    return root


def env(**values: str) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in values.items()]


# (case, values, keys of app-tls, where they came from)
CASES: list[tuple[str, dict[str, Any], set[str], str]] = [
    ("seed-mtls-env",
     {"env": env(TLS_CERT_FILE="/etc/tls/tls.crt", TLS_KEY_FILE="/etc/tls/tls.key",
                 TLS_CA_FILE="/etc/tls/ca.crt")},
     {"tls.crt", "tls.key", "ca.crt"}, "file-paths"),
    ("args-and-trailing-slash",
     {"mountPath": "/etc/tls/", "args": ["--cert=/etc/tls/tls.crt", "--key", "/etc/tls/tls.key"]},
     {"tls.crt", "tls.key"}, "file-paths"),
    ("other-dirs-and-subdirs-are-not-keys",
     {"env": env(A="/etc/tlsx/tls.crt", B="/opt/etc/tls/tls.key", C="/etc/tls/sub/x.pem",
                 D="/etc/tls/..data", E="/etc/tls")},
     set(), "unknown"),
    ("subpath-into-a-directory-is-no-key",
     {"mountPath": "/etc/tls/cert", "subPath": "nested/tls.crt"},
     set(), "unknown"),
    ("projected-alone",
     {"volume": {"secret": None, "projected": {"sources": [{"secret": {"name": "app-tls"}}]}},
      "env": env(TLS_CERT_FILE="/etc/tls/tls.crt")},
     {"tls.crt"}, "file-paths"),
    ("projected-beside-a-configmap",  # the named file may be the ConfigMap's
     {"volume": {"secret": None,
                 "projected": {"sources": [{"secret": {"name": "app-tls"}},
                                           {"configMap": {"name": "app-conf"}}]}},
      "env": env(TLS_CERT_FILE="/etc/tls/tls.crt")},
     set(), "unknown"),
    ("nothing-named", {}, set(), "unknown"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "values", "keys", "source"), CASES, ids=[c[0] for c in CASES])
def test_keys_of_a_whole_mount_are_the_files_the_pod_names(
    case: str, values: dict[str, Any], keys: set[str], source: str, chart: Path
) -> None:
    secret = derive(chart, values).get("app-tls", "ns")
    assert secret is not None and secret.required
    assert set(secret.keys) == keys
    assert secret.key_source == source
    if keys:
        readers = [r.describe() for r in secret.keys["tls.crt"].readers]
        assert len(readers) == 1 and readers[0].startswith("Deployment/rel-app [app] ")
        assert readers[0].endswith("/tls.crt")
        assert secret.keys["tls.crt"].format == "pem-certificate"


def test_a_subpath_mount_reads_the_one_key_it_names(chart: Path) -> None:
    """``subPath: tls.crt`` of a whole Secret volume is the file of key tls.crt: a read of
    that key, not of the whole Secret (the kubelet never refreshes it, see the audit)."""
    contract = derive(chart, {"mountPath": "/etc/tls/tls.crt", "subPath": "tls.crt"})
    secret = contract.get("app-tls", "ns")
    assert secret is not None and secret.required and not secret.whole_readers
    assert set(secret.keys) == {"tls.crt"} and secret.key_source == "readers"
    (reader,) = secret.keys["tls.crt"].readers
    assert reader.describe() == "Deployment/rel-app [app] volume /etc/tls/tls.crt (subPath tls.crt)"
    assert reader.reads_once and secret.keys["tls.crt"].format == "pem-certificate"


_ITEMS = {
    "secret": {"secretName": "app-tls", "items": [{"key": "tls.crt", "path": "certs/tls.crt"}]}
}


@pytest.mark.parametrize(
    ("values", "key", "shown", "as_json"),
    [
        ({"mountPath": "/etc/tls", "subPath": "certs", "volume": _ITEMS}, "tls.crt",
         "volume /etc/tls/tls.crt (subPath certs)", ("/etc/tls/tls.crt", "certs")),
        ({"mountPath": "/etc/app/cert.pem", "subPath": "certs/tls.crt", "volume": _ITEMS},
         "tls.crt", "volume /etc/app/cert.pem (subPath certs/tls.crt)",
         ("/etc/app/cert.pem", "certs/tls.crt")),
        ({"mountPath": "/etc/tls", "volume": _ITEMS}, "tls.crt",
         "volume /etc/tls/certs/tls.crt", ("/etc/tls/certs/tls.crt", None)),
        ({"mountPath": "/etc/tls/cert", "subPath": "nested/tls.crt"}, None,
         "volume /etc/tls/cert (subPath nested/tls.crt)", ("/etc/tls/cert", "nested/tls.crt")),
    ],
)  # fmt: skip
def test_a_reader_shows_the_file_the_container_sees_and_its_subpath_apart(
    chart: Path,
    values: dict[str, Any],
    key: str | None,
    shown: str,
    as_json: tuple[str, str | None],
) -> None:
    secret = derive(chart, values).get("app-tls", "ns")
    assert secret is not None
    (reader,) = secret.keys[key].readers if key else secret.whole_readers
    assert reader.describe() == f"Deployment/rel-app [app] {shown}"
    assert (reader.as_dict()["mountPath"], reader.as_dict()["subPath"]) == as_json
    assert reader.reads_once is (as_json[1] is not None)


@pytest.mark.parametrize(
    ("values", "finding"),
    [
        ({"mountPath": "/etc/tls/tls.crt", "subPath": "tls.crt"},
         "reads Secret app-tls through a subPath mount; nothing restarts it"),
        ({"env": env(TLS_CERT_FILE="/etc/tls/tls.crt")}, None),  # a refreshed mount
    ],
)  # fmt: skip
def test_audit_asks_for_a_rollout_when_a_subpath_mount_never_refreshes(
    chart: Path, values: dict[str, Any], finding: str | None
) -> None:
    result = audit_chart(
        chart,
        ValuesInput(set_json=[f"{k}={json.dumps(v)}" for k, v in values.items()]),
        RenderOptions(release_name="rel", namespace="ns", validate=False),
        enable=["no-rollout-on-rotation"],
    )
    found = [f.message for f in result.active if f.rule == "no-rollout-on-rotation"]
    assert found == ([finding] if finding else [])


def test_init_and_up_both_stop_on_a_secret_of_unknown_keys(
    chart: Path,
    tmp_path: Path,
    age_recipient: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Before, init said `missing: []` (exit 0) while up refused the Secret (exit 2)."""
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "s.sops.yaml"
    common = ["rel", str(chart), "-n", "ns", "--store", str(store), "--age", age_recipient]
    for command in (["secrets", "init", *common, "-o", "json"],
                    ["up", *common, "--out", str(tmp_path / "b")]):  # fmt: skip
        assert main(command) == 2, command
        err = capsys.readouterr().err
        (line,) = [x for x in err.splitlines() if x.startswith("chartsafe: error:")]
        assert "Secret ns/app-tls: its keys are unknown" in line, command
        assert "chartsafe.io/secrets" in line, command
        assert f"chartsafe secrets set -n ns app-tls KEY --store {store}" in line, command


def test_keys_set_in_the_store_stand_for_the_ones_the_chart_cannot_show(
    chart: Path,
    tmp_path: Path,
    age_recipient: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Nothing in the chart names app-tls's keys; once a person has set them in the store
    (they must know them anyway: no generator makes a key nobody names), init keeps them
    and up delivers exactly those, with their values."""
    import base64

    import yaml

    monkeypatch.chdir(tmp_path)
    store = tmp_path / "s.sops.yaml"
    for key, value in (("tls.crt", "CERT-5521"), ("tls.key", "KEY-5521")):
        set_key = ["secrets", "set", "-n", "ns", "app-tls", key, "--from-literal", value]
        assert main([*set_key, "--store", str(store), "--age", age_recipient]) == 0
    common = ["rel", str(chart), "-n", "ns", "--store", str(store)]
    capsys.readouterr()
    assert main(["secrets", "init", *common, "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["missing"] == [] and report["added"] == []
    assert sorted(k["key"] for k in report["kept"]) == ["tls.crt", "tls.key"]
    assert main(["up", *common, "--out", str(tmp_path / "b")]) == 0
    (secret,) = [d for d in yaml.safe_load_all((tmp_path / "b" / "secrets.yaml").read_text()) if d]
    assert secret["metadata"]["name"] == "app-tls"
    data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert data == {"tls.crt": "CERT-5521", "tls.key": "KEY-5521"}
    external = tmp_path / "external.yaml"
    render = ["secrets", "render", *common, "--as", "external", "--store-ref", "vault"]
    assert main([*render, "--out", str(external)]) == 0
    (synced,) = [d for d in yaml.safe_load_all(external.read_text()) if d]
    assert [d["secretKey"] for d in synced["spec"]["data"]] == ["tls.crt", "tls.key"]


@pytest.mark.parametrize("deliver", ["secret", "sealed", "external"])
def test_an_optional_secret_of_unknown_keys_is_left_unset_until_a_person_sets_it(
    chart: Path,
    tmp_path: Path,
    age_recipient: str,
    deliver: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A volume (or envFrom) with ``optional: true`` starts without its Secret: init and up
    go on without it, as check does ("optional: not needed"), and deliver it once set."""
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "s.sops.yaml"
    optional = ["--set-json", 'volume={"secret": {"secretName": "app-tls", "optional": true}}']
    common = ["rel", str(chart), "-n", "ns", "--store", str(store), "--age", age_recipient,
              *optional]  # fmt: skip
    assert main(["secrets", "init", *common]) == 0
    flags = {"secret": [], "sealed": ["--cert", str(_SEALING_CERT)],
             "external": ["--store-ref", "vault", "--provider", "vault"]}[deliver]  # fmt: skip
    up = ["up", *common, "--deliver", deliver, *flags]
    assert main([*up, "--out", str(tmp_path / "before")]) == 0
    assert _delivered(tmp_path / "before") == []
    assert main(["secrets", "set", "-n", "ns", "app-tls", "extra.conf", "--from-literal", "x=1",
                 "--store", str(store)]) == 0  # fmt: skip
    assert main([*up, "--out", str(tmp_path / "after")]) == 0
    kind = {"secret": "Secret", "sealed": "SealedSecret", "external": "ExternalSecret"}[deliver]
    assert _delivered(tmp_path / "after") == [(kind, "app-tls")]


def _delivered(bundle: Path) -> list[tuple[str, str]]:
    """The bundle's objects other than the chart's Deployment: what the delivery added."""
    files = [p for p in sorted(bundle.glob("*.yaml")) if p.name != "values-overrides.yaml"]
    docs = [d for p in files for d in yaml.safe_load_all(p.read_text()) if d]
    return [(d["kind"], d["metadata"]["name"]) for d in docs if d["kind"] != "Deployment"]


_INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  tls:
    - hosts: [web.example.com]
      secretName: app-tls
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {number: 80}}}
"""


def test_keys_another_reader_names_are_filled_for_the_pod_that_mounts_the_secret_whole(
    chart: Path,
    tmp_path: Path,
    age_recipient: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Ingress names app-tls's keys (tls.crt, tls.key); the pod mounting it whole reads
    the same Secret. Before, init and up stopped on "its keys are unknown" although the
    contract listed both keys and a generator makes them."""
    (chart / "templates" / "ingress.yaml").write_text(_INGRESS)
    monkeypatch.chdir(tmp_path)
    store = tmp_path / "s.sops.yaml"
    common = ["rel", str(chart), "-n", "ns", "--store", str(store), "--age", age_recipient]
    assert main(["secrets", "init", *common, "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(k["key"] for k in report["added"]) == ["tls.crt", "tls.key"]
    assert main(["up", *common, "--out", str(tmp_path / "b")]) == 0
    (secret,) = [d for d in yaml.safe_load_all((tmp_path / "b" / "secrets.yaml").read_text()) if d]
    assert (secret["metadata"]["name"], sorted(secret["data"])) == (
        "app-tls",
        ["tls.crt", "tls.key"],
    )
