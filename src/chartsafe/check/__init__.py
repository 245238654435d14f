"""``check``: the preflight. A release's contract held against a cluster or manifests on disk.

    check_chart(chart, values, options, against) -> CheckReport
    check_contract(contract, source, fixes=...) -> CheckReport
    contract_gate(source, release=..., chart=..., namespace=...) -> install/upgrade gate

Sources (``_sources``): the live cluster (one ``list secrets`` per namespace, or a ``get`` per
needed Secret where RBAC denies the list) or a directory
or file of manifests, SealedSecrets and ExternalSecrets counting as "will exist with these
keys". Format plausibility and placeholders in ``_plausible`` (a registry, one check per
format); fix commands in ``_fixes``; the report model in ``_model``. A report never holds a
value, only names, statuses, reasons and commands.
"""

from __future__ import annotations

from ._cluster_source import ClusterSource
from ._fixes import Fixes
from ._model import (
    CheckReport,
    ConfigMapCheck,
    ContractNotMet,
    FoundSecret,
    HazardCheck,
    KeyCheck,
    SecretCheck,
)
from ._plausible import implausible, placeholder_reason
from ._run import ERROR_RULES, check_chart, check_contract, contract_gate
from ._sources import (
    FoundConfigMaps,
    ManifestSource,
    SecretSource,
    parse_manifest,
    source_for,
)

__all__ = [
    "ERROR_RULES",
    "CheckReport",
    "ClusterSource",
    "ConfigMapCheck",
    "ContractNotMet",
    "Fixes",
    "FoundConfigMaps",
    "FoundSecret",
    "HazardCheck",
    "KeyCheck",
    "ManifestSource",
    "SecretCheck",
    "SecretSource",
    "check_chart",
    "check_contract",
    "contract_gate",
    "implausible",
    "parse_manifest",
    "placeholder_reason",
    "source_for",
]
