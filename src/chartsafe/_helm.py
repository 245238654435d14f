"""The one door to Helm's engine (``helm-python-sdk``, Helm's Go SDK behind ctypes).

Everything that loads, renders or lints a chart goes through here, so the rest
of chartsafe never sees ``helm_python`` types or exceptions, and the SDK is
imported only when a command needs it (``chartsafe --help`` stays fast).

One deliberate reach past the wrapper: ``Chart.render`` in helm-python-sdk
0.2.2 does not forward ``kube_version`` and ``api_versions``, although the C
ABI's render options accept them (they fill ``.Capabilities``, as ``helm
template --kube-version/--api-versions`` do). We call the same native entry
point with those two options added. The SDK version is pinned exactly in
pyproject.toml and ``tests/unit/test_helm_engine.py`` proves the options take
effect, so an SDK change that breaks this fails the tests, not a user.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from ._errors import (
    ChartLoadError,
    KubeVersionError,
    TemplateError,
    ValuesError,
)
from ._go_log import go_log_filtered
from ._helm_messages import (
    one_line,
    redact_schema_report,
    schema_error,
    secret_masker,
)

__all__ = ["HelmChart", "helm", "helm_lint", "missing_dependencies_text"]


@cache
def helm() -> ModuleType:
    """Import the SDK on first use (loading the shared library takes ~0.1 s).

    ``disable_logging`` silences only what the SDK can route: the log of Helm's action
    configurations (install, upgrade, ...). Lines that Go's default ``log``/``slog``
    (chart loader, coalescing, lint-mode ``fail``) and klog (client-go discovery) write
    go to file descriptor 2 directly: helm-c-sdk 0.2.2 never calls ``slog.SetDefault``,
    ``log.SetOutput`` or klog's ``SetOutput``/``SetLogger`` (they are not even linked
    into libhelm_c.so), so no SDK call can silence or reroute them. Chart load, render and
    lint therefore run under :func:`chartsafe._go_log.go_log_filtered`, which catches fd 2
    for the call and keeps only the warnings, masked.
    """
    import helm_python

    helm_python.disable_logging()
    return helm_python


def _message(exc: BaseException) -> str:
    return str(exc).strip()


def _invalid_chart_yaml(message: str) -> str | None:
    """Helm's metadata validation failure in Chart.yaml's terms, or None for other errors.

    The loader says ``validation: chart.metadata.version is required``: the field is
    ``version`` in Chart.yaml, and the directory is a chart all the same.
    """
    if not message.startswith("validation: "):
        return None
    return re.sub(r"\bchart\.metadata\.(\w+)", r"field \1", message.removeprefix("validation: "))


@contextmanager
def probe_chart(
    name: str, metadata: str = "", templates: dict[str, str] | None = None
) -> Iterator[Path]:
    """A chart of a ``Chart.yaml`` (with ``metadata`` lines added) and ``templates``, in a
    private temporary folder removed after the block: what chartsafe gives Helm's install
    action to learn what its render entry point does not say (``_kube_version``,
    ``_cluster_capabilities``)."""
    with tempfile.TemporaryDirectory(prefix=f"chartsafe-{name}-") as folder:
        chart = Path(folder) / name
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text(
            f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n{metadata}"
        )
        for file_name, text in (templates or {}).items():
            (chart / "templates" / file_name).write_text(text)
        yield chart


def missing_dependencies_text(missing: list[str]) -> str:
    """Helm's words for dependencies Chart.yaml declares and ``charts/`` lacks."""
    return f"{', '.join(missing)} found in Chart.yaml, but missing in charts/ directory"


class HelmChart:
    """A chart loaded by Helm's own loader: directory or packaged ``.tgz``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        h = helm()
        if not path.exists():
            raise ChartLoadError(
                f"chart {path}: no such file or directory",
                chart=path,
                hint="pass a chart directory (with Chart.yaml) or a packaged .tgz",
            )
        try:
            with go_log_filtered(str):
                self._chart = h.Chart.load(str(path))
        except h.HelmError as exc:
            invalid = _invalid_chart_yaml(_message(exc))
            if invalid is not None:  # a chart, with a Chart.yaml Helm's loader refuses
                raise ChartLoadError(
                    f"chart {path}: its Chart.yaml is invalid: {invalid}",
                    chart=path,
                    hint="fix that field in Chart.yaml, as Helm requires it",
                ) from None
            what = "a chart directory" if path.is_dir() else "a chart archive"
            raise ChartLoadError(
                f"chart {path} is not {what}: {_message(exc)}",
                chart=path,
                hint="pass a directory with Chart.yaml or a .tgz made by `helm package`",
            ) from None

    def close(self) -> None:
        self._chart.close()

    def check_installable(self) -> None:
        """Refuse what ``helm template``/``install`` refuse before rendering.

        A library chart renders nothing: Helm says it is not installable. A dependency
        declared in Chart.yaml but absent from ``charts/`` would render as if disabled, its
        Secrets silently missed: Helm's ``action.CheckDependencies`` refuses the chart,
        whatever the dependency's condition, and so do we. Both hold for a ``.tgz`` too.
        """
        kind = self.metadata.get("type") or "application"
        if kind != "application":
            raise ChartLoadError(
                f"chart {self.path}: {kind} charts are not installable",
                chart=self.path,
                hint="render a chart that depends on it; `lint` checks a library chart",
            )
        missing = self.missing_dependencies()
        if missing:
            which = "dependency" if len(missing) == 1 else "dependencies"
            fetch = (
                f"run `chartsafe dependency build {self.path}`"
                if self.path.is_dir()
                else "package the chart again after `chartsafe dependency build` on its directory"
            )
            raise ChartLoadError(
                f"chart {self.path}: {which} {missing_dependencies_text(missing)}",
                chart=self.path,
                hint=f"{fetch} to fetch {'it' if len(missing) == 1 else 'them'} into charts/",
            )

    def missing_dependencies(self) -> list[str]:
        """Names Chart.yaml declares with no loaded subchart of that name, as Helm checks."""
        declared = self.metadata.get("dependencies") or []
        loaded = {str(d.get("name")) for d in self.dependencies}
        names = [str(d.get("name")) for d in declared if isinstance(d, dict)]
        return [name for name in names if name not in loaded]

    def drop_values_schemas(self) -> None:
        """Forget the ``values.schema.json`` of the chart and its subcharts (``--no-validate``).

        Helm's render always enforces them, and the SDK's render has no
        ``--skip-schema-validation`` option (only its lint does). A chart
        without the files is the same chart to the engine: the schema is not
        among ``.Files``. So the chart is reloaded from its archive without them
        (see :meth:`_reload`).
        """
        from ._chart_archive import without_schemas

        self._reload(
            without_schemas,
            "set its values.schema.json aside",
            self._archive_without_invalid_schema,
        )

    def replace_values(self, values: dict[str, Any]) -> None:
        """Make ``values`` the top chart's defaults, as ``helm upgrade --reuse-values`` does.

        Helm's upgrade then renders the new chart's templates with the current revision's
        coalesced values in place of the new chart's ``values.yaml``; subcharts keep
        theirs. The SDK has no option for it: the chart is reloaded from its archive
        with that ``values.yaml`` (see :meth:`_reload`).
        """
        from ._chart_archive import with_values

        self._reload(
            lambda archive: with_values(archive, values),
            "use the current revision's values as its defaults",
            lambda tmp: Path(self._chart.save(tmp)).read_bytes(),
        )

    def _reload(
        self, edit: Callable[[bytes], bytes], what: str, saved: Callable[[Path], bytes]
    ) -> None:
        """Reload the chart from its archive as ``saved`` gives it, changed by ``edit``.

        The SDK writes archives only to a directory: a private temporary one, removed
        at once; the edited archive is loaded from memory.
        """
        import tempfile

        h = helm()
        try:
            with tempfile.TemporaryDirectory(prefix="chartsafe-") as tmp:
                archive = saved(Path(tmp))
        except (h.HelmError, OSError) as exc:
            raise ChartLoadError(
                f"chart {self.path}: cannot {what}: {_message(exc)}",
                chart=self.path,
                hint="check that the temporary directory is writable",
            ) from None
        edited = h.Chart.load_archive(edit(archive))
        self._chart.close()
        self._chart = edited

    def _archive_without_invalid_schema(self, tmp: Path) -> bytes:
        """The chart as archive bytes, saved by Helm; from its source without any schema
        when one is not JSON.

        Helm's ``Save`` (and ``SaveDir``, which archives subcharts) refuses a chart with a
        values.schema.json that is not JSON, while ``--skip-schema-validation`` never reads
        it. Then the chart's own files are read again, every chart's schema left out (in
        a copy of its directory, or of its archive with the subchart archives inside), for
        Helm's loader to load as it loaded the original (``.helmignore`` included).
        """
        from ._chart_archive import schema_files, without_schemas

        h = helm()
        try:
            return Path(self._chart.save(tmp)).read_bytes()
        except h.HelmError as exc:
            if "values.schema.json" not in _message(exc):
                raise
        source = tmp / "source"
        if self.path.is_dir():
            shutil.copytree(self.path, source, ignore=schema_files)
            for archive in source.rglob("charts/*.tgz"):
                archive.write_bytes(without_schemas(archive.read_bytes()))
        else:
            source = source.with_suffix(".tgz")
            source.write_bytes(without_schemas(self.path.read_bytes()))
        with go_log_filtered(str), h.Chart.load(str(source)) as chart:
            return Path(chart.save(tmp)).read_bytes()

    @property
    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = self._chart.metadata
        return meta

    @property
    def dependencies(self) -> list[dict[str, Any]]:
        """The Chart.yaml metadata of each loaded subchart (one level down)."""
        deps: list[dict[str, Any]] = self._chart.dependencies
        return [d for d in deps if isinstance(d, dict)]

    @property
    def crds(self) -> list[dict[str, str]]:
        """CRD files under ``crds/`` of the chart and its subcharts."""
        crds: list[dict[str, str]] = self._chart.crds
        return crds

    @property
    def schema(self) -> dict[str, Any] | None:
        schema: dict[str, Any] | None = self._chart.schema
        return schema

    def merge_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """Chart defaults coalesced with user values, exactly as an install would."""
        h = helm()
        mask = secret_masker(values)
        try:
            with go_log_filtered(mask):  # Helm logs "skipped value for ..." as it coalesces
                merged: dict[str, Any] = self._chart.merge_values(values)
        except h.HelmError as exc:
            message = _message(exc)
        else:
            return merged
        # Raised out of the handler, as every error masked here: the SDK's error would stay
        # as its __context__, unmasked, for error reporters and pickles to find.
        raise ValuesError(f"chart {self.path}: {mask(message)}", chart=self.path)

    def render(
        self,
        values: dict[str, Any],
        *,
        release_name: str,
        namespace: str,
        kube_version: str | None = None,
        api_versions: list[str] | None = None,
        is_upgrade: bool = False,
        revision: int | None = None,
        enable_dns: bool = False,
    ) -> dict[str, str]:
        """Render every template; returns template path → rendered text.

        ``values`` are the user-supplied values; Helm coalesces the chart's
        defaults and validates ``values.schema.json`` itself, as ``helm
        template`` does.
        """
        h = helm()
        options: dict[str, Any] = {"name": release_name, "namespace": namespace}
        if is_upgrade:
            options["is_upgrade"] = True
            options["is_install"] = False
        else:
            options["is_install"] = True
        if revision is not None:
            options["revision"] = revision
        if kube_version is not None:
            options["kube_version"] = kube_version
        if api_versions:
            options["api_versions"] = list(api_versions)
        if enable_dns:
            options["enable_dns"] = True
        mask = secret_masker(values)
        try:
            with go_log_filtered(mask):
                payload = h._native.call_string(
                    "helm_render", self._chart._raw(), json.dumps(values), json.dumps(options)
                )
        except h.HelmError as exc:
            failure: Exception = self._render_error(exc, mask, kube_version)
        else:
            rendered: dict[str, str] = json.loads(payload)
            return rendered
        raise failure  # out of the handler: see merge_values

    def _render_error(
        self, exc: Exception, mask: Callable[[str], str], kube_version: str | None
    ) -> Exception:
        """The chartsafe error for the SDK's render error ``exc``, its message masked."""
        h = helm()
        if isinstance(exc, h.HelmInvalidArgError):
            text = mask(_message(exc))
            if "version" in text and kube_version is not None:
                return KubeVersionError(
                    f"--kube-version {kube_version}: {text}",
                    hint="use a Kubernetes version such as v1.36.0",
                )
            return TemplateError(f"chart {self.path}: {text}", chart=self.path)
        if isinstance(exc, h.HelmValuesError):
            return schema_error(self.path, _message(exc), mask)
        # `fail`, `required` and template errors quote values the chart was given.
        return TemplateError(mask(one_line(_message(exc))), chart=self.path)


def helm_lint(
    path: Path,
    values: dict[str, Any],
    *,
    namespace: str,
    kube_version: str | None,
    strict: bool,
    skip_schema_validation: bool = False,
) -> list[tuple[str, str, str]]:
    """Helm's own lint: (severity, path, message) for each finding.

    Messages carry no value Helm quoted from a values-schema report, and no secret
    user value (see :func:`secret_masker`): lint reports go to terminals and CI logs.
    """
    h = helm()
    names = {0: "unknown", 1: "info", 2: "warning", 3: "error"}
    mask = secret_masker(values)
    try:
        with go_log_filtered(mask):
            report = h.lint(
                str(path), values, namespace=namespace, kube_version=kube_version,
                strict=strict, skip_schema_validation=skip_schema_validation or None,
            )  # fmt: skip
    except h.HelmError as exc:
        message = _message(exc)
    else:
        return [
            (
                names.get(int(m.get("severity", 0)), "unknown"),
                str(m.get("path", "")),
                mask(one_line(redact_schema_report(str(m.get("error", ""))))),
            )
            for m in report.get("messages", [])
        ]
    raise ChartLoadError(f"chart {path}: {mask(message)}", chart=path)  # see merge_values
