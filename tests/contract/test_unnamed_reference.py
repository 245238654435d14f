"""A reference whose Secret or ConfigMap name (or key) rendered empty (a value left unset) is
a finding, not a silent nothing: ``contract`` said "reads no Secrets" and ``check`` passed a
release whose pod cannot start. An optional reference, or one that names its object, is no
finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from chart_files import write_chart
from contract_cases import derive

_POD = """apiVersion: v1
kind: Pod
metadata: {{name: app}}
spec:
  containers:
    - name: app
      image: example.com/app:1.0.0
{container}
  volumes:
    - name: scratch
      emptyDir: {{}}
{volumes}
"""

# (case, container lines, volume lines, the reader the finding names or None)
CASES = [
    ("env", "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n"
     "            secretKeyRef: {name: NAME, key: password}", "",
     "Pod/app [app] env DB_PASSWORD"),
    ("env-no-name", "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n"
     "            secretKeyRef: {key: password}", "", "Pod/app [app] env DB_PASSWORD"),
    ("envFrom", "      envFrom:\n        - secretRef: {name: NAME}", "",
     "Pod/app [app] envFrom"),
    ("volume", "", "    - name: creds\n      secret: {secretName: NAME}",
     "Pod/app volume creds"),
    ("projected", "", "    - name: bundle\n      projected:\n        sources:\n"
     "          - secret: {name: NAME}", "Pod/app projected volume bundle"),
    ("optional", "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n"
     "            secretKeyRef: {name: NAME, key: password, optional: true}", "", None),
]  # fmt: skip


def _chart(tmp_path: Path, container: str, volumes: str) -> Path:
    template = _POD.format(container=container, volumes=volumes).replace(
        "NAME", "{{ .Values.auth.existingSecret | quote }}"
    )
    values = 'auth:\n  existingSecret: ""\nimage:\n  digest: ""\n'
    return write_chart(tmp_path / "unnamed", {"pod.yaml": template}, values)


@pytest.mark.parametrize(("case", "container", "volumes", "reader"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_an_empty_secret_name_is_a_finding(
    tmp_path: Path, case: str, container: str, volumes: str, reader: str | None
) -> None:
    chart = _chart(tmp_path, container, volumes)
    contract = derive(chart)
    found = [f for f in contract.findings if f.rule == "unnamed-reference"]
    if reader is None:
        assert found == []
        return
    (finding,) = found
    assert finding.message.startswith(f"{reader} names no Secret: the name rendered empty")
    # the empty value whose key speaks of a Secret, not every empty value
    assert finding.message.endswith("; set auth.existingSecret")
    if "NAME" in container + volumes:  # the value names it now: no finding
        named = derive(chart, {"auth": {"existingSecret": "app-db"}})
        assert not [f for f in named.findings if f.rule == "unnamed-reference"]


def test_check_fails_on_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from chartsafe.cli import main

    chart = _chart(tmp_path, CASES[0][1], "")
    manifests = tmp_path / "gitops"
    manifests.mkdir()
    (manifests / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    code = main(["check", "rel", str(chart), "--against", str(manifests)])
    out = capsys.readouterr().out
    assert code == 1
    assert "GAP hazard [unnamed-reference] Pod/app [app] env DB_PASSWORD names no Secret" in out


def test_an_empty_key_is_a_finding_and_no_key_of_the_contract(tmp_path: Path) -> None:
    container = (
        "      env:\n        - name: DB_PASSWORD\n          valueFrom:\n"
        "            secretKeyRef: {name: app-db, key: KEY}"
    ).replace("KEY", "{{ .Values.auth.passwordKey | quote }}")
    template = _POD.format(container=container, volumes="")
    values = 'auth:\n  existingSecret: ""\n  passwordKey: ""\n'
    chart = write_chart(tmp_path / "nokey", {"pod.yaml": template}, values)
    contract = derive(chart)
    (finding,) = contract.findings
    assert finding.rule == "unnamed-reference" and finding.secret == "app-db"
    assert finding.message == (
        "Pod/app [app] env DB_PASSWORD names no key of Secret app-db: the key rendered empty, "
        "so the pod cannot start with it; set auth.passwordKey"
    )
    assert contract.get("app-db", "ns") is None  # not a key "" that secrets init would refuse
    fixed = derive(chart, {"auth": {"passwordKey": "password"}})
    assert fixed.findings == [] and list(fixed.secrets[0].keys) == ["password"]


# (case, container lines, volume lines, the reader and what it names no more)
CONFIG_MAPS = [
    ("configMapKeyRef", "      env:\n        - name: MODE\n          valueFrom:\n"
     "            configMapKeyRef: {name: NAME, key: mode}", "",
     "Pod/app [app] env MODE names no ConfigMap"),
    ("envFrom", "      envFrom:\n        - configMapRef: {name: NAME}", "",
     "Pod/app [app] envFrom names no ConfigMap"),
    ("volume", "", "    - name: conf\n      configMap: {name: NAME}",
     "Pod/app volume conf names no ConfigMap"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "container", "volumes", "start"), CONFIG_MAPS,
                         ids=[c[0] for c in CONFIG_MAPS])  # fmt: skip
def test_an_empty_config_map_name_is_a_finding(
    tmp_path: Path, case: str, container: str, volumes: str, start: str
) -> None:
    template = _POD.format(container=container, volumes=volumes).replace(
        "NAME", "{{ .Values.app.configName | quote }}"
    )
    chart = write_chart(tmp_path / "cm", {"pod.yaml": template}, 'app:\n  configName: ""\n')
    contract = derive(chart)
    (finding,) = contract.findings
    assert finding.rule == "unnamed-reference"
    assert finding.message.startswith(f"{start}: the name rendered empty")
    assert finding.message.endswith("; set app.configName")
    assert contract.config_maps == []  # no ConfigMap named '' to look for
    assert derive(chart, {"app": {"configName": "app-config"}}).findings == []


def test_an_empty_config_map_key_is_a_finding(tmp_path: Path) -> None:
    container = (
        "      env:\n        - name: MODE\n          valueFrom:\n"
        "            configMapKeyRef: {name: app-config, key: KEY}"
    ).replace("KEY", "{{ .Values.modeKey | quote }}")
    template = _POD.format(container=container, volumes="")
    chart = write_chart(tmp_path / "cmkey", {"pod.yaml": template}, 'modeKey: ""\n')
    contract = derive(chart)
    (finding,) = contract.findings
    assert finding.message == (
        "Pod/app [app] env MODE names no key of ConfigMap app-config: the key rendered empty, "
        "so the pod cannot start with it; set modeKey"
    )
    assert contract.config_maps == []
