"""The send-test dialog on its own: where a test goes by default, when Send is possible, and
what a failed connection says. A real aiosmtpd server on loopback; UI state in a temp file."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Sequence
from seqstudio.core.paths import shipped_dir
from seqstudio.core.secrets import SecretStore
from seqstudio.gui.export.send_test_dialog import SendTestDialog
from seqstudio.gui.tasks import TaskRunner
from tests.support.smtp_server import smtp_inbox

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"


@pytest.fixture
def sequence() -> Sequence:
    return read_flow_file(EXAMPLE).sequence


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    assert runner.shutdown(2000)


@pytest.fixture
def ui_state(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_dialog(
    qtbot: QtBot, sequence: Sequence, secrets: SecretStore, runner: TaskRunner, ui_state: QSettings
) -> Callable[[], SendTestDialog]:
    """Opens the dialog as the window would; every dialog shares one UI state file."""

    def factory() -> SendTestDialog:
        dialog = SendTestDialog(sequence, 1, secrets=secrets, runner=runner, ui_state=ui_state)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return factory


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_to_starts_empty_never_at_the_brands_inbox(
    sequence: Sequence, open_dialog: Callable[[], SendTestDialog]
) -> None:
    dialog = open_dialog()
    assert sequence.brand.reply_to, "the example has a reply-to address a test must not go to"
    assert dialog.to.text() == "" and dialog.to.placeholderText() == "you@yourcompany.com"
    assert not dialog.send_button.isEnabled()
    assert dialog.send_button.isDefault(), "Enter sends once To is valid, never closes"


def test_send_is_enabled_only_for_a_valid_address(
    qtbot: QtBot, open_dialog: Callable[[], SendTestDialog]
) -> None:
    dialog = open_dialog()
    qtbot.keyClicks(dialog.to, "me@")
    assert not dialog.send_button.isEnabled()
    qtbot.keyClicks(dialog.to, "example.com")
    assert dialog.send_button.isEnabled()
    dialog.to.clear()
    assert not dialog.send_button.isEnabled()


def test_the_next_dialog_remembers_where_the_last_test_went(
    qtbot: QtBot, open_dialog: Callable[[], SendTestDialog], ui_state: QSettings
) -> None:
    with smtp_inbox() as inbox:
        dialog = open_dialog()
        dialog.to.setText("me@example.com")
        dialog.server.setText(inbox.address)
        dialog.send_button.click()
        qtbot.waitUntil(lambda: bool(dialog.message_id) or "Not sent" in dialog.message.text())
        assert dialog.message_id, dialog.message.text()
        assert [message["To"] for message in inbox.messages] == ["me@example.com"]
    assert dialog.send_button.isEnabled(), "another test can follow"
    again = open_dialog()
    assert again.to.text() == "me@example.com" and again.server.text() == inbox.address
    assert again.send_button.isEnabled()
    assert all("password" not in key.lower() for key in ui_state.allKeys())


def test_an_unreachable_server_is_named_with_what_to_check(
    qtbot: QtBot, open_dialog: Callable[[], SendTestDialog], ui_state: QSettings
) -> None:
    dialog = open_dialog()
    port = _closed_port()
    dialog.to.setText("me@example.com")
    dialog.server.setText(f"127.0.0.1:{port}")
    dialog.send_button.click()
    assert not dialog.send_button.isEnabled(), "one send at a time"
    qtbot.waitUntil(lambda: "Not sent" in dialog.message.text())
    assert dialog.message.text() == (
        f"Not sent: Could not reach the mail server 127.0.0.1:{port} (connection refused). "
        "Check the server name and port, and that the mail server is running."
    )
    assert dialog.send_button.isEnabled()
    assert ui_state.value("send_test/to") is None, "only a test that went out is remembered"


def test_a_missing_password_asks_for_it_in_the_dialog(open_dialog: Callable[[], SendTestDialog]) -> None:
    dialog = open_dialog()
    dialog.to.setText("me@example.com")
    dialog.server.setText("127.0.0.1:2525")
    dialog.user.setText("mara")
    dialog.send_button.click()
    assert dialog.message.text() == (
        "Enter your SMTP password for mara at 127.0.0.1 above; it is kept in the system keyring."
    )
    assert dialog.handle is None
