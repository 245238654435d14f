"""A reference whose Secret name rendered empty (a value left unset) is a finding, not a
silent nothing: ``contract`` said "reads no Secrets" and ``check`` passed a release whose pod
cannot start. An optional reference, or one that names its Secret, is no finding."""

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
    found = [f for f in contract.findings if f.rule == "unnamed-secret"]
    if reader is None:
        assert found == []
        return
    (finding,) = found
    assert finding.message.startswith(f"{reader} names no Secret: the name rendered empty")
    # the empty value whose key speaks of a Secret, not every empty value
    assert finding.message.endswith("; set auth.existingSecret")
    if "NAME" in container + volumes:  # the value names it now: no finding
        named = derive(chart, {"auth": {"existingSecret": "app-db"}})
        assert not [f for f in named.findings if f.rule == "unnamed-secret"]


def test_check_fails_on_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from chartsafe.cli import main

    chart = _chart(tmp_path, CASES[0][1], "")
    manifests = tmp_path / "gitops"
    manifests.mkdir()
    (manifests / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    code = main(["check", "rel", str(chart), "--against", str(manifests)])
    out = capsys.readouterr().out
    assert code == 1
    assert "GAP hazard [unnamed-secret] Pod/app [app] env DB_PASSWORD names no Secret" in out


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
    assert finding.rule == "unnamed-secret" and finding.secret == "app-db"
    assert finding.message == (
        "Pod/app [app] env DB_PASSWORD names no key of Secret app-db: the key rendered empty, "
        "so the pod cannot start with it; set auth.passwordKey"
    )
    assert contract.get("app-db", "ns") is None  # not a key "" that secrets init would refuse
    fixed = derive(chart, {"auth": {"passwordKey": "password"}})
    assert fixed.findings == [] and list(fixed.secrets[0].keys) == ["password"]
