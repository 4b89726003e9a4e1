"""Send new alerts where the routes say: one message per channel listing its alerts, the owners
@-mentioned (or emailed), every delivery recorded in the app database with its outcome."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase

from sqlalchemy import Engine, insert

from tradewind.notify.config import (
    DingTalkChannel,
    EmailChannel,
    FeishuChannel,
    NotifyConfig,
    SlackChannel,
    WeComChannel,
)
from tradewind.notify.email import send_email
from tradewind.notify.message import Message, alert_message
from tradewind.notify.transport import DeliveryError, post_json
from tradewind.notify.webhooks import (
    check_answer,
    dingtalk_payload,
    dingtalk_signed_url,
    feishu_payload,
    slack_payload,
    wecom_payload,
)
from tradewind.watch import tables as t
from tradewind.watch.model import Alert


@dataclass(frozen=True)
class Delivery:
    channel: str
    channel_type: str
    alert_ids: tuple[int, ...]
    recipients: tuple[str, ...]
    ok: bool
    attempts: int
    error: str | None = None


@dataclass
class _Batch:
    alerts: list[Alert] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def route(config: NotifyConfig, alerts: Sequence[Alert]) -> dict[str, _Batch]:
    """channel name → the alerts it gets and the owners to mention, in route order."""
    batches: dict[str, _Batch] = {}
    for alert in alerts:
        for r in config.routes:
            if r.rules and not any(fnmatchcase(alert.rule_id, pattern) for pattern in r.rules):
                continue
            if not alert.severity.at_least(r.min_severity):
                continue
            for name in r.channels:
                batch = batches.setdefault(name, _Batch())
                if alert not in batch.alerts:
                    batch.alerts.append(alert)
                if r.mention_owner and alert.owner and alert.owner not in batch.mentions:
                    batch.mentions.append(alert.owner)
    return batches


class Notifier:
    def __init__(
        self,
        config: NotifyConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.clock = clock

    def send(self, alerts: Sequence[Alert], as_of: date) -> list[Delivery]:
        deliveries = []
        for name, batch in route(self.config, alerts).items():
            channel = self.config.channels[name]
            message = alert_message(batch.alerts, lang=channel.lang, as_of=as_of, mentions=batch.mentions)
            ids = tuple(a.id for a in batch.alerts)
            recipients: tuple[str, ...] = tuple(batch.mentions)
            try:
                if isinstance(channel, EmailChannel):
                    owners = [self.config.people[m].email for m in batch.mentions if m in self.config.people]
                    recipients = tuple(dict.fromkeys([*channel.to, *(e for e in owners if e)]))
                    attempts = send_email(
                        channel,
                        message,
                        recipients,
                        attempts=self.config.retry.attempts,
                        backoff_seconds=self.config.retry.backoff_seconds,
                        timeout_seconds=self.config.retry.timeout_seconds,
                        sleep=self.sleep,
                    )
                else:
                    attempts = self._post(channel, message)
                deliveries.append(Delivery(name, channel.type, ids, recipients, True, attempts))
            except DeliveryError as exc:
                deliveries.append(
                    Delivery(name, channel.type, ids, recipients, False, exc.attempts, str(exc))
                )
        return deliveries

    def _post(
        self, channel: FeishuChannel | DingTalkChannel | WeComChannel | SlackChannel, message: Message
    ) -> int:
        people = self.config.people
        url = channel.url.get_secret_value()
        if isinstance(channel, FeishuChannel):
            secret = channel.secret.get_secret_value() if channel.secret else None
            payload = feishu_payload(message, people, secret=secret, timestamp=int(self.clock()))
        elif isinstance(channel, DingTalkChannel):
            if channel.secret:
                url = dingtalk_signed_url(url, channel.secret.get_secret_value(), int(self.clock() * 1000))
            payload = dingtalk_payload(message, people)
        elif isinstance(channel, WeComChannel):
            payload = wecom_payload(message, people)
        else:
            payload = slack_payload(message, people)
        answer = post_json(
            url,
            payload,
            attempts=self.config.retry.attempts,
            backoff_seconds=self.config.retry.backoff_seconds,
            timeout_seconds=self.config.retry.timeout_seconds,
            sleep=self.sleep,
        )
        check_answer(channel.type, answer)
        return answer.attempts


def record_deliveries(engine: Engine, deliveries: Sequence[Delivery]) -> None:
    """One row per alert and channel: which alerts reached whom, or why not."""
    now = t.utcnow()
    with engine.begin() as con:
        next_id = t.next_id(con, t.deliveries)
        for d in deliveries:
            for alert_id in d.alert_ids:
                con.execute(
                    insert(t.deliveries).values(
                        id=next_id,
                        alert_id=alert_id,
                        channel=d.channel,
                        channel_type=d.channel_type,
                        recipients=", ".join(d.recipients) or None,
                        status="sent" if d.ok else "failed",
                        attempts=d.attempts,
                        error=d.error,
                        at=now,
                    )
                )
                next_id += 1
