"""Real servers on loopback for notification tests: an HTTP server that records each request and answers
from a script, and an SMTP server (aiosmtpd) that keeps the messages it receives."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Hook:
    url: str
    requests: list[Received] = field(default_factory=list)
    #: (status, body) or (status, body, headers) answers in order; the last one repeats.
    answers: list[tuple[Any, ...]] = field(default_factory=lambda: [(200, '{"code":0,"msg":"success"}')])


@contextmanager
def webhook_server(answers: list[tuple[Any, ...]] | None = None) -> Iterator[Hook]:
    hook = Hook(url="")
    if answers is not None:
        hook.answers = list(answers)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            parts = urlsplit(self.path)
            hook.requests.append(
                Received(
                    parts.path, parse_qs(parts.query), dict(self.headers.items()), self.rfile.read(length)
                )
            )
            index = min(len(hook.requests) - 1, len(hook.answers) - 1)
            status, body, *extra = hook.answers[index]
            data = body.encode("utf-8")
            self.send_response(status)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json" if body.startswith("{") else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    host: str
    port: int
    envelopes: list[Any] = field(default_factory=list)


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox("127.0.0.1", free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.envelopes.append(envelope)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=box.host, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
