"""What ``chartsafe template`` does once its command line is read: render, mask, print,
report.

No typer here: the typer command (``template``) and the quick path that reads a plain
command line without typer (``_template_quick``) both end in :func:`run_template`, so the
two cannot differ in what they print.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .._errors import InputError, RenderedYamlError
from .._output import manifest_documents, manifests_json, manifests_yaml, secret_value_count
from .._refs import SecretValues, UserValues
from .._render import RenderResult, render_chart
from ._render_request import render_options
from ._report import report_validation
from ._source_flags import SourceFlags, fetch_missing_dependencies
from ._value_flags import ValueFlags

__all__ = ["TemplateRequest", "run_template"]


class TemplateRequest(NamedTuple):
    """A ``template`` command line, read: the release and chart resolved, every flag's value.
    (A NamedTuple: defined on every start, where a dataclass costs a millisecond.)"""

    name: str | None
    chart: str
    namespace: str
    values: ValueFlags = ValueFlags()
    age_key_file: Path | None = None
    store: Path | None = None
    show_only: tuple[str, ...] = ()
    kube_version: str | None = None
    api_versions: tuple[str, ...] = ()
    include_crds: bool = False
    skip_tests: bool = False
    no_hooks: bool = False
    is_upgrade: bool = False
    crd_dir: tuple[Path, ...] = ()
    no_validate: bool = False
    skip_schema_validation: bool = False
    enable_dns: bool = False
    dependency_update: bool = False
    source: SourceFlags = SourceFlags()
    output: str | None = None
    output_dir: Path | None = None
    release_name: bool = False
    reveal: bool = False


@contextmanager
def _printing_invalid_documents(reveal: bool) -> Iterator[None]:
    """With ``--reveal``, a document that is not YAML goes to stderr, numbered by line, before
    the error: Helm's ``--debug`` prints the whole render for it; this, that document only."""
    try:
        yield
    except RenderedYamlError as exc:
        if reveal:
            lines = exc.document.splitlines()
            width = len(str(len(lines)))
            for number, line in enumerate(lines, 1):
                print(f"{number:>{width}} | {line}", file=sys.stderr)
            exc.hint = None
        raise


def _masked_in_text(result: RenderResult) -> SecretValues:
    """What ``template`` masks wherever it appears in the output, beyond the Secrets' own
    fields: values from encrypted ``-f`` files and references, and the credentials the
    chart's Secrets carry, where the chart copies them too (a DSN in a ConfigMap, an env
    literal, ``args``, an annotation), as ``install --dry-run`` and ``get manifest`` do.

    Only the credentials of the Secrets (``_secret_like.credential_strings``): a Secret's
    user name, host or port is printed rightly elsewhere, and masking it would garble
    container ports and Service names without hiding anything secret.
    """
    given = result.user_values
    user = given.secrets if isinstance(given, UserValues) else SecretValues()
    # Every Secret rendered, printed or not: ``--show-only templates/configmap.yaml``
    # prints a copy of a Secret it leaves out.
    rendered = [*result.objects, *result.left_out]
    if not any(obj.kind == "Secret" for obj in rendered):
        return user  # and the key rules stay unloaded
    from .._secret_like import credential_strings

    copied = credential_strings(rendered)
    return SecretValues(user.paths, [*user.texts, *copied]) if copied else user


def run_template(request: TemplateRequest) -> int:
    """Render, print the manifests (masked unless ``reveal``), report validation; the exit
    code: 0, or 1 when validation found problems."""
    r = request
    if r.output_dir is not None and r.output == "json":
        raise InputError(
            "--output-dir writes YAML files; -o json prints to stdout",
            hint="drop one of --output-dir and -o json",
        )
    with r.source.open(r.chart) as path, _printing_invalid_documents(r.reveal):
        fetch_missing_dependencies(path, r.dependency_update, r.source.plain_http)
        result = render_chart(
            path,
            r.values.input(age_key_file=r.age_key_file, store=r.store),
            render_options(
                r.name,
                r.namespace,
                r.kube_version,
                list(r.api_versions),
                list(r.crd_dir),
                r.no_validate,
                show_only=list(r.show_only),
                include_crds=r.include_crds,
                skip_tests=r.skip_tests,
                no_hooks=r.no_hooks,
                is_upgrade=r.is_upgrade,
                values_schema=not (r.no_validate or r.skip_schema_validation),
                enable_dns=r.enable_dns,
            ),
        )
    # Values from encrypted -f files or references, and the Secrets' credentials, wherever
    # the chart copied them (ConfigMaps, env literals), not only in Secrets.
    secrets = None if r.reveal else _masked_in_text(result)
    if r.output_dir is not None:
        from .._manifest_dir import write_manifest_dir

        documents = manifest_documents(result.objects, reveal=r.reveal, secrets=secrets)
        base = r.output_dir / (r.name or "release-name") if r.release_name else r.output_dir
        written = write_manifest_dir(base, documents, private=r.reveal)
        text = "".join(f"wrote {path}\n" for path in written)
    elif r.output == "json":
        text = manifests_json(result.objects, reveal=r.reveal, secrets=secrets)
    else:
        text = manifests_yaml(result.objects, reveal=r.reveal, secrets=secrets)
    sys.stdout.write(text)
    sys.stdout.flush()
    hidden = 0 if r.reveal else secret_value_count(result.objects)
    if hidden:
        print(
            f"chartsafe: {hidden} Secret value(s) masked; pass --reveal to print them",
            file=sys.stderr,
        )
    return report_validation(result)
