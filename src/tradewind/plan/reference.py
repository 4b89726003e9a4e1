"""What a plan needs to know about the seller besides sales: SKUs and their owners and launch dates (the
product table), which account sells in which marketplace, and which reports feed a KPI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from tradewind.catalog import Catalog
from tradewind.store.fact_schema import FACT_TABLES

if TYPE_CHECKING:
    from tradewind.app import Workspace


@dataclass(frozen=True)
class Products:
    #: (account, sku) -> owner
    owners: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: (account, sku) -> launch date
    launches: Mapping[tuple[str, str], date] = field(default_factory=dict)
    skus: frozenset[str] = frozenset()

    @property
    def persons(self) -> frozenset[str]:
        return frozenset(o for o in self.owners.values() if o)

    def owner(self, account: str | None, sku: str) -> str:
        if account is not None and (account, sku) in self.owners:
            return self.owners[(account, sku)]
        found = {o for (a, s), o in self.owners.items() if s == sku and o}
        return found.pop() if len(found) == 1 else ""

    def launch(self, sku: str) -> date | None:
        found = [d for (a, s), d in self.launches.items() if s == sku]
        return min(found) if found else None


def read_products(ws: Workspace) -> Products:
    rows = ws.facts.query("SELECT account_id, sku, owner, launch_date FROM products")
    owners: dict[tuple[str, str], str] = {}
    launches: dict[tuple[str, str], date] = {}
    for account, sku, owner, launch in rows:
        if owner:
            owners[(str(account), str(sku))] = str(owner).strip()
        if launch is not None:
            launches[(str(account), str(sku))] = launch
    return Products(owners, launches, frozenset(str(r[1]) for r in rows))


def account_for(
    ws: Workspace, known: Mapping[tuple[str, str], str], marketplace: str, channel: str
) -> str | None:
    """The account selling in `marketplace` through `channel`: from history, else from the config (a
    Shopify channel's account is a shopify one)."""
    if (marketplace, channel) in known:
        return known[(marketplace, channel)]
    for (m, _), account in sorted(known.items()):
        if m == marketplace:
            return account
    shopify = channel.startswith("shopify")
    candidates = [a for a in ws.config.accounts if marketplace in a.marketplaces]
    preferred = [a for a in candidates if (a.platform == "shopify") == shopify]
    chosen = preferred or candidates
    return chosen[0].id if chosen else None


def data_source(
    ws: Workspace, catalog: Catalog, kpi: str, marketplaces: Iterable[str] | None
) -> tuple[str | None, list[str]]:
    """Which reports feed `kpi` for the marketplaces (None: all): 'order_lines: amazon_all_orders' and
    the facts it needs that have no rows there at all."""
    markets = sorted(set(marketplaces)) if marketplaces is not None else None
    parts: list[str] = []
    missing: list[str] = []
    for fact in catalog.facts_read(kpi):
        table = FACT_TABLES.get(fact)
        if table is None:
            continue
        where, params = "", []
        if markets and "marketplace" in table.column_names:
            # rows without a marketplace (product costs, settlements of a region) serve every one
            where = f" WHERE (marketplace IN ({', '.join('?' for _ in markets)}) OR marketplace IS NULL)"
            params = list(markets)
        if "source" in table.column_names:
            names = [
                r[0] for r in ws.facts.query(f"SELECT DISTINCT source FROM {fact}{where} ORDER BY 1", params)
            ]
        else:
            count = ws.facts.query(f"SELECT count(*) FROM {fact}{where}", params)[0][0]
            names = [fact] if count else []
        if names:
            parts.append(f"{fact}: {', '.join(str(n) for n in names)}")
        else:
            missing.append(fact)
    if missing or not parts:
        return None, missing
    return "; ".join(parts), missing
