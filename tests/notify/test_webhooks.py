"""Webhooks against a real HTTP server on 127.0.0.1: the exact JSON bodies of Feishu, DingTalk, WeCom and
Slack, their signatures (expected values computed with `openssl dgst -sha256 -hmac`), retries with
backoff, and no secret in any message."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.notify.servers import free_port, webhook_server
from tradewind.notify.config import NotifyConfig
from tradewind.notify.dispatch import Notifier
from tradewind.notify.transport import DeliveryError, post_json
from tradewind.watch.model import Alert, AlertStatus, Severity

CLOCK = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC
# printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\ntest-secret')" -binary | base64
FEISHU_SIGN = "mbm4Y4oluIPQ00qlBIhX8vAZ0EKv3nw0LuTb91jPL84="
# printf '1700000000000\nSECtest' | openssl dgst -sha256 -hmac 'SECtest' -binary | base64
DINGTALK_SIGN = "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g="


def alert(
    alert_id: int, rule_id: str, severity: Severity, owner: str | None, title: str, title_zh: str
) -> Alert:
    now = datetime(2026, 3, 31, 8, tzinfo=UTC)
    return Alert(
        id=alert_id,
        rule_id=rule_id,
        kind="threshold",
        severity=severity,
        status=AlertStatus.OPEN,
        scope={"marketplace": "DE"},
        period="2026-W14",
        title=title,
        title_zh=title_zh,
        detail="",
        kpi="roas",
        observed=2.4,
        threshold=2.5,
        window=None,
        evidence=(),
        owner=owner,
        as_of=date(2026, 3, 31),
        first_seen_at=now,
        last_seen_at=now,
    )


ROAS = alert(
    7,
    "roas_floor_sku",
    Severity.REVIEW,
    "li.wei",
    "acme-eu / DE / sku S1: roas 2.40 below 2.50",
    "acme-eu / DE / sku S1：roas 2.40 低于 2.50",
)
STALE = alert(
    8,
    "data_freshness",
    Severity.WARNING,
    None,
    "amazon_all_orders: not imported for 4 days",
    "amazon_all_orders：已 4 天未导入",
)
PEOPLE = {
    "li.wei": {
        "email": "li.wei@example.com",
        "mobile": "13800000000",
        "feishu_open_id": "ou_abc123",
        "wecom_userid": "LiWei",
        "slack_user_id": "U024BE7LH",
    }
}


def notifier(channels: dict, *, routes: list | None = None, sleeps: list[float] | None = None) -> Notifier:
    config = NotifyConfig.model_validate(
        {
            "channels": channels,
            "people": PEOPLE,
            "routes": routes or [{"channels": list(channels)}],
            "retry": {"attempts": 4, "backoff_seconds": 0.5, "timeout_seconds": 5},
        }
    )
    record = sleeps if sleeps is not None else []
    return Notifier(config, sleep=record.append, clock=lambda: CLOCK)


def test_feishu_signed_post_message() -> None:
    with webhook_server() as hook:
        n = notifier(
            {
                "ops": {
                    "type": "feishu",
                    "url": f"{hook.url}/open-apis/bot/v2/hook/abc-token",
                    "secret": "test-secret",
                }
            }
        )
        (delivery,) = n.send([STALE, ROAS], date(2026, 3, 31))
    assert delivery.ok and delivery.attempts == 1
    (req,) = hook.requests
    assert req.path == "/open-apis/bot/v2/hook/abc-token"
    assert req.headers["Content-Type"] == "application/json; charset=utf-8"
    assert req.json == {
        "timestamp": "1700000000",
        "sign": FEISHU_SIGN,
        "msg_type": "post",
        "content": {
            "post": {
                "zh_cn": {
                    "title": "Tradewind：2 条新告警（2026-03-31）",
                    "content": [
                        [{"tag": "text", "text": "[需复盘] #7 acme-eu / DE / sku S1：roas 2.40 低于 2.50"}],
                        [{"tag": "text", "text": "[警告] #8 amazon_all_orders：已 4 天未导入"}],
                        [{"tag": "at", "user_id": "ou_abc123"}],
                    ],
                }
            }
        },
    }


def test_dingtalk_signed_url_and_markdown() -> None:
    with webhook_server([(200, '{"errcode":0,"errmsg":"ok"}')]) as hook:
        n = notifier(
            {
                "ding": {
                    "type": "dingtalk",
                    "url": f"{hook.url}/robot/send?access_token=tok123",
                    "secret": "SECtest",
                }
            }
        )
        (delivery,) = n.send([ROAS], date(2026, 3, 31))
    assert delivery.ok
    (req,) = hook.requests
    assert req.path == "/robot/send"
    # parse_qs decodes the URL-encoded base64 sign: the decoded value is the HMAC itself
    assert req.query == {"access_token": ["tok123"], "timestamp": ["1700000000000"], "sign": [DINGTALK_SIGN]}
    assert req.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": "Tradewind：1 条新告警（2026-03-31）",
            "text": "#### Tradewind：1 条新告警（2026-03-31）\n\n"
            "- [需复盘] #7 acme-eu / DE / sku S1：roas 2.40 低于 2.50\n\n@13800000000",
        },
        "at": {"atMobiles": ["13800000000"], "isAtAll": False},
    }


def test_wecom_markdown() -> None:
    with webhook_server([(200, '{"errcode":0,"errmsg":"ok"}')]) as hook:
        n = notifier({"wecom": {"type": "wecom", "url": f"{hook.url}/cgi-bin/webhook/send?key=k-1"}})
        n.send([ROAS, STALE], date(2026, 3, 31))
    (req,) = hook.requests
    assert req.query == {"key": ["k-1"]}
    assert req.json == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**Tradewind：2 条新告警（2026-03-31）**\n"
            "> [需复盘] #7 acme-eu / DE / sku S1：roas 2.40 低于 2.50\n"
            "> [警告] #8 amazon_all_orders：已 4 天未导入\n"
            "<@LiWei>"
        },
    }


def test_slack_incoming_webhook() -> None:
    with webhook_server([(200, "ok")]) as hook:
        n = notifier({"slack": {"type": "slack", "url": f"{hook.url}/services/T000/B000/XXXX"}})
        (delivery,) = n.send([ROAS], date(2026, 3, 31))
    assert delivery.ok
    assert hook.requests[0].json == {
        "text": "Tradewind: 1 new alert (2026-03-31)",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Tradewind: 1 new alert (2026-03-31)"}},
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "• [REVIEW] #7 acme-eu / DE / sku S1: roas 2.40 below 2.50",
                },
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "<@U024BE7LH>"}]},
        ],
    }


def test_retries_with_exponential_backoff() -> None:
    sleeps: list[float] = []
    with webhook_server([(500, "busy"), (503, "busy"), (200, '{"code":0,"msg":"success"}')]) as hook:
        n = notifier({"ops": {"type": "feishu", "url": f"{hook.url}/hook/x"}}, sleeps=sleeps)
        (delivery,) = n.send([ROAS], date(2026, 3, 31))
    assert delivery.ok and delivery.attempts == 3
    assert len(hook.requests) == 3
    assert sleeps == [0.5, 1.0]  # 0.5 s, then twice that
    assert hook.requests[0].body == hook.requests[2].body  # the same message each time


def test_retry_after_is_honoured_and_giving_up_says_so() -> None:
    sleeps: list[float] = []
    pattern = r"HTTP 429 from .*: slow down \(gave up after 3 attempts\)"
    with (
        webhook_server([(429, "slow down", {"Retry-After": "2"})]) as hook,
        pytest.raises(DeliveryError, match=pattern) as caught,
    ):
        post_json(
            f"{hook.url}/hook/secret-token", {"a": 1}, attempts=3, backoff_seconds=0.1, sleep=sleeps.append
        )
    assert sleeps == [2.0, 2.0]  # the server's Retry-After (2 s) beats the backoff (0.1 s, 0.2 s)
    assert "secret-token" not in str(caught.value)


def test_client_errors_and_platform_errors_are_not_retried() -> None:
    with webhook_server([(400, '{"error":"bad"}')]) as hook:
        with pytest.raises(DeliveryError, match="HTTP 400"):
            post_json(f"{hook.url}/x", {}, attempts=4, backoff_seconds=0, sleep=lambda s: None)
        assert len(hook.requests) == 1
    bad_sign = '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}'
    with webhook_server([(200, bad_sign)]) as hook:
        n = notifier({"ops": {"type": "feishu", "url": f"{hook.url}/hook/tok", "secret": "wrong"}})
        (delivery,) = n.send([ROAS], date(2026, 3, 31))
    assert not delivery.ok
    assert (
        delivery.error
        == "feishu refused the message: code 19021: sign match fail or timestamp is not within one hour from current time"
    )
    assert len(hook.requests) == 1


def test_secrets_are_never_printed() -> None:
    port = free_port()  # nothing listens there
    n = notifier(
        {
            "ops": {
                "type": "dingtalk",
                "url": f"http://127.0.0.1:{port}/robot/send?access_token=TOKEN-42",
                "secret": "SEC-VERY-SECRET",
            }
        }
    )
    (delivery,) = n.send([ROAS], date(2026, 3, 31))
    assert not delivery.ok and delivery.attempts == 4
    assert delivery.error is not None and "cannot reach http://127.0.0.1/…" in delivery.error
    shown = f"{n.config!r} {n.config} {delivery!r}"
    for secret in ("TOKEN-42", "SEC-VERY-SECRET"):
        assert secret not in shown


def test_routes_by_rule_and_severity_with_owner_mentions() -> None:
    with (
        webhook_server([(200, '{"errcode":0,"errmsg":"ok"}')]) as ops,
        webhook_server([(200, "ok")]) as slack,
    ):
        n = notifier(
            {
                "ops": {"type": "wecom", "url": f"{ops.url}/w"},
                "agency": {"type": "slack", "url": f"{slack.url}/s"},
            },
            routes=[
                {"rules": ["roas_*"], "min_severity": "review", "channels": ["ops"]},
                {"rules": ["data_*"], "channels": ["agency"], "mention_owner": False},
            ],
        )
        deliveries = n.send([ROAS, STALE], date(2026, 3, 31))
    assert {(d.channel, d.alert_ids) for d in deliveries} == {("ops", (7,)), ("agency", (8,))}
    assert "<@LiWei>" in ops.requests[0].json["markdown"]["content"]
    assert "<@" not in slack.requests[0].body.decode()
