"""Each small chart of tests/data/contract derives exactly its expected contract."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from contract_cases import DATA, derive, summary

CASES: dict[str, dict[str, Any]] = yaml.safe_load((DATA / "cases.yaml").read_text())


@pytest.mark.parametrize("case", sorted(CASES))
def test_contract_matches_expected(case: str) -> None:
    spec = CASES[case]
    contract = derive(DATA / spec["chart"], spec["values"])
    expected = yaml.safe_load((DATA / spec["expected"]).read_text())
    assert summary(contract) == expected["secrets"]
    found = [
        f"{f.rule} {f.namespace}/{f.secret}" + (f" {f.key}" if f.key else "")
        for f in contract.findings
    ]
    assert found == expected["findings"]


# Every reference form of the issue, and the reader that shows it in the "refs" chart.
FORMS = [
    ("env secretKeyRef", "app-db", "username", "Deployment/rel-web [web] env DB_USER"),
    ("env in an init container", "app-db", "password",
     "Deployment/rel-web [migrate] env DB_PASSWORD"),
    ("optional secretKeyRef", "app-optional", "sentry-dsn",
     "Deployment/rel-web [web] env SENTRY_DSN optional"),
    ("envFrom, declared keys", "app-env", "API_TOKEN",
     "Deployment/rel-web [web] envFrom API_TOKEN"),
    ("envFrom of a created Secret", "rel-generated", "GENERATED_A",
     "Deployment/rel-web [web] envFrom GENERATED_A"),
    ("whole volume", "rel-generated", "GENERATED_B",
     "Deployment/rel-web [web] volume /etc/whole/GENERATED_B"),
    ("volume items", "app-certs", "ca.pem", "Deployment/rel-web [web] volume /etc/certs/ca.pem"),
    ("projected", "app-projected", "token", "Deployment/rel-web [web] projected /etc/bundle/token"),
    ("imagePullSecrets", "registry-creds", ".dockerconfigjson",
     "Deployment/rel-web imagePullSecrets"),
    ("ServiceAccount imagePullSecrets", "sa-pull", ".dockerconfigjson",
     "ServiceAccount/rel-web imagePullSecrets"),
    ("Ingress TLS", "web-tls", "tls.key", "Ingress/rel-web ingress-tls"),
    ("ExternalSecret target", "app-synced", "apiKey", "Pod/rel-reads-created [main] env API_KEY"),
    ("SealedSecret", "app-sealed", "webhook", "Pod/rel-reads-created [main] env WEBHOOK"),
    ("ServiceMonitor basicAuth", "metrics-auth", "pass",
     "ServiceMonitor/rel-web spec.endpoints[].basicAuth.password"),
    ("ServiceMonitor bearerTokenSecret", "metrics-token", "token",
     "ServiceMonitor/rel-web spec.endpoints[].bearerTokenSecret"),
    ("KEDA TriggerAuthentication", "queue-conn", "amqp-url",
     "TriggerAuthentication/rel-queue spec.secretTargetRef[]"),
    ("Certificate keystore password", "keystore-pass", "password",
     "Certificate/rel-internal spec.keystores.pkcs12.passwordSecretRef"),
    ("SecretStore credentials", "aws-creds", "secret-access-key",
     "SecretStore/vault spec.provider.aws.auth.secretRef.secretAccessKeySecretRef"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "secret", "key", "reader"), FORMS, ids=[f[0] for f in FORMS])
def test_every_reference_form_is_read(form: str, secret: str, key: str, reader: str) -> None:
    contract = derive(DATA / "refs")
    found = contract.get(secret, "ns")
    assert found is not None, f"{form}: {secret} not in the contract"
    assert reader in [r.describe() for r in found.keys[key].readers]


@pytest.mark.parametrize(
    ("secret", "creator"),
    [
        ("rel-generated", "Secret/rel-generated"),
        ("app-synced", "ExternalSecret/rel-from-vault"),
        ("app-sealed", "SealedSecret/app-sealed"),
        ("internal-tls", "Certificate/rel-internal"),
    ],
)
def test_created_secrets_are_not_required(secret: str, creator: str) -> None:
    found = derive(DATA / "refs").get(secret, "ns")
    assert found is not None and not found.required
    assert found.created_by is not None and found.created_by.ref == creator


# Custom resources of the "gateway" chart: (Secret, its namespace, a reader).
CRD_READS = [
    ("app-tls", "ns", "Gateway/rel-gw spec.listeners[].tls.certificateRefs[]"),
    ("shared-tls", "certs", "Gateway/rel-gw spec.listeners[].tls.certificateRefs[]"),
    ("web-tls", "ns", "IngressRoute/rel-web spec.tls.secretName"),
    ("cloudflare-token", "ns",
     "Issuer/acme spec.acme.solvers[].dns01.cloudflare.apiTokenSecretRef"),
    ("acme-eab", "ns", "Issuer/acme spec.acme.externalAccountBinding.keySecretRef"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("secret", "namespace", "reader"), CRD_READS, ids=[c[0] for c in CRD_READS]
)
def test_custom_resources_name_secrets(secret: str, namespace: str, reader: str) -> None:
    found = derive(DATA / "gateway").get(secret, namespace)
    assert found is not None and found.required
    assert reader in {r.describe() for k in found.keys.values() for r in k.readers}


def test_what_a_custom_resource_names_but_does_not_read_is_no_secret() -> None:
    names = {s.name for s in derive(DATA / "gateway").secrets}
    assert "acme-account" not in names  # the ACME account key cert-manager writes itself
    assert "not-a-secret" not in names  # a certificateRef of kind ConfigMap


def test_cert_manager_makes_an_annotated_gateways_certificates_in_its_namespace() -> None:
    contract = derive(DATA / "gateway", {"certManager": True})
    made = contract.get("app-tls", "ns")
    assert made is not None and not made.required
    assert [c.ref for c in made.creators] == ["Gateway/rel-gw"]
    other = contract.get("shared-tls", "certs")
    assert other is not None and other.required  # another namespace: gateway-shim skips it


def test_envfrom_prefix_is_kept_and_undeclared_keys_are_unknown() -> None:
    found = derive(DATA / "refs").get("app-extra", "ns")
    assert found is not None
    assert not found.keys_known and found.keys == {}
    assert [r.env for r in found.whole_readers] == ["EXTRA_"]


# Secret of the "hooks" chart → what its hook-order finding says (tests/data/contract/hooks).
HOOK_ORDER = [
    ("regular", "pre-install hook Job/reads-regular (weight 0) reads Secret regular, which "
     "Secret/regular creates; it is created only after the hook has run"),
    ("not-waited", "nothing waits for it to be synced before the hook runs. Fix: add a hook "
     "after ExternalSecret/synced-not-waited (hook) and before this one that waits for it"),
    ("tie", "(their weights are equal: Helm runs such hooks in the order of their names). "
     "Fix: give it a weight below 0"),
    ("gone", "Deployment/app reads Secret gone, which Secret/gone (hook) creates; Helm deletes "
     "it once its pre-install hooks have succeeded (helm.sh/hook-delete-policy: hook-succeeded)"),
    ("late", "Deployment/app reads Secret late, which Secret/late (hook) creates; it is created "
     "only by a post-install hook, after the release's pods start: with --wait Helm waits"),
]  # fmt: skip


def test_hook_order_findings_say_why_the_secret_is_not_there() -> None:
    contract = derive(DATA / "hooks")
    messages = {f.secret: f.message for f in contract.findings if f.rule == "hook-order"}
    # Not: early (a hook of lower weight), waited (synced and waited for), kept (a pre-install
    # hook that stays), synced (a post-install hook after the ExternalSecret's step), the
    # pre-upgrade reader of "regular" (there since the install).
    assert sorted(messages) == sorted(name for name, _ in HOOK_ORDER)
    for name, words in HOOK_ORDER:
        assert words in messages[name], name


def test_a_secret_read_twice_is_one_entry_with_both_readers() -> None:
    contract = derive(DATA / "parent")
    assert [s.name for s in contract.secrets] == ["store-auth"]
    readers = {r.workload for r in contract.secrets[0].keys["password"].readers}
    assert readers == {"Pod/rel-app", "StatefulSet/rel-store"}


_FROM_NS = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "ns"}
_TO_SECRETS = {"group": "", "kind": "Secret"}

# (case, ReferenceGrants rendered with the "gateway" chart, whether certs/shared-tls is flagged)
GRANTS: list[tuple[str, list[dict[str, Any]], bool]] = [
    ("none", [], True),
    ("every Secret of certs", [{"namespace": "certs", "from": [_FROM_NS], "to": [_TO_SECRETS]}],
     False),
    ("that Secret by name",
     [{"namespace": "certs", "from": [_FROM_NS], "to": [{**_TO_SECRETS, "name": "shared-tls"}]}],
     False),
    ("another Secret by name",
     [{"namespace": "certs", "from": [_FROM_NS], "to": [{**_TO_SECRETS, "name": "other"}]}],
     True),
    ("Gateways of another namespace",
     [{"namespace": "certs", "from": [{**_FROM_NS, "namespace": "web"}], "to": [_TO_SECRETS]}],
     True),
    ("HTTPRoutes, not Gateways",
     [{"namespace": "certs", "from": [{**_FROM_NS, "kind": "HTTPRoute"}], "to": [_TO_SECRETS]}],
     True),
    ("in the Gateway's namespace, not the Secret's",
     [{"namespace": "ns", "from": [_FROM_NS], "to": [_TO_SECRETS]}], True),
    ("to Services", [{"namespace": "certs", "from": [_FROM_NS],
                      "to": [{"group": "", "kind": "Service"}]}], True),
]  # fmt: skip


@pytest.mark.parametrize(("grants", "flagged"), [g[1:] for g in GRANTS], ids=[g[0] for g in GRANTS])
def test_a_cross_namespace_certificate_ref_needs_a_reference_grant(
    grants: list[dict[str, Any]], flagged: bool
) -> None:
    contract = derive(DATA / "gateway", {"referenceGrants": grants})
    found = [f for f in contract.findings if f.rule == "reference-grant"]
    assert [(f.namespace, f.secret) for f in found] == (
        [("certs", "shared-tls")] if flagged else []
    )
    if flagged:
        assert found[0].message.startswith(
            "Gateway/rel-gw (namespace ns) names Secret certs/shared-tls in another namespace"
        )
        assert "ReferenceGrant in namespace certs allows Gateways from ns" in found[0].message
