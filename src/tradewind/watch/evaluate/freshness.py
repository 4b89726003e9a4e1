"""Freshness: check the data before arguing about it. A source not imported for N days (from the
`imports` ledger), and days missing inside the data (a day with no order lines where a marketplace
normally has many; days no advertising or Business Report file covers, between days that are covered).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from tradewind.watch.context import WatchContext
from tradewind.watch.evaluate._common import ordered_scope, range_text, trailing
from tradewind.watch.model import Finding
from tradewind.watch.ruleset import FreshnessRule

SOURCE_NAMES = {
    "order_lines": ("order lines", "订单"),
    "ad_performance": ("advertising data", "广告数据"),
    "traffic": ("Business Report traffic", "业务报告流量"),
}


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive runs of days: [Mar 4, Mar 5, Mar 9] → [(Mar 4, Mar 5), (Mar 9, Mar 9)]."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _missing(covered: set[date]) -> list[tuple[date, date]]:
    if len(covered) < 2:
        return []
    first, last = min(covered), max(covered)
    every = {first + timedelta(days=i) for i in range((last - first).days + 1)}
    return _runs(every - covered)


def stale_sources(rule: FreshnessRule, ctx: WatchContext) -> list[Finding]:
    rows = ctx.query(
        "SELECT account_id, report_type, coalesce(marketplace, ''), max(imported_at) FROM imports "
        "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        [],
    )
    findings = []
    for account, report_type, market, imported_at in rows:
        limit = rule.stale_after_days.get(report_type, rule.stale_after_days.get("default", 7))
        if limit <= 0 or imported_at is None:
            continue
        last = _day(imported_at)
        age = (ctx.as_of - last).days
        if age <= limit:
            continue
        scope = ordered_scope({"account": account, "marketplace": market or None, "source": report_type})
        where = f"{report_type} for {account}" + (f" {market}" if market else "")
        findings.append(
            Finding(
                rule_id=rule.id,
                kind=rule.kind,
                severity=rule.severity,
                scope=scope,
                period=f"since {last.isoformat()}",
                title=f"{where}: not imported for {age} days (last import {last.isoformat()}; "
                f"expected every {limit} days)",
                title_zh=f"{where}：已 {age} 天未导入（上次导入 {last.isoformat()}；应每 {limit} 天导入一次）",
                detail="figures that read this source stop at its last import; import the latest report",
                observed=float(age),
                threshold=float(limit),
                window=(last, ctx.as_of),
                owner=rule.owner,
            )
        )
    return findings


def _order_days(ctx: WatchContext, start: date, end: date) -> dict[tuple[str, str], dict[date, int]]:
    rows = ctx.query(
        "SELECT account_id, coalesce(marketplace, ''), purchase_date, count(*) FROM order_lines "
        "WHERE purchase_date BETWEEN ? AND ? AND NOT is_cancelled GROUP BY 1, 2, 3",
        [start, end],
    )
    out: dict[tuple[str, str], dict[date, int]] = defaultdict(dict)
    for account, market, day, n in rows:
        out[(account, market)][_day(day)] = int(n)
    return out


def _range_days(ctx: WatchContext, table: str, start: date, end: date) -> dict[tuple[str, str], set[date]]:
    level = " AND level IN ('child_asin', 'sku')" if table == "traffic" else ""
    rows = ctx.query(
        f"SELECT DISTINCT account_id, coalesce(marketplace, ''), date_from, date_to FROM {table} "
        f"WHERE date_to >= ? AND date_from <= ?{level}",
        [start, end],
    )
    out: dict[tuple[str, str], set[date]] = defaultdict(set)
    for account, market, lo, hi in rows:
        day, last = max(_day(lo), start), min(_day(hi), end)
        while day <= last:
            out[(account, market)].add(day)
            day += timedelta(days=1)
    return out


def missing_days(rule: FreshnessRule, ctx: WatchContext) -> list[Finding]:
    start, end = trailing(ctx.as_of, rule.lookback_days)
    findings = []
    for table in rule.gaps_in:
        if table == "order_lines":
            covered: dict[tuple[str, str], set[date]] = {}
            for key, counts in _order_days(ctx, start, end).items():
                days_with_data = (max(counts) - min(counts)).days + 1
                if sum(counts.values()) / days_with_data >= rule.orders_min_daily_lines:
                    covered[key] = set(counts)
        else:
            covered = _range_days(ctx, table, start, end)
        en, zh = SOURCE_NAMES[table]
        for (account, market), days in sorted(covered.items()):
            for lo, hi in _missing(days):
                n = (hi - lo).days + 1
                span = lo.isoformat() if lo == hi else range_text(lo, hi)
                where = f"{account}" + (f" {market}" if market else "")
                findings.append(
                    Finding(
                        rule_id=rule.id,
                        kind=rule.kind,
                        severity=rule.severity,
                        scope=ordered_scope(
                            {"account": account, "marketplace": market or None, "source": table}
                        ),
                        period=range_text(lo, hi),
                        title=f"{where}: no {en} on {span} ({n} day{'s' if n != 1 else ''}) between days that "
                        "have them",
                        title_zh=f"{where}：{span} 缺少{zh}（{n} 天），前后日期均有数据",
                        detail="a file is probably missing: import the report that covers these days",
                        observed=float(n),
                        window=(lo, hi),
                        owner=rule.owner,
                    )
                )
    return findings


def evaluate_freshness(rule: FreshnessRule, ctx: WatchContext) -> list[Finding]:
    return [*stale_sources(rule, ctx), *missing_days(rule, ctx)]
