"""Bad input to the store and sops commands: one line naming what is wrong, exit 2, and the
file given left as it was.

Files with key groups are made by the real sops (``sops`` fixture), so the refusals are held
against what sops itself writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bad_input import one_clear_line
from store_helpers import AgeKey, SopsRunner

from chartsafe.cli import main
from chartsafe.store.secret_ops import set_value
from chartsafe.store.secret_store import SecretStore


@dataclass(frozen=True)
class Kit:
    """Two age identities (the test holds ``own`` only) and the real sops."""

    tmp: Path
    own: AgeKey
    other: AgeKey
    sops: SopsRunner

    def store(self, name: str = "st.yaml") -> Path:
        """A store chartsafe made, encrypted to ``own``."""
        path = self.tmp / name
        set_value(path, "ns", "s", "k", "v", recipients=[self.own.recipient])
        return path

    def sops_file(self, name: str, plain: str, rules: str | None = None) -> Path:
        """``plain`` encrypted by sops: to ``own``, or by the ``.sops.yaml`` ``rules``."""
        folder = self.tmp / name.replace(".", "-")
        folder.mkdir()
        path = folder / name
        path.write_text(plain)
        if rules is None:
            self.sops("encrypt", "-i", "--age", self.own.recipient, str(path), cwd=folder)
        else:
            (folder / ".sops.yaml").write_text(rules)
            self.sops("encrypt", "-i", str(path), cwd=folder)
        return path

    def two_groups(self) -> str:
        """A creation rule splitting the data key over own's and other's groups, both needed."""
        return (
            "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n"
            f"      - age: [{self.own.recipient}]\n      - age: [{self.other.recipient}]\n"
        )


def _values_file(kit: Kit) -> tuple[list[str], Path]:
    path = kit.sops_file("values.yaml", "db:\n  password: hunter2\nuser_unencrypted: app\n")
    return ["secrets", "set", "-n", "ns", "s", "k", "--from-literal", "v", "--store",
            str(path)], path  # fmt: skip


def _store_v2(kit: Kit) -> tuple[list[str], Path]:
    path = kit.sops_file("v2.yaml", "chartsafe:\n  version: 2\nsecrets: {ns: {s: {k: v}}}\n")
    return ["secrets", "set", "-n", "ns", "s", "k2", "--from-literal", "v", "--store",
            str(path)], path  # fmt: skip


def _store_v2_listed(kit: Kit) -> tuple[list[str], Path]:
    path = kit.sops_file("v2.yaml", "chartsafe:\n  version: 2\n")
    return ["secrets", "list", "--store", str(path)], path


def _store_without_version(kit: Kit) -> tuple[list[str], Path]:
    path = kit.sops_file("nov.yaml", "chartsafe: yes\nsecrets: {}\n")
    return ["secrets", "get", "-n", "ns", "s", "k", "--reveal", "--store", str(path)], path


def _rekey_to_two_groups(kit: Kit) -> tuple[list[str], Path]:
    path = kit.store()
    (kit.tmp / ".sops.yaml").write_text(kit.two_groups())
    return ["secrets", "rekey", "--store", str(path)], path


def _rekey_to_another(kit: Kit) -> tuple[list[str], Path]:
    path = kit.store()
    return ["secrets", "rekey", "--store", str(path), "--age", kit.other.recipient], path


def _sops_decrypt_below_threshold(kit: Kit) -> tuple[list[str], Path]:
    path = kit.sops_file("kg.yaml", "db:\n  password: hunter2\n", kit.two_groups())
    return ["sops", "decrypt", str(path)], path


def _store_below_threshold(kit: Kit) -> tuple[list[str], Path]:
    plain = "chartsafe:\n  version: 1\nsecrets:\n  ns:\n    s:\n      k: v\n"
    path = kit.sops_file("kgstore.yaml", plain, kit.two_groups())
    return ["secrets", "get", "-n", "ns", "s", "k", "--reveal", "--store", str(path)], path


def _ini(kit: Kit) -> tuple[list[str], Path]:
    path = kit.sops_file("c.ini", "[s]\npw = hunter2\n")
    return ["sops", "decrypt", str(path)], path


def _previous_part(kit: Kit) -> tuple[list[str], Path]:
    path = kit.store()
    set_value(path, "ns", "s", "k", "v2", key_file=kit.own.path)  # "v" is now previous
    return ["secrets", "get", "-n", "ns", "s", "k", "--previous", "--part", "public",
            "--reveal", "--store", str(path)], path  # fmt: skip


def _age_not_the_stores(kit: Kit) -> tuple[list[str], Path]:
    path = kit.store()
    return ["secrets", "set", "-n", "ns", "s", "k2", "--from-literal", "v", "--store", str(path),
            "--age", kit.other.recipient], path  # fmt: skip


Case = Callable[[Kit], tuple[list[str], Path]]

# (id, the run and the file it must leave as it was, words of its one error line)
CASES: list[tuple[str, Case, list[str]]] = [
    ("--store names an ordinary sops values file", _values_file,
     ["values.yaml", "not a chartsafe store", "top-level keys db, user_unencrypted"]),
    ("set into a store of a newer layout", _store_v2,
     ["v2.yaml", "store layout version 2 is newer than this chartsafe reads (1)"]),
    ("list a store of a newer layout", _store_v2_listed,
     ["v2.yaml", "store layout version 2 is newer than this chartsafe reads (1)"]),
    ("a chartsafe key that holds no version", _store_without_version,
     ["nov.yaml", "not a chartsafe store", "no layout version"]),
    ("rekey to key groups whose threshold own identities do not meet", _rekey_to_two_groups,
     ["st.yaml", "2 key groups", "shamir_threshold 2", "in 1 of them", "--force",
      "nothing written"]),
    ("rekey to recipients that leave own identities out", _rekey_to_another,
     ["st.yaml", "none of your age identities", "--force"]),
    ("sops decrypt, threshold 2, own identities open 1 group", _sops_decrypt_below_threshold,
     ["kg.yaml", "Shamir threshold of 2", "only 1 part(s) could be recovered"]),
    ("secrets get from a store sops split over key groups", _store_below_threshold,
     ["kgstore.yaml", "Shamir threshold of 2", "only 1 part(s) could be recovered"]),
    ("an INI file", _ini, ["c.ini", "INI files", "not supported"]),
    ("get --previous --part: no previous parts are kept", _previous_part,
     ["--previous --part public", "no previous parts", "key k of Secret ns/s"]),
    ("set --age naming a recipient the store is not encrypted to", _age_not_the_stores,
     ["--age age1", "st.yaml is not encrypted to it", "secrets rekey"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_one_line_and_nothing_written(
    tmp_path: Path,
    new_key: Callable[[str], AgeKey],
    sops: SopsRunner,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: Case,
    words: list[str],
) -> None:
    kit = Kit(tmp_path, new_key("own"), new_key("other"), sops)
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(kit.own.path))
    args, path = case(kit)
    before = path.read_bytes()
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    one_clear_line(err, 2, words)
    assert "no age identity opens" not in err  # the threshold is said, not a missing key
    assert path.read_bytes() == before


def test_age_naming_recipients_the_store_has_is_fine(
    tmp_path: Path, new_key: Callable[[str], AgeKey], sops: SopsRunner
) -> None:
    """A script that always passes its own recipient: the store is encrypted to it (and to
    more), so nothing is lost and the set goes through, the store's recipients kept."""
    kit = Kit(tmp_path, new_key("own"), new_key("other"), sops)
    path = tmp_path / "st.yaml"
    both = [kit.own.recipient, kit.other.recipient]
    set_value(path, "ns", "s", "k", "v", recipients=both)
    set_value(path, "ns", "s", "k2", "v", recipients=[kit.own.recipient], key_file=kit.own.path)
    assert SecretStore.open(path, key_file=kit.own.path).recipients == both


def test_an_empty_file_is_a_new_store(
    tmp_path: Path, age_key: AgeKey, monkeypatch: pytest.MonkeyPatch, sops: SopsRunner
) -> None:
    """``mktemp`` then ``--store``: nothing to lose, so the store is made there."""
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(age_key.path))
    store = tmp_path / "st.yaml"
    store.write_text("")
    assert main(["secrets", "set", "-n", "ns", "s", "k", "--from-literal", "v", "--store",
                 str(store), "--age", age_key.recipient]) == 0  # fmt: skip
    out = sops("decrypt", "--extract", '["secrets"]["ns"]["s"]["k"]', str(store),
               key_file=age_key.path).stdout  # fmt: skip
    assert out == "v"


def test_a_store_sops_made_from_nothing_is_a_store(
    tmp_path: Path, age_key: AgeKey, sops: SopsRunner
) -> None:
    """No top-level key at all (``sops -e`` of ``{}``): an empty store, not a foreign file."""
    store = tmp_path / "st.yaml"
    store.write_text("{}\n")
    sops("encrypt", "-i", "--age", age_key.recipient, str(store))
    set_value(store, "ns", "s", "k", "v", key_file=age_key.path)
    out = sops("decrypt", "--extract", '["chartsafe"]["version"]', str(store),
               key_file=age_key.path).stdout  # fmt: skip
    assert out.strip() == "1"
