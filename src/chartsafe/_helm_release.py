"""Helm's release actions through the SDK (``helm_python.Config``), and their errors.

This module and the ``_helm*.py`` ones (charts, parsers, registries) are the only ones that touch
``helm_python``. Release records stay Helm's own: the SDK writes and reads them with Helm's
storage drivers (``secret`` by default, as ``helm`` does), so ``helm list``
sees releases made here and we see releases made by ``helm``.

The ``memory`` driver keeps records inside one :class:`HelmReleases` (one SDK
Config): a second command in another process starts empty. It exists for the
embedded default and for tests.

Every message that leaves here goes through ``_release_errors.scrub``, with the
values the caller knows to be secret: a Kubernetes error quoting an object can
otherwise carry a password into a terminal or a CI log.

``--kube-version`` and ``--api-versions`` reach Helm's install and upgrade through the
SDK's C library directly (:meth:`HelmReleases._with_capabilities`): helm-python-sdk
0.2.2's ``Config.install``/``upgrade`` take no such arguments, though the library's
options for both actions do, as they do for its render.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._cluster_access import ClusterAccess
from ._cluster_errors import ClusterError
from ._errors import ChartsafeError, InputError
from ._go_log import go_log_filtered
from ._helm import helm
from ._release_errors import scrub, sdk_error

__all__ = [
    "LIST_STATES",
    "STORAGE_ALIASES",
    "STORAGE_DRIVERS",
    "ClusterError",
    "ClusterTarget",
    "HelmReleases",
]

#: Helm's release states that ``list`` selects by (its ``--deployed``, ``--failed``... flags).
LIST_STATES = ("deployed", "failed", "pending", "superseded", "uninstalled", "uninstalling")

#: Helm's storage drivers we offer (``sql`` needs a connection string we do not take).
STORAGE_DRIVERS = ("secret", "configmap", "memory")

#: Helm's other names for two of them: ``HELM_DRIVER=configmaps`` works with helm.
STORAGE_ALIASES = {"secrets": "secret", "configmaps": "configmap"}

#: Switches Helm turns on unless told otherwise: off is a choice sent, not a default left out.
_ON_BY_DEFAULT = frozenset({"server_side_apply"})


def _set(options: dict[str, Any]) -> dict[str, Any]:
    """The options set to something: an unset (None) or off (False) one is Helm's default,
    left out of the call, so the library's own method serves a call it can (see
    ``HelmReleases._library_takes``)."""
    return {
        k: v
        for k, v in options.items()
        if v is not None and (v is not False or k in _ON_BY_DEFAULT)
    }


def _c_options(options: dict[str, Any]) -> dict[str, Any]:
    """Set options as the library's methods send them to the C functions: ``timeout`` is
    ``timeout_seconds`` there."""
    given = _set(options)
    if "timeout" in given:
        given["timeout_seconds"] = given.pop("timeout")
    return given


def _capabilities(kube_version: str | None, api_versions: Sequence[str]) -> dict[str, Any]:
    """The library's options for ``.Capabilities``; empty when Helm's defaults stand."""
    options: dict[str, Any] = {}
    if kube_version is not None:
        options["kube_version"] = kube_version
    if api_versions:
        options["api_versions"] = list(api_versions)
    return options


@dataclass(frozen=True)
class ClusterTarget:
    """Where releases live: the cluster (``access``), namespace and Helm's storage driver."""

    namespace: str = "default"
    access: ClusterAccess = field(default_factory=ClusterAccess)
    storage: str = "secret"

    def __post_init__(self) -> None:
        # one spelling downstream: the record reader and the memory checks compare it
        storage = STORAGE_ALIASES.get(self.storage, self.storage)
        if storage not in STORAGE_DRIVERS:  # refused before any action: no target holds one
            raise InputError(
                f"--storage {self.storage}: unknown release storage driver",
                hint=f"use one of {', '.join(STORAGE_DRIVERS)}",
            )
        object.__setattr__(self, "storage", storage)


class HelmReleases:
    """One SDK Config: a cluster connection plus its release storage.

    Creating one contacts nothing; the first action does. Use as a context
    manager, or call :meth:`close`.
    """

    def __init__(self, target: ClusterTarget, *, secrets: Iterable[str] = ()) -> None:
        target.access.verify_files()
        self.target = target
        # the token too: a Go error quoting a request must not carry it into a log
        token = target.access.token
        self.secrets: set[str] = {*secrets, token} if token else set(secrets)
        h = helm()
        try:
            self._config = h.Config(
                **target.access.sdk_options(),
                namespace=target.namespace,
                storage_driver=target.storage,
            )
        except h.HelmError as exc:
            failure = self._translate(exc, "connect", None)
        else:
            return
        raise failure  # here, not in the handler: see _call

    def __enter__(self) -> HelmReleases:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._config.close()

    # --- error translation --------------------------------------------------

    def _translate(
        self,
        exc: Exception,
        action: str,
        name: str | None,
        *,
        revision: int | None = None,
        dry_run_helps: bool = False,
        why: tuple[str, str] = ("", ""),
    ) -> ChartsafeError:
        return sdk_error(
            exc, action, name, self.target, self.secrets, self._revisions,
            revision=revision, dry_run_helps=dry_run_helps, needed_for=why[0], offline=why[1],
        )  # fmt: skip

    def _revisions(self, name: str) -> list[int]:
        """The release's revisions, oldest first; none when it has no record (or no answer)."""
        h = helm()
        try:
            history = self._config.history(name)
        except h.HelmError:
            return []
        return [int(r.get("revision") or 0) for r in history]

    def _call(
        self,
        action: str,
        name: str | None,
        method: str | Callable[..., Any],
        *args: Any,
        revision_asked: int | None = None,
        dry_run_helps: bool = False,
        why: tuple[str, str] = ("", ""),
        **kw: Any,
    ) -> Any:
        """``method`` of the SDK Config (or a call standing in for one), errors translated;
        ``why``: ``sdk_error``'s ``needed_for`` and ``offline``."""
        h = helm()
        function = getattr(self._config, method) if isinstance(method, str) else method
        try:
            # The Kubernetes client's klog lines (fd 2) are shown masked after a call that
            # succeeds; after one that fails, the error below says it in one line.
            with go_log_filtered(lambda text: scrub(text, self.secrets)):
                return function(*args, **kw)
        except h.HelmError as exc:
            failure = self._translate(
                exc, action, name, revision=revision_asked, dry_run_helps=dry_run_helps, why=why
            )
        # Raised here, not in the handler: there the SDK's error, which may quote a value
        # unmasked, would stay on ours as __context__ (``from None`` only hides it).
        raise failure

    # --- actions ------------------------------------------------------------

    def install(
        self,
        chart: Path,
        name: str,
        values: dict[str, Any],
        *,
        kube_version: str | None = None,
        api_versions: Sequence[str] = (),
        **options: Any,
    ) -> dict[str, Any]:
        """Helm's install; ``kube_version``/``api_versions`` set ``.Capabilities`` as in
        ``helm template`` (Helm's own CLI takes them only there)."""
        options = _set(options)
        capabilities = _capabilities(kube_version, api_versions)
        extended = capabilities or not self._library_takes("install", options)
        method = self._with_capabilities("helm_install", capabilities) if extended else None
        result: dict[str, Any] = self._call(
            "install", name, method or "install", os.fspath(chart), name, values,
            dry_run_helps=options.get("dry_run") != "client",
            namespace=self.target.namespace, **options,
        )  # fmt: skip
        return result

    def server_dry_run(
        self, chart: Path, name: str, *, action: str, dry_run_helps: bool = False
    ) -> dict[str, Any]:
        """Helm's install of ``chart`` as a server dry run, for what Helm's render saw on the
        cluster (``_cluster_capabilities``); errors speak of ``action``, not of an install."""
        result: dict[str, Any] = self._call(
            action, None, "install", os.fspath(chart), name, {}, dry_run="server",
            dry_run_helps=dry_run_helps, namespace=self.target.namespace,
        )  # fmt: skip
        return result

    def upgrade(
        self,
        chart: Path,
        name: str,
        values: dict[str, Any],
        *,
        kube_version: str | None = None,
        api_versions: Sequence[str] = (),
        **options: Any,
    ) -> dict[str, Any]:
        """Helm's upgrade; ``kube_version``/``api_versions`` as for :meth:`install`."""
        options = _set(options)
        capabilities = _capabilities(kube_version, api_versions)
        extended = capabilities or not self._library_takes("upgrade", options)
        method = self._with_capabilities("helm_upgrade", capabilities) if extended else None
        result: dict[str, Any] = self._call(
            "upgrade", name, method or "upgrade", os.fspath(chart), name, values,
            namespace=self.target.namespace, **options,
        )  # fmt: skip
        return result

    def _with_capabilities(self, function: str, capabilities: dict[str, Any]) -> Callable[..., Any]:
        """The SDK's install or upgrade call with ``capabilities`` added to its options.

        The same call ``Config.install``/``upgrade`` make (chart reference, release name,
        values as JSON, options as JSON with unset ones left out), to the same C function,
        which also reads ``kube_version``, ``api_versions`` and the options the library's
        method does not take (see :meth:`_library_takes`). Only the options chartsafe
        passes are spelled here: ``timeout`` is ``timeout_seconds`` in the library.
        """
        h = helm()
        config = self._config

        def call(chart: str, name: str, values: dict[str, Any], **options: Any) -> Any:
            payload = h._native.call_string(
                function, config._raw(), config._context_arg(None), h._native.HANDLE(0),
                chart, name, json.dumps(values), json.dumps(_c_options(options) | capabilities),
            )  # fmt: skip
            return json.loads(payload)

        return call

    def rollback(self, name: str, **options: Any) -> None:
        options = _set(options)
        method = self._c_action("helm_rollback", options, "rollback", returns=False)
        self._call("rollback", name, method, name, revision_asked=options.get("version"), **options)

    def uninstall(self, name: str, **options: Any) -> dict[str, Any]:
        options = _set(options)
        method = self._c_action("helm_uninstall", options, "uninstall", returns=True)
        result: dict[str, Any] = self._call("uninstall", name, method, name, **options)
        return result

    def _library_takes(self, method: str, options: dict[str, Any]) -> bool:
        """Whether the library's ``method`` takes every one of ``options``. Its C function
        reads more (``disable_hooks``, ``replace``...), and its options decoder refuses any
        field it does not know: a call that passes carries options Helm reads."""
        import inspect

        taken = inspect.signature(getattr(self._config, method)).parameters.keys()
        return options.keys() <= taken

    def _c_action(
        self, function: str, options: dict[str, Any], library: str, *, returns: bool
    ) -> str | Callable[..., Any]:
        """The library's method ``library``, or the same call to its C function ``function``
        when ``options`` hold one the method does not take."""
        if self._library_takes(library, options):
            return library
        h, config = helm(), self._config

        def call(name: str, **given: Any) -> Any:
            payload = json.dumps(_c_options(given))
            if not returns:
                h._native.call_status(function, config._raw(), name, payload)
                return None
            return json.loads(h._native.call_string(function, config._raw(), name, payload))

        return call

    def test(self, name: str, **options: Any) -> dict[str, Any]:
        """Helm's test action: run the release's test hooks (``timeout`` in seconds)."""
        result: dict[str, Any] = self._call("test", name, "test", name, **_set(options))
        return result

    def history(
        self, name: str, max_revisions: int | None = None, *, action: str = "history",
        why: tuple[str, str] = ("", ""),
    ) -> list[dict[str, Any]]:  # fmt: skip
        result: list[dict[str, Any]] = self._call(
            action, name, "history", name, max_revisions=max_revisions, why=why
        )
        return result

    def list(
        self,
        *,
        all_namespaces: bool = False,
        all_states: bool = False,
        name_filter: str | None,
        selector: str | None = None,
        states: Sequence[str] = (),
        by_date: bool = False,
        reverse: bool = False,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[dict[str, Any]]:
        """Helm's list: ``selector`` is ``-l``, ``states`` Helm's state flags (``deployed``,
        ``failed``, ``superseded``...), ``by_date``/``reverse`` its ``-d``/``-r``,
        ``limit``/``offset`` its ``-m``/``--offset``.

        The SDK's C function reads every one of these; the library's ``list()`` takes
        neither the selector nor the states nor the sorting, so the call goes to the C
        function, as the library's method would make it. Without states it lists every
        state but superseded; ``helm list`` lists deployed and failed releases then, and
        so does this (tests/release/test_list_flags.py).
        """
        if not states and not all_states:
            states = ("deployed", "failed")
        unknown = sorted(set(states) - set(LIST_STATES))
        if unknown:
            raise InputError(
                f"unknown release state {unknown[0]!r}", hint=f"use {', '.join(LIST_STATES)}"
            )
        options = {
            "all": all_states, "all_namespaces": all_namespaces, "filter": name_filter,
            "selector": selector, "by_date": by_date, "sort_reverse": reverse, "limit": limit,
            "offset": offset, **dict.fromkeys(states, True),
        }  # fmt: skip
        config = self._config

        def call() -> Any:
            return json.loads(helm()._native.call_string("helm_list", config._raw(),
                                                         json.dumps(_set(options))))  # fmt: skip

        result: list[dict[str, Any]] = self._call("list", None, call)
        return result

    def get_all(
        self, name: str, revision: int | None = None, *, action: str = "status"
    ) -> dict[str, Any]:
        """The stored release: summary (with manifest), hooks, user values, info.

        Used for ``status`` rather than the SDK's ``status``, which also asks the
        API server about every object; the record alone answers what we print.
        """
        result: dict[str, Any] = self._call(
            action, name, "get_all", name, revision_asked=revision, revision=revision
        )
        return result

    def get_metadata(self, name: str, *, revision: int | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "get metadata", name, "get_metadata", name, revision_asked=revision, revision=revision
        )
        return result

    def get_values(
        self,
        name: str,
        *,
        all_values: bool = False,
        revision: int | None = None,
        action: str = "get values",
    ) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            action, name, "get_values", name,
            revision_asked=revision, all_values=all_values, revision=revision,
        )  # fmt: skip
        return result
