"""Watch commands: `check`, `alerts`, `review`, `note`, `why`. Registered by `cli/main.py` through
`register(app)`; each command parses options, calls `Workspace.watch()`, and renders the result."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape as esc
from rich.table import Table

from tradewind.app import Workspace
from tradewind.cli.common import WorkspaceOpt, open_workspace, parse_date
from tradewind.cli.console import err, out, user_errors
from tradewind.core.errors import TradewindError
from tradewind.ingest.loader import current_actor
from tradewind.watch.alerts import AlertFilter
from tradewind.watch.model import (
    ACTIVE,
    Alert,
    AlertStatus,
    CheckReport,
    parse_scope,
    parse_severity,
    parse_status,
    scope_text,
)
from tradewind.watch.notes import NOTE_SCOPE_KEYS, NoteKind, parse_kind
from tradewind.watch.reviews import Review, parse_action

SEVERITY_STYLE = {"critical": "bold red", "review": "bold yellow", "warning": "yellow", "info": "dim"}


#: The app schema that holds the watch tables (migration 0003_watch.sql).
WATCH_SCHEMA = 3


def _open(path: Path | None, *, read_only: bool = False) -> Workspace:
    ws = open_workspace(path, read_only=read_only)
    if read_only and ws.app.schema_version() < WATCH_SCHEMA:
        ws.close()
        raise TradewindError(
            "this workspace has no alerts, notes or reviews yet (its app database predates them): run "
            "'tradewind check' once to upgrade it"
        )
    return ws


def _figure(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.4g}" if abs(value) < 10 else f"{value:,.2f}"


def _alerts_table(alerts: list[Alert], title: str | None = None) -> Table:
    """The scope is in each alert's title; the table keeps to what a reader scans for."""
    table = Table("#", "severity", "status", "rule", "period", "alert", "owner", title=title)
    for a in alerts:
        table.add_row(
            str(a.id),
            _severity(a),
            a.status.value.replace("_", " "),
            a.rule_id,
            esc(a.period),
            esc(a.title),
            esc(a.owner or ""),
        )
    return table


def _severity(a: Alert) -> str:
    style = SEVERITY_STYLE.get(a.severity.value, "")
    return f"[{style}]{a.severity.value}[/]" if style else a.severity.value


# -- check ----------------------------------------------------------------------------------------------
@user_errors
def check(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Check as of this day (default: today).")
    ] = None,
    notify: Annotated[
        bool, typer.Option("--notify/--no-notify", help="Send new alerts as notify.yaml routes them.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Evaluate every watch rule and record alerts. Exits 1 when a NEW alert of severity review or
    higher appears, so cron notices; running it again raises no duplicates."""
    with _open(workspace) as ws:
        report = ws.check(parse_date(as_of, "--as-of"), notify=notify)
    if as_json:
        out.print_json(json.dumps(_report_json(report), ensure_ascii=False, default=str))
    else:
        _print_report(report)
    if report.new_needing_review:
        raise typer.Exit(1)


def _report_json(report: CheckReport) -> dict[str, object]:
    return {
        "as_of": report.as_of.isoformat(),
        "rules": [
            {"rule": o.rule_id, "status": o.status, "message": o.message, "findings": len(o.findings)}
            for o in report.outcomes
        ],
        "new": [_alert_json(a) for a in report.new],
        "updated": [a.id for a in report.updated],
        "explained": [
            {"rule": e.rule_id, "scope": dict(e.scope), "period": e.period, "notes": list(e.note_ids)}
            for e in report.explained
        ],
        "deliveries": [
            {"channel": d.channel, "ok": d.ok, "alerts": list(d.alert_ids), "error": d.error}
            for d in report.deliveries
        ],
    }


def _alert_json(a: Alert) -> dict[str, object]:
    return {
        "id": a.id,
        "rule": a.rule_id,
        "severity": a.severity.value,
        "status": a.status.value,
        "scope": dict(a.scope),
        "period": a.period,
        "title": a.title,
        "observed": a.observed,
        "threshold": a.threshold,
        "owner": a.owner,
    }


def _print_report(report: CheckReport) -> None:
    for o in report.outcomes:
        if o.status in ("unavailable", "error"):
            colour = "dim" if o.status == "unavailable" else "red"
            err.print(f"[{colour}]{o.rule_id}: {o.status}: {esc(o.message)}[/]", soft_wrap=True)
    for e in report.explained:
        notes = ", ".join(f"#{n}" for n in e.note_ids)
        err.print(f"[dim]explained by note {notes}: {esc(e.title)}[/]", soft_wrap=True)
    for a in sorted(report.new, key=lambda a: (-a.severity.rank, a.id)):
        owner = f" [dim]({esc(a.owner)})[/]" if a.owner else ""
        out.print(f"{_severity(a)} #{a.id} {esc(a.title)}{owner}", soft_wrap=True)
    seen = len(report.updated)
    out.print(
        f"{len(report.new)} new alert{'s' if len(report.new) != 1 else ''}, {seen} still firing "
        f"(as of {report.as_of})."
    )
    for d in report.deliveries:
        if d.ok:
            out.print(f"[dim]notified {d.channel} ({len(d.alert_ids)} alerts)[/]")
        else:
            err.print(f"[red]could not notify {d.channel}:[/] {esc(d.error or '')}", soft_wrap=True)


# -- alerts ---------------------------------------------------------------------------------------------
alerts_app = typer.Typer(help="List alerts and move them through their lifecycle.", no_args_is_help=False)


@alerts_app.callback(invoke_without_command=True)
@user_errors
def alerts(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="open, acknowledged, in_review, resolved, dismissed (repeatable)."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Every status, closed ones too.")] = False,
    severity: Annotated[
        str | None, typer.Option(help="Minimum severity: info, warning, review, critical.")
    ] = None,
    rule: Annotated[list[str] | None, typer.Option(help="Only this rule (repeatable).")] = None,
    kpi: Annotated[str | None, typer.Option(help="Only alerts about this KPI.")] = None,
    scope: Annotated[str | None, typer.Option(help="Only this scope, e.g. marketplace=DE,sku=S1.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The alerts (default: the active ones: open, acknowledged, in review)."""
    if ctx.invoked_subcommand is not None:
        return
    statuses: tuple[AlertStatus, ...] = tuple(ACTIVE)
    if show_all:
        statuses = tuple(AlertStatus)
    elif status:
        statuses = tuple(parse_status(s) for s in status)
    flt = AlertFilter(
        statuses=statuses,
        min_severity=parse_severity(severity) if severity else None,
        rule_ids=tuple(rule or ()),
        kpi=kpi,
        scope=parse_scope(scope) or None,
    )
    with _open(workspace, read_only=True) as ws:
        found = ws.watch().alerts.find(flt)
    if not found:
        out.print("No alerts match.")
        return
    out.print(_alerts_table(found))


@alerts_app.command("show")
@user_errors
def alerts_show(
    alert_id: Annotated[int, typer.Argument(help="Alert number.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """One alert with its figures, evidence, the notes that overlap it, and its history."""
    with _open(workspace, read_only=True) as ws:
        watch = ws.watch()
        a = watch.alerts.get(alert_id)
        notes = watch.notes_for(a)
        events = watch.alerts.events(alert_id)
    out.print(
        f"[bold]#{a.id}[/] [{SEVERITY_STYLE.get(a.severity.value, '')}]{a.severity.value}[/] "
        f"{a.status.value.replace('_', ' ')}: {a.title}",
        soft_wrap=True,
    )
    out.print(
        f"  rule {a.rule_id}; scope {esc(scope_text(a.scope))}; period {esc(a.period)}; owner {esc(a.owner or '-')}"
    )
    if a.observed is not None or a.threshold is not None:
        out.print(f"  observed {_figure(a.observed)}; threshold {_figure(a.threshold)}")
    if a.window:
        out.print(f"  window {a.window[0]}..{a.window[1]}; last seen {a.last_seen_at:%Y-%m-%d %H:%M} UTC")
    if a.detail:
        out.print(f"  {esc(a.detail)}", soft_wrap=True)
    if a.evidence:
        keys = list(dict.fromkeys(k for row in a.evidence for k in row))
        table = Table(*keys, title="evidence")
        for row in a.evidence:
            table.add_row(*("" if row.get(k) is None else esc(str(row.get(k))) for k in keys))
        out.print(table)
    out.print("[bold]notes[/] (external variables overlapping it):" if notes else "No note overlaps it.")
    for n in notes:
        out.print(f"  {esc(n.describe())}", soft_wrap=True)
    for e in events:
        reason = f": {esc(e.note)}" if e.note else ""
        out.print(
            f"  [dim]{e.at:%Y-%m-%d %H:%M} {esc(e.actor)}: {e.from_status or '-'} → {e.to_status.value}{reason}[/]"
        )


def _move(ids: list[int], to: AlertStatus, reason: str | None, workspace: Path | None) -> None:
    with _open(workspace) as ws:
        moved = ws.watch().alerts.transition(ids, to, current_actor(), reason)
    for a in moved:
        out.print(f"#{a.id} is {a.status.value.replace('_', ' ')}: {esc(a.title)}", soft_wrap=True)


AlertIds = Annotated[list[int], typer.Argument(help="Alert numbers.")]


@alerts_app.command("ack")
@user_errors
def alerts_ack(
    ids: AlertIds,
    note: Annotated[str | None, typer.Option(help="What you are doing about it.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Acknowledge alerts: someone is on it."""
    _move(ids, AlertStatus.ACKNOWLEDGED, note, workspace)


@alerts_app.command("resolve")
@user_errors
def alerts_resolve(
    ids: AlertIds,
    note: Annotated[str | None, typer.Option(help="What fixed it.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Resolve alerts."""
    _move(ids, AlertStatus.RESOLVED, note, workspace)


@alerts_app.command("dismiss")
@user_errors
def alerts_dismiss(
    ids: AlertIds,
    reason: Annotated[str, typer.Option(help="Why it is not a problem (required).")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Dismiss alerts with a reason; a dismissed alert is not raised again for the same period."""
    _move(ids, AlertStatus.DISMISSED, reason, workspace)


@alerts_app.command("reopen")
@user_errors
def alerts_reopen(
    ids: AlertIds,
    note: Annotated[str | None, typer.Option(help="Why it needs another look.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Reopen resolved or dismissed alerts."""
    _move(ids, AlertStatus.OPEN, note, workspace)


# -- reviews --------------------------------------------------------------------------------------------
review_app = typer.Typer(
    help="Reviews (复盘): findings, root cause, action items, written minutes.", no_args_is_help=True
)

Attendees = Annotated[list[str] | None, typer.Option("--attendee", help="Who took part (repeatable).")]
Findings = Annotated[list[str] | None, typer.Option("--finding", help="A finding (repeatable).")]
Actions = Annotated[
    list[str] | None,
    typer.Option("--action", help="Action item as OWNER|DUE|TEXT, e.g. 'li.wei|2026-04-15|restore bids'."),
]
RootCause = Annotated[
    str | None,
    typer.Option(help="traffic, conversion, price, stock, ads, compliance, external or data_error."),
]


def _print_review(review: Review) -> None:
    out.print(
        f"[bold]Review #{review.id}[/] ({review.status}, held {review.held_on}): {esc(review.title)}",
        soft_wrap=True,
    )
    out.print(
        f"  alerts: {', '.join(f'#{a.id}' for a in review.alerts)}; root cause: {review.root_cause or '-'}"
    )
    if review.attendees:
        out.print(f"  attendees: {esc(', '.join(review.attendees))}")
    for i, f in enumerate(review.findings, 1):
        out.print(f"  finding {i}: {esc(f)}", soft_wrap=True)
    for x in review.actions:
        out.print(
            f"  action #{x.id} \\[{x.status}] {esc(x.owner)}, due {x.due}: {esc(x.text)}", soft_wrap=True
        )


@review_app.command("open")
@user_errors
def review_open(
    alert_ids: Annotated[list[int], typer.Argument(help="The alerts the review is about.")],
    title: Annotated[str | None, typer.Option(help="Title (default: from the alerts).")] = None,
    held_on: Annotated[
        str | None, typer.Option("--held-on", help="Day of the meeting (default: today).")
    ] = None,
    attendee: Attendees = None,
    finding: Findings = None,
    root_cause: RootCause = None,
    action: Actions = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Open a review of alerts (they go to 'in review')."""
    drafts = [parse_action(a) for a in action or ()]
    with _open(workspace) as ws:
        review = ws.watch().reviews.open(
            alert_ids,
            actor=current_actor(),
            title=title,
            held_on=parse_date(held_on, "--held-on"),
            attendees=attendee or (),
            findings=finding or (),
            root_cause=root_cause,
            actions=drafts,
        )
    _print_review(review)


@review_app.command("edit")
@user_errors
def review_edit(
    review_id: Annotated[int, typer.Argument(help="Review number.")],
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    attendee: Attendees = None,
    finding: Findings = None,
    root_cause: RootCause = None,
    action: Actions = None,
    summary: Annotated[str | None, typer.Option(help="Summary of the review.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add attendees, findings or action items to an open review, or set its root cause."""
    drafts = [parse_action(a) for a in action or ()]
    with _open(workspace) as ws:
        review = ws.watch().reviews.edit(
            review_id,
            attendees=attendee or (),
            findings=finding or (),
            actions=drafts,
            root_cause=root_cause,
            summary=summary,
            title=title,
        )
    _print_review(review)


@review_app.command("action-done")
@user_errors
def review_action_done(
    action_id: Annotated[int, typer.Argument(help="Action item number.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Mark an action item done."""
    with _open(workspace) as ws:
        item = ws.watch().reviews.action_done(action_id)
    out.print(f"action #{item.id} done: {esc(item.text)}", soft_wrap=True)


@review_app.command("close")
@user_errors
def review_close(
    review_id: Annotated[int, typer.Argument(help="Review number.")],
    summary: Annotated[str | None, typer.Option(help="Summary of the review.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Close a review; its alerts are resolved."""
    with _open(workspace) as ws:
        review = ws.watch().reviews.close(review_id, actor=current_actor(), summary=summary)
    _print_review(review)


@review_app.command("list")
@user_errors
def review_list(workspace: WorkspaceOpt = None) -> None:
    """The reviews."""
    with _open(workspace, read_only=True) as ws:
        reviews = ws.watch().reviews.all()
    table = Table("#", "held on", "status", "root cause", "alerts", "open actions", "title")
    for r in reviews:
        open_actions = sum(1 for x in r.actions if x.status == "open")
        table.add_row(
            str(r.id),
            r.held_on.isoformat(),
            r.status,
            r.root_cause or "",
            ", ".join(str(a.id) for a in r.alerts),
            str(open_actions),
            esc(r.title),
        )
    out.print(table)


@review_app.command("minutes")
@user_errors
def review_minutes(
    review_id: Annotated[int, typer.Argument(help="Review number.")],
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
    fmt: Annotated[str, typer.Option("--format", help="md or html.")] = "md",
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of printing.")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The written minutes of a review, in Chinese or English, as Markdown or HTML."""
    with _open(workspace, read_only=True) as ws:
        text = ws.watch().minutes(review_id, lang=lang, fmt=fmt)
    if out_path is not None:
        out_path.write_text(text, encoding="utf-8")
        out.print(f"Wrote {out_path}")
    else:
        typer.echo(text, nl=False)


# -- notes ----------------------------------------------------------------------------------------------
note_app = typer.Typer(
    help="The external-variables log (外部变量): what happened outside your hands.", no_args_is_help=True
)


@note_app.command("add")
@user_errors
def note_add(
    date_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    kind: Annotated[str, typer.Option(help=", ".join(k.value for k in NoteKind))],
    text: Annotated[str, typer.Option(help="What happened.")],
    date_to: Annotated[str | None, typer.Option("--to", help="Last day (default: the first day).")] = None,
    scope: Annotated[
        str | None, typer.Option(help="Where, e.g. marketplace=DE,sku=S1 (default: everywhere).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Log an external variable (a competitor's stock-out, Prime Day, a policy change)."""
    start = parse_date(date_from, "--from") or date.today()  # --from is required: never today
    end = parse_date(date_to, "--to") or start
    where = parse_scope(scope, allowed=NOTE_SCOPE_KEYS)
    with _open(workspace) as ws:
        note = ws.watch().notes.add(parse_kind(kind), start, end, where, text, current_actor())
    out.print(f"Logged note {esc(note.describe())}", soft_wrap=True)


@note_app.command("list")
@user_errors
def note_list(
    date_from: Annotated[
        str | None, typer.Option("--from", help="Notes touching days from this one.")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="... up to this one.")] = None,
    scope: Annotated[str | None, typer.Option(help="Only notes that apply to this scope.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds (repeatable).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The notes."""
    with _open(workspace, read_only=True) as ws:
        notes = ws.watch().notes.listing(
            start=parse_date(date_from, "--from"),
            end=parse_date(date_to, "--to"),
            scope=parse_scope(scope, allowed=NOTE_SCOPE_KEYS) or None,
            kinds=tuple(parse_kind(k) for k in kind or ()),
        )
    table = Table("#", "from", "to", "kind", "scope", "text", "by")
    for n in notes:
        table.add_row(
            str(n.id),
            n.date_from.isoformat(),
            n.date_to.isoformat(),
            n.kind.value,
            esc(scope_text(n.scope)),
            esc(n.text),
            esc(n.author),
        )
    out.print(table if notes else "No notes match.")


# -- why ------------------------------------------------------------------------------------------------
@user_errors
def why(
    kpi: Annotated[str, typer.Argument(help="The KPI to explain (gmv).")],
    period: Annotated[str, typer.Option(help="2026-03, 2026-Q1, 2026-W09 or 2026-03-01..2026-03-15.")],
    vs: Annotated[str, typer.Option(help="previous, last-year or target.")] = "previous",
    by: Annotated[str | None, typer.Option(help="marketplace or sku (mix across them).")] = "marketplace",
    scope: Annotated[str | None, typer.Option(help="Filter, e.g. marketplace=DE.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Split a GMV change into traffic, mix, conversion and price effects (LMDI; they add up exactly),
    with ad spend, stock-outs and notes of the period beside it."""
    if kpi.strip().lower() != "gmv":
        raise TradewindError(f"'why' explains gmv (sessions × cvr × asp); {kpi!r} is not supported")
    where = {k: (v,) for k, v in parse_scope(scope).items()}
    with _open(workspace, read_only=True) as ws:
        report = ws.watch().why(period, vs=vs, by=by or None, where=where)
    cur = f" {report.currency}" if report.currency else ""
    out.print(
        f"[bold]gmv {report.period}[/] vs {report.base_period}: {report.base:,.2f} → {report.current:,.2f}{cur} "
        f"(change {report.change:+,.2f})"
    )
    table = Table("driver", "effect", "share of change")
    for e in report.effects:
        share = f"{e.share * 100:.1f}%" if e.share is not None else ""
        table.add_row(e.name, f"{e.amount:+,.2f}", share)
    table.add_row("[bold]total[/]", f"[bold]{sum(e.amount for e in report.effects):+,.2f}[/]", "")
    out.print(table)
    if report.by and len(report.segments) > 1:
        keys = list(dict.fromkeys(k for row in report.segments for k in row))
        seg = Table(*keys, title=f"by {report.by}")
        for row in report.segments:
            seg.add_row(
                *(
                    f"{row[k]:,.2f}" if isinstance(row.get(k), float) else esc(str(row.get(k, "")))
                    for k in keys
                )
            )
        out.print(seg)
    base_ad, cur_ad = report.ad_spend
    if cur_ad is not None or base_ad is not None:
        out.print(f"ad spend: {_figure(base_ad) or 'n/a'} → {_figure(cur_ad) or 'n/a'}{cur}")
    for s in report.stockouts:
        out.print(f"stocked-out SKUs at the end of {report.period}: {s['marketplace']} {s['stockout_skus']}")
    for n in report.notes:
        out.print(f"note {esc(n.describe())}", soft_wrap=True)
    for w in report.warnings:
        err.print(f"[yellow]warning:[/] {esc(w)}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add `check`, `alerts`, `review`, `note` and `why` to the `tradewind` command."""
    app.command("check")(check)
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(review_app, name="review")
    app.add_typer(note_app, name="note")
    app.command("why")(why)


__all__ = ["register"]
