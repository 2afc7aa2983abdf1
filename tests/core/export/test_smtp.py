"""A failed SMTP connection says which server, what went wrong in words, and what to check."""

from __future__ import annotations

import socket

import pytest

from seqstudio.core.export.smtp import SmtpError, SmtpSender, SmtpTarget
from tests.support.smtp_server import smtp_inbox


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the socket closes


def test_an_unreachable_server_is_named_with_what_to_check() -> None:
    port = _closed_port()
    with pytest.raises(SmtpError) as raised, SmtpSender(SmtpTarget("127.0.0.1", port)):
        pass
    assert raised.value.user_message == (
        f"Could not reach the mail server 127.0.0.1:{port} (connection refused). "
        "Check the server name and port, and that the mail server is running."
    )
    assert "Errno" not in raised.value.user_message and "ConnectionRefusedError" in raised.value.detail


def test_a_server_without_login_says_so() -> None:
    with smtp_inbox() as inbox:
        target = SmtpTarget(inbox.host, inbox.port, user="mara")
        with pytest.raises(SmtpError) as raised, SmtpSender(target, "secret"):
            pass
    message = raised.value.user_message
    assert message.startswith(f"The mail server {inbox.address} does not offer login (SMTP AUTH).")
    assert "secret" not in message + raised.value.detail


def test_a_server_without_starttls_says_so() -> None:
    with smtp_inbox() as inbox:
        target = SmtpTarget(inbox.host, inbox.port, starttls=True)
        with pytest.raises(SmtpError) as raised, SmtpSender(target):
            pass
    assert raised.value.user_message.startswith(f"The mail server {inbox.address} does not offer STARTTLS.")
