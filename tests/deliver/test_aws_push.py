"""``secrets push --to aws`` against moto's server on loopback: push, read back, push again
(nothing changes), never delete; the printed ARNs wire Tracecat's values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from delivery_helpers import (
    CHART,
    OPTIONS,
    SEED,
    TEMPORAL,
    filled_store,
    store_values,
    tracecat,
)

from chartsafe import ValuesInput
from chartsafe.contract import contract_for_chart
from chartsafe.deliver.aws import AwsError, push_to_aws

STORE_REF = "aws-secrets-manager"
# The app-native ARN values and the env vars that carry them (seed 000).
ARN_ENV = {
    "tracecat-postgres-credentials": "TRACECAT__DB_PASS__ARN",
    "tracecat-redis-credentials": "REDIS_URL__ARN",
    "tracecat-temporal-credentials": "TEMPORAL__API_KEY__ARN",
}


def _read(client: Any, arn: str, prop: str | None) -> str:
    text: str = client.get_secret_value(SecretId=arn)["SecretString"]
    return text if prop is None else str(json.loads(text)[prop])


def test_push_then_read_back_gives_the_stores_values(aws: Any, tmp_path: Path) -> None:
    contract, rendered = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    result = push_to_aws(contract, store, prefix="prod/", values=rendered.values)
    assert {p.action for p in result.pushed} == {"created"}
    assert len(result.pushed) == 4
    for pushed in result.pushed:
        remote = pushed.remote
        assert remote.remote_key == f"prod/tracecat/{remote.secret}"
        assert pushed.arn.startswith("arn:aws:secretsmanager:us-east-1:")
        for key in remote.keys:
            expected = store.get("tracecat", remote.secret, key)
            assert _read(aws, pushed.arn, remote.property_for(key)) == expected
    raw = {p.remote.secret for p in result.pushed if p.remote.raw}
    assert raw == {"tracecat-redis-credentials", "tracecat-temporal-credentials"}
    text = json.dumps(result.as_dict())
    assert not [v for v in store_values(store) if v in text]


def test_pushing_again_changes_nothing_and_a_change_adds_a_version(
    aws: Any, tmp_path: Path
) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    first = push_to_aws(contract, store)
    versions = {
        p.arn: len(aws.list_secret_version_ids(SecretId=p.arn)["Versions"]) for p in first.pushed
    }
    again = push_to_aws(contract, store)
    assert {p.action for p in again.pushed} == {"unchanged"}
    assert [p.arn for p in again.pushed] == [p.arn for p in first.pushed]
    assert versions == {
        p.arn: len(aws.list_secret_version_ids(SecretId=p.arn)["Versions"]) for p in first.pushed
    }
    store.rotate("tracecat", "tracecat-redis-credentials", "url", "rediss://:new@redis:6380")
    third = push_to_aws(contract, store)
    actions = {p.remote.secret: p.action for p in third.pushed}
    assert actions.pop("tracecat-redis-credentials") == "updated"
    assert set(actions.values()) == {"unchanged"}
    redis = third.arn("tracecat", "tracecat-redis-credentials")
    assert redis and _read(aws, redis, None) == "rediss://:new@redis:6380"
    previous = aws.get_secret_value(SecretId=redis, VersionStage="AWSPREVIOUS")["SecretString"]
    assert previous != "rediss://:new@redis:6380"  # the old version is kept, never deleted


def test_a_secret_scheduled_for_deletion_is_refused(aws: Any, tmp_path: Path) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    first = push_to_aws(contract, store)
    doomed = first.arn("tracecat", "tracecat-secrets")
    aws.delete_secret(SecretId=doomed, RecoveryWindowInDays=7)
    with pytest.raises(AwsError, match="scheduled for deletion") as caught:
        push_to_aws(contract, store)
    assert "restore-secret" in str(caught.value)


def test_printed_arns_render_a_release_reading_them(aws: Any, tmp_path: Path) -> None:
    """The overrides put every ARN where Tracecat reads it: the app's ``*__ARN`` env vars
    and the chart's own ExternalSecrets, which then produce every Secret the release reads
    from exactly the pushed values."""
    contract, rendered = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    result = push_to_aws(contract, store, values=rendered.values, store_ref=STORE_REF)
    assert result.notes == []
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(yaml.safe_dump(result.overrides))
    again, release = contract_for_chart(
        CHART, ValuesInput(files=[overrides], set=[*SEED, *TEMPORAL]), OPTIONS
    )
    env: dict[str, set[str]] = {}
    for obj in release.objects:
        if obj.kind != "Deployment":
            continue
        for container in obj.body["spec"]["template"]["spec"]["containers"]:
            for var in container.get("env", []):
                if var["name"].endswith("__ARN"):
                    env.setdefault(var["name"], set()).add(var["value"])
    assert env == {ARN_ENV[s]: {result.arn("tracecat", s)} for s in ARN_ENV}
    # Every Secret the release reads is now made by the chart's ExternalSecrets ...
    assert again.required == [] and again.findings == []
    externals = [o.body for o in release.objects if o.kind == "ExternalSecret"]
    assert {o["spec"]["target"]["name"] for o in externals} == {s.name for s in again.secrets}
    for obj in externals:
        spec, target = obj["spec"], obj["spec"]["target"]["name"]
        assert spec["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": STORE_REF}
        ref = again.get(target)
        assert ref is not None
        assert set(ref.keys) <= {d["secretKey"] for d in spec["data"]}
        # ... from the pushed secret, read as ESO reads it.
        for item in spec["data"]:
            remote = item["remoteRef"]
            got = _read(aws, remote["key"], remote.get("property"))
            assert got == store.get("tracecat", target, item["secretKey"]), (target, item)


def test_without_a_store_ref_only_the_app_reads_the_arns(aws: Any, tmp_path: Path) -> None:
    contract, rendered = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    result = push_to_aws(contract, store, values=rendered.values)
    assert "externalSecrets" not in result.overrides
    assert any("--store-ref" in note for note in result.notes)
    assert result.overrides["externalRedis"]["auth"]["secretArn"] == result.arn(
        "tracecat", "tracecat-redis-credentials"
    )


def test_render_as_aws_adds_externalsecrets_for_what_the_chart_cannot_wire(
    aws: Any, tmp_path: Path
) -> None:
    """A Secret no chart value takes an ARN for (here the Temporal key under a name the
    chart's own ExternalSecret does not target) gets an ExternalSecret of ours reading the
    pushed secret, so the release with the overrides still finds every Secret it needs."""
    from chartsafe.deliver import DeliveryRequest, deliver

    renamed = ["externalTemporal.auth.existingSecret=temporal-key"]
    contract, rendered = tracecat(renamed)
    store = filled_store(tmp_path / "store.yaml", contract)
    request = DeliveryRequest(contract, store, {"store_ref": STORE_REF}, values=rendered.values)
    delivery = deliver("aws", request)
    assert [m["spec"]["target"]["name"] for m in delivery.manifests] == ["temporal-key"]
    (ours,) = delivery.manifests
    assert ours["spec"]["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": STORE_REF}
    assert ours["spec"]["data"] == [
        {"secretKey": "apiKey", "remoteRef": {"key": "tracecat/temporal-key"}}
    ]
    assert _read(aws, "tracecat/temporal-key", None) == store.get(
        "tracecat", "temporal-key", "apiKey"
    )
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(yaml.safe_dump(delivery.overrides))
    again, _ = contract_for_chart(
        CHART, ValuesInput(files=[overrides], set=[*SEED, *TEMPORAL, *renamed]), OPTIONS
    )
    assert [ref.name for ref in again.required] == ["temporal-key"]
    assert set(again.required[0].keys) == {"apiKey"}


@pytest.mark.parametrize(
    ("flag", "value"),
    [("creation_policy", "Always"), ("refresh_interval", "soon"), ("store_kind", "Vault")],
)
def test_a_bad_externalsecret_flag_is_refused_before_anything_is_pushed(
    flag: str, value: str, aws: Any, tmp_path: Path
) -> None:
    """``--as aws --store-ref``: the ExternalSecrets' flags are checked first, so a typo
    leaves AWS untouched instead of failing after the push."""
    from chartsafe._errors import InputError
    from chartsafe.deliver import DeliveryRequest, backend_for, deliver

    renamed = ["externalTemporal.auth.existingSecret=temporal-key"]
    contract, rendered = tracecat(renamed)
    store = filled_store(tmp_path / "store.yaml", contract)
    options = {"store_ref": STORE_REF, flag: value}
    with pytest.raises(InputError, match=flag.replace("_", "-")):
        backend_for("aws", options)
    request = DeliveryRequest(contract, store, options, values=rendered.values)
    with pytest.raises(InputError, match=flag.replace("_", "-")):
        deliver("aws", request)
    assert aws.list_secrets()["SecretList"] == []
