"""Customer-service tickets in the buyers' languages (English, German, French, Italian, Spanish...),
with a French backlog: in the last 12 days before the export the French team fell behind, so half of
the French tickets are still unanswered (most of them for more than 24 hours) and the rest were answered
late. Elsewhere replies take about 5 hours (a few over 24), and tickets of the last evening are pending.
The spec can set the backlog's length and the share answered within 24 hours instead (`tradewind demo`
does), and cap the replies elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tradewind.demo_ops.files import write_rows
from tradewind.demo_ops.spec import LANGUAGES, MARKET_WEIGHT, OpsDemoSpec, OpsFile, at, end_of

#: Tickets per day in a marketplace of weight 1 (the US) for the 30-SKU demo.
TICKETS_PER_DAY = 6.0
BACKLOG_MARKET = "FR"
CHANNELS = (("buyer-seller messaging", 0.75), ("email", 0.2), ("chat", 0.05))


@dataclass(frozen=True)
class Backlog:
    """The planted story: the French team's backlog over the last days before the export."""

    marketplace: str
    first_day: date
    last_day: date
    story: str = "the French CS agent was on leave; nobody covered the French inbox"


def backlog(spec: OpsDemoSpec) -> Backlog:
    return Backlog(BACKLOG_MARKET, spec.last_day - timedelta(days=spec.backlog_days - 1), spec.last_day)


def write_tickets(folder: Path, spec: OpsDemoSpec) -> list[OpsFile]:
    """One help-desk export (CSV, English header) per account with tickets."""
    files = []
    late = backlog(spec)
    for account in spec.accounts:
        rows = _rows(spec, account.id, account.marketplaces, late)
        if rows:
            path = write_rows("cs_tickets", folder / f"helpdesk-tickets-{account.id}.csv", rows)
            files.append(OpsFile(path, "cs_tickets", spec.export_options(account.id)))
    return files


def _rows(
    spec: OpsDemoSpec, account: str, marketplaces: tuple[str, ...], late: Backlog
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    export = end_of(spec.last_day)
    for market in marketplaces:
        if market not in LANGUAGES:
            continue
        rng = spec.rng(f"tickets:{account}:{market}")
        languages, shares = zip(*LANGUAGES[market], strict=True)
        rate = TICKETS_PER_DAY * MARKET_WEIGHT.get(market, 0.05) * spec.volume
        waiting = 0  # backlog tickets so far, for an even spread of the late ones
        for day in spec.days():
            in_backlog = market == late.marketplace and day >= late.first_day
            for n in range(int(rng.poisson(rate))):
                received = at(day, float(rng.uniform(7, 22)))
                if in_backlog and spec.backlog_within_24h is not None:
                    # Every k-th ticket waits two to three days, so any stretch of the backlog holds
                    # about the planted share of late replies.
                    missed = 1 - spec.backlog_within_24h
                    unanswered = False
                    is_late = int((waiting + 1) * missed) > int(waiting * missed)
                    waiting += 1
                    hours = float(rng.uniform(40, 72)) if is_late else float(rng.uniform(1, 12))
                elif in_backlog:
                    unanswered = rng.random() < 0.5
                    hours = float(rng.lognormal(3.6, 0.4))  # about 36 h
                else:
                    unanswered = False
                    hours = float(rng.lognormal(1.6, 0.9))  # about 5 h; ~4 % over 24 h
                    if spec.reply_cap_hours is not None:
                        hours = min(hours, spec.reply_cap_hours)
                reply = None if unanswered else received + timedelta(seconds=int(hours * 3600))
                if reply is not None and reply >= export:
                    reply = None  # not answered by the time of the export
                needs = rng.random() >= 0.06
                resolved = reply + timedelta(hours=float(rng.uniform(1, 48))) if reply else None
                if resolved is not None and resolved >= export:
                    resolved = None
                rows.append(
                    {
                        "ticket_id": f"{market}-{day:%y%m%d}-{n + 1:03d}",
                        "account": account,
                        "marketplace": market,
                        "language": str(rng.choice(languages, p=shares)),
                        "channel": str(rng.choice([c for c, _ in CHANNELS], p=[s for _, s in CHANNELS])),
                        "received_at": received,
                        "first_reply_at": reply if needs else None,
                        "resolved_at": resolved if needs else None,
                        "needs_reply": "yes" if needs else "no",
                    }
                )
    return rows
