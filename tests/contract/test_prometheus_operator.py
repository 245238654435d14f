"""Secrets the Prometheus Operator's resources name: every key selector under ``spec``.

The operator names Secrets only with ``{name, key}`` selectors, nested per endpoint, per
receiver (AlertmanagerConfig), per service discovery (ScrapeConfig). The first test builds,
from the operator's own CRDs (tests vectors), an object with every selector its schema has
and requires each one read, ConfigMap selectors excepted; the rest hold the kinds with no
vector here and the shapes that must not count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from chart_files import write_chart
from contract_cases import derive

from chartsafe import Contract
from chartsafe._objects import K8sObject
from chartsafe.contract._crd_refs import iter_crd_reads

CRDS = Path(__file__).resolve().parents[3] / "shared/vectors/prometheus-operator-crds"


def _instance(schema: dict[str, Any], path: str, selectors: list[str]) -> Any:
    """A value for ``schema`` with every nested object and one item of every list; each
    ``{name, key}`` object is a selector named after its path (listed in ``selectors``)."""
    props = schema.get("properties") or {}
    if "name" in props and "key" in props:
        selectors.append(path)
        return {"name": f"s{len(selectors)}", "key": "k"}
    if schema.get("type") == "array" and "items" in schema:
        item = _instance(schema["items"], f"{path}[]", selectors)
        return [] if item is None else [item]
    if props:
        built = {k: _instance(v, f"{path}.{k}", selectors) for k, v in props.items()}
        return {k: v for k, v in built.items() if v is not None}
    return None


@pytest.mark.parametrize(
    "crd", ["monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com_podmonitors.yaml"]
)
def test_every_secret_selector_in_the_operators_crd_is_read(crd: str) -> None:
    definition = yaml.safe_load((CRDS / crd).read_text())
    version = definition["spec"]["versions"][0]
    spec_schema = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
    selectors: list[str] = []
    body = {
        "apiVersion": f"{definition['spec']['group']}/{version['name']}",
        "kind": definition["spec"]["names"]["kind"],
        "metadata": {"name": "m", "namespace": "ns"},
        "spec": _instance(spec_schema, "spec", selectors),
    }
    secret_selectors = {p for p in selectors if not p.endswith(".configMap")}
    assert len(secret_selectors) >= 9  # basic auth, bearer token, authorization, TLS, OAuth2
    found = {read.via for read in iter_crd_reads(K8sObject("", body, "monitor.yaml", "ns"))}
    assert found == secret_selectors


_OBJECTS = """apiVersion: monitoring.coreos.com/v1alpha1
kind: AlertmanagerConfig
metadata: {name: alerts}
spec:
  route:
    receiver: team
    matchers: [{name: severity, value: critical}]
  receivers:
    - name: team
      slackConfigs:
        - apiURL: {name: slack-webhook, key: url}
          httpConfig:
            tlsConfig:
              ca: {configMap: {name: corp-ca, key: ca.crt}}
      pagerdutyConfigs:
        - routingKey: {name: pagerduty, key: routing-key, optional: true}
          details: [{key: team, value: payments}]
      emailConfigs:
        - to: ops@example.com
          authPassword: {name: smtp, key: password}
          headers: [{key: Subject, value: alert}]
---
apiVersion: monitoring.coreos.com/v1alpha1
kind: ScrapeConfig
metadata: {name: nodes}
spec:
  basicAuth:
    username: {name: scrape-auth, key: user}
    password: {name: scrape-auth, key: pass}
  consulSDConfigs:
    - server: consul:8500
      tokenRef: {name: consul, key: token}
  staticConfigs:
    - targets: [node:9100]
      labels: {name: node, key: primary, zone: a}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: main}
spec:
  remoteWrite:
    - url: https://metrics.example.com/api/v1/write
      basicAuth:
        username: {name: remote-write, key: username}
        password: {name: remote-write, key: password}
  additionalScrapeConfigs: {name: extra-scrape, key: prometheus-additional.yaml}
  containers:
    - name: sidecar
      env:
        - name: FROM_CONFIG
          valueFrom: {configMapKeyRef: {name: sidecar-config, key: mode}}
---
apiVersion: example.com/v1
kind: AlertmanagerConfig
metadata: {name: other-group}
spec:
  token: {name: not-ours, key: token}
"""

# (Secret, key, the reader)
READS = [
    ("slack-webhook", "url",
     "AlertmanagerConfig/alerts spec.receivers[].slackConfigs[].apiURL"),
    ("pagerduty", "routing-key",
     "AlertmanagerConfig/alerts spec.receivers[].pagerdutyConfigs[].routingKey optional"),
    ("smtp", "password", "AlertmanagerConfig/alerts spec.receivers[].emailConfigs[].authPassword"),
    ("scrape-auth", "pass", "ScrapeConfig/nodes spec.basicAuth.password"),
    ("consul", "token", "ScrapeConfig/nodes spec.consulSDConfigs[].tokenRef"),
    ("remote-write", "password", "Prometheus/main spec.remoteWrite[].basicAuth.password"),
    ("extra-scrape", "prometheus-additional.yaml", "Prometheus/main spec.additionalScrapeConfigs"),
]  # fmt: skip


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    root = tmp_path_factory.mktemp("monitoring") / "alerts"
    return derive(write_chart(Path(root), {"objects.yaml": _OBJECTS}))


@pytest.mark.parametrize(("secret", "key", "reader"), READS, ids=[r[0] for r in READS])
def test_operator_resources_read_their_selectors(
    contract: Contract, secret: str, key: str, reader: str
) -> None:
    found = contract.get(secret, "ns")
    assert found is not None and found.required
    assert reader in [r.describe() for r in found.keys[key].readers]


def test_config_maps_labels_headers_and_other_groups_are_no_secrets(contract: Contract) -> None:
    names = {s.name for s in contract.secrets}
    assert names == {r[0] for r in READS}  # not corp-ca, sidecar-config, node, not-ours
    optional = contract.get("pagerduty", "ns")
    assert optional is not None and optional.optional
