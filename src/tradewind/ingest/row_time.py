"""Dates and instants in files whose rows belong to different marketplaces (time zones).

The framework parses a timestamp column once per file, reading times without an offset in one zone
(`ImportContext.zone`). A returns or settlement file can mix marketplaces (a EUR settlement holds
Amazon.de and Amazon.fr lines; a returns file from a unified NA account holds US and CA returns), so
those reports leave `ctx.zone` empty: naive values are then parsed as UTC wall-clock readings, and the
helpers below turn them into the row's instant and local date once each row's zone is known:

- a value with an offset (`2026-03-01T23:30:00+00:00`, `... 18:21:50 UTC`) is an instant; its date is
  the calendar day in the row's marketplace;
- a naive date-time is a wall-clock reading in the row's marketplace;
- a bare date (`19.07.2026`, `05-03-2026`) is already the marketplace's day and names no instant.
"""

from __future__ import annotations


def has_offset(layout: str) -> bool:
    return "%z" in layout or "%Z" in layout or layout.endswith("Z")


def has_time(layout: str) -> bool:
    return "%H" in layout


def instant_sql(col: str, layout: str, zone_expr: str, *, bare_date_at_midnight: bool = False) -> str:
    """The instant a parsed value names. A bare date names a day, not an instant: NULL, or where the
    fact needs an instant anyway (a settlement period's start), the day's local midnight."""
    if has_offset(layout):
        return col
    if not has_time(layout) and not bare_date_at_midnight:
        return "CAST(NULL AS TIMESTAMPTZ)"
    return f"timezone({zone_expr}, CAST(timezone('UTC', {col}) AS TIMESTAMP))"


def local_day_sql(col: str, layout: str, zone_expr: str) -> str:
    """The calendar day of a parsed value in the row's marketplace (`zone_expr`: its IANA zone)."""
    if has_offset(layout):
        return f"CAST(timezone({zone_expr}, {col}) AS DATE)"
    return f"CAST(timezone('UTC', {col}) AS DATE)"
