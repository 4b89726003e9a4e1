"""VAT numbers and GTINs checked the way tax offices and GS1 define them, through python-stdnum.

Check digits are never written by hand here: stdnum implements each country's VAT number format and
checksum (`stdnum.eu.vat` for the EU and Northern Ireland, the national modules for the UK, Switzerland
and Norway) and the GS1 check digit of GTIN-8/12/13/14 (`stdnum.ean`). A failed check is a finding,
not an import error: an invalid number is exactly what the validity KPIs count, so it must be stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from tradewind.compliance.countries import COUNTRIES


@dataclass(frozen=True)
class NumberCheck:
    """The outcome of checking one number: its canonical form, and why it fails when it does."""

    value: str
    valid: bool
    problem: str | None = None


def _reason(exc: ValidationError) -> str:
    if isinstance(exc, InvalidChecksum):
        return "the check digits do not match"
    if isinstance(exc, InvalidLength):
        return "wrong number of characters"
    if isinstance(exc, InvalidComponent):
        return "a part of the number is not valid"
    if isinstance(exc, InvalidFormat):
        return "not in the national format"
    return "not a valid number"


def _clean(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _eu(number: str) -> str:
    from stdnum.eu import vat

    return str(vat.validate(number))


def _gb(number: str) -> str:
    from stdnum.gb import vat

    return "GB" + str(vat.validate(number))


def _ch(number: str) -> str:
    from stdnum.ch import vat

    return str(vat.validate(number))


def _no(number: str) -> str:
    from stdnum.no import mva

    return "NO" + str(mva.validate(number))


def _validator(code: str) -> Callable[[str], str]:
    if code == "GB":
        return _gb
    if code == "CH":
        return _ch
    if code == "NO":
        return _no
    return _eu


def check_vat(country_code: str, number: str) -> NumberCheck:
    """Check a VAT number registered in `country_code` (ISO code; the number may omit its prefix).

    The canonical value carries the VAT prefix (`DE136695976`, `EL094259216`), as VIES and invoices
    show it. A number that is valid for another country (`FR...` entered under DE) is not valid here.
    """
    country = COUNTRIES[country_code]
    prefix = country.vat_code
    cleaned = _clean(number)
    if not cleaned:
        return NumberCheck("", False, "no number")
    validate = _validator(country.code)
    candidate = cleaned if cleaned.startswith(prefix) else prefix + cleaned
    try:
        return NumberCheck(validate(candidate), True)
    except ValidationError as exc:
        problem = _reason(exc)
    other = _other_country(cleaned, country.code)
    if other is not None:
        return NumberCheck(cleaned, False, f"a {other} VAT number, not a {country.code} one")
    return NumberCheck(candidate, False, problem)


def _other_country(cleaned: str, code: str) -> str | None:
    """The country whose valid VAT number `cleaned` is, when it starts with that country's prefix."""
    for other in COUNTRIES.values():
        if other.code == code or not cleaned.startswith(other.vat_code):
            continue
        try:
            _validator(other.code)(cleaned)
        except ValidationError:
            continue
        return other.code
    return None


def check_gtin(text: str) -> NumberCheck:
    """A GTIN-8, -12 (UPC), -13 (EAN) or -14 with its GS1 check digit."""
    from stdnum import ean

    cleaned = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if not cleaned:
        return NumberCheck("", False, "no GTIN")
    try:
        return NumberCheck(str(ean.validate(cleaned)), True)
    except InvalidLength:
        return NumberCheck(cleaned, False, f"{len(cleaned)} digits; a GTIN has 8, 12, 13 or 14")
    except InvalidFormat:
        return NumberCheck(cleaned, False, "a GTIN is digits only")
    except InvalidChecksum:
        return NumberCheck(cleaned, False, "the GS1 check digit does not match")
    except ValidationError as exc:
        return NumberCheck(cleaned, False, _reason(exc))
