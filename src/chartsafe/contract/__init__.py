"""The contract: every Secret and key a release reads, derived before it is installed.

    derive_contract(render_result) -> Contract

Model in ``_model``; reads in ``_reads`` (pod specs, Ingress, ServiceAccount)
and ``_crd_refs`` (a registry of custom-resource fields), the hosts a TLS
Secret is served for in ``_tls_hosts``; creators in
``_creators``; formats in ``_formats``; the chart's declaration in
``_declared``; hazards in ``_hazards``; ``contract_for_chart`` renders and
derives in one call.
"""

from __future__ import annotations

from ._build import contract_for_chart, contract_for_render
from ._derive import derive_contract
from ._model import Contract, ContractFinding, Creator, Reader, SecretKey, SecretRef
from ._text import contract_markdown

__all__ = [
    "Contract",
    "ContractFinding",
    "Creator",
    "Reader",
    "SecretKey",
    "SecretRef",
    "contract_for_chart",
    "contract_for_render",
    "contract_markdown",
    "derive_contract",
]
