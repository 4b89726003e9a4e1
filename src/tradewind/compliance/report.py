"""What a compliance evaluation finds: per account and country, each requirement (a VAT registration,
an EPR registration for a category) or a product's GTIN, why it is required, what is held, its status,
and the SKUs it affects; plus the EU-compliance KPIs of kpis.md computed over the same findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    VAT = "vat"
    EPR = "epr"
    GTIN = "gtin"


class Status(StrEnum):
    """Best first. The last four leave a requirement unmet."""

    OK = "ok"
    EXPIRING = "expiring"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    INVALID = "invalid"
    MISSING = "missing"

    @property
    def unmet(self) -> bool:
        return self in UNMET

    @property
    def rank(self) -> int:
        return list(Status).index(self)


UNMET = frozenset({Status.NOT_YET_VALID, Status.EXPIRED, Status.INVALID, Status.MISSING})


@dataclass(frozen=True)
class Finding:
    account_id: str
    kind: Kind
    #: ISO country code; None for a product's GTIN (it applies wherever the product is sold).
    country: str | None
    #: EPR category id (None for VAT and GTIN).
    category: str | None
    status: Status
    #: Why it is required (stock stored there, sold there and in force since..., listed in the registry).
    required_because: tuple[str, ...]
    #: The number held (the best one, when several are): VAT number, EPR number or GTIN.
    held: str | None
    valid_from: date | None
    valid_to: date | None
    #: The status in words: "the check digits do not match", "expires 2026-05-01 (in 12 days)".
    detail: str
    skus: tuple[str, ...] = ()

    @property
    def unmet(self) -> bool:
        return self.status.unmet

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account_id,
            "kind": self.kind.value,
            "country": self.country,
            "category": self.category,
            "status": self.status.value,
            "unmet": self.unmet,
            "required_because": list(self.required_because),
            "held": self.held,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "detail": self.detail,
            "skus": list(self.skus),
        }


@dataclass(frozen=True)
class AccountCompliance:
    account_id: str
    findings: tuple[Finding, ...]
    #: kpis.md "EU compliance": vat_coverage, epr_coverage, ean_validity_rate, vat_number_validity
    #: (fractions, None when nothing is required or held) and compliance_expiring_30d (a count).
    kpis: dict[str, float | int | None] = field(default_factory=dict)

    @property
    def gaps(self) -> tuple[Finding, ...]:
        """Everything that needs attention: unmet requirements and registrations about to expire."""
        return tuple(f for f in self.findings if f.status is not Status.OK)

    @property
    def unmet(self) -> bool:
        return any(f.unmet for f in self.findings)


@dataclass(frozen=True)
class ComplianceReport:
    as_of: date
    #: The day the EPR matrix in use was last reviewed (its newest layer).
    matrix_reviewed: date | None
    matrix_sources: tuple[str, ...]
    accounts: tuple[AccountCompliance, ...]

    @property
    def unmet(self) -> bool:
        return any(a.unmet for a in self.accounts)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for a in self.accounts for f in a.findings)

    @property
    def gaps(self) -> tuple[Finding, ...]:
        return tuple(f for a in self.accounts for f in a.gaps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "matrix_reviewed": self.matrix_reviewed.isoformat() if self.matrix_reviewed else None,
            "matrix_sources": list(self.matrix_sources),
            "unmet": self.unmet,
            "accounts": [
                {
                    "account": a.account_id,
                    "unmet": a.unmet,
                    "kpis": dict(a.kpis),
                    "findings": [f.to_dict() for f in a.findings],
                }
                for a in self.accounts
            ],
        }
