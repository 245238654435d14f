"""The secret store's file-format layer: SOPS documents encrypted to age recipients.

Modules, one concept each:

    sops_values     one value: plaintext encodings, Go float/time formats, ENC[AES256_GCM,...]
    sops_yaml       reading YAML with yaml.v3 scalar rules     yaml_emit   writing it like sops
    sops_json       reading and writing JSON like sops
    sops_metadata   the ``sops`` block, selectors, wrapping/recovering the data key
    shamir          GF(2^8) Shamir shares for several key groups
    sops_format     the tree walk: encrypt/decrypt every leaf, the MAC
    sops_document   SopsDocument (decrypted, re-dumpable), encrypt/decrypt/update/rekey
    sops_files      files on disk: open/decrypt/encrypt/write (atomic, 0600)
    sops_dotenv     dotenv files (``KEY=value``, metadata in ``sops_*`` keys)
    sops_binary     binary files: the content as one leaf ``data`` in a JSON envelope
    age_keys        identity lookup like sops, key-file creation, recipients
    sops_config     ``.sops.yaml`` lookup and creation rules

No function here prints, logs or raises with a secret value.
"""

from __future__ import annotations

from chartsafe.store.age_keys import (
    Identities,
    KeySource,
    create_identity_file,
    default_key_file,
    find_identities,
    parse_identities,
    parse_recipients,
)
from chartsafe.store.sops_config import CreationRule, SopsConfig, creation_rule_for, find_config
from chartsafe.store.sops_document import (
    SopsDocument,
    decrypt,
    decrypt_dotenv,
    encrypt,
    open_document,
    rekey,
    update,
)
from chartsafe.store.sops_files import (
    decrypt_file,
    encrypt_file,
    format_for_path,
    open_file,
    write_file,
)
from chartsafe.store.sops_format import Format, is_sops_document
from chartsafe.store.sops_metadata import SOPS_VERSION, Selector

__all__ = [
    "SOPS_VERSION",
    "CreationRule",
    "Format",
    "Identities",
    "KeySource",
    "Selector",
    "SopsConfig",
    "SopsDocument",
    "create_identity_file",
    "creation_rule_for",
    "decrypt",
    "decrypt_dotenv",
    "decrypt_file",
    "default_key_file",
    "encrypt",
    "encrypt_file",
    "find_config",
    "find_identities",
    "format_for_path",
    "is_sops_document",
    "open_document",
    "open_file",
    "parse_identities",
    "parse_recipients",
    "rekey",
    "update",
    "write_file",
]
