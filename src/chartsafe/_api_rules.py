"""What the API server refuses in a Secret or ConfigMap that its OpenAPI schema does not say.

The schema types ``Secret.data`` as a map of strings (``format: byte``, an annotation the
schema validation does not enforce, as kubernetes-validate does not) and says nothing of
key names or Secret types. The API server decodes and checks more, and a chart that gets it
wrong passes ``helm template`` and ``helm lint`` and fails only at install:

- a ``data`` (or ConfigMap ``binaryData``) value must be standard base64 with padding
  (``data: {password: {{ .Values.password }}}`` without ``b64enc`` is the classic mistake;
  "illegal base64 data at input byte N");
- keys must be valid config keys: letters, digits, ``-``, ``_``, ``.``, at most 253
  characters, not ``.`` or ``..`` or starting with ``..``;
- a ConfigMap key may not be in both ``data`` and ``binaryData``;
- a Secret of a built-in type needs that type's keys (``tls.crt`` and ``tls.key`` for
  ``kubernetes.io/tls``...), ``stringData`` counting as ``data``;
- all of it together at most 1 MiB.

Messages name the field and the key, never a value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from typing import Any

from ._objects import K8sObject
from ._schema import ObjectProblem

__all__ = ["api_problems"]

_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_MAX_KEY = 253
_MAX_SIZE = 1024 * 1024

#: Secret type → (keys it must have, how many of them at least: all, or one).
_TYPE_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    "kubernetes.io/tls": (("tls.crt", "tls.key"), True),
    "kubernetes.io/basic-auth": (("username", "password"), False),
    "kubernetes.io/ssh-auth": (("ssh-privatekey",), True),
    "kubernetes.io/dockercfg": ((".dockercfg",), True),
    "kubernetes.io/dockerconfigjson": ((".dockerconfigjson",), True),
}
_JSON_KEYS = frozenset({".dockercfg", ".dockerconfigjson"})


def _key_problem(key: str) -> str | None:
    if len(key) > _MAX_KEY:
        return f"key is longer than {_MAX_KEY} characters"
    if not _KEY.fullmatch(key):
        return "key must consist of letters, digits, '-', '_' or '.'"
    if key in (".", "..") or key.startswith(".."):
        return "key must not be '.' or '..' or start with '..'"
    return None


def _decoded(value: Any) -> bytes | None:
    """The bytes of a base64 value as the API server decodes it (standard alphabet, padding
    required, line breaks ignored), or None when it does not decode."""
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value.replace("\n", "").replace("\r", ""), validate=True)
    except (binascii.Error, ValueError):
        return None


def _map(body: dict[str, Any], field: str) -> dict[str, Any]:
    found = body.get(field)
    return found if isinstance(found, dict) else {}


def _encoded_fields(obj: K8sObject, field: str) -> Iterator[tuple[str, str, int]]:
    """(path, problem, 0) for a bad key or value of a base64 map; ("", "", size) for a good one."""
    for key, value in _map(obj.body, field).items():
        path = f"{field}.{key}"
        problem = _key_problem(str(key))
        if problem:
            yield path, problem, 0
        raw = _decoded(value)
        if raw is None and isinstance(value, str):  # not a string at all: the schema says so
            yield (
                path,
                (
                    "is not base64 (the API server refuses it); encode it in the template "
                    "(b64enc), or put the plain value under stringData"
                    if field == "data"
                    else "is not base64 (the API server refuses it)"
                ),
                0,
            )
        else:
            yield "", "", len(raw or b"")


def _plain_fields(obj: K8sObject, field: str) -> Iterator[tuple[str, str, int]]:
    for key, value in _map(obj.body, field).items():
        problem = _key_problem(str(key))
        if problem:
            yield f"{field}.{key}", problem, 0
        yield "", "", len(str(value).encode()) if value is not None else 0


def _secret_type(obj: K8sObject, keys: set[str]) -> Iterator[tuple[str, str]]:
    kind_type = str(obj.body.get("type") or "Opaque")
    needed, every = _TYPE_KEYS.get(kind_type, ((), True))
    lacking = [k for k in needed if k not in keys]
    if needed and (lacking if every else len(lacking) == len(needed)):
        words = " and ".join(lacking) if every else " or ".join(needed)
        yield "data", f"a {kind_type} Secret needs key {words}"
    if kind_type == "kubernetes.io/service-account-token":
        annotations = obj.annotations
        if not annotations.get("kubernetes.io/service-account.name"):
            yield (
                "metadata.annotations",
                (
                    "a kubernetes.io/service-account-token Secret needs the annotation "
                    "kubernetes.io/service-account.name"
                ),
            )
    for key in _JSON_KEYS & keys:
        text = _json_text(obj, key)
        if text is not None and not _is_json(text):
            yield f"data.{key}", f"a {kind_type} Secret's {key} must be JSON"


def _json_text(obj: K8sObject, key: str) -> str | None:
    plain = _map(obj.body, "stringData").get(key)
    if isinstance(plain, str):
        return plain
    raw = _decoded(_map(obj.body, "data").get(key))
    return raw.decode("utf-8", "replace") if raw is not None else None


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def api_problems(obj: K8sObject) -> list[ObjectProblem]:
    """What the API server would refuse in ``obj`` beyond its schema (see the module's doc)."""
    if obj.api_version != "v1" or obj.kind not in ("Secret", "ConfigMap"):
        return []
    ref = f"{obj.kind}/{obj.name}"
    found: list[tuple[str, str]] = []
    size = 0
    if obj.kind == "Secret":
        fields = [*_encoded_fields(obj, "data"), *_plain_fields(obj, "stringData")]
        keys = {str(k) for k in (*_map(obj.body, "data"), *_map(obj.body, "stringData"))}
        found += _secret_type(obj, keys)
    else:
        fields = [*_plain_fields(obj, "data"), *_encoded_fields(obj, "binaryData")]
        both = sorted(
            set(map(str, _map(obj.body, "data"))) & set(map(str, _map(obj.body, "binaryData")))
        )
        found += [(f"binaryData.{k}", "key is in data too") for k in both]
    for path, problem, length in fields:
        if problem:
            found.append((path, problem))
        size += length
    if size > _MAX_SIZE:
        found.append(("", f"holds {size} bytes; the API server takes at most 1 MiB"))
    return [ObjectProblem(ref, obj.source, path, message) for path, message in found]
