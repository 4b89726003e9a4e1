"""The demo seller's catalog: product families with variations, brands, owners, GTINs, prices and costs.

A parent ASIN groups the variations (colour, pack size, size) of one product; a product without
variations is its own parent, as Business Reports show it. GTINs are EAN-13 under a GS1 China prefix
with valid check digits (issue #4 plants an invalid one through `plants.py`, not here).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
from stdnum import ean

from tradewind.demo.scenario import DemoScenario, add_months

LANGUAGES = ("en", "de", "fr", "it", "es")
#: Marketplace -> language of its listing titles.
TITLE_LANGUAGE = {"US": "en", "CA": "en", "UK": "en", "DE": "de", "FR": "fr", "IT": "it", "ES": "es"}

BRANDS = {"LUMOAK": "LM", "TRAILKIN": "TK", "NESTIQ": "NQ"}
OWNERS = ("Zhang Wei", "Li Na", "Wang Fang", "Liu Yang", "Chen Jing", "Zhao Lei")


@dataclass(frozen=True)
class Variant:
    code: str
    names: tuple[str, str, str, str, str]  # en, de, fr, it, es
    #: Price multiplier against the family's base price (pack sizes cost more).
    price: float = 1.0


def _colour(code: str, en: str, de: str, fr: str, it: str, es: str) -> Variant:
    return Variant(code, (en, de, fr, it, es))


def _pack(n: int, base: int) -> Variant:
    return Variant(
        f"{n}P",
        (f"{n} Pack", f"{n} Stück", f"Lot de {n}", f"{n} pezzi", f"Pack de {n}"),
        (n / base) ** 0.75,
    )


WW = _colour("WW", "Warm White", "Warmweiß", "Blanc chaud", "Bianco caldo", "Blanco cálido")
CW = _colour("CW", "Cool White", "Kaltweiß", "Blanc froid", "Bianco freddo", "Blanco frío")
MC = _colour("MC", "Multicolour", "Mehrfarbig", "Multicolore", "Multicolore", "Multicolor")
BLK = _colour("BK", "Black", "Schwarz", "Noir", "Nero", "Negro")
GRN = _colour("GN", "Army Green", "Armeegrün", "Vert armée", "Verde militare", "Verde militar")
NVY = _colour("NV", "Navy", "Marineblau", "Bleu marine", "Blu navy", "Azul marino")
OLV = _colour("OL", "Olive", "Olivgrün", "Olive", "Verde oliva", "Verde oliva")
GRY = _colour("GY", "Grey", "Grau", "Gris", "Grigio", "Gris")
BEI = _colour("BE", "Beige", "Beige", "Beige", "Beige", "Beige")
WHT = _colour("WH", "White", "Weiß", "Blanc", "Bianco", "Blanco")
BLU = _colour("BL", "Blue", "Blau", "Bleu", "Blu", "Azul")
ORG = _colour("OR", "Orange", "Orange", "Orange", "Arancione", "Naranja")
KHK = _colour("KH", "Khaki", "Khaki", "Kaki", "Cachi", "Caqui")
CRM = _colour("CR", "Cream", "Creme", "Crème", "Crema", "Crema")
SLV = _colour("SV", "Silver", "Silber", "Argent", "Argento", "Plata")
IVR = _colour("IV", "Ivory", "Elfenbein", "Ivoire", "Avorio", "Marfil")
SMALL = Variant("S", ("Small", "Klein", "Petit", "Piccolo", "Pequeño"), 0.8)
LARGE = Variant("L", ("Large", "Groß", "Grand", "Grande", "Grande"), 1.25)
SINGLE = Variant("1", ("Single", "Einzel", "Simple", "Singolo", "Individual"), 0.85)
DOUBLE = Variant("2", ("Double", "Doppel", "Double", "Doppio", "Doble"), 1.2)


@dataclass(frozen=True)
class ProductType:
    key: str
    category: str
    brand: str
    #: Season curve in calendar.SEASONS.
    season: str
    names: tuple[str, str, str, str, str]  # en, de, fr, it, es
    axes: tuple[tuple[Variant, ...], ...]
    #: US list price range (USD, before sales tax).
    price: tuple[float, float]
    #: FBA fulfilment fee per unit in USD.
    fba_fee: float
    return_rate: float
    #: Cubic feet per unit (the MYI report's per-unit-volume).
    volume: float
    lead_days: int


_P = ProductType
PRODUCT_TYPES: tuple[ProductType, ...] = (
    _P(
        "SPL",
        "Outdoor Lighting",
        "LUMOAK",
        "outdoor",
        (
            "Solar Pathway Lights",
            "Solar Wegeleuchten",
            "Lampes solaires d'allée",
            "Luci solari da vialetto",
            "Luces solares para camino",
        ),
        ((WW, CW), (_pack(6, 8), _pack(8, 8), _pack(12, 8))),
        (24.0, 38.0),
        4.75,
        0.045,
        0.21,
        42,
    ),
    _P(
        "SSL",
        "Outdoor Lighting",
        "LUMOAK",
        "festive",
        (
            "Solar String Lights",
            "Solar Lichterkette",
            "Guirlande lumineuse solaire",
            "Catena luminosa solare",
            "Guirnalda solar",
        ),
        ((WW, MC), (_pack(1, 1), _pack(2, 1))),
        (19.0, 32.0),
        3.86,
        0.05,
        0.12,
        40,
    ),
    _P(
        "SFL",
        "Outdoor Lighting",
        "LUMOAK",
        "outdoor",
        (
            "Solar Fence Lights",
            "Solar Zaunleuchten",
            "Lampes solaires de clôture",
            "Luci solari per recinzione",
            "Luces solares para valla",
        ),
        ((WW,), (_pack(4, 4), _pack(8, 4))),
        (22.0, 34.0),
        4.12,
        0.04,
        0.18,
        42,
    ),
    _P(
        "LCL",
        "Camping",
        "TRAILKIN",
        "outdoor",
        (
            "LED Camping Lantern",
            "LED Campinglaterne",
            "Lanterne de camping LED",
            "Lanterna da campeggio LED",
            "Farol de camping LED",
        ),
        ((BLK, GRN), (_pack(1, 1), _pack(2, 1))),
        (18.0, 29.0),
        3.72,
        0.055,
        0.09,
        38,
    ),
    _P(
        "FCC",
        "Camping",
        "TRAILKIN",
        "outdoor",
        (
            "Folding Camping Chair",
            "Klappbarer Campingstuhl",
            "Chaise de camping pliante",
            "Sedia da campeggio pieghevole",
            "Silla de camping plegable",
        ),
        ((NVY, OLV, GRY),),
        (34.0, 59.0),
        7.28,
        0.06,
        0.85,
        48,
    ),
    _P(
        "HAM",
        "Camping",
        "TRAILKIN",
        "outdoor",
        (
            "Camping Hammock",
            "Camping Hängematte",
            "Hamac de camping",
            "Amaca da campeggio",
            "Hamaca de camping",
        ),
        ((SINGLE, DOUBLE), (BLU, GRN, ORG)),
        (21.0, 36.0),
        4.47,
        0.04,
        0.16,
        40,
    ),
    _P(
        "SLB",
        "Camping",
        "TRAILKIN",
        "outdoor",
        (
            "Lightweight Sleeping Bag",
            "Leichter Schlafsack",
            "Sac de couchage léger",
            "Sacco a pelo leggero",
            "Saco de dormir ligero",
        ),
        ((BLU, GRY),),
        (29.0, 45.0),
        6.10,
        0.07,
        0.55,
        45,
    ),
    _P(
        "RGB",
        "Garden",
        "TRAILKIN",
        "outdoor",
        ("Raised Garden Bed", "Hochbeet", "Potager surélevé", "Orto rialzato", "Huerto elevado"),
        ((SMALL, LARGE), (GRY, GRN)),
        (39.0, 79.0),
        9.85,
        0.08,
        1.40,
        50,
    ),
    _P(
        "GHS",
        "Garden",
        "TRAILKIN",
        "outdoor",
        (
            "Expandable Garden Hose",
            "Flexibler Gartenschlauch",
            "Tuyau d'arrosage extensible",
            "Tubo da giardino estensibile",
            "Manguera de jardín extensible",
        ),
        ((GRN, BLU),),
        (26.0, 42.0),
        5.40,
        0.09,
        0.30,
        40,
    ),
    _P(
        "GKS",
        "Garden",
        "TRAILKIN",
        "outdoor",
        (
            "Garden Kneeler and Seat",
            "Gartenkniebank mit Sitz",
            "Agenouilloir de jardin",
            "Inginocchiatoio da giardino",
            "Reclinatorio de jardín",
        ),
        ((GRN, BLK),),
        (32.0, 48.0),
        6.85,
        0.05,
        0.65,
        45,
    ),
    _P(
        "FSB",
        "Storage & Organisation",
        "NESTIQ",
        "home",
        (
            "Foldable Storage Bins",
            "Faltbare Aufbewahrungsboxen",
            "Boîtes de rangement pliables",
            "Scatole portaoggetti pieghevoli",
            "Cajas de almacenaje plegables",
        ),
        ((GRY, BEI, NVY), (_pack(3, 6), _pack(6, 6))),
        (19.0, 32.0),
        5.15,
        0.035,
        0.45,
        38,
    ),
    _P(
        "UBS",
        "Storage & Organisation",
        "NESTIQ",
        "home",
        (
            "Under Bed Storage Bags",
            "Unterbett Aufbewahrungstaschen",
            "Sacs de rangement sous le lit",
            "Sacche portaoggetti sottoletto",
            "Bolsas de almacenaje bajo cama",
        ),
        ((GRY, BEI), (_pack(2, 2), _pack(3, 2))),
        (22.0, 34.0),
        5.60,
        0.04,
        0.50,
        38,
    ),
    _P(
        "VSB",
        "Storage & Organisation",
        "NESTIQ",
        "home",
        (
            "Vacuum Storage Bags",
            "Vakuumbeutel für Kleidung",
            "Sacs sous vide pour vêtements",
            "Sacchetti sottovuoto per abiti",
            "Bolsas de vacío para ropa",
        ),
        ((_pack(6, 6), _pack(10, 6)),),
        (17.0, 28.0),
        3.98,
        0.05,
        0.20,
        35,
    ),
    _P(
        "DRO",
        "Storage & Organisation",
        "NESTIQ",
        "home",
        (
            "Drawer Organiser Set",
            "Schubladen Organizer Set",
            "Organiseur de tiroir",
            "Organizer per cassetti",
            "Organizador de cajones",
        ),
        ((GRY, WHT),),
        (15.0, 26.0),
        3.65,
        0.03,
        0.14,
        35,
    ),
    _P(
        "BCB",
        "Kitchen",
        "NESTIQ",
        "festive",
        (
            "Bamboo Cutting Board Set",
            "Bambus Schneidebrett Set",
            "Planches à découper en bambou",
            "Set taglieri in bambù",
            "Juego de tablas de cortar de bambú",
        ),
        ((_pack(3, 3),),),
        (24.0, 36.0),
        5.05,
        0.03,
        0.22,
        38,
    ),
    _P(
        "SUS",
        "Kitchen",
        "NESTIQ",
        "home",
        (
            "Silicone Cooking Utensil Set",
            "Silikon Küchenhelfer Set",
            "Ustensiles de cuisine en silicone",
            "Set utensili da cucina in silicone",
            "Juego de utensilios de silicona",
        ),
        ((BLK, GRY, KHK),),
        (19.0, 29.0),
        4.05,
        0.03,
        0.11,
        35,
    ),
    _P(
        "DDR",
        "Kitchen",
        "NESTIQ",
        "home",
        (
            "Dish Drying Rack",
            "Geschirrabtropfgestell",
            "Égouttoir à vaisselle",
            "Scolapiatti",
            "Escurreplatos",
        ),
        ((BLK, WHT),),
        (29.0, 46.0),
        7.45,
        0.05,
        0.80,
        42,
    ),
    _P(
        "LFC",
        "Home Décor",
        "LUMOAK",
        "festive",
        (
            "LED Flameless Candles",
            "LED Kerzen flammenlos",
            "Bougies LED sans flamme",
            "Candele LED senza fiamma",
            "Velas LED sin llama",
        ),
        ((IVR,), (_pack(3, 6), _pack(6, 6), _pack(9, 6))),
        (18.0, 30.0),
        4.20,
        0.045,
        0.16,
        38,
    ),
    _P(
        "CCV",
        "Home Décor",
        "LUMOAK",
        "home",
        (
            "Velvet Cushion Covers",
            "Samt Kissenbezüge",
            "Housses de coussin en velours",
            "Federe per cuscini in velluto",
            "Fundas de cojín de terciopelo",
        ),
        ((GRY, BEI, NVY, OLV), (_pack(2, 2), _pack(4, 2))),
        (14.0, 24.0),
        3.41,
        0.04,
        0.06,
        35,
    ),
    _P(
        "BOC",
        "Home Décor",
        "LUMOAK",
        "home",
        (
            "Blackout Curtains",
            "Verdunkelungsvorhänge",
            "Rideaux occultants",
            "Tende oscuranti",
            "Cortinas opacas",
        ),
        ((GRY, NVY, BEI), (SMALL, LARGE)),
        (24.0, 44.0),
        5.35,
        0.06,
        0.25,
        40,
    ),
    _P(
        "THB",
        "Home Décor",
        "LUMOAK",
        "festive",
        ("Sherpa Throw Blanket", "Sherpa Kuscheldecke", "Plaid sherpa", "Plaid in sherpa", "Manta sherpa"),
        ((GRY, CRM, OLV),),
        (26.0, 42.0),
        6.25,
        0.05,
        0.60,
        40,
    ),
    _P(
        "BMT",
        "Bath",
        "NESTIQ",
        "home",
        (
            "Non-Slip Bath Mat",
            "Rutschfeste Badematte",
            "Tapis de bain antidérapant",
            "Tappetino da bagno antiscivolo",
            "Alfombra de baño antideslizante",
        ),
        ((GRY, WHT, NVY),),
        (14.0, 24.0),
        3.90,
        0.04,
        0.15,
        35,
    ),
    _P(
        "SCD",
        "Bath",
        "NESTIQ",
        "home",
        (
            "Adhesive Shower Caddy",
            "Duschablage ohne Bohren",
            "Étagère de douche adhésive",
            "Mensola doccia adesiva",
            "Estante de ducha adhesivo",
        ),
        ((BLK, SLV), (_pack(2, 2), _pack(3, 2))),
        (19.0, 31.0),
        4.35,
        0.05,
        0.18,
        38,
    ),
)

_GENERATIONS = ("", "2", "3", "4", "5", "6", "7", "8", "9")
_MODEL_NAMES = ("", " Pro", " Max", " Lite", " Plus", " Classic", " Ultra", " Mini", " XL")


@dataclass(frozen=True)
class Catalog:
    """One entry per SKU in every array (index = SKU number)."""

    sku: list[str]
    asin: list[str]
    parent_asin: list[str]
    fnsku: list[str]
    #: title per language
    titles: dict[str, list[str]]
    category: list[str]
    brand: list[str]
    owner: list[str]
    gtin: list[str]
    season: list[str]
    type_key: list[str]
    launch: list[date]
    lead_days: npt.NDArray[np.int64]
    #: US list price in cents
    price_usd_cents: npt.NDArray[np.int64]
    fba_fee_usd: npt.NDArray[np.float64]
    return_rate: npt.NDArray[np.float64]
    volume: npt.NDArray[np.float64]
    #: relative demand
    popularity: npt.NDArray[np.float64]
    #: landed cost currency (CNY or USD) and cost before/after the cost change (minor units)
    cost_currency: list[str]
    cost_cents: npt.NDArray[np.int64]
    new_cost_cents: npt.NDArray[np.int64]
    cost_change: date

    @property
    def size(self) -> int:
        return len(self.sku)

    def title(self, market_code: str, index: int) -> str:
        return self.titles[TITLE_LANGUAGE[market_code]][index]


def _random_code(rng: np.random.Generator, prefix: str, length: int, taken: set[str]) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    while True:
        code = prefix + "".join(alphabet[i] for i in rng.integers(0, len(alphabet), length))
        if code not in taken:
            taken.add(code)
            return code


def _gtin(item_ref: int) -> str:
    body = f"6975412{item_ref:05d}"
    return body + ean.calc_check_digit(body)


def _price(value: float) -> int:
    """A US list price in cents, ending in .99."""
    return max(round(value), 6) * 100 - 1


@dataclass(frozen=True)
class _Sku:
    sku: str
    asin: str
    parent: str
    titles: dict[str, str]
    ptype: ProductType
    generation: int
    owner: str
    price_cents: int


def _families(scenario: DemoScenario, rng: np.random.Generator, taken: set[str]) -> list[_Sku]:
    """Product families (one parent each) until the size's SKU count is reached."""
    target = scenario.size.skus
    owners = len(OWNERS) - 1 if target <= 300 else len(OWNERS)
    rows: list[_Sku] = []
    for generation in itertools.count():
        if len(rows) >= target:
            return rows[:target]
        for t_index in rng.permutation(len(PRODUCT_TYPES)).tolist():
            if len(rows) >= target:
                break
            ptype = PRODUCT_TYPES[t_index]
            combos = list(itertools.product(*ptype.axes))
            k = min(len(combos), int(rng.integers(1, 5)))
            chosen = sorted(rng.choice(len(combos), size=k, replace=False).tolist())
            base_price = float(rng.uniform(*ptype.price))
            model = _MODEL_NAMES[generation % len(_MODEL_NAMES)]
            # Past the ninth generation (the large demo) the number goes on: SKU codes stay unique.
            gen_code = _GENERATIONS[generation] if generation < len(_GENERATIONS) else str(generation + 1)
            owner = OWNERS[(t_index + generation) % owners]
            asins = [_random_code(rng, "B0", 8, taken) for _ in chosen]
            parent = asins[0] if len(chosen) == 1 else _random_code(rng, "B0", 8, taken)
            for asin, c in zip(asins, chosen, strict=True):
                combo = combos[c]
                multiplier = float(np.prod([v.price for v in combo]))
                titles = {
                    lang: f"{ptype.brand} {ptype.names[li]}{model}, " + ", ".join(v.names[li] for v in combo)
                    for li, lang in enumerate(LANGUAGES)
                }
                rows.append(
                    _Sku(
                        sku=f"{BRANDS[ptype.brand]}-{ptype.key}{gen_code}-" + "-".join(v.code for v in combo),
                        asin=asin,
                        parent=parent,
                        titles=titles,
                        ptype=ptype,
                        generation=generation,
                        owner=owner,
                        price_cents=_price(base_price * multiplier),
                    )
                )
    raise AssertionError("unreachable")


def build_catalog(scenario: DemoScenario) -> Catalog:
    rng = scenario.rng("catalog")
    taken: set[str] = set()
    rows = _families(scenario, rng, taken)
    n = len(rows)
    types = [r.ptype for r in rows]
    fnskus = [_random_code(rng, "X00", 7, taken) for _ in range(n)]
    item_refs = rng.permutation(np.arange(100, 100 + 20 * n, 20))[:n]
    popularity = rng.lognormal(0.0, 1.0, n)
    # Older generations sell more; the newest models are still building reviews.
    popularity *= 1.0 / (1.0 + 0.25 * np.array([r.generation for r in rows]))
    popularity /= popularity.sum()
    launch_offsets = np.where(
        rng.random(n) < 0.78,
        -rng.integers(60, 1200, n),  # launched before the demo period
        rng.integers(20, max(scenario.days - 120, 21), n),  # new launches during it
    )
    price_cents = np.array([r.price_cents for r in rows], dtype=np.int64)
    cost_ratio = rng.uniform(0.2, 0.31, n)
    cost_in_cny = rng.random(n) < 0.8
    usd_cost = price_cents / 100.0 * cost_ratio
    cost_cents = np.where(cost_in_cny, np.round(usd_cost * 7.2 * 100), np.round(usd_cost * 100)).astype(
        np.int64
    )
    # Freight rates rose in the middle of the period: most CNY-costed SKUs got dearer, a few cheaper.
    change = np.where(cost_in_cny, rng.choice([1.0, 1.0, 1.06, 1.09, 1.12, 0.95], size=n), 1.0)
    return Catalog(
        sku=[r.sku for r in rows],
        asin=[r.asin for r in rows],
        parent_asin=[r.parent for r in rows],
        fnsku=fnskus,
        titles={lang: [r.titles[lang] for r in rows] for lang in LANGUAGES},
        category=[t.category for t in types],
        brand=[t.brand for t in types],
        owner=[r.owner for r in rows],
        gtin=[_gtin(int(ref)) for ref in item_refs],
        season=[t.season for t in types],
        type_key=[t.key for t in types],
        launch=[scenario.start + timedelta(days=int(o)) for o in launch_offsets],
        lead_days=np.array([t.lead_days for t in types], dtype=np.int64),
        price_usd_cents=price_cents,
        fba_fee_usd=np.array([t.fba_fee for t in types]),
        return_rate=np.array([t.return_rate for t in types]) * rng.uniform(0.7, 1.3, n),
        volume=np.array([t.volume for t in types]),
        popularity=popularity,
        cost_currency=["CNY" if c else "USD" for c in cost_in_cny],
        cost_cents=cost_cents,
        new_cost_cents=np.round(cost_cents * change).astype(np.int64),
        cost_change=add_months(scenario.start, 12),
    )
