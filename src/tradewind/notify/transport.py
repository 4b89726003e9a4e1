"""Posting JSON to a webhook with retries and exponential backoff (urllib: no extra dependency).

Retried: connection errors, timeouts, HTTP 429 and 5xx (a Retry-After header is honoured, up to a
minute). Not retried: other 4xx and a platform's own error code in a 200 answer (a bad signature does not
get better by asking again). Error messages show the URL without its credential (the path and query of
a bot webhook are the key), and never the signing secret.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_RETRY_AFTER = 60.0


class DeliveryError(Exception):
    """A notification could not be delivered; the message is safe to show (no credentials)."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: str
    attempts: int

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def redact(url: str) -> str:
    """`https://open.feishu.cn/…`: where a message went, without the key in its path or query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/…" if parts.scheme else "(webhook)"


def backoff_delays(attempts: int, base: float) -> list[float]:
    """Waits before retries 1..attempts−1: base, 2·base, 4·base, ..."""
    return [base * (2**i) for i in range(max(0, attempts - 1))]


def post_json(
    url: str,
    payload: Any,
    *,
    attempts: int = 4,
    backoff_seconds: float = 1.0,
    timeout_seconds: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> HttpAnswer:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    delays = backoff_delays(attempts, backoff_seconds)
    last_error = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        retry_after: float | None = None
        try:
            with urllib.request.urlopen(request, timeout=timeout_seconds) as response:
                text = response.read().decode("utf-8", errors="replace")
                return HttpAnswer(int(response.status), text, attempt)
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", errors="replace")[:300]
            last_error = f"HTTP {exc.code} from {redact(url)}: {text.strip()}"
            if exc.code != 429 and exc.code < 500:
                raise DeliveryError(last_error, attempt) from None
            header = exc.headers.get("Retry-After") if exc.headers else None
            if header and header.strip().isdigit():
                retry_after = min(float(header.strip()), MAX_RETRY_AFTER)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last_error = f"cannot reach {redact(url)}: {reason}"
        if attempt < attempts:
            wait = delays[attempt - 1]
            sleep(max(wait, retry_after) if retry_after is not None else wait)
    raise DeliveryError(f"{last_error} (gave up after {attempts} attempts)", attempts)
