"""Email against a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

import email
from datetime import date
from email import policy

import pytest

from tests.notify.servers import free_port, smtp_server
from tests.notify.test_webhooks import ROAS, STALE, notifier
from tradewind.notify.config import EmailChannel
from tradewind.notify.email import send_email
from tradewind.notify.message import alert_message
from tradewind.notify.transport import DeliveryError


def test_alert_email_to_the_channel_and_the_owner() -> None:
    with smtp_server() as box:
        n = notifier(
            {
                "mail": {
                    "type": "email",
                    "host": box.host,
                    "port": box.port,
                    "starttls": False,
                    "sender": "alerts@tradewind.test",
                    "to": ["ops@example.com"],
                    "lang": "en",
                }
            }
        )
        (delivery,) = n.send([ROAS, STALE], date(2026, 3, 31))
    assert delivery.ok and delivery.recipients == ("ops@example.com", "li.wei@example.com")
    (envelope,) = box.envelopes
    assert envelope.mail_from == "alerts@tradewind.test"
    assert envelope.rcpt_tos == ["ops@example.com", "li.wei@example.com"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == "Tradewind: 2 new alerts (2026-03-31)"
    assert message["To"] == "ops@example.com, li.wei@example.com"
    text = (
        message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    )  # SMTP lines end CRLF
    assert text == (
        "Tradewind: 2 new alerts (2026-03-31)\n"
        "[REVIEW] #7 acme-eu / DE / sku S1: roas 2.40 below 2.50\n"
        "[WARNING] #8 amazon_all_orders: not imported for 4 days\n"
    )
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<li>[REVIEW] #7 acme-eu / DE / sku S1: roas 2.40 below 2.50</li>" in html


def test_chinese_email() -> None:
    with smtp_server() as box:
        channel = EmailChannel(type="email", host=box.host, port=box.port, starttls=False, sender="a@b.test")
        message = alert_message([ROAS], lang="zh", as_of=date(2026, 3, 31))
        assert send_email(channel, message, ["ops@example.com"]) == 1
    parsed = email.message_from_bytes(box.envelopes[0].original_content, policy=policy.default)
    assert parsed["Subject"] == "Tradewind：1 条新告警（2026-03-31）"
    assert "roas 2.40 低于 2.50" in parsed.get_body(preferencelist=("plain",)).get_content()


def test_smtp_unreachable_is_retried_then_reported_without_the_password() -> None:
    sleeps: list[float] = []
    channel = EmailChannel(
        type="email",
        host="127.0.0.1",
        port=free_port(),
        starttls=False,
        sender="a@b.test",
        username="alerts",
        password="hunter2-secret",
    )
    message = alert_message([ROAS], lang="en", as_of=date(2026, 3, 31))
    with pytest.raises(DeliveryError, match="gave up after 3 attempts") as caught:
        send_email(
            channel, message, ["ops@example.com"], attempts=3, backoff_seconds=0.25, sleep=sleeps.append
        )
    assert sleeps == [0.25, 0.5]
    assert "hunter2" not in str(caught.value) and "hunter2" not in repr(channel)
