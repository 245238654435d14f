"""The repr of every public result that holds values shows what it is, never a value.

A repr is what ``logging.debug("%r", result)``, a debugger, ``pytest -l`` and a rich traceback
with locals print. ``UserValues`` and ``SecretStore`` always showed names and counts; the
render, its objects, a delivery and the release results must do the same, whatever value a
store reference or a chart put in them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chartsafe import (
    DeliveryRequest,
    ReleaseInfo,
    ReleaseOutcome,
    ReleaseValues,
    RenderOptions,
    RenderResult,
    SecretStore,
    UserValues,
    ValuesInput,
    contract_for_chart,
    deliver_secrets,
    iter_pods,
)
from chartsafe.audit._inputs import AuditInput, SetValue, ValuesDoc
from chartsafe.store import create_identity_file

PASSWORD = "LEAKCANARY_REPR_pw"
TOKEN = "LEAKCANARY_REPR_token"
#: Every form of the values a repr must not show: as given, and as a Secret's data holds them.
FORMS = [
    PASSWORD,
    TOKEN,
    base64.b64encode(PASSWORD.encode()).decode(),
    base64.b64encode(TOKEN.encode()).decode(),
]

_TEMPLATES = {
    "secret.yaml": """apiVersion: v1
kind: Secret
metadata: {name: app-managed}
stringData: {password: {{ .Values.password | quote }}}
""",
    "list.yaml": """apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: app-listed}
    data: {token: {{ .Values.token | quote }}}
""",
    "deploy.yaml": """apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          env:
            - {name: URL, value: "postgres://u:{{ .Values.password }}@db/x"}
            - name: DB
              valueFrom: {secretKeyRef: {name: app-db, key: password}}
""",
    "NOTES.txt": "token {{ .Values.token }}\n",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, RenderResult, SecretStore]:
    """A contract and a render whose values come from the store, and the store."""
    root = tmp_path_factory.mktemp("reprs")
    chart = root / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: reprs\nversion: 0.1.0\n")
    for name, text in _TEMPLATES.items():
        (chart / "templates" / name).write_text(text)
    key_file = root / "key.txt"
    store = SecretStore.create(root / "store.yaml", recipients=create_identity_file(key_file))
    store.set("default", "app-db", "password", PASSWORD)
    store.set("default", "app-db", "token", TOKEN)
    store.save()
    values = ValuesInput(
        set=[
            "password=ref+chartsafe://default/app-db/password",
            "token=ref+chartsafe://default/app-db/token",
        ],
        store=root / "store.yaml",
        age_key_file=key_file,
    )
    contract, result = contract_for_chart(chart, values, RenderOptions(release_name="rel"))
    assert PASSWORD in repr(result.values) and result.notes.strip() == f"token {TOKEN}"
    return contract, result, SecretStore.open(root / "store.yaml", key_file=key_file)


Built = tuple[Any, RenderResult, SecretStore]


def _outcome(built: Built) -> ReleaseOutcome:
    info = ReleaseInfo("rel", "default", 1, "deployed", "reprs-0.1.0", "", "")
    result = built[1]
    return ReleaseOutcome("install", info, None, result.objects, result, notes=result.notes)


def _request(built: Built) -> DeliveryRequest:
    contract, result, store = built
    return DeliveryRequest(contract, store, values=result.values)


#: (what, how to build it from the render, what its repr must still say)
CASES: list[tuple[str, Callable[[Built], Any], list[str]]] = [
    ("RenderResult", lambda b: b[1], ["reprs 0.1.0", "3 object(s)"]),
    ("K8sObject Secret", lambda b: b[1].objects[0], ["Secret/app-managed", "secret.yaml"]),
    ("K8sObject in a List", lambda b: _listed(b[1]), ["ConfigMap/app-listed", "list.yaml"]),
    ("ListDocument", lambda b: _listed(b[1]).listed_in, ["List", "1 item(s)"]),
    ("every object", lambda b: b[1].objects, ["Deployment/app"]),
    ("PodView", lambda b: next(iter_pods(b[1].objects)), ["Deployment/app"]),
    ("ContainerView", lambda b: next(iter_pods(b[1].objects)).containers[0], ["app"]),
    ("ReleaseOutcome", _outcome, ["install", "Secret/app-managed"]),
    ("ReleaseValues", lambda b: ReleaseValues("rel", 1, b[1].values, [], False), ["rel"]),
    ("DeliveryRequest", _request, ["DeliveryRequest"]),
    ("Delivery secret", lambda b: deliver_secrets("secret", _request(b)), ["secret", "1 man"]),
    # what an audit reads: the values given, as flags and files, and the render
    ("SetValue", lambda b: _set_value(), ["--set password"]),
    ("ValuesDoc", lambda b: _values_doc(), ["values.yaml"]),
    (
        "AuditInput",
        lambda b: AuditInput(
            values_docs=[_values_doc()], set_values=[_set_value()], objects=b[1].objects
        ),
        ["AuditInput"],
    ),
    # value-free already, held to the same rule: the contract names, the store counts
    ("Contract", lambda b: b[0], ["app-db"]),
    ("SecretStore", lambda b: b[2], ["2 key(s)"]),
]


def _set_value() -> SetValue:
    return SetValue("--set password", "password", PASSWORD)


def _values_doc() -> ValuesDoc:
    return ValuesDoc("values.yaml", {"db": {"password": PASSWORD, "token": TOKEN}}, {})


def _listed(result: RenderResult) -> Any:
    return next(o for o in result.objects if o.listed_in is not None)


@pytest.mark.parametrize(("build", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_repr_shows_no_value(
    rendered: Built, build: Callable[[Built], Any], says: list[str]
) -> None:
    shown = repr(build(rendered))
    assert [form for form in FORMS if form in shown] == [], shown
    for word in says:
        assert word in shown


def test_delivery_still_holds_the_values(rendered: Built) -> None:
    """Only the repr hides them: the manifests are what ``--out`` writes."""
    delivery = deliver_secrets("secret", _request(rendered))
    assert delivery.holds_values
    assert base64.b64encode(PASSWORD.encode()).decode() in str(delivery.manifests)


def test_the_render_repr_names_the_chart_path_when_metadata_has_none() -> None:
    result = RenderResult(Path("charts/x"), {}, UserValues({}), {}, [], "")
    assert repr(result).startswith("<RenderResult charts/x from charts/x: 0 object(s)")
