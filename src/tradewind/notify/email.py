"""Email notifications over SMTP (STARTTLS on 587 or SSL on 465, or plain for a local relay), as a
multipart message: plain text for every client, HTML for those that show it."""

from __future__ import annotations

import html
import smtplib
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from tradewind.notify.config import EmailChannel
from tradewind.notify.message import Message
from tradewind.notify.transport import DeliveryError, backoff_delays

#: Errors that asking again will not fix.
_PERMANENT = (smtplib.SMTPAuthenticationError, smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


def build_email(message: Message, sender: str, recipients: Sequence[str]) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "tradewind.local")
    mail.set_content(message.text + "\n")
    items = "".join(f"<li>{html.escape(line)}</li>" for line in message.lines)
    mail.add_alternative(
        f"<!DOCTYPE html><html><body><h2>{html.escape(message.title)}</h2><ul>{items}</ul></body></html>",
        subtype="html",
    )
    return mail


def send_email(
    channel: EmailChannel,
    message: Message,
    recipients: Sequence[str],
    *,
    attempts: int = 4,
    backoff_seconds: float = 1.0,
    timeout_seconds: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Send; returns the number of attempts it took. Raises DeliveryError (without the password)."""
    if not recipients:
        raise DeliveryError("no recipients: give the channel `to:` addresses or the owner an email", 0)
    mail = build_email(message, channel.sender, recipients)
    delays = backoff_delays(attempts, backoff_seconds)
    last = ""
    for attempt in range(1, attempts + 1):
        try:
            smtp_class = smtplib.SMTP_SSL if channel.ssl else smtplib.SMTP
            with smtp_class(channel.host, channel.port, timeout=timeout_seconds) as smtp:
                if channel.starttls:
                    smtp.starttls()
                if channel.username:
                    password = channel.password.get_secret_value() if channel.password else ""
                    smtp.login(channel.username, password)
                smtp.send_message(mail, from_addr=channel.sender, to_addrs=list(recipients))
            return attempt
        except _PERMANENT as exc:
            raise DeliveryError(
                f"SMTP {channel.host}:{channel.port} refused: {_smtp_text(exc)}", attempt
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            last = f"SMTP {channel.host}:{channel.port}: {_smtp_text(exc)}"
        if attempt < attempts:
            sleep(delays[attempt - 1])
    raise DeliveryError(f"{last} (gave up after {attempts} attempts)", attempts)


def _smtp_text(exc: BaseException) -> str:
    code = getattr(exc, "smtp_code", None)
    error = getattr(exc, "smtp_error", None)
    if code is not None:
        detail = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error or "")
        return f"{code} {detail}".strip()
    return str(exc) or type(exc).__name__
