"""VAT numbers and GTINs are checked by python-stdnum: national formats and checksums, GS1 check digits.

Valid numbers are python-stdnum's published examples, or built with stdnum's own check-digit helpers;
the invalid ones differ from a valid number in their last digit."""

from __future__ import annotations

import pytest
from stdnum import ean, luhn
from stdnum.fr import siren
from stdnum.iso7064 import mod_11_10

from tradewind.compliance.numbers import check_gtin, check_vat

PUBLISHED = [
    ("DE", "DE136695976"),
    ("FR", "FR40303265045"),
    ("IT", "IT00743110157"),
    ("ES", "ESB58378431"),
    ("PL", "PL8567346215"),
    ("NL", "NL004495445B01"),
    ("SE", "SE123456789701"),
]


@pytest.mark.parametrize(("country", "number"), PUBLISHED)
def test_published_numbers_are_valid(country: str, number: str) -> None:
    assert check_vat(country, number).valid
    # ... also without the prefix, with the spaces and dots sellers type
    bare = number[2:]
    spaced = " ".join(bare[i : i + 3] for i in range(0, len(bare), 3))
    result = check_vat(country, spaced)
    assert (result.value, result.valid) == (number, True)


@pytest.mark.parametrize(("country", "number"), PUBLISHED)
def test_a_changed_last_digit_fails_the_checksum(country: str, number: str) -> None:
    # NL...B01: the check digit is the last one before the B suffix.
    end = len(number) - 3 if country == "NL" else len(number)
    digit = number[end - 1]
    bad = number[: end - 1] + str((int(digit) + 1) % 10) + number[end:]
    result = check_vat(country, bad)
    assert not result.valid
    assert result.problem in ("the check digits do not match", "not in the national format")


def test_numbers_built_with_stdnum_check_digit_helpers() -> None:
    de = "98765432" + mod_11_10.calc_check_digit("98765432")
    assert check_vat("DE", de).valid
    fr = siren.to_tva("732829320")  # a SIREN is 8 digits + a Luhn digit
    assert siren.is_valid("732829320")
    assert check_vat("FR", fr).valid
    it = "1234567001" + luhn.calc_check_digit("1234567001")  # digits 8-10: a tax office code
    assert check_vat("IT", it).valid
    se = "556036079" + luhn.calc_check_digit("556036079") + "01"
    assert check_vat("SE", se).valid


def test_a_number_of_another_country() -> None:
    result = check_vat("DE", "FR40303265045")
    assert (result.valid, result.problem) == (False, "a FR VAT number, not a DE one")


def test_prefixes_that_differ_from_the_iso_code() -> None:
    assert check_vat("GR", "094259216").value == "EL094259216"
    assert check_vat("GB", "GB 980 7806 84").valid
    assert not check_vat("GB", "802311781").valid
    assert check_vat("CZ", "25123891").valid


@pytest.mark.parametrize(
    "gtin",
    [
        "96385074",  # GTIN-8
        "036000291452",  # GTIN-12 (UPC-A)
        "4006381333931",  # GTIN-13 (EAN)
        "10012345678902",  # GTIN-14
        "1234567" + ean.calc_check_digit("1234567"),  # built with stdnum's GS1 check digit
    ],
    ids=["gtin-8", "gtin-12", "gtin-13", "gtin-14", "built"],
)
def test_valid_gtins(gtin: str) -> None:
    assert check_gtin(gtin).valid


@pytest.mark.parametrize(
    ("gtin", "problem"),
    [
        ("96385075", "the GS1 check digit does not match"),
        ("10012345678903", "the GS1 check digit does not match"),
        ("4006381333932", "the GS1 check digit does not match"),
        ("12345678901", "11 digits; a GTIN has 8, 12, 13 or 14"),
        ("40063813339AB", "a GTIN is digits only"),
    ],
)
def test_invalid_gtins(gtin: str, problem: str) -> None:
    result = check_gtin(gtin)
    assert (result.valid, result.problem) == (False, problem)
