"""Delivering messages over SMTP (test sends, and simulated delivery with --smtp)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from seqstudio.core.errors import StudioError

TIMEOUT = 20.0  # seconds for connect and each command


class SmtpError(StudioError):
    """The SMTP server refused or could not be reached."""


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int = 25
    starttls: bool = False
    user: str = ""

    @classmethod
    def parse(cls, text: str, *, starttls: bool = False, user: str = "") -> SmtpTarget:
        """ "HOST:PORT" or "HOST" (port 25)."""
        host, _, port = text.rpartition(":") if ":" in text else (text, "", "25")
        if not host or not port.isdigit():
            raise StudioError(f"--smtp {text!r}: expected HOST:PORT, for example 127.0.0.1:1025")
        return cls(host, int(port), starttls, user)


class SmtpSender:
    """One connection for many messages; use as a context manager. Never logs the password."""

    def __init__(self, target: SmtpTarget, password: str = "") -> None:
        self.target, self._password = target, password
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        target = self.target
        try:
            client = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
            if target.starttls:
                client.starttls(context=ssl.create_default_context())
            if target.user:
                client.login(target.user, self._password)
        except (OSError, smtplib.SMTPException) as error:
            raise SmtpError(
                f"Could not connect to the SMTP server {target.host}:{target.port}: {error}", repr(error)
            ) from None
        self._client = client
        return self

    def __exit__(self, *_: object) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (OSError, smtplib.SMTPException):
                self._client.close()
            self._client = None

    def send(self, message: EmailMessage) -> None:
        assert self._client is not None, "use SmtpSender as a context manager"
        try:
            refused = self._client.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise SmtpError(f"The SMTP server did not accept the email to {message['To']}: {error}") from None
        if refused:
            raise SmtpError(f"The SMTP server refused {', '.join(refused)}")
