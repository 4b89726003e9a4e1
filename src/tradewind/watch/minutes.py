"""Written minutes of a review (复盘纪要), in Chinese or English, as Markdown or HTML, from the Jinja2
templates in `templates/`. The alerts are shown in the minutes' language, with the external-variable
notes that overlapped them, so the minutes record what was known at the time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from tradewind.core.errors import TradewindError
from tradewind.watch.model import SEVERITY_WORDS, Alert, scope_text
from tradewind.watch.notes import Note
from tradewind.watch.reviews import ROOT_CAUSE_NAMES, Review

LANGS = ("zh", "en")
FORMATS = ("md", "html")

LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "title": "Review minutes",
        "held_on": "Held on",
        "status": "Status",
        "opened_by": "Opened by",
        "attendees": "Attendees",
        "root_cause": "Root cause",
        "not_set": "not set yet",
        "alerts": "Alerts reviewed",
        "severity": "Severity",
        "rule": "Rule",
        "scope": "Scope",
        "period": "Period",
        "alert": "Alert",
        "notes": "External variables at the time",
        "no_notes": "No external-variable notes overlap these alerts.",
        "findings": "Findings",
        "actions": "Action items",
        "action": "Action",
        "owner": "Owner",
        "due": "Due",
        "summary": "Summary",
        "none": "none",
        "open": "open",
        "closed": "closed",
        "done": "done",
        "overdue": "overdue",
        "generated": "Written by Tradewind on",
    },
    "zh": {
        "title": "复盘纪要",
        "held_on": "复盘日期",
        "status": "状态",
        "opened_by": "发起人",
        "attendees": "参会人",
        "root_cause": "根因类别",
        "not_set": "尚未确定",
        "alerts": "复盘的告警",
        "severity": "级别",
        "rule": "规则",
        "scope": "范围",
        "period": "期间",
        "alert": "告警",
        "notes": "当时的外部变量",
        "no_notes": "没有与这些告警重叠的外部变量记录。",
        "findings": "发现",
        "actions": "行动项",
        "action": "事项",
        "owner": "负责人",
        "due": "截止日期",
        "summary": "总结",
        "none": "无",
        "open": "进行中",
        "closed": "已关闭",
        "done": "已完成",
        "overdue": "已逾期",
        "generated": "由 Tradewind 生成于",
    },
}


def _md(value: Any) -> str:
    """Text safe inside a Markdown table cell or list item: pipes escaped, line breaks folded."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _environment(html: bool) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("tradewind.watch", "templates"),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters["md"] = _md
    return env


def render_minutes(
    review: Review,
    notes_by_alert: Mapping[int, Sequence[Note]],
    *,
    lang: str = "zh",
    fmt: str = "md",
    today: date | None = None,
) -> str:
    if lang not in LANGS:
        raise TradewindError(f"--lang {lang!r} is not one of {', '.join(LANGS)}")
    if fmt not in FORMATS:
        raise TradewindError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    labels = LABELS[lang]
    day = today or date.today()
    alerts = [_alert_view(a, lang) for a in review.alerts]
    seen: dict[int, Note] = {}
    for a in review.alerts:
        for n in notes_by_alert.get(a.id, ()):
            seen.setdefault(n.id, n)
    notes = [
        {
            "span": n.date_from.isoformat() if n.date_from == n.date_to else f"{n.date_from}..{n.date_to}",
            "kind": n.label(lang),
            "scope": scope_text(n.scope),
            "text": n.text,
        }
        for n in sorted(seen.values(), key=lambda n: (n.date_from, n.id))
    ]
    actions = [
        {
            "id": x.id,
            "text": x.text,
            "owner": x.owner,
            "due": x.due.isoformat(),
            "overdue": x.overdue(day),
            "status": labels["overdue"] if x.overdue(day) else labels[x.status],
        }
        for x in review.actions
    ]
    root = ROOT_CAUSE_NAMES[review.root_cause][0 if lang == "en" else 1] if review.root_cause else None
    template = _environment(fmt == "html").get_template(f"minutes.{fmt}.j2")
    return str(
        template.render(
            t=labels,
            lang_tag="zh-CN" if lang == "zh" else "en",
            review=review,
            root_cause=root,
            alerts=alerts,
            notes=notes,
            actions=actions,
            today=day.isoformat(),
        )
    )


def _alert_view(alert: Alert, lang: str) -> dict[str, Any]:
    return {
        "id": alert.id,
        "severity": SEVERITY_WORDS[lang][alert.severity.value],
        "severity_class": alert.severity.value,
        "rule_id": alert.rule_id,
        "scope": scope_text(alert.scope),
        "period": alert.period,
        "title": alert.title_in(lang),
    }
