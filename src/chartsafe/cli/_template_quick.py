"""``chartsafe template`` read without typer, for the command lines most runs are.

Why: importing typer and click and building the command from its signature was
a sixth of a ``template`` run on Tracecat (measured: about 20 ms of 140), and
``template`` is the command people run in loops and CI steps. The rest of the
run is the same code either way (:func:`run_template`).

What is read here: ``template`` first, then NAME CHART or CHART and only the
flags in :data:`FLAGS`, each spelled out (``--flag value``, ``--flag=value``,
``-f value``). Anything else returns None and typer reads the command line as
it always did: ``--help``, a flag not listed, a short flag with its value
attached, ``--``, a value that starts with a dash, a flag missing its value, an
``-o`` typer would refuse, one word or three. So every usage message stays
typer's, and a flag added to ``template`` works at once (through typer) before
anyone lists it here. ``tests/cli/test_template_quick.py`` holds this table to
typer's own definition of each flag and the two ways to the same output.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

# Not at import: the caller imports them when the command line is read here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._template_run import TemplateRequest

__all__ = ["FLAGS", "read"]

#: What a flag's value is: "on" a switch, "text" one value (the last given wins),
#: "texts" repeatable, "path"/"paths" the same as paths, "format" an -o format.
_SWITCH, _TEXT, _TEXTS, _PATH, _PATHS, _FORMAT = "on", "text", "texts", "path", "paths", "format"

#: Each spelling of each flag read here: (the parameter of ``template`` it sets, its kind).
FLAGS: dict[str, tuple[str, str]] = {
    "-f": ("values", _TEXTS),
    "--values": ("values", _TEXTS),
    "--set": ("set_values", _TEXTS),
    "--set-string": ("set_string", _TEXTS),
    "--set-file": ("set_file", _TEXTS),
    "--set-json": ("set_json", _TEXTS),
    "--set-literal": ("set_literal", _TEXTS),
    "-n": ("namespace", _TEXT),
    "--namespace": ("namespace", _TEXT),
    "--age-key-file": ("age_key_file", _PATH),
    "--store": ("store", _PATH),
    "--kubeconfig": ("kubeconfig", _PATH),
    "--kube-context": ("kube_context", _TEXT),
    "-s": ("show_only", _TEXTS),
    "--show-only": ("show_only", _TEXTS),
    "--kube-version": ("kube_version", _TEXT),
    "-a": ("api_versions", _TEXTS),
    "--api-versions": ("api_versions", _TEXTS),
    "--include-crds": ("include_crds", _SWITCH),
    "--skip-tests": ("skip_tests", _SWITCH),
    "--no-hooks": ("no_hooks", _SWITCH),
    "--is-upgrade": ("is_upgrade", _SWITCH),
    "--crd-dir": ("crd_dir", _PATHS),
    "--no-validate": ("no_validate", _SWITCH),
    "--skip-schema-validation": ("skip_schema_validation", _SWITCH),
    "--enable-dns": ("enable_dns", _SWITCH),
    "--dependency-update": ("dependency_update", _SWITCH),
    "--version": ("version", _TEXT),
    "--devel": ("devel", _SWITCH),
    "--repo": ("repo", _TEXT),
    "--plain-http": ("plain_http", _SWITCH),
    "--registry-config": ("registry_config", _PATH),
    "--verify": ("verify", _SWITCH),
    "--keyring": ("keyring", _PATH),
    "-o": ("output", _FORMAT),
    "--output": ("output", _FORMAT),
    "--reveal": ("reveal", _SWITCH),
}

#: The formats ``template -o`` takes (typer's choice, spelled exactly).
_FORMATS = frozenset({"yaml", "json"})


class _Given(NamedTuple):
    words: list[str]  # NAME CHART, or CHART
    one: dict[str, str]  # a flag given a value, by parameter (the last given)
    many: dict[str, list[str]]  # a repeatable flag's values, in order
    on: set[str]  # the switches given


def read(args: list[str]) -> TemplateRequest | None:
    """``args`` (the command line after ``chartsafe``) as a template request, or None when
    typer is to read it. Resolves the namespace as the typer command does, so a
    kubeconfig that cannot be read is the same error."""
    given = _given(args)
    if given is None:
        return None
    words, one, many, on = given
    from ._namespace import release_namespace
    from ._source_flags import SourceFlags
    from ._template_run import TemplateRequest
    from ._value_flags import ValueFlags

    def path(name: str) -> Path | None:
        return Path(one[name]) if name in one else None

    source = SourceFlags(
        version=one.get("version"),
        devel="devel" in on,
        repo=one.get("repo"),
        plain_http="plain_http" in on,
        registry_config=path("registry_config"),
        verify="verify" in on,
        keyring=path("keyring"),
    )
    namespace = release_namespace(one.get("namespace"), path("kubeconfig"), one.get("kube_context"))
    return TemplateRequest(
        name=words[0] if len(words) == 2 else None,
        chart=words[-1],
        namespace=namespace,
        values=ValueFlags(*(tuple(many.get(name, ())) for name in ValueFlags._fields)),
        age_key_file=path("age_key_file"),
        store=path("store"),
        show_only=tuple(many.get("show_only", ())),
        kube_version=one.get("kube_version"),
        api_versions=tuple(many.get("api_versions", ())),
        include_crds="include_crds" in on,
        skip_tests="skip_tests" in on,
        no_hooks="no_hooks" in on,
        is_upgrade="is_upgrade" in on,
        crd_dir=tuple(Path(item) for item in many.get("crd_dir", ())),
        no_validate="no_validate" in on,
        skip_schema_validation="skip_schema_validation" in on,
        enable_dns="enable_dns" in on,
        dependency_update="dependency_update" in on,
        source=source,
        output=one.get("output"),
        reveal="reveal" in on,
    )


def _given(args: list[str]) -> _Given | None:
    """The command line taken apart by :data:`FLAGS`; None for typer to read."""
    if not args or args[0] != "template":
        return None
    given = _Given([], {}, {}, set())
    rest = iter(args[1:])
    for arg in rest:
        if not arg.startswith("-"):
            given.words.append(arg)
            continue
        flag, equals, value = arg.partition("=")
        if flag not in FLAGS or (equals and not flag.startswith("--")):
            return None
        name, kind = FLAGS[flag]
        if kind == _SWITCH:
            if equals:
                return None
            given.on.add(name)
            continue
        if not equals:
            value = next(rest, "-")
            if value.startswith("-"):  # missing, or a value typer may read otherwise
                return None
        if (kind in (_PATH, _PATHS) and not value) or (kind == _FORMAT and value not in _FORMATS):
            return None  # typer refuses an empty path, and any other format: its message
        if kind in (_TEXTS, _PATHS):
            given.many.setdefault(name, []).append(value)
        else:
            given.one[name] = value
    return given if 1 <= len(given.words) <= 2 else None
