"""Every rule: one input that must trigger it (at the expected place) and one that must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_helpers import audited

from chartsafe.audit import all_rules

# (rule, input that triggers it, where the finding must point, input that must not trigger it)
TABLE: list[tuple[str, str, str, str]] = [
    ("credential-in-values", "planted", "values-app.yaml:9 database.password", "references"),
    ("credential-in-env", "bad", "Deployment/bad", "good"),
    ("credential-in-args", "bad", "Deployment/bad", "good"),
    ("credential-in-configmap", "bad", "ConfigMap/bad", "good"),
    ("credential-in-release-record", "chart-bad", "auth.password", "chart-good"),
    ("credential-in-chart", "chart-bad", "Secret/release-name-auth", "chart-good"),
    ("placeholder-credential", "bad", "postgresql.auth.password", "good"),
    ("secret-manifest-committed", "bad", "Secret/committed", "references"),
    ("datastore-auth-disabled", "bad", "redis.auth.enabled", "good"),
    ("datastore-empty-password", "bad", "clickhouse.auth.password", "good"),
    ("signature-verification-off", "bad", "Deployment/bad", "good"),
    ("metrics-without-auth", "bad", "ServiceMonitor/bad", "good"),
    ("persistence-disabled", "bad", "persistence.enabled", "good"),
    ("superuser-default", "bad", "metrics.auth.username", "good"),
    ("cookie-not-secure", "bad", "Deployment/bad", "good"),
    ("dangerous-flag", "bad", "Deployment/bad", "good"),
    ("resources-missing", "bad", "Deployment/bad", "good"),
    ("hpa-missing", "bad", "Deployment/bad", "good"),
    ("pdb-missing", "bad", "StatefulSet/store", "good"),
    ("networkpolicy-missing", "bad", "StatefulSet/store", "good"),
    ("ingress-without-tls", "bad", "Ingress/bad", "good"),
    ("rbac-secrets-broad", "bad", "ClusterRoleBinding/secret-reader", "good"),
    ("image-mutable-tag", "bad", "Deployment/bad", "good"),
    ("privileged", "bad", "Deployment/bad", "good"),
    ("cap-sys-admin", "bad", "Deployment/bad", "good"),
    ("seccomp-unconfined", "bad", "Deployment/bad", "good"),
    ("run-as-root", "bad", "Deployment/bad", "good"),
    ("writable-root-filesystem", "bad", "Deployment/bad", "good"),
    ("privilege-escalation", "bad", "Deployment/bad", "good"),
    ("host-namespaces", "bad", "Deployment/bad", "good"),
    ("host-path", "bad", "Deployment/bad", "good"),
    ("service-account-token-unused", "bad", "Deployment/bad", "good"),
    ("eso-v1beta1", "bad", "ExternalSecret/bad", "good"),
    ("sealed-template-mismatch", "bad", "SealedSecret/bad", "good"),
    ("hook-order", "chart-bad", "Secret/release-name-auth", "chart-good"),
    ("gateway-reference-grant", "chart-bad", "Secret/certs/web-tls", "chart-good"),
    ("unnamed-reference", "chart-bad", "Deployment/release-name-app", "chart-good"),
    ("configmap-hook-order", "chart-bad", "ConfigMap/release-name-config", "chart-good"),
    ("configmap-missing-key", "chart-bad", "ConfigMap/release-name-config", "chart-good"),
    ("no-rollout-on-rotation", "chart-bad", "Deployment/release-name-app", "chart-good"),
    ("secret-regenerated", "chart-bad", "Secret/release-name-auth", "chart-good"),
    ("values-schema", "chart-schema", "values.schema.json migrationHook", "chart-good"),
]


def test_every_rule_is_in_the_table() -> None:
    assert sorted(r.id for r in all_rules()) == sorted(row[0] for row in TABLE)


@pytest.mark.parametrize(("rule", "bad", "where", "good"), TABLE, ids=[r[0] for r in TABLE])
def test_rule_triggers_and_stays_quiet(rule: str, bad: str, where: str, good: str) -> None:
    found = [f for f in audited(bad).findings if f.rule == rule]
    assert found, f"{rule} did not trigger on {bad}"
    assert any(where in f.where for f in found), [f.where for f in found]
    assert not [f for f in audited(good).findings if f.rule == rule]


def test_reference_corpus_has_no_finding_at_all() -> None:
    """References, SealedSecrets, SOPS files and ExternalSecrets: zero findings, every rule."""
    assert audited("references").findings == []


@pytest.mark.parametrize(
    ("message_part", "expected"),
    [
        ("runs with --dangerously-skip-permissions", 1),
        ("adds SYS_ADMIN", 1),
        ("pod sets hostNetwork", 1),
        ("image busybox has no tag", 1),
        ("image nginx:latest uses the mutable tag latest", 1),
        ("host plain.example.com has no TLS", 1),
    ],
)
def test_finding_messages_say_what_is_wrong(message_part: str, expected: int) -> None:
    messages = [f.message for f in audited("bad").findings]
    assert sum(message_part in m for m in messages) == expected, messages


def test_nsjail_findings_point_at_the_values_switch() -> None:
    from audit_helpers import DATA

    from chartsafe import ValuesInput
    from chartsafe.audit import audit_chart

    chart = DATA.parents[2] / "charts" / "tracecat"
    values = ValuesInput(files=[chart / "examples" / "values-aws.yaml"])
    result = audit_chart(chart, values, profile="dev", disable=[])
    privileged = [f for f in result.findings if f.rule == "privileged"]
    assert len(privileged) == 2
    assert all("tracecat.sandbox.disableNsjail=true" in f.message for f in privileged)
    # ... and the chart's example carries the reasoned suppression for them
    assert all(f.suppressed and "nsjail" in f.suppressed for f in privileged)


SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("stringData: {a: hunter2-x, b: hunter3-y}\n", "2 value(s) in plain text (stringData)"),
        ("data: {a: aHVudGVyMi14}\n", "1 value(s) in base64, not encrypted (data)"),
        (
            "data: {a: aHVudGVyMi14}\nstringData: {b: hunter3-y}\n",
            "1 value(s) in plain text (stringData) and 1 value(s) in base64, not encrypted (data)",
        ),
        # wrapped as `base64` prints it: the API server (Go's decoder) skips line breaks
        ("data:\n  a: |\n    aHVudG\n    VyMi14\n", "1 value(s) in base64, not encrypted (data)"),
    ],
    ids=["stringData", "data", "both", "data wrapped over lines"],
)
def test_committed_secret_says_how_its_values_are_stored(
    body: str, says: str, tmp_path: Path
) -> None:
    from chartsafe.audit import audit_files

    manifest = tmp_path / "secret.yaml"
    manifest.write_text(SECRET + body)
    (finding,) = [
        f for f in audit_files([manifest]).findings if f.rule == "secret-manifest-committed"
    ]
    assert finding.message == f"Secret s carries {says}"
    assert "plain base64" not in finding.message


def test_a_credential_in_the_chart_is_told_apart_from_given_and_generated_ones() -> None:
    """chart-bad's Secret holds a password given with --set and a key made by randAlphaNum:
    neither is written in the chart. Its private key (from files/) and its token (a
    template literal) are, and each finding names the file that holds it."""
    found = sorted(
        f.message for f in audited("chart-bad").findings if f.rule == "credential-in-chart"
    )
    assert found == [
        "Secret release-name-auth key signing.pem holds a private key written in "
        "audit-fixture/files/signing.pem: every release of the chart gets the same one",
        "Secret release-name-auth key webhookToken holds a credential written in "
        "audit-fixture/templates/secret.yaml: every release of the chart gets the same one",
    ]


def test_a_credential_in_a_packaged_chart_is_found_in_the_archive(tmp_path: Path) -> None:
    from audit_helpers import CHART, CHART_SETS

    from chartsafe import RenderOptions, ValuesInput, package_chart
    from chartsafe.audit import audit_chart

    archive = package_chart(CHART, tmp_path)
    result = audit_chart(
        archive, ValuesInput(set=CHART_SETS["chart-bad"]), RenderOptions(validate=False)
    )
    written = sorted(f.message.split(" written in ")[1].split(":")[0]
                     for f in result.findings if f.rule == "credential-in-chart")  # fmt: skip
    assert written == ["audit-fixture/files/signing.pem", "audit-fixture/templates/secret.yaml"]
