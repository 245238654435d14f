"""``ref+sops://``, ``ref+awssecrets://`` and ``ref+chartsafe://`` resolved in memory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from refs_helpers import SOPS_311, AgeKey

from chartsafe._errors import ChartsafeError, DecryptionError, ValuesError
from chartsafe._refs import (
    ResolveContext,
    SecretValues,
    find_references,
    parse_reference,
    resolve_references,
)
from chartsafe._values import ValuesInput, load_values
from chartsafe.store.secret_store import SecretStore

VECTOR = SOPS_311 / "types-no-comments.enc.yaml"
VECTOR_KEYS = SOPS_311 / "age-identities.txt"
VECTOR_PLAIN = yaml.safe_load((SOPS_311 / "types-no-comments.plain.yaml").read_text())

# (id, reference fragment, expected value from the plaintext twin of the vector)
SOPS_CASES = [
    ("string", "#/db/user", VECTOR_PLAIN["db"]["user"]),
    ("int", "#/db/port", 5432),
    ("bool", "#/db/enabled", False),
    ("list element", "#/db/hosts/1", "b.example"),
    ("clear value", "#/db/note_unencrypted", "visible"),
    ("block scalar", "#/db/multi", "line1\nline2\n"),
    ("inside a list", "#/list_of_maps/0/secret", "y"),
    ("a whole map", "#/db/hosts", ["a.example", "b.example"]),
]


@pytest.mark.parametrize(("fragment", "expected"), [c[1:] for c in SOPS_CASES],
                         ids=[c[0] for c in SOPS_CASES])  # fmt: skip
def test_ref_sops_reads_a_vector_file(fragment: str, expected: Any) -> None:
    values = load_values(
        ValuesInput(set=[f"x.y=ref+sops://{VECTOR}{fragment}"], age_key_file=VECTOR_KEYS)
    )
    assert values["x"]["y"] == expected
    assert values.secrets.is_secret(("x", "y"))


def test_ref_sops_in_a_values_file_and_relative_to_cwd(tmp_path: Path, clean_env: Path) -> None:
    (clean_env / "vector.enc.yaml").write_text(VECTOR.read_text())
    values_file = clean_env / "values.yaml"
    values_file.write_text(
        "db:\n  password: ref+sops://vector.enc.yaml#/db/user\n  port: ref+sops://vector.enc.yaml#/db/port\n"
    )
    context = ResolveContext(age_key_file=VECTOR_KEYS)
    values = load_values(ValuesInput(files=[values_file]), context=context)
    assert values["db"] == {"password": "admin", "port": 5432}
    assert len(context.cache) == 1  # one file, decrypted once
    assert values.secrets.paths == {("db", "password"), ("db", "port")}


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        (f"ref+sops://{VECTOR}#/db/nope", ["x.y", "has no key #/db/nope"]),
        (f"ref+sops://{VECTOR}#/db/hosts/7", ["has no key #/db/hosts/7"]),
        ("ref+sops:///no/such.yaml#/a", ["x.y", "/no/such.yaml", "no such file"]),
        ("ref+vault://secret/data/x#/y", ["x.y", "unknown reference scheme ref+vault://",
                                          "ref+sops://"]),
        ("ref+chartsafe://ns/only-two", ["must be ref+chartsafe://NAMESPACE/SECRET/KEY"]),
        ("ref+chartsafe://ns/s/k", ["needs a secret store", "CHARTSAFE_STORE"]),
    ],
    ids=["missing key", "index out of range", "missing file", "unknown scheme",
         "chartsafe: two parts", "chartsafe: no store"],
)  # fmt: skip
def test_bad_references_are_one_line_naming_the_values_path(
    reference: str, words: list[str]
) -> None:
    with pytest.raises(ChartsafeError) as caught:
        load_values(ValuesInput(set=[f"x.y={reference}"], age_key_file=VECTOR_KEYS))
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_ref_sops_without_a_key_says_where_it_looked(new_key: Callable[[str], AgeKey]) -> None:
    with pytest.raises(DecryptionError) as caught:
        load_values(ValuesInput(set=[f"a=ref+sops://{VECTOR}#/db/user"],
                                age_key_file=new_key("other").path))  # fmt: skip
    assert "a: sops reference" in str(caught.value)
    assert "looked in" in str(caught.value)


def test_references_can_stay_unresolved() -> None:
    given = ValuesInput(
        set=[f"a.b=ref+sops://{VECTOR}#/db/user", "c[0]=ref+chartsafe://ns/s/k", "d=plain"],
        resolve_refs=False,
    )
    values = load_values(given)
    assert values["a"]["b"].startswith("ref+sops://")
    assert not values.secrets
    assert list(find_references(values)) == [
        (("a", "b"), f"ref+sops://{VECTOR}#/db/user"),
        (("c", 0), "ref+chartsafe://ns/s/k"),
    ]


def test_parse_reference_keeps_query_and_fragment() -> None:
    ref = parse_reference(
        "ref+awssecrets://team/app?region=eu-west-1&version_stage=AWSPREVIOUS#/a/b"
    )
    assert (ref.scheme, ref.target, ref.fragment) == ("awssecrets", "team/app", ("a", "b"))
    assert dict(ref.query) == {"region": "eu-west-1", "version_stage": "AWSPREVIOUS"}


# -- AWS Secrets Manager on moto -------------------------------------------------------------

AWS_CASES = [
    ("plain string", "prod/plain", "s3cr3t-plain-value", "", "s3cr3t-plain-value"),
    ("json key", "prod/json", json.dumps({"url": "postgres://u:p4ss@db/x", "n": 3}), "#/url",
     "postgres://u:p4ss@db/x"),
    ("json number", "prod/json2", json.dumps({"n": 3}), "#/n", 3),
    ("region in the query", "prod/q", "v-in-query", "?region=eu-west-1", "v-in-query"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "stored", "suffix", "expected"), [c[1:] for c in AWS_CASES],
                         ids=[c[0] for c in AWS_CASES])  # fmt: skip
def test_ref_awssecrets_resolves_against_moto(
    aws: Any, name: str, stored: str, suffix: str, expected: Any
) -> None:
    aws.create_secret(Name=name, SecretString=stored)
    values = load_values(ValuesInput(set=[f"app.secret=ref+awssecrets://{name}{suffix}"]))
    assert values["app"]["secret"] == expected
    assert values.secrets.paths == {("app", "secret")}


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        ("ref+awssecrets://prod/missing", ["app.secret", "has no secret prod/missing"]),
        ("ref+awssecrets://prod/text#/k", ["is not JSON", "#/k"]),
        ("ref+awssecrets://prod/obj#/nope", ["has no key #/nope"]),
    ],
    ids=["missing secret", "fragment on text", "missing json key"],
)
def test_ref_awssecrets_errors(aws: Any, reference: str, words: list[str]) -> None:
    aws.create_secret(Name="prod/text", SecretString="not-json-value")
    aws.create_secret(Name="prod/obj", SecretString='{"k": "v-hidden"}')
    with pytest.raises(ValuesError) as caught:
        load_values(ValuesInput(set=[f"app.secret={reference}"]))
    message = str(caught.value)
    for word in words:
        assert word in message
    assert "not-json-value" not in message and "v-hidden" not in message


# -- the chartsafe store: the seed 001 inline option and its sub-chart credentials -----------


@pytest.fixture
def store(tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.enc.yaml"
    opened = SecretStore.create(path, recipients=age_key.recipient)
    opened.set("llmtrace", "llmtrace", "LLMTRACE_POSTGRES_URL", "postgres://lt:pg-Secr3t@pg/lt")
    opened.set("llmtrace", "llmtrace", "LLMTRACE_CLICKHOUSE_URL", "http://ch:8123")
    opened.set("llmtrace", "llmtrace-postgresql", "password", "pg-Secr3t")
    opened.save()
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    return path


def test_ref_chartsafe_reads_the_store(store: Path) -> None:
    values = load_values(
        ValuesInput(
            set=[
                "secrets.postgresUrl=ref+chartsafe://llmtrace/llmtrace/LLMTRACE_POSTGRES_URL",
                "postgresql.auth.password=ref+chartsafe://llmtrace/llmtrace-postgresql/password",
            ],
            store=store,
        )
    )
    assert values["secrets"]["postgresUrl"] == "postgres://lt:pg-Secr3t@pg/lt"
    assert values["postgresql"]["auth"]["password"] == "pg-Secr3t"


@pytest.mark.parametrize("how", ["--store", "CHARTSAFE_STORE", "?store="])
def test_the_store_file_can_be_named_three_ways(
    store: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    ref = "ref+chartsafe://llmtrace/llmtrace/LLMTRACE_CLICKHOUSE_URL"
    given = ValuesInput(set=[f"u={ref}"])
    if how == "--store":
        given.store = store
    elif how == "CHARTSAFE_STORE":
        monkeypatch.setenv("CHARTSAFE_STORE", str(store))
    else:
        given.set = [f"u={ref}?store={store}"]
    assert load_values(given)["u"] == "http://ch:8123"


def test_a_key_missing_from_the_store_says_how_to_fill_it(store: Path) -> None:
    with pytest.raises(ValuesError) as caught:
        load_values(ValuesInput(set=["a=ref+chartsafe://llmtrace/llmtrace/NOPE"], store=store))
    assert "has no key NOPE in Secret llmtrace/llmtrace" in str(caught.value)
    assert "chartsafe secrets" in str(caught.value)


def test_redaction_covers_raw_json_and_base64_forms() -> None:
    values, paths = resolve_references({"a": "plain"}, ResolveContext())
    assert (values, paths) == ({"a": "plain"}, [])
    secrets = SecretValues.of({"p": 'pa"ss-word\nline2-of-it'}, [("p",)])
    text = (
        'x: pa"ss-word\nline2-of-it y: "pa\\"ss-word\\nline2-of-it" '
        "z: cGEic3Mtd29yZApsaW5lMi1vZi1pdA=="
    )
    redacted = secrets.redact(text)
    assert "ss-word" not in redacted and "cGEic3" not in redacted and "line2-of-it" not in redacted
    assert SecretValues.of({"p": "ab"}, [("p",)]).redact("ab ab") == "ab ab"  # too short to search
    assert "pa" not in repr(secrets)
