"""``chartsafe keys``: age identities for the secret store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app
from ._options import Output
from ._print import DATA_FORMATS, print_data

keys_app = typer.Typer(
    name="keys",
    help="Age identities for the secret store (where sops looks for them).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(keys_app, name="keys")


@keys_app.command(
    "init",
    epilog=(
        "Examples:\n\n"
        "  chartsafe keys init\n\n"
        "  chartsafe keys init --key-file ./ci-key.txt -o json\n\n"
        "An existing key file is never replaced; its recipient is printed."
    ),
)
def init(
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Where to write the identity (default: $SOPS_AGE_KEY_FILE when set, else "
            "the sops key file, $XDG_CONFIG_HOME/sops/age/keys.txt).",
        ),
    ] = None,
    output: Output = None,
) -> int:
    """Create an age identity (0600) and print only its public recipient."""
    import sys

    from ..store.secret_ops import init_keys

    result = init_keys(key_file)
    if output in DATA_FORMATS:
        print_data(result.as_dict(), output)
    else:
        print(result.recipient)
        state = "created" if result.created else "already there, kept"
        print(f"chartsafe: identity {state}: {result.path}", file=sys.stderr)
    return 0
