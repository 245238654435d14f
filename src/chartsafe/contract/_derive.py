"""derive_contract: from a rendered release to every Secret and key it reads.

Reads come from :mod:`._reads`, creators from :mod:`._creators`. The keys of
a Secret read whole (``envFrom``, a volume without ``items``) come, in order,
from the object that creates it in this render, from the same reader in a
render with the chart's default values (``alternative``), from the chart's
declaration, from the files of a whole mount that the pod names itself
(``TLS_CERT_FILE=/etc/tls/tls.crt``: key ``tls.crt``), else they are reported
as unknown — never guessed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

from .._config_maps import config_map_needs
from .._render import RenderResult
from .._values_paths import escape_key, split_path
from ._creators import Created, iter_created
from ._declared import DeclaredSecret, read_declarations
from ._formats import infer
from ._hazards import find_hazards
from ._model import Contract, Reader, SecretRef
from ._reads import Read, iter_reads
from ._unnamed import unnamed_references
from ._writers import written_at_runtime

__all__ = ["derive_contract"]

_Id = tuple[str, str]  # (namespace, name)


def _expand(reader: Reader, key: str) -> Reader:
    """A whole-Secret reader, seen as the reader of one key (env var / file it becomes)."""
    if reader.via == "envFrom":
        return dataclasses.replace(reader, env=f"{reader.env or ''}{key}")
    if reader.mount_path and reader.sub_path is None:
        return dataclasses.replace(reader, mount_path=f"{reader.mount_path.rstrip('/')}/{key}")
    return reader


_ReaderId = tuple[str, str, str | None, str, str | None, str | None]


def _reader_id(reader: Reader) -> _ReaderId:
    return (
        reader.kind,
        reader.name,
        reader.container,
        reader.via,
        reader.mount_path,
        reader.sub_path,
    )


def _string_paths(values: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string leaf with its dotted path, skipping blocks switched off by ``enabled: false``.

    A name under a disabled block (``externalSecrets.enabled: false``) does not
    set anything in this render, so it is not where the name comes from.
    """
    if isinstance(values, dict):
        if values.get("enabled") is False:
            return
        for key, value in values.items():
            here = escape_key(str(key))
            yield from _string_paths(value, f"{path}.{here}" if path else here)
    elif isinstance(values, str) and path:
        yield path, values


class _Alternative:
    """What another render of the same chart creates, for keys this render cannot show."""

    def __init__(self, result: RenderResult | None) -> None:
        self.created: dict[_Id, list[Created]] = {}
        self.whole: dict[_ReaderId, _Id] = {}
        if result is None:
            return
        for made in iter_created(result.objects):
            self.created.setdefault((made.namespace, made.name), []).append(made)
        for read in iter_reads(result.objects):
            if read.key is None:
                self.whole.setdefault(_reader_id(read.reader), (read.namespace, read.secret))

    def keys_for(self, secret: SecretRef) -> set[str] | None:
        candidates: list[_Id] = [(secret.namespace, secret.name)]
        candidates += [
            self.whole[_reader_id(r)] for r in secret.whole_readers if _reader_id(r) in self.whole
        ]
        for ident in candidates:
            made = self.created.get(ident, [])
            if made and all(m.creator.keys is not None for m in made):
                return set().union(*(m.creator.keys or frozenset() for m in made))
        return None


def _collect(reads: list[Read], created: list[Created], namespace: str) -> list[SecretRef]:
    by_id: dict[_Id, SecretRef] = {}
    # (Secret, key or None for a whole read, reader): a set, as one Secret shared by every
    # workload of a large release is read hundreds of times (a list lookup was quadratic)
    seen: set[tuple[_Id, str | None, Reader]] = set()
    for read in reads:
        ident = (read.namespace, read.secret)
        secret = by_id.get(ident)
        if secret is None:
            secret = SecretRef(name=read.secret, namespace=read.namespace)
            by_id[ident] = secret
        if (ident, read.key, read.reader) not in seen:
            seen.add((ident, read.key, read.reader))
            if read.key is None:
                secret.whole_readers.append(read.reader)
            else:
                secret.key(read.key).readers.append(read.reader)
        if read.type_hint and not secret.type:
            secret.type = read.type_hint
    for made in created:
        secret = by_id.get((made.namespace, made.name))
        if secret is not None:
            secret.creators.append(made.creator)
            if made.type:
                secret.type = made.type
    return list(by_id.values())


def _whole_keys(
    secret: SecretRef,
    declared: list[DeclaredSecret],
    alternative: _Alternative,
    named: set[str],
) -> None:
    if not secret.whole_readers:
        return
    keys: set[str] | None = None
    if secret.creators and all(c.keys is not None for c in secret.creators):
        keys = set().union(*(c.keys or frozenset() for c in secret.creators))
        secret.key_source = "created"
    if keys is None:
        keys = alternative.keys_for(secret)
        if keys is not None:
            secret.key_source = "other-render"
    if keys is None:
        keys = {k for d in declared for k in d.keys}
        secret.key_source = "declaration" if keys else "unknown"
        if not keys and named:
            keys, secret.key_source = set(named), "file-paths"
    for name in sorted(keys):
        key = secret.key(name)
        listed = set(key.readers)
        for reader in secret.whole_readers:
            expanded = _expand(reader, name)
            if expanded not in listed:
                listed.add(expanded)
                key.readers.append(expanded)


def _apply_formats(
    secret: SecretRef, declared: list[DeclaredSecret], hints: dict[tuple[str, str, str], str]
) -> None:
    for key in secret.keys.values():
        spec = next((d.keys[key.name] for d in declared if key.name in d.keys), None)
        if spec is not None:
            key.description = spec.description
            key.declared_optional = spec.optional
            if spec.format:
                key.format, key.format_source = spec.format, "declaration"
                continue
        envs = [r.env for r in key.readers if r.env and r.via == "env"]
        key.format, key.format_source = infer(key.name, envs, secret.type)
        hint = hints.get((secret.namespace, secret.name, key.name))
        if hint and key.format_source != "secret-type":
            key.format, key.format_source = hint, "reader"


def _provenance(
    secret: SecretRef,
    declared: list[DeclaredSecret],
    values: dict[str, Any],
    index: dict[str, set[str]],
) -> None:
    live = index.get(secret.name, set())
    paths: list[str] = []
    for entry in declared:
        paths.extend(p for p in entry.matches(secret.name, values) or [] if p in live)
    if not paths:
        # Undeclared: any value equal to the name. A name such as "app" may also be a
        # database or user name; when some of the paths say "secret", only those count.
        named = [p for p in sorted(live) if "secret" in split_path(p)[-1].lower()]
        paths = named or sorted(live)
    secret.values_paths = _without_global_copies(paths)
    secret.description = next((d.description for d in declared if d.description), "")


def _without_global_copies(paths: list[str]) -> list[str]:
    """``paths`` without a subchart's copy (``db.global.name``) of a parent's global that
    is there too (``global.name``).

    Helm copies the parent's ``global:`` into each subchart's values, and the parent's
    wins over anything set in the copy: the copy is not where the name can be changed.
    """
    tops = {tuple(split_path(p)) for p in paths if split_path(p)[0] == "global"}

    def copied(path: str) -> bool:
        parts = split_path(path)
        return any(
            part == "global" and tuple(parts[at:]) in tops for at, part in enumerate(parts) if at
        )

    return [p for p in paths if not copied(p)]


def derive_contract(
    result: RenderResult,
    *,
    release: str = "release-name",
    alternative: RenderResult | Callable[[], RenderResult | None] | None = None,
) -> Contract:
    """The contract of a rendered release: every Secret read, its keys, readers and hazards.

    ``alternative`` is another render of the same chart (the chart's default
    values): where this render reads a Secret whole and does not create it,
    the keys that render creates for the same reader are used. Pass a function
    to render it only when such a Secret is found.
    """
    namespace = next((o.release_namespace for o in result.objects), "default")
    reads = list(iter_reads(result.objects))
    created = list(iter_created(result.objects))
    unmade = {(r.namespace, r.secret) for r in reads} - {(c.namespace, c.name) for c in created}
    created += written_at_runtime(result.objects, unmade)
    declarations = read_declarations(result.chart, result.chart_metadata, result.subchart_metadata)
    secrets = _collect(reads, created, namespace)
    named: dict[_Id, set[str]] = {}
    hints: dict[tuple[str, str, str], str] = {}
    for read in reads:
        named.setdefault((read.namespace, read.secret), set()).update(read.named_keys)
        if read.key is not None and read.format_hint:
            hints[(read.namespace, read.secret, read.key)] = read.format_hint
    if callable(alternative):
        wanted = any(s.whole_readers and s.required for s in secrets)
        alternative = alternative() if wanted else None
    other = _Alternative(alternative)
    index: dict[str, set[str]] = {}
    for path, value in _string_paths(result.values):
        index.setdefault(value, set()).add(path)
    for secret in secrets:
        declared = [d for d in declarations if d.matches(secret.name, result.values) is not None]
        _whole_keys(secret, declared, other, named.get((secret.namespace, secret.name), set()))
        _apply_formats(secret, declared, hints)
        _provenance(secret, declared, result.values, index)
    return Contract(
        release=release,
        namespace=namespace,
        chart=str(result.chart_metadata.get("name") or result.chart),
        secrets=secrets,
        findings=[
            *find_hazards(secrets, result.objects, upgrade=result.is_upgrade),
            *unnamed_references(result.objects, sorted(index.get("", ()))),
        ],
        config_maps=config_map_needs(result.objects),
        upgrade=result.is_upgrade,
    )
