"""``.sops.yaml`` lookup and creation rules, including the config files shipped with the vectors."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import FLUX, SOPS_311

from chartsafe._errors import SopsConfigError
from chartsafe.store import CreationRule, Selector, SopsConfig, creation_rule_for, find_config

A = "age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun"
B = "age1afnrdrkyvy0sl5e08t9ffs4c7g5e5npc8luf7hjc77syewg5gajsls4r90"
FLUX_AGE = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29"


def _config(tmp_path: Path, source: Path) -> SopsConfig:
    path = tmp_path / ".sops.yaml"
    path.write_text(source.read_text())
    return SopsConfig.load(path)


@pytest.mark.parametrize(
    ("file", "groups", "threshold", "selector", "mac_only"),
    [
        ("groups.yaml", ((A,), (B,)), 2, None, False),
        ("cfg.json", ((A, B),), None, Selector("encrypted_regex", "^(password|token)$"), True),
        ("sub/any.yaml", ((A,),), None, None, False),
    ],
)
def test_sops_311_vector_config(
    tmp_path: Path,
    file: str,
    groups: tuple[tuple[str, ...], ...],
    threshold: int | None,
    selector: Selector | None,
    mac_only: bool,
) -> None:
    rule = _config(tmp_path, SOPS_311 / "dot.sops.yaml").rule_for(tmp_path / file)
    assert (rule.key_groups, rule.shamir_threshold) == (groups, threshold)
    assert (rule.selector, rule.mac_only_encrypted) == (selector, mac_only)


@pytest.mark.parametrize(
    ("file", "outcome"),
    [
        ("secret.yaml", Selector("encrypted_regex", "^(data|stringData)$")),
        ("x/json.yaml", Selector("encrypted_regex", ".*")),
        ("app.env", None),
        ("inside.yaml", "pgp"),  # first rule: pgp only
        ("other.bin", "pgp"),  # fallback rule: an age group and a pgp group
    ],
)
def test_flux_vector_config(tmp_path: Path, file: str, outcome: Selector | str | None) -> None:
    config = _config(tmp_path, FLUX / "dot.sops.yaml")
    assert config.indents == {"yaml": 2, "json": 2}
    if outcome == "pgp":
        with pytest.raises(SopsConfigError, match="pgp"):
            config.rule_for(tmp_path / file)
        return
    rule = config.rule_for(tmp_path / file)
    assert rule.key_groups == ((FLUX_AGE,),)
    assert rule.selector == outcome
    assert rule.indent == 2


def test_nearest_config_wins(tmp_path: Path) -> None:
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / ".sops.yaml").write_text(f"creation_rules:\n  - age: {B}\n")
    (tmp_path / "a" / ".sops.yaml").write_text(f"creation_rules:\n  - age: [{A}]\n")
    assert find_config(tmp_path / "a" / "b" / "c") == tmp_path / "a" / ".sops.yaml"
    rule = creation_rule_for(tmp_path / "a" / "b" / "c" / "s.yaml", start=tmp_path / "a" / "b")
    assert rule.recipients == [A]


def test_path_regex_is_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / ".sops.yaml").write_text(
        f"creation_rules:\n  - path_regex: ^secrets/\n    age: {A}\n"
    )
    rule = creation_rule_for(tmp_path / "secrets" / "s.yaml", start=tmp_path)
    assert rule.recipients == [A]
    with pytest.raises(SopsConfigError, match=r"no matching creation rules found for other\.yaml"):
        creation_rule_for(tmp_path / "other.yaml", start=tmp_path)


def test_explicit_recipients_replace_config_keys_but_keep_its_selector(tmp_path: Path) -> None:
    (tmp_path / ".sops.yaml").write_text(
        f"creation_rules:\n  - encrypted_suffix: _secret\n    pgp: ABCDEF\n    age: {A}\n"
    )
    rule = creation_rule_for(tmp_path / "s.yaml", recipients=B, start=tmp_path)
    assert rule == CreationRule(
        key_groups=((B,),), selector=Selector("encrypted_suffix", "_secret")
    )


def test_sops_age_recipients_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOPS_AGE_RECIPIENTS", f"{A},{B}")
    assert creation_rule_for(tmp_path / "s.yaml", start=tmp_path).key_groups == ((A, B),)


def test_no_config_no_recipients(tmp_path: Path) -> None:
    with pytest.raises(SopsConfigError, match=r"give --age RECIPIENT or add a \.sops\.yaml"):
        creation_rule_for(tmp_path / "s.yaml", start=tmp_path)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("  - age: 1\n", "age must be a string or a list"),
        (f"  - age: {A}\n    encrypted_regex: a\n    unencrypted_suffix: b\n", "more than one"),
        (f"  - age: {A}\n    path_regex: '('\n", "path_regex is not a regex"),
        ("  - age: age1bad\n", "is not an age recipient"),
        (f"  - key_groups:\n      - age: [{A}]\n        merge: 5\n", "merge is not a list"),
        ("  - key_groups: [5]\n", "a key group is not a mapping"),
        ("  - key_groups: {age: x}\n", "key_groups is not a list"),
    ],
)
def test_bad_rules(tmp_path: Path, rule: str, message: str) -> None:
    path = tmp_path / ".sops.yaml"
    path.write_text("creation_rules:\n" + rule)
    with pytest.raises(SopsConfigError, match=message) as caught:
        SopsConfig.load(path)
    assert caught.value.file == str(path) or str(path) in str(caught.value)
