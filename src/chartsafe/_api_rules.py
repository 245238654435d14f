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

import json
from collections.abc import Iterator
from typing import Any

from ._objects import K8sObject
from ._schema import ObjectProblem
from ._secret_types import config_key_problem, decode_data

__all__ = ["api_problems", "size_problem"]

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


def _decoded(value: Any) -> bytes | None:
    """The bytes of a base64 value as the API server decodes it (standard alphabet, padding
    required, line breaks ignored), or None when it does not decode."""
    if not isinstance(value, str):
        return None
    try:
        return decode_data(value)
    except ValueError:
        return None


def _map(body: dict[str, Any], field: str) -> dict[str, Any]:
    found = body.get(field)
    return found if isinstance(found, dict) else {}


_NOT_BASE64 = "is not base64 (the API server refuses it)"


def _check_map(obj: K8sObject, field: str, found: list[tuple[str, str]]) -> int:
    """Add the problems of one map's keys (and, for a base64 map, values) to ``found``;
    return the bytes it holds."""
    encoded = field in ("data", "binaryData") if obj.kind == "Secret" else field == "binaryData"
    size = 0
    for key, value in _map(obj.body, field).items():
        path = f"{field}.{key}"
        problem = config_key_problem(str(key))
        if problem:
            found.append((path, problem))
        if not encoded:
            size += len(str(value).encode()) if value is not None else 0
            continue
        raw = _decoded(value)
        if raw is None and isinstance(value, str):  # not a string at all: the schema says so
            hint = "; encode it in the template (b64enc), or put the plain value under stringData"
            found.append((path, _NOT_BASE64 + (hint if field == "data" else "")))
        size += len(raw or b"")
    return size


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


def _too_big(size: int) -> str | None:
    if size > _MAX_SIZE:
        return f"holds {size} bytes; the API server takes at most 1 MiB"
    return None


def _fields(obj: K8sObject) -> tuple[str, str]:
    return ("data", "stringData") if obj.kind == "Secret" else ("data", "binaryData")


def size_problem(obj: K8sObject) -> str | None:
    """The 1 MiB rule alone: why the API server refuses ``obj`` for its size, None if it fits.

    Public so that what chartsafe builds itself (``secrets render --as secret|sealed``, ``up``)
    is held to the very rule ``template`` holds a chart's Secrets to.
    """
    if obj.api_version != "v1" or obj.kind not in ("Secret", "ConfigMap"):
        return None
    return _too_big(sum(_check_map(obj, field, []) for field in _fields(obj)))


def api_problems(obj: K8sObject) -> list[ObjectProblem]:
    """What the API server would refuse in ``obj`` beyond its schema (see the module's doc)."""
    if obj.api_version != "v1" or obj.kind not in ("Secret", "ConfigMap"):
        return []
    ref = f"{obj.kind}/{obj.name}"
    found: list[tuple[str, str]] = []
    if obj.kind == "Secret":
        keys = {str(k) for k in (*_map(obj.body, "data"), *_map(obj.body, "stringData"))}
        found += _secret_type(obj, keys)
    else:
        both = set(map(str, _map(obj.body, "data"))) & set(map(str, _map(obj.body, "binaryData")))
        found += [(f"binaryData.{k}", "key is in data too") for k in sorted(both)]
    size = sum(_check_map(obj, field, found) for field in _fields(obj))
    if too_big := _too_big(size):
        found.append(("", too_big))
    return [ObjectProblem(ref, obj.source, path, message) for path, message in found]
