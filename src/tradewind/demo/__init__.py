"""The demo seller: a synthetic Chinese home & outdoor brand, written as real report files and imported
through the real importers, so a new user sees a populated workspace in one command.

How it is put together (each step its own module, each a function of the `DemoScenario`):

- `scenario`: size (SKUs, volume, how often each report is downloaded), seed and the fixed "today";
- `markets`, `calendar`, `catalog`: marketplaces and accounts, the shopping calendar, the products;
- `plants`: the planted cases a user (and the alert rules) should find;
- `demand`, `stock`, `lines`, `returns`: the simulation, vectorised with numpy; `world` ties it up;
- `files/`: one module per report family, each rendering the world into files in the layouts of
  report-formats.md, with the import options a user would give (`tradewind.demo_ops` adds the
  operations and compliance sheets);
- `build`: the single list of families (`FAMILIES`), the import with a progress bar, the summary;
- `followup`: what the seller does next (its plan, its notes and rules, `check` on the days the planted
  cases show) and `planted_cases`, exactly what those checks must raise. `tradewind demo` then prints
  the KPI board (`tradewind.cli.board`).

To add a family (CS tickets, shipments, listing tasks, ratings, compliance registry, a plan): write
`files/<family>.py` exposing `FAMILY`, add it to `build.FAMILIES`, and put its planted cases in
`plants.py`. Give it its own random stream (`scenario.rng("files.<family>")`) so the other families'
files stay byte-identical.
"""

from __future__ import annotations

from tradewind.demo.scenario import DEFAULT_SEED, SIZES, DemoScenario, DemoSize, scenario_for

__all__ = ["DEFAULT_SEED", "SIZES", "DemoScenario", "DemoSize", "scenario_for"]
