"""YAML aliases: the same verdicts as ``sops encrypt``, before anything expands them.

A few lines of aliases can stand for billions of values. Before, ``chartsafe sops encrypt``
ran on such a file until memory ran out, and an anchor holding its own alias was an internal
error; sops refuses both. Each shape below is written with ``count`` aliases, the most that
sops 3.11.0 accepts (measured by bisection), and once more: ours must accept the first and
refuse the second. The quick shapes are also run through the real sops here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import SopsRunner

from chartsafe._errors import SopsFormatError
from chartsafe.store.sops_yaml import load_yaml

RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _mapping(prefix: str, size: int) -> str:
    return "{" + ", ".join(f"{prefix}{i}: v" for i in range(size)) + "}"


def _list_of_lists(count: int) -> str:
    return f"a: &a {_flow(['x'] * 500)}\nb: {_flow(['*a'] * count)}\n"


def _nested(count: int) -> str:
    return f"a: &a {_flow(['x'] * 10)}\nb: &b {_flow(['*a'] * 10)}\nc: {_flow(['*b'] * count)}\n"


def _with_aliased_key(count: int) -> str:
    return f"k: &k key\nm: &m {_mapping('k', 300)}\nitems: {_flow(['*m'] * count)}\n"


def _mappings(count: int) -> str:
    return f"m: &m {_mapping('k', 50)}\nitems: {_flow(['*m'] * count)}\n"


def _merged(count: int) -> str:
    return f"m: &m {_mapping('k', 50)}\nitems:\n" + "- {<<: *m, z: 1}\n" * count


def _merged_list(count: int) -> str:
    heads = f"m: &m {_mapping('k', 30)}\nn: &n {_mapping('j', 30)}\n"
    return heads + "items:\n" + "- {<<: [*m, *n], z: 1, y: 2}\n" * count


def _merged_merge(count: int) -> str:
    heads = f"m: &m {_mapping('k', 30)}\nn: &n {{<<: *m, q: 1}}\n"
    return heads + "items:\n" + "- {<<: *n, z: 1}\n" * count


# (id, document with N aliases, the largest N sops accepts, quick enough to run sops on)
SHAPES: list[tuple[str, Callable[[int], str], int, bool]] = [
    ("a list repeated", _list_of_lists, 124, False),
    ("aliases of aliases", _nested, 121, True),
    ("with an aliased key beside", _with_aliased_key, 119, True),
    ("a mapping repeated", _mappings, 3923, False),
    ("merge keys", _merged, 5485, False),
    ("merge keys from a list", _merged_list, 5049, False),
    ("merge keys merging merges", _merged_merge, 9881, False),
]


def _accepted(text: str) -> bool:
    try:
        load_yaml(text)
    except SopsFormatError as exc:
        assert "excessive aliasing" in exc.message
        return False
    return True


@pytest.mark.parametrize(("shape", "count"), [s[1:3] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_aliasing_is_refused_exactly_where_sops_refuses_it(
    shape: Callable[[int], str], count: int
) -> None:
    assert _accepted(shape(count))
    assert not _accepted(shape(count + 1))


QUICK = [s for s in SHAPES if s[3]]


@pytest.mark.parametrize(("shape", "count"), [s[1:3] for s in QUICK], ids=[s[0] for s in QUICK])
def test_the_real_sops_draws_the_line_at_the_same_count(
    shape: Callable[[int], str], count: int, sops: SopsRunner, tmp_path: Path
) -> None:
    for aliases, accepted in ((count, True), (count + 1, False)):
        path = tmp_path / f"aliases-{aliases}.yaml"
        path.write_text(shape(aliases))
        result = sops("encrypt", "--age", RECIPIENT, str(path), check=False)
        assert (result.returncode == 0) is accepted, result.stderr
        assert _accepted(shape(aliases)) is accepted
        if not accepted:
            assert "excessive aliasing" in result.stderr


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    for before, name in zip("abcdefgh", "bcdefghi", strict=True)
)  # nine levels: 387,420,489 values once expanded


# (id, document, words of the message)
REFUSED = [
    ("a billion values", BOMB, ["document 1: excessive aliasing", "fewer aliases"]),
    ("a list holding its own alias", "a: 1\nb: &b [1, *b]\n",
     ["document 1: line 2: an anchor's value contains its own alias"]),
    ("a mapping holding its own alias", "a: &a {k: {j: *a}}\n",
     ["line 1: an anchor's value contains its own alias"]),
    ("in the second document", "a: 1\n---\nb: &b [*b]\n", ["document 2: line 3"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "words"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_document_that_cannot_be_expanded_is_refused_before_it_is(
    text: str, words: list[str]
) -> None:
    with pytest.raises(SopsFormatError) as refused:
        load_yaml(text, "values.yaml")
    assert all(word in refused.value.message for word in words), refused.value.message
    assert refused.value.message.startswith("values.yaml: ")


@pytest.mark.parametrize("text", [BOMB, "a: &a [1, *a]\n"], ids=["a billion values", "a cycle"])
def test_the_real_sops_refuses_these_too(text: str, sops: SopsRunner, tmp_path: Path) -> None:
    path = tmp_path / "refused.yaml"
    path.write_text(text)
    result = sops("encrypt", "--age", RECIPIENT, str(path), check=False)
    assert result.returncode != 0
    assert "excessive aliasing" in result.stderr or "contains itself" in result.stderr


def test_ordinary_aliases_and_merge_keys_still_read_as_before() -> None:
    text = "base: &base {image: app, tag: '1'}\nweb: {<<: *base, port: 80}\nlist: [*base, *base]\n"
    (document,) = load_yaml(text)
    assert document["web"] == {"image": "app", "tag": "1", "port": 80}
    assert document["list"] == [document["base"], document["base"]]
