"""Where a check reads the Secrets that exist, or will: a live cluster, or manifests on disk.

A source answers one question: for these namespaces, which Secrets (name, keys, values when
readable) will a pod find? ``source_for("cluster" | DIR | FILE)`` picks one. It also says
which ConfigMaps (name and keys) are there, for the ConfigMaps a release reads and does not
create (``_config_maps``).

- ``ClusterSource`` (``_cluster_source``): the Kubernetes API, one ``list`` call per
  namespace, or one ``get`` per object the caller needs where RBAC denies the list.
- ``ManifestSource``: a directory walked recursively (``*.yaml``, ``*.yml``, ``*.json``; hidden
  directories and Helm chart directories skipped: templates are not manifests) or one file.
  Multi-document YAML and ``kubectl get secrets -o yaml`` Lists are read. A ``Secret``
  counts with its ``data`` (base64) and ``stringData`` keys; a ``SealedSecret`` with its
  ``encryptedData`` keys; an ``ExternalSecret`` as the Secret (or, with ``target.manifest``,
  the ConfigMap) it makes ESO write, with the keys ``_eso_target`` reads from its spec
  (``dataFrom``: unknown until the operator runs); a SOPS-encrypted Secret with its keys.
  Only plain Secrets have values that can be checked.
  A manifest without ``metadata.namespace`` counts for the release namespace, the one
  ``kubectl apply -n NS`` would put it in.

Nothing here prints or logs a value; YAML errors are reported by file and line only, since
PyYAML's own message quotes the offending line.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .._cluster_access import ClusterAccess
from .._errors import TOO_DEEP, InputError, yaml_error_at
from .._eso_target import external_secret_target
from .._objects import list_items
from .._secret_types import FILLED_BY_KUBERNETES, decode_data, not_text
from ._model import FoundSecret

__all__ = [
    "FoundConfigMaps",
    "ManifestSource",
    "SecretSource",
    "parse_manifest",
    "source_for",
]

_SUFFIXES = (".yaml", ".yml", ".json")

#: (namespace, name) of a Secret
Where = tuple[str, str]
Found = dict[Where, FoundSecret]


@dataclass
class FoundConfigMaps:
    """ConfigMaps a source has: (namespace, name) → (origin, keys); and the namespaces whose
    ConfigMaps could not be listed, with why (``unverified``)."""

    #: keys None: an ExternalSecret writes it, with keys known once the operator has fetched
    found: dict[tuple[str, str], tuple[str, frozenset[str] | None]] = field(default_factory=dict)
    unverified: dict[str, str] = field(default_factory=dict)


class SecretSource(Protocol):
    """Anything that can say which Secrets (and ConfigMaps) exist in some namespaces.

    A source may also have ``warnings``: what a reader of the report should know about how
    it read them (a Secret defined twice, Secrets read one by one), filled by ``find``."""

    @property
    def description(self) -> str: ...

    def find(self, namespaces: Collection[str], *, names: Collection[Where] = ()) -> Found:
        """The Secrets of ``namespaces``; ``names`` are those the caller needs, which a
        source that may not list them can read one by one."""
        ...

    def find_config_maps(self, namespaces: Collection[str]) -> FoundConfigMaps: ...


def as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _base64(encoded: Any) -> bytes | None:
    """A data entry's bytes; None when it is not base64 text (null is an empty value)."""
    if not_text(encoded) is not None:
        return None
    try:
        return decode_data(encoded or "")
    except ValueError:
        return None


def plain_secret(body: dict[str, Any], namespace: str, origin: str) -> FoundSecret:
    meta = as_map(body.get("metadata"))
    values: dict[str, bytes] = {}
    bad: dict[str, str] = {}
    for key, encoded in as_map(body.get("data")).items():
        decoded = _base64(encoded)
        if decoded is None:
            bad[str(key)] = "its data entry is not base64 (did you mean stringData?)"
        values[str(key)] = decoded or b""
    for key, text in as_map(body.get("stringData")).items():
        what = not_text(text)
        values[str(key)] = b"" if what else (text or "").encode()
        bad.pop(str(key), None)
        if what:
            bad[str(key)] = (
                f"its stringData value is {what} to YAML, and the API server takes only text "
                "there (quote the value)"
            )
    encrypted = "sops" in body and isinstance(body.get("sops"), dict)
    filled = FILLED_BY_KUBERNETES.get(str(body.get("type")), frozenset())
    kind = "Secret (SOPS-encrypted)" if encrypted else "Secret"
    if filled:
        kind = "Secret (its token controller fills it)"
    return FoundSecret(
        name=str(meta.get("name", "")),
        namespace=str(meta.get("namespace") or namespace),
        kind=kind,
        origin=origin,
        keys=frozenset(values) | filled,
        values=None if encrypted or filled else values,
        type=str(body["type"]) if body.get("type") else None,
        bad_keys={} if encrypted else bad,
    )


def _sealed_secret(body: dict[str, Any], namespace: str, origin: str) -> FoundSecret:
    meta, spec = as_map(body.get("metadata")), as_map(body.get("spec"))
    template = as_map(spec.get("template"))
    keys = set(as_map(spec.get("encryptedData"))) | set(as_map(template.get("data")))
    return FoundSecret(
        name=str(meta.get("name", "")),
        namespace=str(meta.get("namespace") or namespace),
        kind="SealedSecret",
        origin=origin,
        keys=frozenset(str(k) for k in keys),
        type=str(template["type"]) if template.get("type") else None,
    )


def _external_secret(body: dict[str, Any], namespace: str, origin: str) -> FoundSecret | None:
    target = external_secret_target(body)
    if not target.makes("Secret"):
        return None  # it writes a ConfigMap, or into a Secret that must exist already
    return FoundSecret(
        name=target.name,
        namespace=str(as_map(body.get("metadata")).get("namespace") or namespace),
        kind="ExternalSecret",
        origin=origin,
        keys=target.keys,
        type=target.type,
    )


def _config_map(body: dict[str, Any]) -> tuple[str, frozenset[str] | None]:
    """The name and keys of the ConfigMap a manifest object is or makes; "" when neither."""
    from .._config_maps import keys_of

    kind, api = body.get("kind"), str(body.get("apiVersion", ""))
    if kind == "ConfigMap" and api == "v1":
        return str(as_map(body.get("metadata")).get("name") or ""), keys_of(body)
    if kind == "ExternalSecret" and api.startswith("external-secrets.io/"):
        target = external_secret_target(body)
        if target.makes("ConfigMap"):
            return target.name, target.keys
    return "", None


def _documents(document: Any) -> list[dict[str, Any]]:
    """The object, or the items of a List (kubectl's, or the API server's SecretList)."""
    if not isinstance(document, dict):
        return []
    items = list_items(document)
    return [document] if items is None else items


def parse_manifest(document: Any, namespace: str, origin: str) -> Iterator[FoundSecret]:
    """The Secrets one parsed YAML document (an object or a List) will produce."""
    for body in _documents(document):
        kind, api = str(body.get("kind", "")), str(body.get("apiVersion", ""))
        found: FoundSecret | None
        if kind == "Secret" and api == "v1":
            found = plain_secret(body, namespace, origin)
        elif kind == "SealedSecret" and api.startswith("bitnami.com/"):
            found = _sealed_secret(body, namespace, origin)
        elif kind == "ExternalSecret" and api.startswith("external-secrets.io/"):
            found = _external_secret(body, namespace, origin)
        else:
            continue
        if found is not None and found.name:
            yield found


def _is_object(document: Any) -> bool:
    """A Kubernetes object (a List too): a mapping with apiVersion and kind."""
    return isinstance(document, dict) and bool(document.get("apiVersion") and document.get("kind"))


def _chart_dirs(root: Path) -> list[Path]:
    return [p.parent for p in root.rglob("Chart.yaml")]


def _manifest_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    charts = _chart_dirs(root)
    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts[:-1]):
            continue
        if not path.is_file() or path.suffix.lower() not in _SUFFIXES:
            continue
        if any(chart == path.parent or chart in path.parents for chart in charts):
            continue
        files.append(path)
    return files


def _load_documents(path: Path, flag: str) -> list[Any]:
    import yaml

    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{flag} {path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{flag} {path}: cannot be read ({exc.strerror})") from None
    try:
        return list(yaml.safe_load_all(text))
    except RecursionError:
        raise InputError(f"{flag} {path}: {TOO_DEEP}") from None
    except yaml.YAMLError as exc:
        raise InputError(
            f"{flag} {path}: {yaml_error_at(exc)}",
            hint="the file must be Kubernetes manifests (YAML or JSON)",
        ) from None


class ManifestSource:
    """Secrets that a directory of manifests (or one file) will create when applied.

    ``flag`` is the option the path was given with, for messages: ``check`` takes
    ``--against``, ``install`` and ``upgrade`` ``--check-against``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        default_namespace: str = "default",
        flag: str = "--against",
    ) -> None:
        path = Path(path)
        if not path.exists():
            raise InputError(
                f"{flag} {path}: no such file or directory",
                hint="give 'cluster', a directory of manifests, or a YAML file",
            )
        self.path = path
        self.flag = flag
        self.default_namespace = default_namespace
        self.warnings: list[str] = []  # a Secret defined twice
        self._documents: list[tuple[Path, list[Any]]] | None = None

    @property
    def description(self) -> str:
        return str(self.path)

    def find(self, namespaces: Collection[str], *, names: Collection[Where] = ()) -> Found:
        """Every Secret in the manifests (the last definition of a name wins, as with apply).

        Files read that hold no Kubernetes object at all (a text file, a values file, a
        YAML list or scalar) are a wrong path, not a target with nothing in it: bad input.
        A directory with no YAML or JSON file to read is the empty GitOps directory the
        Secrets are yet to be rendered into, and every required Secret is missing there.
        """
        found: Found = {}
        loaded = self._loaded()
        files = [path for path, _ in loaded]
        objects = 0
        for path, documents in loaded:
            for document in documents:
                objects += _is_object(document)
                for secret in parse_manifest(document, self.default_namespace, str(path)):
                    where = (secret.namespace, secret.name)
                    if where in found:
                        self.warnings.append(
                            f"Secret {secret.namespace}/{secret.name} is defined in "
                            f"{found[where].origin} and again in {path}; the last one counts"
                        )
                    found[where] = secret
        if files and not objects:
            inside = (
                "this file" if self.path.is_file() else f"its {len(files)} YAML or JSON file(s)"
            )
            raise InputError(
                f"{self.flag} {self.path}: no Kubernetes manifests in {inside}",
                hint="a manifest is a YAML or JSON document with apiVersion and kind; give "
                "'cluster', a directory of manifests, or a manifest file",
            )
        return found

    def _loaded(self) -> list[tuple[Path, list[Any]]]:
        """Each file with its documents, read once for Secrets and ConfigMaps alike."""
        if self._documents is None:
            self._documents = [
                (path, _load_documents(path, self.flag)) for path in _manifest_files(self.path)
            ]
        return self._documents

    def find_config_maps(
        self, namespaces: Collection[str], *, names: Collection[Where] = ()
    ) -> FoundConfigMaps:
        """Every ConfigMap in the manifests (the last definition of a name wins), and those
        an ExternalSecret there makes ESO write."""
        result = FoundConfigMaps()
        for path, documents in self._loaded():
            for document in documents:
                for body in _documents(document):
                    meta = as_map(body.get("metadata"))
                    name, keys = _config_map(body)
                    if name:
                        where = (str(meta.get("namespace") or self.default_namespace), name)
                        result.found[where] = (str(path), keys)
        return result


def source_for(
    against: str,
    *,
    namespace: str = "default",
    access: ClusterAccess | None = None,
    flag: str = "--against",
) -> SecretSource:
    """``cluster`` (the word) for the live cluster; anything else is a path to manifests.

    A directory that happens to be called ``cluster`` is reached as ``./cluster``. ``flag``
    is the caller's option for ``against``, which messages name.
    """
    if not against.strip():
        raise InputError(f"{flag}: empty", hint="give 'cluster', a directory or a file")
    if against == "cluster":
        from ._cluster_source import ClusterSource

        return ClusterSource(access)
    return ManifestSource(Path(against), default_namespace=namespace, flag=flag)
