"""EU compliance: VAT and EPR registrations, GTINs, and the EPR requirement matrix as dated data.

`evaluate_workspace` answers, per account and country, what is required, what is held, and what is
missing, invalid or expiring, with the SKUs affected; `Workspace.compliance(as_of)` calls it and
`tradewind compliance` shows it.
"""

from __future__ import annotations

from tradewind.compliance.evaluate import evaluate_account, evaluate_workspace
from tradewind.compliance.matrix import EprMatrix, MatrixError, load_matrix
from tradewind.compliance.numbers import NumberCheck, check_gtin, check_vat
from tradewind.compliance.report import AccountCompliance, ComplianceReport, Finding, Kind, Status

__all__ = [
    "AccountCompliance",
    "ComplianceReport",
    "EprMatrix",
    "Finding",
    "Kind",
    "MatrixError",
    "NumberCheck",
    "Status",
    "check_gtin",
    "check_vat",
    "evaluate_account",
    "evaluate_workspace",
    "load_matrix",
]
