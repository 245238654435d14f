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

from ._quick_flags import FORMAT, PATH, PATHS, SWITCH, TEXT, TEXTS, Given, given

# Not at import: the caller imports them when the command line is read here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._template_run import TemplateRequest

__all__ = ["FLAGS", "read"]

#: Each spelling of each flag read here: (the parameter of ``template`` it sets, its kind).
FLAGS: dict[str, tuple[str, str]] = {
    "-f": ("values", TEXTS),
    "--values": ("values", TEXTS),
    "--set": ("set_values", TEXTS),
    "--set-string": ("set_string", TEXTS),
    "--set-file": ("set_file", TEXTS),
    "--set-json": ("set_json", TEXTS),
    "--set-literal": ("set_literal", TEXTS),
    "-n": ("namespace", TEXT),
    "--namespace": ("namespace", TEXT),
    "--age-key-file": ("age_key_file", PATH),
    "--store": ("store", PATH),
    "--kubeconfig": ("kubeconfig", PATH),
    "--kube-context": ("kube_context", TEXT),
    "-s": ("show_only", TEXTS),
    "--show-only": ("show_only", TEXTS),
    "--kube-version": ("kube_version", TEXT),
    "-a": ("api_versions", TEXTS),
    "--api-versions": ("api_versions", TEXTS),
    "--include-crds": ("include_crds", SWITCH),
    "--skip-tests": ("skip_tests", SWITCH),
    "--no-hooks": ("no_hooks", SWITCH),
    "--is-upgrade": ("is_upgrade", SWITCH),
    "--crd-dir": ("crd_dir", PATHS),
    "--no-validate": ("no_validate", SWITCH),
    "--skip-schema-validation": ("skip_schema_validation", SWITCH),
    "--enable-dns": ("enable_dns", SWITCH),
    "--dependency-update": ("dependency_update", SWITCH),
    "--version": ("version", TEXT),
    "--devel": ("devel", SWITCH),
    "--repo": ("repo", TEXT),
    "--plain-http": ("plain_http", SWITCH),
    "--registry-config": ("registry_config", PATH),
    "--verify": ("verify", SWITCH),
    "--keyring": ("keyring", PATH),
    "-o": ("output", FORMAT),
    "--output": ("output", FORMAT),
    "--reveal": ("reveal", SWITCH),
}

#: The formats ``template -o`` takes (typer's choice, spelled exactly).
_FORMATS = frozenset({"yaml", "json"})


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


def _given(args: list[str]) -> Given | None:
    """The command line taken apart by :data:`FLAGS`; None for typer to read."""
    found = given(args, "template", FLAGS, _FORMATS)
    return found if found is not None and 1 <= len(found.words) <= 2 else None
