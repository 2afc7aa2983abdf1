"""Delivering messages over SMTP (test sends, and simulated delivery with --smtp)."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from seqstudio.core.errors import StudioError

TIMEOUT = 20.0  # seconds for connect and each command


class SmtpError(StudioError):
    """The SMTP server refused or could not be reached."""


def _why_unreachable(error: BaseException) -> str:
    """A few words on why a connection failed, for a user message ("connection refused")."""
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "no such server name"
    if isinstance(error, TimeoutError):
        return f"no answer within {TIMEOUT:.0f} seconds"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "it closed the connection"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


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
        where = f"{target.host}:{target.port}"
        try:
            client = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
        except (OSError, smtplib.SMTPException) as error:
            raise SmtpError(
                f"Could not reach the mail server {where} ({_why_unreachable(error)}). "
                "Check the server name and port, and that the mail server is running.",
                repr(error),
            ) from None
        try:
            if target.starttls:
                client.starttls(context=ssl.create_default_context())
            if target.user:
                client.login(target.user, self._password)
        except smtplib.SMTPAuthenticationError as error:
            client.close()
            raise SmtpError(
                f"The mail server {where} did not accept the password for {target.user}. "
                "Check the user name and password.",
                repr(error),
            ) from None
        except smtplib.SMTPNotSupportedError as error:
            client.close()
            what = "STARTTLS" if "STARTTLS" in str(error) else "login (SMTP AUTH)"
            raise SmtpError(
                f"The mail server {where} does not offer {what}. Check the server and port, "
                f"and whether this server needs {what} at all.",
                repr(error),
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            client.close()
            step = "the secure connection (STARTTLS)" if isinstance(error, ssl.SSLError) else "signing in"
            raise SmtpError(
                f"The mail server {where} failed at {step}: {_why_unreachable(error)}. "
                "Check the server, port and STARTTLS setting.",
                repr(error),
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
