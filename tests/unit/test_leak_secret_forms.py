"""A secret is masked in every form a chart prints it in, by both of chartsafe's maskers.

``SecretValues.redact`` (values from SOPS files and references) and ``_release_errors.scrub``
(the strings a release's Secrets carry: dry runs, diffs, release errors) take their needles
from one module, ``chartsafe._secret_forms``. Each row here renders a secret with Helm's own
engine through one template function (``tests/data/leaks/forms``), then masks the three texts
chartsafe prints it in: the rendered YAML (``template``), the object as JSON (``-o json``) and
as PyYAML dumps it (a diff). Nothing of the secret may remain, and what surrounds it must.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import chartsafe._secret_forms as secret_forms
from chartsafe._diff import diff_objects
from chartsafe._objects import K8sObject
from chartsafe._refs import SecretValues
from chartsafe._release_errors import scrub
from chartsafe._render import RenderOptions, render_chart
from chartsafe._values import ValuesInput

LEAKS = Path(__file__).resolve().parents[1] / "data" / "leaks"
#: Every character class the escapers treat apart: quotes, HTML and JS specials, a
#: backslash, URL specials, a space, a tab, a comma and non-ASCII text.
SECRET = "pa\"ss<&>'=\\LEAKCANARY+/ é,Z\tt"
MASK = "<masked>"

Masker = Callable[[str], str]
MASKERS: dict[str, Masker] = {
    "SecretValues.redact": SecretValues([("value",)], [SECRET]).redact,
    "scrub": lambda text: scrub(text, {SECRET}),
}

# (template function of tests/data/leaks/forms, the rendered line masked, the value masked)
FORMS = [
    ("raw", f'"{MASK}"', MASK),
    ("urlquery", f'"{MASK}"', MASK),
    ("urlquery in a URL", f'"postgres://app:{MASK}@db:5432/app"',
     f"postgres://app:{MASK}@db:5432/app"),
    ("html", f'"{MASK}"', MASK),
    ("js", f'"{MASK}"', MASK),
    ("b64enc", f'"{MASK}"', MASK),
    ("b32enc", f'"{MASK}"', MASK),
    ("lower", f'"{MASK}"', MASK),
    ("upper", f'"{MASK}"', MASK),
    ("toJson", f'"{MASK}"', MASK),
    ("toJson quoted", f'"\\"{MASK}\\""', f'"{MASK}"'),
    ("js quoted twice", f'"\\"{MASK}\\""', f'"{MASK}"'),
    ("html in toJson", f'"\\"{MASK}\\""', f'"{MASK}"'),
]  # fmt: skip


def _printed(use: str) -> K8sObject:
    """The forms chart's ConfigMap, ``printed`` being SECRET through ``use``."""
    given = ValuesInput(set_literal=[f"value={SECRET}"], set=[f"use={use}"])
    result = render_chart(LEAKS / "forms", given, RenderOptions(release_name="r", validate=False))
    (obj,) = result.objects
    return obj


@pytest.mark.parametrize("masker", list(MASKERS.values()), ids=list(MASKERS))
@pytest.mark.parametrize(("use", "line", "value"), FORMS, ids=[row[0] for row in FORMS])
def test_every_printed_form_is_masked(masker: Masker, use: str, line: str, value: str) -> None:
    obj = _printed(use)
    printed = obj.body["data"]["printed"]
    assert printed != value  # the chart did print the secret, in this form
    assert SecretValues([("value",)], [SECRET]).found_in(obj.text)  # a bundle file: 0600
    # template: the document as Helm rendered it
    (rendered,) = [ln for ln in obj.text.splitlines() if ln.lstrip().startswith("printed:")]
    assert masker(rendered) == f"  printed: {line}"
    # template -o json, install -o json: the object as JSON (non-ASCII escaped)
    assert json.loads(masker(json.dumps(obj.body)))["data"]["printed"] == value
    assert json.loads(masker(json.dumps(obj.body, ensure_ascii=False)))["data"]["printed"] == value
    # diff: the object as PyYAML dumps it, with and without non-ASCII text kept
    for unicode in (False, True):
        dumped = yaml.safe_dump(obj.body, width=2**31 - 1, allow_unicode=unicode)
        assert yaml.safe_load(masker(dumped))["data"]["printed"] == value, dumped


@pytest.mark.parametrize(
    ("secret", "printed", "masked"),
    [
        ("Abcdefg1", "abcdefg1 ABCDEFG1 Abcdefg1", f"{MASK} {MASK} {MASK}"),
        # a short value's case forms would be ordinary words: only the value itself
        ("Abcdefg", "abcdefg ABCDEFG Abcdefg", f"abcdefg ABCDEFG {MASK}"),
        ("Straße-İstanbul", "straße-istanbul STRAßE-İSTANBUL", f"{MASK} {MASK}"),  # as Go's
    ],
    ids=["8 characters", "7 characters", "non-ASCII, as Go changes case"],
)
@pytest.mark.parametrize("masker", ["SecretValues.redact", "scrub"])
def test_case_forms_only_from_eight_characters(
    masker: str, secret: str, printed: str, masked: str
) -> None:
    mask: Masker = (
        SecretValues([("v",)], [secret]).redact
        if masker == "SecretValues.redact"
        else lambda text: scrub(text, [secret])
    )
    assert mask(printed) == masked


@pytest.mark.parametrize("word", ["true", "True", "FALSE", "null"])
def test_yaml_words_are_never_masked(word: str) -> None:
    """A Secret's flag (``use-tls: "true"``) is no credential; masking it hid every boolean."""
    printed = f'enableServiceLinks: {word}\nflag: "{word}"\nkeep: hunter2-pw'
    expected = printed.replace("hunter2-pw", "<masked>")
    assert scrub(printed, [word, "hunter2-pw"]) == expected
    assert SecretValues([], [word, "hunter2-pw"]).redact(printed) == expected


def test_longest_form_first() -> None:
    """A secret that holds another is masked whole, not around the shorter one."""
    secrets = ["hunter2-long-password", "hunter2-"]
    assert scrub("x hunter2-long-password y", secrets) == "x <masked> y"
    assert SecretValues([], secrets).redact("x hunter2-long-password y") == "x <masked> y"


def test_needles_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """``redact`` runs on every document and message: its forms are not rebuilt each time."""
    calls: list[Any] = []
    real = secret_forms.needles

    def counting(texts: Any) -> tuple[str, ...]:
        calls.append(texts)
        return real(texts)

    monkeypatch.setattr(secret_forms, "needles", counting)
    secrets = SecretValues([("v",)], [SECRET])
    for _ in range(3):
        secrets.redact(f"a {SECRET} b")
        assert secrets.found_in(f"a {SECRET} b")
    assert len(calls) == 1


def _objects(password: str) -> list[K8sObject]:
    values = {"db": {"password": password}}
    return render_chart(
        LEAKS / "copies", values, RenderOptions(release_name="r", validate=False)
    ).objects


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('pa"ss\\LEAKCANARY_QQ1', 'pa"ss\\LEAKCANARY_QQ2'),
        ("pass\\LEAKCANARY_BS1", "pass\\LEAKCANARY_BS2"),
        ("tab\tLEAKCANARY_TAB1", "tab\tLEAKCANARY_TAB2"),
        ("O'ld: LEAKCANARY_1", "N'ew: LEAKCANARY_2"),
        ("line1LEAKCANARY_A\nline2LEAKCANARY_B\nab", "line1LEAKCANARY_C\nline2LEAKCANARY_D\ncd"),
        ("héllo LEAKCANARY_ünïcode\u0085x", "héllo LEAKCANARY_ünïcode2\u0085y"),
    ],
    ids=["double quote", "backslash", "tab", "quote and colon", "lines", "non-ASCII"],
)
def test_diff_scrubs_secret_copies_that_yaml_escaped(old: str, new: str) -> None:
    """The chart's env literal copies the Secret's ``pw`` through ``quote``; the diff's YAML
    escapes it again: neither form may show."""
    changes = diff_objects(_objects(old), _objects(new))
    deployment = next(c for c in changes if c.kind == "Deployment")
    assert "<masked>" in deployment.diff  # the change still shows, masked
    for change in changes:
        assert "LEAKCANARY" not in change.diff, change.diff
