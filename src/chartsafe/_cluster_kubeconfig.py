"""Which kubeconfig files are in use and what they say merged, as client-go reads them.

client-go (kubectl, helm) takes ``--kubeconfig`` as one file, which must exist; else
``$KUBECONFIG`` as a list of files separated by ``os.pathsep``, a missing one skipped; else
``~/.kube/config``. Several files are merged: the first file that sets ``current-context``
wins it, and the first file that names a cluster, user or context wins that name. A relative
path in a file (a CA, a client certificate or key, a token file, an exec command with a
``/``) is relative to that file's folder, not to the working directory.

Helm's SDK does none of this: helm-python-sdk 0.2.2's library takes the ``$KUBECONFIG`` of
the environment the process started with as one path (measured: ``stat a:b: no such file or
directory``), and a missing file fails even with ``--kube-apiserver``. So
:func:`sdk_kubeconfig` always tells it which kubeconfig: the one file in use, else the merge
as ``kubeconfig_content``, which the library writes to a private temporary file (mode 0600,
measured) and removes when its Config is closed; no file is written here. With no file at
all the content is an empty kubeconfig, so that ``--kube-apiserver`` or the pod's service
account is used, as client-go does.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ._cluster_errors import ClusterError
from ._errors import TOO_DEEP, yaml_error_at

__all__ = [
    "existing_files",
    "kubeconfig_files",
    "malformed",
    "merged_kubeconfig",
    "read_kubeconfig",
    "sdk_kubeconfig",
]

#: Each list section, the key of its entries' body, and the body's fields that are paths.
_SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "clusters": ("cluster", ("certificate-authority",)),
    "users": ("user", ("client-certificate", "client-key", "tokenFile")),
    "contexts": ("context", ()),
}

_EMPTY: dict[str, Any] = {"apiVersion": "v1", "kind": "Config"}


def kubeconfig_files(explicit: Path | None) -> list[Path]:
    """``--kubeconfig``, else ``$KUBECONFIG``'s list, else ``~/.kube/config``; existing or not."""
    if explicit is not None:
        return [explicit]
    env = os.environ.get("KUBECONFIG")
    if env:
        return [Path(part) for part in dict.fromkeys(env.split(os.pathsep)) if part]
    return [Path.home() / ".kube" / "config"]


def existing_files(files: list[Path], explicit: Path | None) -> list[Path]:
    """The kubeconfig files that are there; ClusterError when ``--kubeconfig`` is not."""
    existing = [path for path in files if path.is_file()]
    if explicit is not None and not existing:
        raise ClusterError(f"--kubeconfig {explicit}: no such file")
    return existing


def read_kubeconfig(path: Path) -> dict[str, Any]:
    """One kubeconfig file as a mapping; ClusterError naming the file, never a line of it."""
    import yaml

    try:
        loaded = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ClusterError(f"kubeconfig {path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ClusterError(f"kubeconfig {path}: not UTF-8 text") from None
    except RecursionError:
        raise ClusterError(f"kubeconfig {path}: {TOO_DEEP}") from None
    except yaml.YAMLError as exc:  # where, never the line itself: it may hold a token
        raise ClusterError(
            f"kubeconfig {path}: {yaml_error_at(exc)}", hint="compare it with `kubectl config view`"
        ) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ClusterError(f"kubeconfig {path}: not a mapping")
    return loaded


def merged_kubeconfig(files: list[Path]) -> dict[str, Any]:
    """``files`` as one kubeconfig, merged as client-go merges them (first one wins), with
    their relative paths made absolute: the merge may be read from another folder.

    A section of the wrong shape raises AttributeError, KeyError, TypeError or ValueError,
    which the callers turn into :func:`malformed` (or ignore, for a namespace)."""
    merged: dict[str, Any] = {**_EMPTY, **{section: [] for section in _SECTIONS}}
    names: dict[str, set[Any]] = {section: set() for section in _SECTIONS}
    current: Any = None
    for path in files:
        document = read_kubeconfig(path)
        base = os.path.abspath(path.parent)
        current = current or document.get("current-context") or None
        for section, (kind, fields) in _SECTIONS.items():
            for entry in document.get(section) or []:
                if isinstance(entry, dict):
                    if entry.get("name") in names[section]:
                        continue  # an earlier file named it: that one stands
                    names[section].add(entry.get("name"))
                    entry = _absolute(entry, kind, fields, base)
                merged[section].append(entry)
    if current:
        merged["current-context"] = current
    return merged


def malformed(files: list[Path], exc: Exception) -> ClusterError:
    """A section of the wrong shape (``contexts: 5``, ``exec: 5``): kubectl refuses it too."""
    where = os.pathsep.join(str(path) for path in files)
    return ClusterError(
        f"kubeconfig {where}: malformed ({type(exc).__name__} reading it)",
        hint="compare it with `kubectl config view`; contexts, clusters and users "
        "are lists of {name: ..., context|cluster|user: {...}}",
    )


def sdk_kubeconfig(explicit: Path | None) -> dict[str, str]:
    """The kubeconfig keyword argument of ``helm_python.Config``: what client-go would read.

    One file in use goes as its path (client-go resolves its relative paths itself); several
    go merged, and none as an empty kubeconfig, as ``kubeconfig_content``: left to itself,
    the library would take ``$KUBECONFIG`` as one path, and from the environment the process
    started with (a program that changed ``os.environ``, or a test, would differ from
    chartsafe's own client). ``--kubeconfig`` is checked by ``ClusterAccess.verify_files``.
    """
    if explicit is not None:
        return {"kubeconfig_path": os.fspath(explicit)}
    existing = existing_files(kubeconfig_files(None), None)
    if len(existing) == 1:
        return {"kubeconfig_path": os.fspath(existing[0])}
    try:
        document = merged_kubeconfig(existing) if existing else _EMPTY
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise malformed(existing, exc) from None
    from ._yaml_dump import dump  # client-go reads it as Go's YAML: a context "y" stays a name

    return {"kubeconfig_content": dump(document)}


def _absolute(
    entry: dict[str, Any], kind: str, fields: tuple[str, ...], base: str
) -> dict[str, Any]:
    """``entry`` with the relative paths of its body joined to ``base`` (client-go's
    ``ResolveLocalPaths``: an exec command only when it holds a separator, else it is
    looked up on PATH)."""
    body = entry.get(kind)
    if not isinstance(body, dict):
        return entry
    body = {**body, **{name: _joined(base, body.get(name)) for name in fields if name in body}}
    plugin = body.get("exec")
    if kind == "user" and isinstance(plugin, dict):
        command = plugin.get("command")
        if isinstance(command, str) and os.sep in command:
            body["exec"] = {**plugin, "command": _joined(base, command)}
    return {**entry, kind: body}


def _joined(base: str, value: Any) -> Any:
    if isinstance(value, str) and value and not os.path.isabs(value):
        return os.path.normpath(os.path.join(base, value))
    return value
