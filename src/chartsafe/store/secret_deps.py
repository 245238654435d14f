"""Which stored values are made from other stored values, so that a change reaches them.

Two generators make a value out of others, and their recorded spec says which:

- ``url:TEMPLATE`` and ``dockerconfigjson:…,password=TEMPLATE`` (default ``{password}``)
  embed the values their placeholders name: ``{KEY}`` (a key of the same Secret),
  ``{SECRET/KEY}``, ``{NAMESPACE/SECRET/KEY}``;
- ``tls-cert`` leaves are signed by the CA Secret of their namespace (``chartsafe-ca``, or
  ``ca=SECRET``), keys ``ca.crt`` and ``ca.key``.

``secrets rotate`` re-makes these dependents with their own recorded spec, after what they
are made from (``rotation_order``). That is what the spec says they are: a URL holding the
old password, or a leaf signed by a CA that was replaced, is broken, not a separate secret a
person chose to keep; leaving them would deploy a release that fails at runtime. Each old
value goes to ``previous`` as for any rotation, so it can be rolled back. ``secrets set``
changes one value a person gave and nothing else: it only names the dependents it left stale
and the command that re-makes them. A value set by hand has no spec, so nothing is known to
be made from it; only values with a recorded spec are followed. Nothing here sees a value.

Keys made *together* (the halves of a key pair, ``made_with``) are not made from each other:
a half set by hand leaves the others matching nothing, and no rotation mends that (it would
make a new pair); ``secrets set`` names them so that the person sets them too.
"""

from __future__ import annotations

import graphlib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from chartsafe.generate import GENERATORS, parse_spec
from chartsafe.generate.tls import CA_SECRET
from chartsafe.store.secret_store import KeyInfo, SecretStore

__all__ = ["Ref", "made_from", "made_with", "rotation_order", "stale_after"]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, order=True)
class Ref:
    """One key of one Secret in the store."""

    namespace: str
    secret: str
    key: str

    def __str__(self) -> str:
        return f"{self.namespace}/{self.secret} {self.key}"


def _ref(info: KeyInfo) -> Ref:
    return Ref(info.namespace, info.secret, info.key)


def _option_values(arg: str, name: str) -> list[str]:
    found = []
    for item in arg.split(","):
        key, sep, value = item.partition("=")
        if sep and key.strip() == name:
            found.append(value.strip())
    return found


def made_from(info: KeyInfo, siblings: Collection[str]) -> set[Ref]:
    """The store keys the value of ``info`` was made from, by its recorded spec.

    ``siblings`` are the keys of its own Secret: ``{password}`` names one of them when there is
    one, else it is a fresh value of a generator, as the template is filled
    (``chartsafe.generate.composed``).
    """
    text = info.generator or ""
    name = text.partition(":")[0]
    if name not in GENERATORS:
        return set()
    arg = parse_spec(text, where=f"{info.secret}/{info.key}").arg or ""
    ns, secret = info.namespace, info.secret
    if name == "tls-cert":
        ca = (_option_values(arg, "ca") or [CA_SECRET])[-1]
        return {Ref(ns, ca, "ca.crt"), Ref(ns, ca, "ca.key")}
    if name == "url":
        templates = [arg]
    elif name == "dockerconfigjson":
        templates = _option_values(arg, "password")[-1:] or ["{password}"]
    else:
        return set()
    found = set()
    for template in templates:
        for placeholder in _PLACEHOLDER.findall(template):
            placeholder = placeholder.strip()
            pieces = placeholder.split("/")
            if placeholder in siblings:
                found.add(Ref(ns, secret, placeholder))
            elif len(pieces) in (2, 3) and all(pieces):
                found.add(Ref(*(pieces if len(pieces) == 3 else [ns, *pieces])))
    return found


def made_with(store: SecretStore, ref: Ref, generator: str | None) -> list[Ref]:
    """The other keys of ``ref``'s Secret that its multi-part ``generator`` spec made with it
    (the same generator and argument, another part), by their recorded specs."""
    name = (generator or "").partition(":")[0]
    if name not in GENERATORS or not GENERATORS[name].parts:
        return []
    group = parse_spec(generator or "", where=f"{ref.secret}/{ref.key}").group
    found = []
    for info in store.keys(ref.namespace):
        other = (info.generator or "").partition(":")[0]
        if info.secret != ref.secret or info.key == ref.key or other != name:
            continue
        assert info.generator is not None
        if parse_spec(info.generator, where=f"{info.secret}/{info.key}").group == group:
            found.append(_ref(info))
    return found


def _graph(store: SecretStore) -> tuple[dict[Ref, KeyInfo], dict[Ref, set[Ref]]]:
    listed = store.keys()  # every key's clear metadata
    infos = {_ref(info): info for info in listed}
    siblings: dict[tuple[str, str], set[str]] = {}
    for ref in infos:
        siblings.setdefault((ref.namespace, ref.secret), set()).add(ref.key)
    inputs = {
        ref: made_from(info, siblings[(ref.namespace, ref.secret)]) for ref, info in infos.items()
    }
    return infos, inputs


def stale_after(store: SecretStore, changed: Iterable[Ref]) -> list[KeyInfo]:
    """Every key made, directly or through others, from one of ``changed``; those first that
    the others are made from (the order to re-make them in)."""
    infos, inputs = _graph(store)
    reached = set(changed)
    dependents: set[Ref] = set()
    grew = True
    while grew:
        grew = False
        for ref, sources in inputs.items():
            if ref not in reached and sources & reached:
                reached.add(ref)
                dependents.add(ref)
                grew = True
    return [infos[ref] for ref in rotation_order(dependents, inputs)]


def rotation_order(refs: Collection[Ref], inputs: dict[Ref, set[Ref]]) -> list[Ref]:
    """``refs`` with each after those of them it is made from (sorted names otherwise)."""
    sorter: graphlib.TopologicalSorter[Ref] = graphlib.TopologicalSorter()
    for ref in sorted(refs):
        sorter.add(ref, *sorted(inputs.get(ref, set()) & set(refs)))
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:  # templates naming each other: no order makes both
        return sorted(refs)
