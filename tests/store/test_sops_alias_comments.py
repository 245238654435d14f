"""Comments and YAML aliases, as the real sops 3.11 encrypts them.

sops expands an alias (a merge key's too) into a copy of its anchor's nodes, comments
included, and encrypts each copy with its own path. chartsafe dropped the copies, and placed
comments by the anchor's position wherever an alias stood: a comment after ``- *m`` went
to the end of the file, one after an aliased value above the alias instead of the anchor.
Each layout here is encrypted by both; the files must hold the same comments in the same
places, and decrypt the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from store_helpers import AgeKey, SopsRunner

from chartsafe._errors import SopsFormatError
from chartsafe._sops_tool import sops_encrypt
from chartsafe.store import write_file
from chartsafe.store.sops_yaml import load_yaml_commented

# (id, plain YAML)
LAYOUTS = [
    ("in an anchored mapping, at each alias",
     "m: &m\n  # head\n  a: 1\n  b:\n    # deep\n    c: 2\n  # foot\nx: *m\nl:\n  - *m\n"),
    ("in an anchored list", "a: &a\n  - 1\n  # in\n  - 2\nb: *a\nc:\n  - *a\n  - *a\n"),
    ("between aliased list items", "m: &m\n  # c\n  k: v\nitems:\n  - *m\n  # between\n"
     "  - *m\n  - *m\n  - *m\n"),
    ("after an alias and an aliased key",
     "k: &k key\nm: &m\n  # c\n  a: 1\nl:\n  # first\n  - *m # after\n  - x\n  # before\n"
     "  - *k : 2\n    # inner\n    b: 3\n  - *m\ns: &s v\nt:\n  - *s\n  # between\n  - *s\n"),
    ("after an aliased value", "s: &s v\nm: &m {a: 1}\nx: *s # one\nv: *m # two\n"
     "z:\n  <<: *m # three\n"),
    ("after an anchored flow mapping", "d: &d {a: 1} # c\nx: *d\n"),
    ("after an anchored scalar", "s: &s v # c\nx: *s\nl:\n  - *s\n"),
    ("an alias in a flow collection", "d: &d [1, 2] # c\nx: {k: *d}\n"),
    ("in a second document", "a: 1\n---\nd: &d {q: 1}\ne:\n  - *d\n  # z\n  - *d\n"),
]  # fmt: skip


def _data_part(encrypted: str) -> str:
    """The data of an encrypted YAML stream, each ``ENC[...]`` cut to its type."""
    data = "".join(part.split("sops:\n")[0] for part in encrypted.split("\n---\n"))
    return re.sub(r"ENC\[AES256_GCM,[^\]]*type:(\w+)\]", r"ENC[\1]", data)


@pytest.mark.parametrize("text", [t[1] for t in LAYOUTS], ids=[t[0] for t in LAYOUTS])
def test_comments_go_where_sops_puts_them_around_aliases(
    text: str, sops: SopsRunner, age_key: AgeKey, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(text)
    theirs = sops("encrypt", "--age", age_key.recipient, str(plain)).stdout
    ours = tmp_path / "ours.yaml"
    write_file(ours, sops_encrypt(plain, recipients=age_key.recipient))
    assert _data_part(ours.read_text()) == _data_part(theirs)
    (tmp_path / "theirs.yaml").write_text(theirs)
    expected = sops("decrypt", str(tmp_path / "theirs.yaml"), key_file=age_key.path).stdout
    assert sops("decrypt", str(ours), key_file=age_key.path).stdout == expected


@pytest.mark.parametrize(("aliases", "refused"), [(100, False), (101, True)])
def test_aliases_may_copy_at_most_a_million_comment_lines(aliases: int, refused: bool) -> None:
    """Few nodes pass the aliasing limit, however many comment lines each alias copies."""
    text = "m: &m\n" + "  # c\n" * 10_000 + "  k: v\nitems:\n" + "- *m\n" * aliases
    if not refused:
        assert len(load_yaml_commented(text)[1][0]) == aliases + 1
        return
    with pytest.raises(SopsFormatError, match="copy more than 1,000,000 comment lines"):
        load_yaml_commented(text, "big.yaml")
