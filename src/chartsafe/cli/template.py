"""``chartsafe template``: ``helm template`` with strict validation on by default.

No ``from __future__ import annotations`` here: typer reads the command's annotations on
every run, and evaluating them from strings took a millisecond of template's start-up.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from .._errors import InputError, RenderedYamlError
from .._output import manifest_documents, manifests_json, manifests_yaml, secret_value_count
from .._refs import SecretValues, UserValues
from .._render import RenderResult, render_chart
from ._app import app
from ._cluster_options import Kubeconfig, KubeContext, release_namespace
from ._options import (
    AgeKeyFile,
    ApiVersions,
    CrdDirs,
    DataOutput,
    EnableDns,
    KubeVersion,
    Namespace,
    NameTemplate,
    ReleaseArgs,
    SkipSchemaValidation,
    StoreFile,
    release_and_chart,
    render_options,
)
from ._report import report_validation
from ._source_options import (
    FROM_SOURCE_FLAGS,
    DependencyUpdate,
    SourceFlags,
    fetch_missing_dependencies,
    takes_chart,
)
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values


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
    if not any(obj.kind == "Secret" for obj in result.objects):
        return user  # and the key rules stay unloaded
    from .._secret_like import credential_strings

    copied = credential_strings(result.objects)
    return SecretValues(user.paths, [*user.texts, *copied]) if copied else user


@app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe template charts/tracecat -f my-values.yaml\n\n"
        "  chartsafe template prod charts/tracecat -n tc "
        "-f charts/tracecat/examples/values-minikube.yaml --set ingress.host=tc.example.com\n\n"
        "  chartsafe template charts/llmtrace -f charts/llmtrace/values-dev.yaml "
        "--api-versions monitoring.coreos.com/v1 --crd-dir crds/ -o json\n\n"
        "  chartsafe template oci://registry.example.com/charts/agentapi-proxy --version 0.1.0\n\n"
        "  chartsafe template prod charts/tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml --output-dir rendered/ --release-name\n\n"
        "Exit codes: 0 rendered and valid, 1 validation problems (schema or API-server "
        "rules), 2 bad input."
    )
)
@takes_chart
@takes_values
def template(
    args: ReleaseArgs,
    values: ValueFlags = FROM_VALUE_FLAGS,
    age_key_file: AgeKeyFile = None,
    store: StoreFile = None,
    namespace: Namespace = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    show_only: Annotated[
        list[str] | None,
        typer.Option(
            "-s",
            "--show-only",
            help="Only show manifests rendered from this template (repeatable, globs work).",
            rich_help_panel="Rendering (as helm)",
        ),
    ] = None,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    include_crds: Annotated[
        bool,
        typer.Option(
            "--include-crds",
            help="Include CRDs from the chart's crds/ folder.",
            rich_help_panel="Rendering (as helm)",
        ),
    ] = False,
    skip_tests: Annotated[
        bool,
        typer.Option(
            "--skip-tests", help="Leave out test hooks.", rich_help_panel="Rendering (as helm)"
        ),
    ] = False,
    no_hooks: Annotated[
        bool,
        typer.Option(
            "--no-hooks",
            help="Leave out hooks (tests included), as helm template --no-hooks.",
            rich_help_panel="Rendering (as helm)",
        ),
    ] = False,
    generate_name: Annotated[
        bool,
        typer.Option(
            "-g",
            "--generate-name",
            help="Give CHART alone: the release is named after it and the time (as helm).",
            rich_help_panel="Rendering (as helm)",
        ),
    ] = False,
    name_template: NameTemplate = None,
    is_upgrade: Annotated[
        bool,
        typer.Option(
            "--is-upgrade",
            help="Render as an upgrade (.Release.IsUpgrade).",
            rich_help_panel="Rendering (as helm)",
        ),
    ] = False,
    crd_dir: CrdDirs = None,
    no_validate: Annotated[
        bool,
        typer.Option(
            "--no-validate",
            help="Skip all validation: the chart's values.schema.json (as helm template "
            "--skip-schema-validation) and the Kubernetes and CRD schemas.",
            rich_help_panel="Validation",
        ),
    ] = False,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    dependency_update: DependencyUpdate = False,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: DataOutput = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help="Write each template's documents to DIR/<chart>/templates/... (as helm), "
            "not to stdout.",
            file_okay=False,
        ),
    ] = None,
    release_name: Annotated[
        bool,
        typer.Option("--release-name", help="With --output-dir: write under DIR/<release name>/."),
    ] = False,
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal",
            help="Print Secret values instead of masking them (and a document that is not "
            "valid YAML, numbered by line, to stderr).",
        ),
    ] = False,
) -> int:
    """Render a chart locally with Helm's engine, then validate every object.

    Prints multi-document YAML with '# Source:' comments, as helm template does,
    or with -o json a list of objects with their template and hook data. Values
    are checked against the chart's values.schema.json and every object against
    the Kubernetes OpenAPI schema (unknown fields rejected); custom resources
    against their CRDs (--crd-dir, or CRDs the chart ships). Problems go to
    stderr; the manifests still go to stdout. Secret values are masked unless
    --reveal is given.
    """
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    name, chart = release_and_chart(args, generate_name=generate_name, name_template=name_template)
    if output_dir is not None and output == "json":
        raise InputError(
            "--output-dir writes YAML files; -o json prints to stdout",
            hint="drop one of --output-dir and -o json",
        )
    with source.open(chart) as path, _printing_invalid_documents(reveal):
        fetch_missing_dependencies(path, dependency_update, source.plain_http)
        result = render_chart(
            path,
            values.input(age_key_file=age_key_file, store=store),
            render_options(
                name,
                namespace,
                kube_version,
                api_versions,
                crd_dir,
                no_validate,
                show_only=list(show_only or []),
                include_crds=include_crds,
                skip_tests=skip_tests,
                no_hooks=no_hooks,
                is_upgrade=is_upgrade,
                values_schema=not (no_validate or skip_schema_validation),
                enable_dns=enable_dns,
            ),
        )
    # Values from encrypted -f files or references, and the Secrets' credentials, wherever
    # the chart copied them (ConfigMaps, env literals), not only in Secrets.
    secrets = None if reveal else _masked_in_text(result)
    if output_dir is not None:
        from .._manifest_dir import write_manifest_dir

        documents = manifest_documents(result.objects, reveal=reveal, secrets=secrets)
        base = output_dir / (name or "release-name") if release_name else output_dir
        written = write_manifest_dir(base, documents, private=reveal)
        text = "".join(f"wrote {path}\n" for path in written)
    elif output == "json":
        text = manifests_json(result.objects, reveal=reveal, secrets=secrets)
    else:
        text = manifests_yaml(result.objects, reveal=reveal, secrets=secrets)
    sys.stdout.write(text)
    sys.stdout.flush()
    hidden = 0 if reveal else secret_value_count(result.objects)
    if hidden:
        print(
            f"chartsafe: {hidden} Secret value(s) masked; pass --reveal to print them",
            file=sys.stderr,
        )
    return report_validation(result)
