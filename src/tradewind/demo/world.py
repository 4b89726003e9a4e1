"""The simulated seller: one object holding everything the file families render.

Built in a fixed order (catalog -> calendar -> plants -> demand -> stock -> order lines -> returns).
File families only read it; anything a family derives on its own (traffic, ads, settlement amounts)
uses the family's own random stream, so families never disturb each other's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.demo.calendar import DayFactors, day_factors
from tradewind.demo.catalog import Catalog, build_catalog
from tradewind.demo.demand import Demand, build_demand
from tradewind.demo.lines import OrderLines, build_lines
from tradewind.demo.plants import Plants, plants_for
from tradewind.demo.returns import CustomerReturns, build_returns
from tradewind.demo.scenario import DemoScenario
from tradewind.demo.stock import Stock, simulate_stock


@dataclass(frozen=True)
class World:
    scenario: DemoScenario
    catalog: Catalog
    factors: DayFactors
    plants: Plants
    demand: Demand
    stock: Stock
    lines: OrderLines
    returns: CustomerReturns


def build_world(scenario: DemoScenario) -> World:
    catalog = build_catalog(scenario)
    factors = day_factors(scenario)
    plants = plants_for(scenario, catalog)
    demand = build_demand(scenario, catalog, factors, plants)
    stock = simulate_stock(scenario, catalog, demand, plants)
    lines = build_lines(scenario, catalog, demand, stock)
    returns = build_returns(scenario, catalog, lines)
    return World(scenario, catalog, factors, plants, demand, stock, lines, returns)
