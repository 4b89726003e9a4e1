"""A channel-neutral notification: a title, one line per alert, and the people to @-mention. Each
channel module turns it into its platform's real message format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tradewind.watch.model import SEVERITY_WORDS, Alert, Severity


@dataclass(frozen=True)
class Message:
    title: str
    lines: tuple[str, ...]
    #: Owners to @-mention (names as in `people:`).
    mentions: tuple[str, ...]
    lang: str
    severity: Severity

    @property
    def text(self) -> str:
        return "\n".join([self.title, *self.lines])


def alert_message(
    alerts: Sequence[Alert], *, lang: str, as_of: date, mentions: Sequence[str] = ()
) -> Message:
    words = SEVERITY_WORDS[lang]
    n = len(alerts)
    if lang == "zh":
        title = f"Tradewind：{n} 条新告警（{as_of.isoformat()}）"
    else:
        title = f"Tradewind: {n} new alert{'s' if n != 1 else ''} ({as_of.isoformat()})"
    ordered = sorted(alerts, key=lambda a: (-a.severity.rank, a.id))
    lines = tuple(f"[{words[a.severity.value].upper()}] #{a.id} {a.title_in(lang)}" for a in ordered)
    top = ordered[0].severity if ordered else Severity.INFO
    return Message(title, lines, tuple(dict.fromkeys(m for m in mentions if m)), lang, top)


def fit(lines: Sequence[str], limit_bytes: int, more: str) -> list[str]:
    """As many lines as fit in `limit_bytes` (UTF-8), then "... and N more" (platforms cap a message)."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        size = len(line.encode("utf-8")) + 1
        tail = len(more.format(n=len(lines) - i).encode("utf-8")) + 1
        if used + size + tail > limit_bytes:
            out.append(more.format(n=len(lines) - i))
            return out
        out.append(line)
        used += size
    return out
