"""``chartsafe secrets rekey``: encrypt the data key to the current recipients."""

from __future__ import annotations

from typing import Annotated

import typer

from ._options import Output
from ._print import DATA_FORMATS, print_data
from .secrets import AgeKeyFile, AgeRecipients, StoreFile, secrets_app


@secrets_app.command(
    "rekey",
    epilog=(
        "Examples:\n\n"
        "  chartsafe secrets rekey --store secrets.sops.yaml      # recipients from .sops.yaml\n\n"
        "  chartsafe secrets rekey --store s.yaml --age age1...,age1...\n\n"
        "Like 'sops updatekeys': the values and their ciphertexts stay the same. New "
        "recipients your own identities no longer open the store with (none of them among "
        "the recipients, or in fewer key groups than shamir_threshold) are refused without "
        "--force."
    ),
)
def rekey(
    store: StoreFile,
    age: AgeRecipients = None,
    age_key_file: AgeKeyFile = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Rekey even when your own age identities would no longer open the store (none "
            "among the new recipients, or in too few key groups): handing it over.",
        ),
    ] = False,
    output: Output = None,
) -> int:
    """Re-encrypt the store's data key to --age or the .sops.yaml recipients."""
    from ..store.secret_ops import rekey_store

    result = rekey_store(store, recipients=age, key_file=age_key_file, force=force)
    if output in DATA_FORMATS:
        print_data(result.as_dict(), output)
    else:
        print(f"rekeyed {store}: {len(result.before)} -> {len(result.after)} recipient(s)")
        for recipient in result.after:
            print(f"  {recipient}")
    return 0
