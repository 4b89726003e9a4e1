"""`tradewind plan ...`: create, show, list, revise, export, import, progress, apply-profile, check.

Thin: parse options, call `Workspace.plans()`, render. Registered by `cli/main.py` through `register(app)`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tradewind.cli.common import WorkspaceOpt, open_workspace, parse_date
from tradewind.cli.console import err, out, user_errors
from tradewind.core.errors import TradewindError
from tradewind.plan.amounts import format_minor
from tradewind.plan.model import DIM_LEVELS, Plan, PlanVersion, parse_levels
from tradewind.plan.parsing import (
    parse_growth,
    parse_holds,
    parse_level,
    parse_number,
    parse_sets,
    parse_shares,
)
from tradewind.plan.progress import ProgressRow
from tradewind.plan.service import CreateRequest, Outcome, ReviseRequest
from tradewind.plan.smart import Finding


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _pairs(values: Sequence[str] | None) -> dict[str, str]:
    out_: dict[str, str] = {}
    for item in values or ():
        for part in item.split(","):
            key, sep, value = part.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise TradewindError(f"{part!r} is not KEY=VALUE (e.g. DE=li.wei)")
            out_[key.strip().upper() if len(key.strip()) == 2 else key.strip()] = value.strip()
    return out_


def _money(minor: int, scale: int) -> str:
    return format_minor(minor, scale)


# -- rendering ----------------------------------------------------------------------------------------
def _month_market_table(plan: Plan, v: PlanVersion) -> Table:
    header = plan.header
    markets = sorted({c.key[0] for c in v.cells})
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for c in v.cells:
        sums[(c.month, c.key[0])] += c.amount
    table = Table(
        "month", *markets, "total", title=f"{plan.name} v{v.version}: {header.kpi} ({header.currency})"
    )
    for col in table.columns[1:]:
        col.justify = "right"
    for month in header.month_labels():
        row = [sums.get((month, m), 0) for m in markets]
        table.add_row(month, *[_money(x, header.scale) for x in row], _money(sum(row), header.scale))
    totals = [sum(sums.get((mo, m), 0) for mo in header.month_labels()) for m in markets]
    table.add_row(
        "[bold]year[/]",
        *[f"[bold]{_money(x, header.scale)}[/]" for x in totals],
        f"[bold]{_money(sum(totals), header.scale)}[/]",
    )
    return table


def _by_level_table(plan: Plan, v: PlanVersion, level: str, limit: int) -> Table:
    header = plan.header
    at = header.levels.index(level)
    sums: dict[str, int] = defaultdict(int)
    for c in v.cells:
        sums[c.key[at]] += c.amount
    table = Table(level, "target", "share", "tier" if level == "sku" else "", title=f"by {level}")
    table.columns[1].justify = "right"
    table.columns[2].justify = "right"
    total = sum(sums.values()) or 1
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))
    for key, amount in ordered[:limit]:
        tier = v.settings.tiers.get(key, "") if level == "sku" else ""
        table.add_row(key or "(no owner)", _money(amount, header.scale), f"{amount / total:.1%}", tier)
    if len(ordered) > limit:
        rest = sum(a for _, a in ordered[limit:])
        table.add_row(f"… {len(ordered) - limit} more", _money(rest, header.scale), f"{rest / total:.1%}", "")
    return table


def _levels_table(v: PlanVersion) -> Table:
    table = Table("kpi", "scope", "period", "target", "owner", "gate", "data source", title="level targets")
    for t in v.level_targets:
        bound = f"{t.value:g}..{t.upper:g}" if t.comparator == "between" else f"{t.comparator} {t.value:g}"
        scope = ", ".join(f"{k}={val}" for k, val in t.scope) or "company"
        table.add_row(
            t.kpi, scope, t.period, bound, t.owner or "—", "gate" if t.gate else "", t.data_source or "—"
        )
    return table


def _versions_table(plan: Plan) -> Table:
    header = plan.header
    table = Table("v", "from", "made", "by", "why", "total", "changes", title="versions")
    for v in plan.versions:
        d = v.diff or {}
        parts = []
        if d:
            old, new = d.get("total", [v.total, v.total])
            if old != new:
                parts.append(f"total {_money(old, header.scale)} → {_money(new, header.scale)}")
            if d.get("cells_changed"):
                parts.append(f"{d['cells_changed']} cells changed")
            if d.get("cells_added"):
                parts.append(f"{d['cells_added']} added")
            levels = d.get("levels", {})
            for key in ("added", "removed", "changed"):
                if levels.get(key):
                    parts.append(f"{len(levels[key])} level target(s) {key}")
        table.add_row(
            str(v.version),
            str(v.effective_from),
            f"{v.created_at:%Y-%m-%d %H:%M}",
            v.created_by,
            v.reason,
            _money(v.total, header.scale),
            "; ".join(parts) or ("first version" if v.version == 1 else "—"),
        )
    return table


def _findings(findings: Iterable[Finding]) -> None:
    items = list(findings)
    if not items:
        out.print("[green]SMART check: no findings.[/]")
        return
    table = Table("", "check", "target", "finding", title="SMART check")
    for f in items:
        mark = "[yellow]warning[/]" if f.severity == "warning" else "[dim]info[/]"
        table.add_row(mark, f.check, f.target, f.message)
    out.print(table)


def _outcome(outcome: Outcome) -> None:
    plan, v = outcome.plan, outcome.version
    header = plan.header
    out.print(
        f"Plan [bold]{plan.name}[/] v{v.version} ({header.kpi} {header.year}, {header.currency}): total "
        f"{_money(v.total, header.scale)}, {len(v.cells):,} cells, in force from {v.effective_from}."
    )
    for note in outcome.notes:
        out.print(f"  [dim]- {note}[/]")


def _row_json(row: ProgressRow) -> dict[str, Any]:
    data = asdict(row)
    data["scope"] = dict(row.scope)
    return data


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _num(value: float | None, kind: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if kind == "additive" else f"{value:.4g}"


def register(app: typer.Typer) -> None:
    plan_app = typer.Typer(
        help="Targets: yearly plans split to month × marketplace × channel × SKU × owner.",
        no_args_is_help=True,
    )
    app.add_typer(plan_app, name="plan")

    @plan_app.command("create")
    @user_errors
    def create(
        name: Annotated[str, typer.Argument(help="Plan name, e.g. 2027.")],
        year: Annotated[int, typer.Option(help="Plan year (the fiscal year starting in it).")],
        total: Annotated[str, typer.Option(help="The year's target in the reporting currency (or units).")],
        kpi: Annotated[
            str, typer.Option(help="Additive KPI to plan: gmv, units, orders, net_sales...")
        ] = "gmv",
        growth: Annotated[
            str | None, typer.Option(help="Growth per marketplace, channel or ABC tier: DE=0.3,US=15%.")
        ] = None,
        levels: Annotated[
            str, typer.Option(help="Levels to split by.")
        ] = "month,marketplace,channel,sku,person",
        share: Annotated[
            list[str] | None,
            typer.Option(
                help="Hand-set share of the parent for new ones: IT=0.05, US/amazon_fba/NEW-SKU=0.1."
            ),
        ] = None,
        set_: Annotated[
            list[str] | None,
            typer.Option("--set", help="Set a cell: 2027-11/DE=500000, US/amazon_fba/S1=12000."),
        ] = None,
        owner: Annotated[str | None, typer.Option(help="Owner of the plan.")] = None,
        owners: Annotated[
            list[str] | None, typer.Option(help="Owner per marketplace: DE=li.wei,US=amy.")
        ] = None,
        growth_cap: Annotated[float, typer.Option(help="SMART check: flag monthly growth above this.")] = 1.0,
        profile: Annotated[str | None, typer.Option(help="Also apply a market profile (US or EU).")] = None,
        today: Annotated[
            str | None, typer.Option(help="Take this date as today (history ends before it).")
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Split a yearly total by the seller's own history: months by each marketplace's seasonality and
        events, marketplaces and channels by last year's share and the growth given, SKUs by share (ABC
        tiers), owners through their SKUs. Every level adds up to its parent to the cent."""
        level_tuple = parse_levels(levels)
        request = CreateRequest(
            name=name,
            year=year,
            total=parse_number(total, "--total"),
            kpi=kpi,
            levels=level_tuple,
            growth=parse_growth(growth),
            shares=parse_shares(share, level_tuple),
            sets=parse_sets(set_ or (), level_tuple),
            owner=owner,
            owners=_pairs(owners),
            growth_cap=growth_cap,
        )
        with open_workspace(workspace) as ws:
            plans = ws.plans()
            outcome = plans.create(request, today=parse_date(today, "--today"))
            _outcome(outcome)
            out.print(_month_market_table(outcome.plan, outcome.version))
            if profile:
                applied, skipped = plans.apply_profile(name, profile)
                out.print(
                    f"Applied market profile {profile.upper()}: v{applied.version.version}, "
                    f"{len(applied.version.level_targets)} level targets."
                )
                if skipped:
                    out.print(f"  [dim]not in the catalog yet, skipped: {', '.join(skipped)}[/]")
            _findings(plans.check(name, today=parse_date(today, "--today")))

    @plan_app.command("list")
    @user_errors
    def list_(
        archived: Annotated[bool, typer.Option("--all", help="Include archived plans.")] = False,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """The plans: KPI, year, total, versions, owner."""
        with open_workspace(workspace, read_only=True) as ws:
            plans = ws.plans()
            table = Table("plan", "kpi", "year", "currency", "total", "versions", "latest", "owner")
            table.columns[4].justify = "right"
            for name in plans.names(include_archived=archived):
                p = plans.get(name)
                v = p.latest
                table.add_row(
                    name,
                    p.header.kpi,
                    str(p.header.year),
                    p.header.currency,
                    _money(v.total, p.header.scale),
                    str(len(p.versions)),
                    f"v{v.version} {v.created_at:%Y-%m-%d} {v.created_by}",
                    p.header.owner or "—",
                )
        out.print(table)

    @plan_app.command("show")
    @user_errors
    def show(
        name: Annotated[str, typer.Argument(help="Plan name.")],
        version: Annotated[int | None, typer.Option(help="Show this version (default: the latest).")] = None,
        by: Annotated[
            str | None, typer.Option(help="Also list targets by a level: sku, person, channel.")
        ] = None,
        limit: Annotated[int, typer.Option(help="Rows to list with --by.")] = 30,
        fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.TABLE,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """A plan: its versions (who, when, why, what changed), months × marketplaces, level targets, notes."""
        with open_workspace(workspace, read_only=True) as ws:
            plan = ws.plans().get(name)
        v = plan.version(version) if version is not None else plan.latest
        header = plan.header
        if fmt is OutputFormat.JSON:
            data = {
                "plan": plan.name,
                "kpi": header.kpi,
                "year": header.year,
                "currency": header.currency,
                "levels": ["month", *header.levels],
                "owner": header.owner,
                "version": v.version,
                "kpi_version": v.kpi_version,
                "effective_from": str(v.effective_from),
                "total": v.total / header.scale,
                "cells": [
                    {
                        "month": c.month,
                        **dict(zip(header.levels, c.key, strict=True)),
                        "target": c.amount / header.scale,
                        "held": c.held,
                    }
                    for c in v.cells
                ],
                "level_targets": [
                    {
                        "kpi": t.kpi,
                        "scope": dict(t.scope),
                        "period": t.period,
                        "comparator": t.comparator,
                        "value": t.value,
                        "upper": t.upper,
                        "owner": t.owner,
                        "gate": t.gate,
                        "data_source": t.data_source,
                    }
                    for t in v.level_targets
                ],
                "versions": [
                    {
                        "version": x.version,
                        "effective_from": str(x.effective_from),
                        "created_at": x.created_at.isoformat(),
                        "created_by": x.created_by,
                        "reason": x.reason,
                        "diff": x.diff,
                    }
                    for x in plan.versions
                ],
                "notes": list(v.settings.notes),
            }
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        out.print(
            f"[bold]{plan.name}[/]: {header.kpi} ({v.kpi_version}) {header.year}, {header.currency}; levels "
            f"month, {', '.join(header.levels)}; owner {header.owner or '—'}; data source {v.data_source or '—'}"
        )
        out.print(_versions_table(plan))
        out.print(_month_market_table(plan, v))
        if by:
            if by not in header.levels:
                raise TradewindError(f"--by {by}: the plan splits by {', '.join(header.levels)}")
            out.print(_by_level_table(plan, v, by, limit))
        if v.level_targets:
            out.print(_levels_table(v))
        for note in v.settings.notes:
            out.print(f"[dim]- {note}[/]")

    @plan_app.command("revise")
    @user_errors
    def revise(
        name: Annotated[str, typer.Argument(help="Plan name.")],
        reason: Annotated[str, typer.Option(help="Why the plan changes (kept with the version).")],
        from_: Annotated[
            str | None,
            typer.Option("--from", help="First month the new version governs (earlier months stay)."),
        ] = None,
        total: Annotated[str | None, typer.Option(help="New total for the year.")] = None,
        set_: Annotated[
            list[str] | None, typer.Option("--set", help="Set a cell: 2027-11/DE=500000.")
        ] = None,
        hold: Annotated[
            list[str] | None, typer.Option(help="Keep a cell as it is: */US/amazon_fba/S1.")
        ] = None,
        release: Annotated[
            list[str] | None, typer.Option(help="Release held cells: US/amazon_fba/S1.")
        ] = None,
        level: Annotated[
            list[str] | None, typer.Option(help="Add or change a level target: acos<=0.25@marketplace=US.")
        ] = None,
        drop_level: Annotated[
            list[str] | None, typer.Option(help="Remove level targets: acos@marketplace=US.")
        ] = None,
        owner: Annotated[str | None, typer.Option(help="New owner of the plan.")] = None,
        owners: Annotated[list[str] | None, typer.Option(help="Owner per marketplace: DE=li.wei.")] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Re-plan as a new version: months before --from keep their targets, held cells stay, the rest
        is re-spread. The old version is kept; who, when, why and the differences are recorded."""
        with open_workspace(workspace) as ws:
            plans = ws.plans()
            levels = plans.get(name).header.levels
            request = ReviseRequest(
                reason=reason,
                from_month=from_,
                total=parse_number(total, "--total") if total is not None else None,
                sets=parse_sets(set_ or (), levels),
                holds=parse_holds(hold or (), levels),
                releases=parse_holds(release or (), levels),
                levels=[parse_level(x) for x in level or ()],
                drop_levels=list(drop_level or ()),
                owner=owner,
                owners=_pairs(owners),
            )
            outcome = plans.revise(name, request)
            _outcome(outcome)
            out.print(_versions_table(outcome.plan))
            _findings(plans.check(name))

    @plan_app.command("apply-profile")
    @user_errors
    def apply_profile(
        name: Annotated[str, typer.Argument(help="Plan name.")],
        profile: Annotated[
            str, typer.Argument(help="Market profile: US or EU (plan/data/market_profiles.yaml).")
        ],
        marketplaces: Annotated[str | None, typer.Option(help="Only these marketplaces: US,CA.")] = None,
        reason: Annotated[str | None, typer.Option(help="Why (default: the profile's name).")] = None,
        from_: Annotated[str | None, typer.Option("--from", help="First month the targets apply to.")] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Add a market profile's default level targets (acos, cvr, gross margin, refund rate...) to a plan,
        one per marketplace of the profile's regions, as a new version."""
        chosen = [m.strip() for m in marketplaces.split(",") if m.strip()] if marketplaces else None
        with open_workspace(workspace) as ws:
            outcome, skipped = ws.plans().apply_profile(
                name, profile, marketplaces=chosen, reason=reason, from_month=from_
            )
        _outcome(outcome)
        out.print(_levels_table(outcome.version))
        if skipped:
            out.print(f"[dim]Not in the KPI catalog yet, skipped: {', '.join(skipped)}[/]")

    @plan_app.command("check")
    @user_errors
    def check(
        name: Annotated[str, typer.Argument(help="Plan name.")],
        growth_cap: Annotated[
            float | None, typer.Option(help="Flag monthly growth above this (default: the plan's).")
        ] = None,
        version: Annotated[int | None, typer.Option(help="Check this version (default: the latest).")] = None,
        strict: Annotated[bool, typer.Option(help="Exit 1 when there is a warning.")] = False,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """SMART check: growth above the seller's own 90th percentile or the cap, targets with no owner or
        no data source, KPIs with no data for their scope, contradictory level targets."""
        with open_workspace(workspace, read_only=True) as ws:
            findings = ws.plans().check(name, growth_cap=growth_cap, version=version)
        _findings(findings)
        if strict and any(f.severity == "warning" for f in findings):
            raise typer.Exit(1)

    @plan_app.command("export")
    @user_errors
    def export(
        name: Annotated[str, typer.Argument(help="Plan name.")],
        path: Annotated[Path, typer.Argument(help="The .xlsx file to write.")],
        version: Annotated[
            int | None, typer.Option(help="Export this version (default: the latest).")
        ] = None,
        force: Annotated[bool, typer.Option(help="Overwrite the file.")] = False,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Write the plan to Excel: a sheet per level, zh and en headers, totals as formulas."""
        if path.suffix.lower() != ".xlsx":
            raise TradewindError(f"{path} does not end in .xlsx")
        if path.exists() and not force:
            raise TradewindError(f"{path} already exists; pass --force to overwrite it")
        with open_workspace(workspace, read_only=True) as ws:
            written = ws.plans().export(name, path, version=version)
        out.print(
            f"Wrote plan [bold]{name}[/] to {written}. Edit it, then 'tradewind plan import {written}'."
        )

    @plan_app.command("import")
    @user_errors
    def import_(
        path: Annotated[Path, typer.Argument(help="A workbook written by 'tradewind plan export'.")],
        plan: Annotated[str | None, typer.Option(help="Plan name (default: the one in the file).")] = None,
        reason: Annotated[str | None, typer.Option(help="Why (kept with the version).")] = None,
        from_: Annotated[
            str | None, typer.Option("--from", help="First month the new version governs.")
        ] = None,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Apply the edits of an exported workbook as a new version, after checking sums, SKUs and owners."""
        if not path.exists():
            raise TradewindError(f"{path} does not exist")
        with open_workspace(workspace) as ws:
            result = ws.plans().import_(path, name=plan, reason=reason, from_month=from_)
        if not result.changed or result.outcome is None:
            out.print(
                f"{path.name}: the same as plan [bold]{result.plan}[/]'s latest version; nothing changed."
            )
            return
        _outcome(result.outcome)
        out.print(
            f"  {result.edited_cells} cell(s) edited, {result.pinned_totals} total(s) pinned and re-spread."
        )

    @plan_app.command("progress")
    @user_errors
    def progress(
        name: Annotated[str | None, typer.Argument(help="Plan name (default: every active plan).")] = None,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Date (default: the last day with orders).")
        ] = None,
        by: Annotated[
            str | None, typer.Option(help=f"Split by plan levels: {', '.join(DIM_LEVELS)}.")
        ] = None,
        fmt: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = OutputFormat.TABLE,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Target, actual, expected to date (by the daily curve), attainment, pace and the projected landing,
        for the month of --as-of and the year, against the version in force on that date."""
        dims = tuple(d.strip() for d in (by or "").split(",") if d.strip())
        with open_workspace(workspace, read_only=True) as ws:
            report = ws.plans().progress(name, parse_date(as_of, "--as-of"), dims)
        if fmt is OutputFormat.JSON:
            typer.echo(
                json.dumps(
                    {
                        "as_of": str(report.as_of),
                        "rows": [_row_json(r) for r in report.rows],
                        "warnings": report.warnings,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        table = Table(
            "plan",
            "v",
            "kpi",
            "scope",
            "period",
            "target",
            "actual",
            "expected",
            "attain.",
            "pace",
            "projected",
            "owner",
            title=f"progress as of {report.as_of}",
        )
        for col in table.columns[5:11]:
            col.justify = "right"
        for r in report.rows:
            scope = ", ".join(f"{k}={val}" for k, val in r.scope.items()) or "company"
            if r.kind == "level":
                bound = (
                    f"{r.target:g}..{r.upper:g}"
                    if r.comparator == "between"
                    else f"{r.comparator} {r.target:g}"
                )
            else:
                bound = _num(r.target, r.kind)
            pace = "—" if r.pace is None else f"{r.pace:+.1%}"
            style = "red" if r.pace is not None and r.pace < -0.1 else ""
            table.add_row(
                r.plan,
                str(r.version),
                r.kpi,
                scope,
                r.period,
                bound,
                _num(r.actual, r.kind),
                _num(r.expected_to_date, r.kind),
                _pct(r.attainment),
                f"[{style}]{pace}[/]" if style else pace,
                _num(r.projected, r.kind),
                r.owner or "—",
            )
        out.print(table)
        for w in report.warnings:
            err.print(f"[yellow]warning:[/] {w}")
