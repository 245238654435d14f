"""``secrets init``: every key the contract requires, filled into the store when missing.

The contract's format picks each key's generator; ``overrides`` (``--generator KEY=SPEC``, or
``SECRET/KEY=SPEC`` for one Secret only) win. Keys no generator can make (``text``, a vendor's
API key) are reported as missing, with the ``chartsafe secrets set`` that supplies them.

A spec is kept in clear in the store's metadata (``secrets list`` shows it) and printed by
``secrets init``, so a spec whose literal text carries a credential (a URL or registry password
written in, not a ``{password:32}`` placeholder) is refused before anything is made.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

from chartsafe._errors import InputError
from chartsafe.generate import Spec, parse_spec, spec_for_format
from chartsafe.store.secret_fill import FillResult, Progress, Wanted, fill
from chartsafe.store.secret_store import SecretStore, validate_names

__all__ = [
    "check_generator_spec",
    "fill_from_contract",
    "keys_for",
    "parse_generator_spec",
    "spec_for_key",
    "wanted_from_contract",
]

_PLACEHOLDER = re.compile(r"\{[^{}]+\}")
_MARK = "\x00"  # stands for a placeholder while the template is taken apart


def _password_placeholder(template: str) -> str | None:
    """``template`` with its literal URL password replaced by ``{password:32}``; None when its
    password (if any) is only placeholders.

    Placeholders are masked while the URL is taken apart: ``{SECRET/KEY}`` and ``{hex:16}``
    hold ``/`` and ``:``.
    """
    found: list[str] = []

    def mask(match: re.Match[str]) -> str:
        found.append(match.group(0))
        return _MARK

    masked = _PLACEHOLDER.sub(mask, template)
    userinfo, at, _ = urllib.parse.urlsplit(masked).netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not at or not colon or not password.replace(_MARK, ""):
        return None
    begin = masked.index("//") + 2 + len(user) + 1
    kept_before = masked[:begin].count(_MARK)
    pieces = iter(found[:kept_before] + found[kept_before + password.count(_MARK) :])
    fixed = masked[:begin] + "{password:32}" + masked[begin + len(password) :]
    return re.sub(_MARK, lambda _m: next(pieces), fixed)


def check_generator_spec(text: str, *, where: str = "--generator") -> None:
    """Refuse a spec whose literal text is a credential; the message never quotes it.

    ``url:`` templates may not write a password into the URL, ``dockerconfigjson`` may not
    give ``password=`` literally: both would sit in clear in the store's metadata.
    """
    name, _, arg = text.strip().partition(":")
    if name == "url":
        fixed = _password_placeholder(arg)
        if fixed is not None:
            raise InputError(
                f"{where}: the url template writes a password in literally; it would be kept "
                "in clear in the store's metadata and printed",
                hint=f"put a placeholder where the password goes: url:{fixed}",
            )
    if name == "dockerconfigjson":
        for item in arg.split(","):
            key, sep, value = item.partition("=")
            if sep and key.strip() == "password" and _PLACEHOLDER.sub("", value).strip():
                raise InputError(
                    f"{where}: dockerconfigjson's password= is written in literally; it would "
                    "be kept in clear in the store's metadata and printed",
                    hint="use a placeholder: password={password:32}, or leave password= out "
                    "to use the Secret's password key",
                )


def parse_generator_spec(text: str, *, where: str = "--generator") -> Spec:
    """``parse_spec`` for a spec a person gave (``--generator``): literal credentials refused."""
    check_generator_spec(text, where=where)
    return parse_spec(text, where=where)


def spec_for_key(
    overrides: Mapping[str, str],
    secret: str,
    key: str,
    fmt: str,
    formats: Mapping[str, str],
    hosts: Sequence[str] = (),
) -> Spec | None:
    """``--generator SECRET/KEY=`` or ``KEY=`` if given, else what the format makes (or None);
    ``hosts`` as for :func:`spec_for_format`."""
    for name in (f"{secret}/{key}", key):
        if name in overrides:
            return parse_generator_spec(overrides[name], where=f"--generator {name}=...")
    return spec_for_format(fmt, key, secret_formats=formats, hosts=hosts)


def _check_name(ref: Any) -> None:
    """Refuse a Secret name Kubernetes refuses, saying where the release got it: a value a
    person set (``--set secrets.existingSecret=Prod_DB``) more often than the chart."""
    try:
        validate_names(ref.namespace, ref.name)
    except InputError as exc:
        paths = " or ".join(ref.values_paths)
        raise InputError(
            f"{exc.message}; the release reads it"
            + (f", named by {paths}" if paths else ", named so by the chart"),
            secret=ref.name,
            values_path=ref.values_paths[0] if ref.values_paths else None,
            hint=f"set {paths} to a lowercase name" if paths else "the chart's authors can fix it",
        ) from None


def keys_for(ref: Any, store: SecretStore | None) -> list[str]:
    """The keys of required Secret ``ref``: the contract's, or, when the chart cannot show
    them all (a Secret read whole through envFrom or a volume, with no declaration), the keys
    other readers name (an Ingress's ``tls.crt`` and ``tls.key`` for the pod that mounts the
    same Secret) together with the keys a person has set for it in ``store``.

    No generator can make keys nobody names, so they are set by hand anyway
    (``chartsafe secrets set``); once set, they are the Secret's keys for filling and for
    delivery. With neither, the Secret can be neither filled nor delivered key by key: an
    ``InputError`` that says both ways out, unless every reader says ``optional: true``:
    then the release starts without it, and it has no keys until a person sets some.
    """
    _check_name(ref)
    if ref.keys_known and ref.keys:
        return sorted(ref.keys)
    held = store.key_names(ref.namespace, ref.name) if store is not None else []
    if ref.keys:  # read whole, and other readers name keys (an Ingress's tls.crt, tls.key)
        return sorted(set(ref.keys) | set(held))
    if held or ref.optional:
        return held
    readers = ", ".join(r.describe() for r in ref.whole_readers) or "the release"
    where = f" --store {store.path}" if store is not None else ""
    raise InputError(
        f"Secret {ref.namespace}/{ref.name}: its keys are unknown (read whole by {readers}), "
        "so they can be neither filled nor delivered key by key",
        secret=ref.name,
        hint=f"set each key the application expects (chartsafe secrets set -n {ref.namespace} "
        f"{ref.name} KEY{where}), or declare them in the chart's chartsafe.io/secrets "
        "annotation",
    )


def wanted_from_contract(
    contract: Any, overrides: Mapping[str, str] | None = None, store: SecretStore | None = None
) -> list[Wanted]:
    """The required Secrets' keys, each with the spec that makes it (or none), and whether
    the release starts without it: an optional key no generator makes is left for a person
    to set or not, where a needed one stops ``secrets init`` and ``up``.

    A required Secret whose keys the chart cannot show takes those ``store`` holds for it;
    with none there, it is an ``InputError``, as it is for delivery (see :func:`keys_for`).
    """
    overrides = overrides or {}
    wanted = []
    for ref in contract.required:
        formats = {name: key.format for name, key in ref.keys.items()}
        for name in keys_for(ref, store):
            known = ref.keys.get(name)
            fmt, about = (known.format, known.description) if known else ("unknown", "")
            spec = spec_for_key(overrides, ref.name, name, fmt, formats, ref.hosts)
            optional = ref.key_optional(name)
            wanted.append(Wanted(ref.namespace, ref.name, name, fmt, spec, about, optional))
    return wanted


def fill_from_contract(
    store: SecretStore,
    contract: Any,
    *,
    overrides: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> FillResult:
    """Fill every missing required key; present values are kept byte for byte."""
    return fill(store, wanted_from_contract(contract, overrides, store), progress=progress)
