"""``--as external``: ExternalSecrets (and stores) for Tracecat, valid against the ESO CRDs,
in the seed's AWS layout, with overrides that make a release whose contract they satisfy."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from delivery_helpers import (
    CHART,
    DATA,
    OPTIONS,
    SEED,
    TEMPORAL,
    filled_store,
    schema_errors,
    store_values,
    tracecat,
)

from chartsafe import ValuesInput
from chartsafe._errors import ChartsafeError, InputError
from chartsafe.contract import contract_for_chart
from chartsafe.deliver.external import ExternalOptions, render_external
from chartsafe.deliver.external_stores import StoreOptions

STORES = yaml.safe_load((DATA / "stores.yaml").read_text())
KINDS = ("SecretStore", "ClusterSecretStore")
# The Secrets Tracecat needs with the seed's flags and an external Temporal.
TRACECAT_SECRETS = {
    "tracecat-secrets": {"dbEncryptionKey", "serviceKey", "signingSecret", "userAuthSecret"},
    "tracecat-postgres-credentials": {"username", "password"},
    "tracecat-redis-credentials": {"url"},
    "tracecat-temporal-credentials": {"apiKey"},
}


def _options(row: dict[str, Any], kind: str, **extra: Any) -> ExternalOptions:
    return ExternalOptions(
        store_ref="tracecat-store",
        store_kind=kind,
        provider=row["provider"],
        with_store=True,
        store=StoreOptions(**row["store"]),
        **extra,
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("row", STORES, ids=[f"{r['provider']}-{r['auth']}" for r in STORES])
def test_every_generated_object_validates_against_the_eso_crds(
    row: dict[str, Any], kind: str
) -> None:
    contract, _ = tracecat()
    delivery = render_external(contract, _options(row, kind))
    stores = [m for m in delivery.manifests if m["kind"] == kind]
    externals = [m for m in delivery.manifests if m["kind"] == "ExternalSecret"]
    assert len(stores) == 1 and len(externals) == len(TRACECAT_SECRETS)
    assert len(delivery.manifests) == len(stores) + len(externals)
    for obj in delivery.manifests:
        assert obj["apiVersion"] == "external-secrets.io/v1"
        assert schema_errors(obj) == [], obj["metadata"]["name"]
    provider = next(iter(stores[0]["spec"]["provider"].values()))
    refs = _refs(provider)
    if kind == "ClusterSecretStore":  # every reference says where it lives
        assert "namespace" not in stores[0]["metadata"]
        assert all(ref.get("namespace") == "tracecat" for ref in refs)
    else:
        assert stores[0]["metadata"]["namespace"] == "tracecat"
        assert all("namespace" not in ref for ref in refs)
    if row["auth"] not in ("sdk-chain", "managed-identity"):
        assert refs, "an authenticated store names its service account or credentials"


def _refs(node: Any) -> list[dict[str, Any]]:
    """Every SecretKeySelector / ServiceAccountSelector inside a provider spec."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "name" in node and isinstance(node["name"], str):
            found.append(node)
        for child in node.values():
            found.extend(_refs(child))
    return found


def test_the_schema_check_can_fail() -> None:
    """The CRD validation used above rejects what ESO would reject."""
    contract, _ = tracecat()
    good = render_external(contract, ExternalOptions(store_ref="s")).manifests[0]
    for mutate in (
        lambda o: o["spec"]["target"].update(creationPolicy="Sometimes"),
        lambda o: o["spec"]["data"][0].update(remoteKey="typo"),
        lambda o: o["spec"]["secretStoreRef"].update(kind="Vault"),
    ):
        bad = copy.deepcopy(good)
        mutate(bad)
        assert schema_errors(bad)
    beta = {**good, "apiVersion": "external-secrets.io/v1beta1"}
    with pytest.raises(AssertionError, match="no served CRD"):
        schema_errors(beta)


def _items(objects: list[dict[str, Any]]) -> dict[str, set[tuple[str, str | None]]]:
    """target Secret → {(secretKey, remoteRef.property)}."""
    return {
        o["spec"]["target"]["name"]: {
            (d["secretKey"], d["remoteRef"].get("property")) for d in o["spec"]["data"]
        }
        for o in objects
        if o["kind"] == "ExternalSecret"
    }


def test_tracecat_aws_layout_reproduces_the_seeds_expected_formats() -> None:
    """Seed 000: core and PostgreSQL secrets are JSON (a property per key); the Redis URL and
    the Temporal API key are raw strings. The chart's own ExternalSecrets read that layout,
    so ours must read exactly the same (secretKey, property) pairs per Secret."""
    contract, _ = tracecat()
    ours = render_external(contract, ExternalOptions(store_ref="aws", provider="aws"))
    assert {r.secret: set(r.keys) for r in ours.layout} == TRACECAT_SECRETS
    formats = {r.secret: r.as_dict()["format"] for r in ours.layout}
    assert formats == {
        "tracecat-secrets": "json",
        "tracecat-postgres-credentials": "json",
        "tracecat-redis-credentials": "raw",
        "tracecat-temporal-credentials": "raw",
    }
    blocks = ("coreSecrets", "postgres", "redis", "temporal")
    chart_eso = [
        "externalSecrets.enabled=true",
        "externalSecrets.clusterSecretStoreRef=aws",
        *[f"externalSecrets.{b}.enabled=true" for b in blocks],
        *[f"externalSecrets.{b}.secretArn=arn:aws:secretsmanager:x:1:secret:{b}" for b in blocks],
    ]
    _, chart = tracecat(chart_eso)
    theirs = _items([o.body for o in chart.objects])
    assert theirs == _items(ours.manifests)
    for obj in ours.manifests:  # one remote secret per ExternalSecret
        assert len({d["remoteRef"]["key"] for d in obj["spec"]["data"]}) == 1
        assert obj["spec"]["data"][0]["remoteRef"]["key"].startswith("tracecat/")


@pytest.mark.parametrize("provider", ["aws", "gcp", "azure", "vault"])
def test_remote_keys_per_provider(provider: str) -> None:
    contract, _ = tracecat()
    layout = render_external(
        contract, ExternalOptions(store_ref="s", provider=provider, prefix="prod-")
    ).layout
    names = {r.secret: r.remote_key for r in layout}
    expected = {
        "aws": "prod-tracecat/tracecat-secrets",
        "vault": "prod-tracecat/tracecat-secrets",
        "gcp": "prod-tracecat_tracecat-secrets",
        "azure": "prod-tracecat-tracecat-secrets",
    }[provider]
    assert names["tracecat-secrets"] == expected
    # Vault KV entries are maps: even a one-key Secret is read by property.
    assert all(not r.raw for r in layout) == (provider == "vault")


def test_overrides_alone_name_the_delivered_secrets(tmp_path: Path) -> None:
    """template -f overrides.yaml (without the seed's existingSecret flags) yields a release
    whose every required Secret and key is produced by the ExternalSecrets."""
    contract, _ = tracecat()
    delivery = render_external(contract, ExternalOptions(store_ref="s"))
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(yaml.safe_dump(delivery.overrides))
    without_names = [f for f in SEED if ".existingSecret=" not in f]
    names_less = [f for f in TEMPORAL if ".existingSecret=" not in f]
    again, _ = contract_for_chart(
        CHART, ValuesInput(files=[overrides], set=[*without_names, *names_less]), OPTIONS
    )
    produced = _items(delivery.manifests)
    assert again.required, "the release still reads Secrets it does not create"
    for ref in again.required:
        assert ref.name in produced, ref.name
        assert set(ref.keys) <= {key for key, _ in produced[ref.name]}, ref.name
    with pytest.raises(ChartsafeError, match="existingSecret"):  # the flags alone were not enough
        contract_for_chart(CHART, ValuesInput(set=[*without_names, *names_less]), OPTIONS)


def test_a_store_decides_optional_keys_and_missing_needed_keys_are_errors(
    tmp_path: Path,
) -> None:
    contract, _ = tracecat()
    store = filled_store(tmp_path / "store.yaml", contract)
    delivery = render_external(contract, ExternalOptions(store_ref="s"), store=store)
    text = json.dumps(delivery.as_dict()) + yaml.safe_dump_all(delivery.manifests)
    assert not [v for v in store_values(store) if v in text]  # names only, never a value
    store.delete("tracecat", "tracecat-redis-credentials", "url")
    with pytest.raises(InputError, match="no value for key url of Secret tracecat/tracecat-redis"):
        render_external(contract, ExternalOptions(store_ref="s"), store=store)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"refresh_interval": "hourly"}, "--refresh-interval 'hourly' is not a duration"),
        ({"creation_policy": "Always"}, "--creation-policy 'Always'"),
        ({"deletion_policy": "Delete", "creation_policy": "Orphan"}, "needs --creation-policy"),
        ({"deletion_policy": "Merge", "creation_policy": "None"}, "cannot go with"),
        ({"store_ref": "Bad_Name"}, "--store-ref 'Bad_Name'"),
        ({"provider": "ibm"}, "--provider 'ibm' is not supported"),
    ],
)
def test_options_eso_would_refuse_are_input_errors(options: dict[str, Any], message: str) -> None:
    contract, _ = tracecat()
    with pytest.raises(InputError, match=message):
        render_external(contract, ExternalOptions(**{"store_ref": "s", **options}))


@pytest.mark.parametrize("name", ["external", "aws"])
def test_the_registry_lists_the_flags_each_backend_reads(name: str) -> None:
    """The registry refuses flags a backend does not read, so the lists must agree."""
    import importlib

    from chartsafe.deliver import BACKENDS

    module = importlib.import_module(f"chartsafe.deliver.{name}")
    assert set(BACKENDS[name].options) == set(module.OPTION_NAMES)
