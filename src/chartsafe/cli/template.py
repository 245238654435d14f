"""``chartsafe template``: ``helm template`` with strict validation on by default.

No ``from __future__ import annotations`` here: typer reads the command's annotations on
every run, and evaluating them from strings took a millisecond of template's start-up.
"""

from pathlib import Path
from typing import Annotated

import typer

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
)
from ._source_options import FROM_SOURCE_FLAGS, DependencyUpdate, SourceFlags, takes_chart
from ._template_run import TemplateRequest, run_template
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values


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
    return run_template(
        TemplateRequest(
            name=name,
            chart=chart,
            namespace=namespace,
            values=values,
            age_key_file=age_key_file,
            store=store,
            show_only=tuple(show_only or ()),
            kube_version=kube_version,
            api_versions=tuple(api_versions or ()),
            include_crds=include_crds,
            skip_tests=skip_tests,
            no_hooks=no_hooks,
            is_upgrade=is_upgrade,
            crd_dir=tuple(crd_dir or ()),
            no_validate=no_validate,
            skip_schema_validation=skip_schema_validation,
            enable_dns=enable_dns,
            dependency_update=dependency_update,
            source=source,
            output=output,
            output_dir=output_dir,
            release_name=release_name,
            reveal=reveal,
        )
    )
