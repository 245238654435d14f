"""``chartsafe secrets set``: put one value into the store, from a file, a literal or stdin."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from .._errors import InputError
from ._cluster_options import release_namespace
from ._options import Output
from ._print import DATA_FORMATS, print_data
from .secrets import (
    AgeKeyFile,
    AgeRecipients,
    SecretName,
    StoreFile,
    StoreNamespace,
    secrets_app,
)


def _read_value(from_file: Path | None, from_literal: str | None, key: str) -> str:
    if from_file is not None and from_literal is not None:
        raise InputError("give only one of --from-file and --from-literal")
    if from_file is not None:
        try:
            if str(from_file) == "-":  # stdin, exactly: a PEM piped in keeps its newline
                return sys.stdin.buffer.read().decode("utf-8") if sys.stdin is not None else ""
            return from_file.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise InputError(f"--from-file {from_file}: no such file") from None
        except UnicodeDecodeError:
            raise InputError(f"--from-file {from_file}: not UTF-8 text") from None
        except OSError as exc:
            raise InputError(f"--from-file {from_file}: {exc.strerror}") from None
    if from_literal is not None:
        return from_literal
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"Value for {key} (hidden): ")
        if getpass.getpass("Again: ") != value:
            raise InputError(f"the two values typed for {key} differ")
        return value
    text = sys.stdin.read() if sys.stdin is not None else ""
    return text[:-1] if text.endswith("\n") else text  # `echo value |` adds one newline


@secrets_app.command(
    "set",
    epilog=(
        "Examples:\n\n"
        "  chartsafe secrets set -n tracecat tracecat-postgres-credentials username "
        "--from-literal tracecat\n\n"
        "  chartsafe secrets set -n tc tc-tls tls.crt --from-file server.crt\n\n"
        "  pass show api-key | chartsafe secrets set -n tc openai api_key\n\n"
        "With neither flag the value is read from stdin, one trailing newline dropped (as "
        "$(...) drops it; --from-file keeps it), or typed hidden on a terminal."
    ),
)
def set_(
    secret: SecretName,
    key: Annotated[str, typer.Argument(metavar="KEY", help="Key in the Secret.")],
    store: StoreFile,
    namespace: StoreNamespace = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file",
            help="Read the value from this UTF-8 text file (- for stdin), exactly (a final "
            "newline is kept; binary files are refused).",
        ),
    ] = None,
    from_literal: Annotated[
        str | None,
        typer.Option("--from-literal", help="The value itself (lands in shell history)."),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format", help="Record the value's format (e.g. hex:32); the value must fit it."
        ),
    ] = None,
    age: AgeRecipients = None,
    age_key_file: AgeKeyFile = None,
    output: Output = None,
) -> int:
    """Set one key of a Secret in the store (creating the store if needed)."""
    namespace = release_namespace(namespace, None, None)
    from ..store.secret_ops import set_value

    value = _read_value(from_file, from_literal, key)
    result = set_value(store, namespace, secret, key, value, format=format,
                       recipients=age, key_file=age_key_file)  # fmt: skip
    if output in DATA_FORMATS:
        print_data(result.as_dict(), output)
    else:
        verb = "set" if result.changed else "unchanged"
        made = " (new store)" if result.store_created else ""
        if result.format_recorded:  # the same value, now with the format the person gave
            made += f" (format {format} recorded)"
        print(f"{verb}: {namespace}/{secret} {key} in {store}{made}")
    for ref in result.stale:
        command = shlex.join(["chartsafe", "secrets", "rotate", "-n", ref.namespace, ref.secret,
                              ref.key, "--store", str(store)])  # fmt: skip
        print(f"warning: {ref} is made from {namespace}/{secret} {key} and still holds the old "
              f"value; make it anew with: {command}", file=sys.stderr)  # fmt: skip
    for ref in result.unmatched:
        from ..check._fixes import set_command

        command = set_command(ref.namespace, ref.secret, ref.key, str(store)) + " --from-file FILE"
        print(f"warning: {ref} was made together with the old value of {namespace}/{secret} "
              f"{key} (one key pair) and no longer matches it; set the matching value with: "
              f"{command}", file=sys.stderr)  # fmt: skip
    return 0
