"""The European countries a compliance registry names: ISO codes, names, and their marketplaces.

Compliance is per *country*, not per marketplace: a pan-EU seller stores stock in Poland and the Czech
Republic (CZ has no Amazon marketplace) and owes VAT there. Registries are filled by hand, so a country
may be written as its ISO code, the code VAT numbers use (`EL` for Greece), `UK`, or its name in
English, Chinese or the local language; `normalise_country` turns all of them into the ISO code.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.core.marketplaces import MARKETPLACES


@dataclass(frozen=True)
class Country:
    code: str
    en: str
    zh: str
    #: Other spellings met in sheets (local names, common variants).
    also: tuple[str, ...] = ()
    #: Prefix of the country's VAT numbers, where it differs from the ISO code (Greece: EL).
    vat_prefix: str | None = None

    @property
    def marketplace(self) -> str | None:
        """The Amazon marketplace code of the country (GB -> UK), if Amazon has one there."""
        return next((m.code for m in MARKETPLACES.values() if m.country == self.code), None)

    @property
    def vat_code(self) -> str:
        return self.vat_prefix or self.code


_C = Country
COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        _C("AT", "Austria", "奥地利", ("Österreich",)),
        _C("BE", "Belgium", "比利时", ("Belgique", "België")),
        _C("BG", "Bulgaria", "保加利亚"),
        _C("CY", "Cyprus", "塞浦路斯"),
        _C("CZ", "Czech Republic", "捷克", ("Czechia", "Česko", "Česká republika", "捷克共和国")),
        _C("DE", "Germany", "德国", ("Deutschland",)),
        _C("DK", "Denmark", "丹麦", ("Danmark",)),
        _C("EE", "Estonia", "爱沙尼亚"),
        _C("ES", "Spain", "西班牙", ("España",)),
        _C("FI", "Finland", "芬兰", ("Suomi",)),
        _C("FR", "France", "法国"),
        _C("GR", "Greece", "希腊", ("Hellas", "Ελλάδα"), vat_prefix="EL"),
        _C("HR", "Croatia", "克罗地亚", ("Hrvatska",)),
        _C("HU", "Hungary", "匈牙利", ("Magyarország",)),
        _C("IE", "Ireland", "爱尔兰"),
        _C("IT", "Italy", "意大利", ("Italia",)),
        _C("LT", "Lithuania", "立陶宛"),
        _C("LU", "Luxembourg", "卢森堡"),
        _C("LV", "Latvia", "拉脱维亚"),
        _C("MT", "Malta", "马耳他"),
        _C("NL", "Netherlands", "荷兰", ("Nederland", "Holland", "The Netherlands")),
        _C("PL", "Poland", "波兰", ("Polska",)),
        _C("PT", "Portugal", "葡萄牙"),
        _C("RO", "Romania", "罗马尼亚", ("România",)),
        _C("SE", "Sweden", "瑞典", ("Sverige",)),
        _C("SI", "Slovenia", "斯洛文尼亚", ("Slovenija",)),
        _C("SK", "Slovakia", "斯洛伐克", ("Slovensko",)),
        _C("GB", "United Kingdom", "英国", ("Great Britain", "UK", "England")),
        _C("XI", "Northern Ireland", "北爱尔兰"),
        _C("CH", "Switzerland", "瑞士", ("Schweiz", "Suisse", "Svizzera"), vat_prefix="CHE"),
        _C("NO", "Norway", "挪威", ("Norge",)),
    )
}

#: Codes written in sheets that stand for another ISO code.
_CODE_ALIASES = {"UK": "GB", "EL": "GR"}


def spellings() -> dict[str, str]:
    """Every accepted spelling (case-folded) -> ISO code."""
    found: dict[str, str] = {}
    for c in COUNTRIES.values():
        for text in (c.code, c.en, c.zh, *c.also):
            found[text.casefold()] = c.code
    for alias, code in _CODE_ALIASES.items():
        found[alias.casefold()] = code
    return found


def normalise_country(text: str | None) -> str | None:
    """`de`, `Germany`, `德国`, `Deutschland` -> `DE`; `UK` -> `GB`; `EL` -> `GR`; unknown -> None."""
    if text is None:
        return None
    return spellings().get(text.strip().casefold())


def country(code: str) -> Country:
    return COUNTRIES[code]


def country_of_marketplace(marketplace_code: str) -> str | None:
    """`UK` -> `GB`, `DE` -> `DE`; None for a marketplace outside the countries above (US, JP...)."""
    m = MARKETPLACES.get(marketplace_code)
    if m is None or m.country not in COUNTRIES:
        return None
    return m.country
