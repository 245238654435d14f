"""``--set`` flags apply *into* the values so far, as Helm's strvals.ParseInto does.

The oracle is Helm's own parser: one expression ``e1,e2`` is parsed into a
single map, assignment after assignment, exactly as ``--set e1 --set e2`` is
applied by Helm. chartsafe applies the two flags one after the other; the
results must be equal, and where Helm refuses, chartsafe refuses too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python
import pytest

from chartsafe import ValuesError, ValuesInput, load_values
from chartsafe._strvals import split_assignments

ORACLES = {
    "--set": helm_python.parse_set_string,
    "--set-string": helm_python.parse_set_string_values,
    "--set-json": helm_python.parse_set_json,
}

# (flag, first expression, second expression)
PAIRS = [
    ("--set", "a[0].x=1", "a[0].y=2"),
    ("--set", "a={p,q,r}", "a[1]=x"),
    ("--set", "a.b=1", "a.c=2"),
    ("--set", "a[2]=x", "a[0]=y"),
    ("--set", "a[0][1]=x", "a[0][0]=y"),
    ("--set", "a={x,y}", "a={z}"),
    ("--set", "a[0].b=1", "a[0]=null"),
    ("--set", "m.k=v", "m=null"),
    ("--set", "a[1].b=1", "a[1].c[0]=2"),
    ("--set", "a[0]=v", "a[0].k=1"),
    ("--set", "a[0]=null", "a[0][0]=1"),
    ("--set", "a.b=1", "a=x"),
    ("--set", "hosts[0].name=a,hosts[0].port=1", "hosts[1].name=b,hosts[0].port=2"),
    ("--set", "k\\.io/x=1", "l.k\\.io/y=2"),
    ("--set", "a=x\\,y", "b={1,2}"),
    ("--set-string", "a[0].x=1", "a[0].y=true"),
    ("--set-json", 'a=[{"x":1},{"y":2}]', 'a[1].z={"k":[1,2]}'),
    ("--set-json", 'cfg={"a":{"b":1}}', "cfg.a.c=null"),
]
# Helm refuses these: the second path runs through a value that is not a map or list.
REFUSED = [
    ("--set", "a=str", "a.b=1"),
    ("--set", "a=1", "a[0]=x"),
    ("--set", "a[0]=x", "a.b=1"),
    ("--set", "a.b=1", "a[0]=x"),
    ("--set", "a=null", "a.b=1"),
    ("--set", "a[0]=v", "a[0][1]=x"),
    ("--set-json", 'a="s"', "a.b=1"),
]


def _ours(flag: str, first: str, second: str) -> dict[str, Any]:
    field = {"--set": "set", "--set-string": "set_string", "--set-json": "set_json"}[flag]
    return dict(load_values(ValuesInput(**{field: [first, second]})))


@pytest.mark.parametrize(("flag", "first", "second"), PAIRS)
def test_two_flags_apply_as_helm_applies_them(flag: str, first: str, second: str) -> None:
    assert _ours(flag, first, second) == ORACLES[flag](f"{first},{second}")


@pytest.mark.parametrize(("flag", "first", "second"), REFUSED)
def test_what_helm_refuses_is_refused(flag: str, first: str, second: str) -> None:
    with pytest.raises(helm_python.HelmError):
        ORACLES[flag](f"{first},{second}")
    with pytest.raises(ValuesError) as caught:
        _ours(flag, first, second)
    assert str(caught.value).startswith(f"{flag} ")


def test_set_changes_a_list_item_from_a_values_file(tmp_path: Path) -> None:
    """The everyday case: -f lists the hosts, --set changes one field of one host."""
    values = tmp_path / "values.yaml"
    values.write_text("hosts:\n  - name: a\n    paths: [/]\n  - name: b\nimage: nginx\n")
    got = load_values(ValuesInput(files=[values], set=["hosts[0].name=x"]))
    assert got["hosts"] == [{"name": "x", "paths": ["/"]}, {"name": "b"}]
    with pytest.raises(ValuesError, match=r"--set image\.tag=\.\.\.: image is a string"):
        load_values(ValuesInput(files=[values], set=["image.tag=1"]))


def test_the_refusal_never_shows_the_value(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("password: hunter2-secret\n")
    with pytest.raises(ValuesError) as caught:
        load_values(ValuesInput(files=[values], set=["password.x=also-secret"]))
    assert "hunter2" not in str(caught.value) and "also-secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("flag", "expression", "paths"),
    [
        ("--set", "a.b[0].c=1,d=2", [("a", "b", 0, "c"), ("d",)]),
        ("--set", "a={x,y},b=c\\,d", [("a",), ("b",)]),
        ("--set-json", 'a={"k":[1,2]},b=[1]', [("a",), ("b",)]),
        ("--set-literal", "a.b=x,y=z", [("a", "b")]),
        ("--set", "kubernetes\\.io/role=m", [("kubernetes.io/role",)]),
    ],
)
def test_assignments_and_their_paths(flag: str, expression: str, paths: list[Any]) -> None:
    found = split_assignments(flag, expression)
    assert found is not None and [p for _, p in found] == paths
