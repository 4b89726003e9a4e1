"""The real message formats and request signing of the group-bot webhooks Chinese and global teams use.

- Feishu (飞书) custom bot: POST `{"msg_type": "post", "content": {"post": {"zh_cn": {title, content}}}}`;
  with 签名校验 the body also carries `timestamp` (seconds) and `sign` = base64(HMAC-SHA256 with key
  "timestamp\\nsecret" over an empty message). Answers `{"code": 0, "msg": "success"}`.
- DingTalk (钉钉) robot: POST `{"msgtype": "markdown", "markdown": {title, text}, "at": {...}}`; with 加签
  the URL gets `&timestamp=<ms>&sign=<urlencoded base64(HMAC-SHA256 with key secret over
  "timestamp\\nsecret")>`. Answers `{"errcode": 0, "errmsg": "ok"}`.
- WeCom (企业微信) group robot: POST `{"msgtype": "markdown", "markdown": {"content": ...}}` (content at most
  4096 bytes; `<@userid>` mentions). Answers `{"errcode": 0, "errmsg": "ok"}`.
- Slack incoming webhook: POST `{"text": fallback, "blocks": [...]}` (`<@U…>` mentions). Answers `ok`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

from tradewind.notify.config import Person
from tradewind.notify.message import Message, fit
from tradewind.notify.transport import DeliveryError, HttpAnswer

WECOM_MARKDOWN_BYTES = 4096
DINGTALK_TEXT_BYTES = 18000
SLACK_SECTION_CHARS = 3000
MORE = {"zh": "…… 另有 {n} 条", "en": "... and {n} more"}


# -- signing --------------------------------------------------------------------------------------------
def feishu_sign(secret: str, timestamp: int) -> str:
    """Feishu: the key is "timestamp\\nsecret" and the message is empty (as Feishu's own samples do)."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk: the key is the secret and the message is "timestamp\\nsecret" (base64, before URL encoding)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={quote_plus(dingtalk_sign(secret, timestamp_ms))}"


# -- payloads -------------------------------------------------------------------------------------------
def feishu_payload(
    message: Message, people: Mapping[str, Person], *, secret: str | None = None, timestamp: int | None = None
) -> dict[str, Any]:
    content: list[list[dict[str, str]]] = [[{"tag": "text", "text": line}] for line in message.lines]
    ats = [people[m].feishu_open_id for m in message.mentions if m in people and people[m].feishu_open_id]
    if ats:
        content.append([{"tag": "at", "user_id": str(open_id)} for open_id in ats])
    locale = "zh_cn" if message.lang == "zh" else "en_us"
    payload: dict[str, Any] = {}
    if secret:
        if timestamp is None:
            raise ValueError("a signed Feishu message needs its timestamp")
        payload["timestamp"] = str(timestamp)
        payload["sign"] = feishu_sign(secret, timestamp)
    payload["msg_type"] = "post"
    payload["content"] = {"post": {locale: {"title": message.title, "content": content}}}
    return payload


def dingtalk_payload(message: Message, people: Mapping[str, Person]) -> dict[str, Any]:
    mobiles = [str(people[m].mobile) for m in message.mentions if m in people and people[m].mobile]
    lines = fit([f"- {line}" for line in message.lines], DINGTALK_TEXT_BYTES, "- " + MORE[message.lang])
    text = "\n".join([f"#### {message.title}", "", *lines])
    if mobiles:
        # DingTalk highlights an @ only when the number is also written in the text.
        text += "\n\n" + " ".join(f"@{m}" for m in mobiles)
    return {
        "msgtype": "markdown",
        "markdown": {"title": message.title, "text": text},
        "at": {"atMobiles": mobiles, "isAtAll": False},
    }


def wecom_payload(message: Message, people: Mapping[str, Person]) -> dict[str, Any]:
    ids = [str(people[m].wecom_userid) for m in message.mentions if m in people and people[m].wecom_userid]
    head = f"**{message.title}**"
    tail = " ".join(f"<@{u}>" for u in ids)
    budget = WECOM_MARKDOWN_BYTES - len(head.encode("utf-8")) - len(tail.encode("utf-8")) - 4
    lines = fit([f"> {line}" for line in message.lines], budget, "> " + MORE[message.lang])
    content = "\n".join([head, *lines, *([tail] if tail else [])])
    return {"msgtype": "markdown", "markdown": {"content": content}}


def slack_payload(message: Message, people: Mapping[str, Person]) -> dict[str, Any]:
    ids = [str(people[m].slack_user_id) for m in message.mentions if m in people and people[m].slack_user_id]
    lines = fit([f"• {line}" for line in message.lines], SLACK_SECTION_CHARS, "• " + MORE[message.lang])
    body = "\n".join(lines)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body[:SLACK_SECTION_CHARS]}},
    ]
    if ids:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": " ".join(f"<@{u}>" for u in ids)}]}
        )
    return {"text": message.title, "blocks": blocks}


# -- answers --------------------------------------------------------------------------------------------
def check_answer(kind: str, answer: HttpAnswer) -> None:
    """Platforms answer HTTP 200 with their own error code; turn that into a DeliveryError."""
    if kind == "slack":
        if answer.body.strip() != "ok":
            raise DeliveryError(f"Slack answered {answer.body.strip()[:200]!r}", answer.attempts)
        return
    data = answer.json()
    if not isinstance(data, dict):
        raise DeliveryError(
            f"{kind} answered something that is not JSON: {answer.body[:200]!r}", answer.attempts
        )
    if kind == "feishu":
        code = data.get("code", data.get("StatusCode", 0))
        message = data.get("msg", data.get("StatusMessage", ""))
    else:
        code = data.get("errcode", 0)
        message = data.get("errmsg", "")
    if code not in (0, "0", None):
        raise DeliveryError(f"{kind} refused the message: code {code}: {message}", answer.attempts)
