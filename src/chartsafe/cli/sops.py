"""``chartsafe sops encrypt|decrypt|edit``: the sops file commands, with no sops binary."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._app import app

if TYPE_CHECKING:
    from .._sops_tool import SelectorFlags
    from ..store import Format

sops_app = typer.Typer(
    name="sops",
    help=(
        "Encrypt, decrypt and edit SOPS files (YAML, JSON, dotenv or binary; age recipients), "
        "like sops.\n\n"
        "Files stay compatible with sops and helm-secrets; the nearest .sops.yaml creation "
        "rules choose recipients and which keys are encrypted.\n\n"
        "Examples:\n\n"
        "  chartsafe sops encrypt --in-place secrets.yaml\n\n"
        "  chartsafe sops encrypt --age age1... --encrypted-regex '^(data|stringData)$' "
        "secret.yaml > secret.enc.yaml\n\n"
        "  chartsafe sops decrypt secret.enc.yaml | kubectl apply -f -\n\n"
        "  EDITOR=nano chartsafe sops edit secrets.yaml"
    ),
    no_args_is_help=True,
)
app.add_typer(sops_app, name="sops")

_SELECT = "Which values are encrypted (override .sops.yaml)"
_KEYS = "Keys"


class FileType(StrEnum):
    yaml = "yaml"
    json = "json"
    dotenv = "dotenv"
    binary = "binary"


File = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="The file; its name gives the format, as with sops: .yaml/.yml, .json, .env "
        "(dotenv), anything else binary (the whole content, kept in a JSON envelope).",
    ),
]
InPlace = Annotated[
    bool,
    typer.Option("-i", "--in-place", help="Write the result over FILE instead of to stdout."),
]
Age = Annotated[
    list[str] | None,
    typer.Option(
        "--age",
        help="Age recipient(s), comma-separated or repeated; replace .sops.yaml's keys.",
        rich_help_panel=_KEYS,
    ),
]
AgeKeyFile = Annotated[
    Path | None,
    typer.Option(
        "--age-key-file",
        help="Decrypt with this age key file only (default: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, "
        "then ~/.config/sops/age/keys.txt, as sops).",
        rich_help_panel=_KEYS,
    ),
]
Config = Annotated[
    Path | None,
    typer.Option("--config", help="This .sops.yaml instead of the nearest one.",
                 rich_help_panel=_KEYS),
]  # fmt: skip
InputType = Annotated[
    FileType | None,
    typer.Option(
        "--input-type",
        help="Treat FILE as yaml, json, dotenv or binary (default: by its name, as sops).",
    ),
]
EncryptedRegex = Annotated[
    str | None,
    typer.Option("--encrypted-regex", help="Encrypt only values under keys matching this.",
                 rich_help_panel=_SELECT),
]  # fmt: skip
UnencryptedRegex = Annotated[
    str | None,
    typer.Option("--unencrypted-regex", help="Leave values under keys matching this clear.",
                 rich_help_panel=_SELECT),
]  # fmt: skip
EncryptedSuffix = Annotated[
    str | None,
    typer.Option("--encrypted-suffix", help="Encrypt only values under keys ending so.",
                 rich_help_panel=_SELECT),
]  # fmt: skip
UnencryptedSuffix = Annotated[
    str | None,
    typer.Option("--unencrypted-suffix",
                 help="Leave values under keys ending so clear (default: _unencrypted).",
                 rich_help_panel=_SELECT),
]  # fmt: skip
MacOnlyEncrypted = Annotated[
    bool,
    typer.Option("--mac-only-encrypted", help="The MAC covers encrypted values only.",
                 rich_help_panel=_SELECT),
]  # fmt: skip


def _flags(
    encrypted_regex: str | None,
    unencrypted_regex: str | None,
    encrypted_suffix: str | None,
    unencrypted_suffix: str | None,
    mac_only_encrypted: bool,
) -> SelectorFlags:
    from .._sops_tool import SelectorFlags

    return SelectorFlags(
        encrypted_regex=encrypted_regex,
        unencrypted_regex=unencrypted_regex,
        encrypted_suffix=encrypted_suffix,
        unencrypted_suffix=unencrypted_suffix,
        mac_only_encrypted=mac_only_encrypted,
    )


def _format(given: FileType | None) -> Format | None:
    formats: dict[FileType, Format] = {
        FileType.yaml: "yaml",
        FileType.json: "json",
        FileType.dotenv: "dotenv",
        FileType.binary: "binary",
    }
    return None if given is None else formats[given]


def _emit(path: Path, text: str, in_place: bool) -> None:
    """``text`` into FILE (``--in-place``) or onto stdout, as bytes: a binary file's content
    that is not UTF-8 comes as the lone surrogates ``text_as_bytes`` turns back into its
    bytes, which a text stream would refuse to encode (and whose error would quote it)."""
    if in_place:
        from ..store import write_file

        write_file(path, text)
    else:
        from ..store.sops_values import text_as_bytes

        sys.stdout.flush()
        sys.stdout.buffer.write(text_as_bytes(text))
        sys.stdout.buffer.flush()


@sops_app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe sops encrypt --in-place values-secret.yaml\n\n"
        "  chartsafe sops encrypt --age age1... secret.yaml > secret.enc.yaml\n\n"
        "Exit codes: 0 encrypted, 2 bad input (no recipients, already encrypted, bad file)."
    )
)
def encrypt(
    file: File,
    in_place: InPlace = False,
    age: Age = None,
    config: Config = None,
    input_type: InputType = None,
    encrypted_regex: EncryptedRegex = None,
    unencrypted_regex: UnencryptedRegex = None,
    encrypted_suffix: EncryptedSuffix = None,
    unencrypted_suffix: UnencryptedSuffix = None,
    mac_only_encrypted: MacOnlyEncrypted = False,
) -> None:
    """Encrypt a file to age recipients; prints it, or rewrites FILE with -i.

    Recipients come from --age, SOPS_AGE_RECIPIENTS, or the first creation rule of the
    nearest .sops.yaml whose path_regex matches FILE (which also sets encrypted_regex,
    unencrypted_suffix and the other selectors unless a flag is given).
    """
    from .._sops_tool import sops_encrypt

    text = sops_encrypt(
        file,
        recipients=list(age) if age else None,
        config=config,
        flags=_flags(
            encrypted_regex, unencrypted_regex, encrypted_suffix, unencrypted_suffix,
            mac_only_encrypted,
        ),
        fmt=_format(input_type),
    )  # fmt: skip
    _emit(file, text, in_place)


@sops_app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe sops decrypt secret.enc.yaml | kubectl apply -f -\n\n"
        "  chartsafe sops decrypt --age-key-file ci.key values.enc.yaml\n\n"
        "Exit codes: 0 decrypted, 2 bad input (no key opens it, altered, not encrypted)."
    )
)
def decrypt(
    file: File,
    in_place: InPlace = False,
    age_key_file: AgeKeyFile = None,
    input_type: InputType = None,
) -> None:
    """Decrypt a SOPS file (MAC checked) and print the plain text, or rewrite FILE with -i.

    A binary file (.txt, .pem, .key...) prints its content exactly, as sops -d does.

    This prints secrets: that is what it is for. To use an encrypted values file with a
    chart, pass it to -f instead; chartsafe then decrypts it in memory only.
    """
    from .._sops_tool import sops_decrypt

    text = sops_decrypt(file, key_file=age_key_file, fmt=_format(input_type), binary_bytes=True)
    _emit(file, text, in_place)


def _retry(message: str) -> bool:
    """Ask whether to reopen the editor after bad content; only when someone can answer."""
    if not sys.stdin.isatty():
        return False
    print(f"chartsafe: {message}", file=sys.stderr)
    return typer.confirm("Edit again?", default=True, err=True)


@sops_app.command(
    epilog=(
        "Examples:\n\n"
        "  chartsafe sops edit secrets.yaml\n\n"
        "  EDITOR='code --wait' chartsafe sops edit values.enc.json\n\n"
        "Exit codes: 0 saved or unchanged, 2 bad input, the editor failed or FILE changed\n"
        "while it was open (your edit is then kept, encrypted, in FILE's .conflict twin),\n"
        "130 interrupted."
    )
)
def edit(
    file: File,
    age_key_file: AgeKeyFile = None,
    age: Age = None,
    config: Config = None,
    input_type: InputType = None,
    encrypted_regex: EncryptedRegex = None,
    unencrypted_regex: UnencryptedRegex = None,
    encrypted_suffix: EncryptedSuffix = None,
    unencrypted_suffix: UnencryptedSuffix = None,
    mac_only_encrypted: MacOnlyEncrypted = False,
) -> None:
    """Open the decrypted FILE in $EDITOR and re-encrypt it if it changed.

    The plain text lives in a 0600 file in a private temporary folder that is removed
    whatever happens (saved, editor failed, Ctrl-C). Unchanged values keep their ciphertext.
    A FILE that does not exist is created, encrypted as 'encrypt' would (the selector and
    --age flags apply only then).
    """
    from .._sops_tool import sops_edit

    result = sops_edit(
        file,
        key_file=age_key_file,
        recipients=list(age) if age else None,
        config=config,
        flags=_flags(
            encrypted_regex, unencrypted_regex, encrypted_suffix, unencrypted_suffix,
            mac_only_encrypted,
        ),
        fmt=_format(input_type),
        retry=_retry,
    )  # fmt: skip
    if not result.changed:
        print(f"chartsafe: {file} unchanged", file=sys.stderr)
    elif result.created:
        print(f"chartsafe: {file} created, encrypted", file=sys.stderr)
    else:
        print(f"chartsafe: {file} saved, encrypted", file=sys.stderr)
