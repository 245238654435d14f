"""Helm's rendering flags ``--enable-dns`` and ``--skip-schema-validation`` on template, lint
and install: chartsafe's own render follows them, and so does Helm's install action (its
manifest, printed by a client dry run, is Helm's render, not chartsafe's). The commands that
read a chart without installing it (contract, check, audit, secrets) take them too."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest
import yaml
from chart_files import DNS_LOOKUP, write_chart
from chart_readers import READERS, reader_args

from chartsafe.cli import main

CHECKED = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  replicas: {{ .Values.replicas | quote }}
{{- if .Values.typo }}
dataa: {}
{{- end }}
"""
SCHEMA = {"type": "object", "properties": {"replicas": {"type": "integer"}}}
DRY = ["--dry-run", "client", "--storage", "memory"]


@pytest.fixture
def lookup_chart(tmp_path: Path) -> Path:
    return write_chart(tmp_path / "lookup", {"cm.yaml": DNS_LOOKUP})


@pytest.fixture
def schema_chart(tmp_path: Path) -> Path:
    chart = write_chart(tmp_path / "checked", {"cm.yaml": CHECKED}, values="replicas: 1\n")
    (chart / "values.schema.json").write_text(json.dumps(SCHEMA))
    return chart


def _host(text: str) -> str:
    (doc,) = [d for d in yaml.safe_load_all(text) if d and d.get("kind") == "ConfigMap"]
    return str(doc["data"]["host"])


@pytest.mark.parametrize("command", [["template", "r"], ["install", "r"]])
@pytest.mark.parametrize("dns", [False, True], ids=["no dns", "--enable-dns"])
def test_enable_dns_lets_templates_resolve_names(
    command: list[str], dns: bool, lookup_chart: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = DRY if command[0] == "install" else []
    args = [*command, str(lookup_chart), *extra, *(["--enable-dns"] if dns else [])]
    assert main(args) == 0
    host = _host(capsys.readouterr().out)
    if dns:
        assert ipaddress.ip_address(host).is_loopback  # localhost, from the hosts file
    else:
        assert host == ""  # Helm's getHostByName without DNS


@pytest.mark.parametrize(
    ("command", "extra"),
    [(["template", "r"], []), (["install", "r"], DRY), (["lint"], [])],
)
@pytest.mark.parametrize(
    ("flags", "code", "named"),
    [
        ([], 1, "replicas"),  # the values schema refuses a string
        (["--skip-schema-validation"], 0, None),
        (["--skip-schema-validation", "--set", "typo=true"], 1, "dataa"),  # objects still are
    ],
    ids=["checked", "skipped", "objects still validated"],
)
def test_skip_schema_validation_skips_only_the_values_schema(
    command: list[str],
    extra: list[str],
    flags: list[str],
    code: int,
    named: str | None,
    schema_chart: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [*command, str(schema_chart), "--set-string", "replicas=many", *extra, *flags]
    assert main(args) == code
    out, err = capsys.readouterr()
    if named is not None:
        assert named in out + err
    elif command[0] == "install":
        assert 'replicas: "many"' in out  # Helm's own install rendered it, unchecked too


@pytest.mark.parametrize("command", READERS)
def test_commands_reading_a_chart_take_skip_schema_validation(
    command: str, schema_chart: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*reader_args(command, schema_chart, tmp_path), "--set-string", "replicas=many"]
    assert main(args) == 1
    assert "values.schema.json" in capsys.readouterr().err
    assert main([*args, "--skip-schema-validation"]) == 0
    assert "values.schema.json" not in capsys.readouterr().err


READS_BY_DNS = """{{- $found := ne (getHostByName "localhost") "" }}
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}
spec:
  containers:
    - name: app
      image: app:1.0
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: {{ ternary "resolved" "unresolved" $found }}
              key: token
"""


@pytest.mark.parametrize("command", ["contract", "check"])
@pytest.mark.parametrize("dns", [False, True], ids=["no dns", "--enable-dns"])
def test_commands_reading_a_chart_take_enable_dns(
    command: str, dns: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = write_chart(tmp_path / "dns", {"pod.yaml": READS_BY_DNS})
    args = [*reader_args(command, chart, tmp_path), "-o", "json"]
    main([*args, *(["--enable-dns"] if dns else [])])
    found = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in found["secrets"]] == ["resolved" if dns else "unresolved"]
