"""The export dialog, the test-send dialog and the simulate view, driven in the real window
against local servers (a Klaviyo stand-in that validates bodies against the OpenAPI document,
and aiosmtpd)."""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from seqstudio.core.export.rendering import MergeFields, RenderedEmail, RenderFn, default_render
from seqstudio.core.export.state import load_library_meta
from seqstudio.core.export.targets import ExportTarget
from seqstudio.core.model import Sequence, Step
from seqstudio.core.paths import shipped_dir
from seqstudio.core.secrets import SecretStore
from seqstudio.gui.export import export_dialog
from seqstudio.gui.export.export_dialog import ExportDialog
from seqstudio.gui.export.send_test_dialog import SendTestDialog
from seqstudio.gui.export.simulate_dialog import SimulateDialog
from seqstudio.gui.mainwindow import MainWindow
from tests.gui.conftest import WindowFactory
from tests.support.klaviyo_server import KlaviyoStub, klaviyo_stub
from tests.support.memory_keyring import MemoryKeyring
from tests.support.openapi import validation_errors
from tests.support.smtp_server import smtp_inbox

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
KEY = "pk_gui_secret_value_456"


@pytest.fixture
def window(make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    for name in ("SEQSTUDIO_KLAVIYO_API_KEY", "SEQSTUDIO_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    opened = make_window()
    opened.secrets = SecretStore(backend=MemoryKeyring(), environ={})
    opened.import_flow_file(str(EXAMPLE))
    return opened


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[KlaviyoStub]:
    with klaviyo_stub(validation_errors) as server:
        server.state.lists["L0001"] = "Newsletter"
        for number, name in enumerate(["Opened Email", "Started Checkout", "Viewed Product", "Placed Order"]):
            server.state.metrics[f"M{number}"] = name
        monkeypatch.setenv("SEQSTUDIO_KLAVIYO_URL", server.url)
        yield server


def _export_dialog(window: MainWindow) -> ExportDialog:
    sequence = window.workspace.sequence
    assert sequence is not None
    from seqstudio.core.export.state import save_library_meta

    return ExportDialog(
        sequence,
        load_library_meta(sequence.id),
        secrets=window.secrets,
        runner=window.context.runner,
        keep_meta=lambda meta: save_library_meta(sequence.id, meta),
        parent=window,
    )


def test_bundle_export_shows_its_plan_then_writes_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _export_dialog(window)
    dialog.select_target(ExportTarget.BUNDLE)
    archive = tmp_path / "welcome.zip"
    dialog.path.setText(str(archive))
    qtbot.waitUntil(lambda: str(archive) in dialog.plan.toPlainText())
    plan = dialog.plan.toPlainText().splitlines()
    assert len(plan) == 13 and all(str(archive) in line for line in plan)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert "Wrote 13 files" in dialog.message.text()
    assert len(zipfile.ZipFile(archive).namelist()) == 13


def test_klaviyo_export_from_the_dialog_then_again_without_duplicates(
    qtbot: QtBot, window: MainWindow, stub: KlaviyoStub
) -> None:
    dialog = _export_dialog(window)
    dialog.select_target(ExportTarget.KLAVIYO)
    assert dialog.key_status.text().startswith("Enter your Klaviyo private API key above")
    qtbot.waitUntil(lambda: "/api/flows" in dialog.plan.toPlainText())
    assert stub.seen == [], "planning sends nothing"
    dialog.key.setText(KEY)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None or "failed" in dialog.message.text(), timeout=30000)
    assert dialog.outcome is not None, dialog.message.text()
    assert window.secrets.stored("klaviyo:api_key") == KEY and dialog.key.text() == ""
    assert stub.invalid == [] and len(stub.state.flows) == 1 and len(stub.state.templates) == 6
    assert all(
        seen.headers.get("authorization", seen.headers.get("Authorization", "")).endswith(KEY)
        for seen in stub.seen
    )
    sequence = window.workspace.sequence
    assert sequence is not None and load_library_meta(sequence.id).block("klaviyo")

    again = _export_dialog(window)
    again.select_target(ExportTarget.KLAVIYO)
    qtbot.waitUntil(again.apply_button.isEnabled)
    again.apply_button.click()
    qtbot.waitUntil(lambda: again.outcome is not None or "failed" in again.message.text(), timeout=30000)
    assert again.outcome is not None, again.message.text()
    assert len(stub.state.flows) == 1 and len(stub.state.templates) == 6, "a re-export creates nothing new"


def test_typing_a_path_renders_each_email_once_and_never_on_the_gui_thread(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[bool] = []  # one entry per rendered email: was it on the GUI thread?

    def counting_render() -> RenderFn:
        render = default_render()

        def counted(sequence: Sequence, step: Step, fields: MergeFields | None = None) -> RenderedEmail:
            renders.append(threading.current_thread() is threading.main_thread())
            return render(sequence, step, fields)

        return counted

    monkeypatch.setattr(export_dialog, "default_render", counting_render)
    dialog = _export_dialog(window)
    dialog.show()
    dialog.select_target(ExportTarget.BUNDLE)
    qtbot.waitUntil(lambda: "Choose where" in dialog.plan.toPlainText())
    archive = str(tmp_path / "welcome.zip")
    qtbot.keyClicks(dialog.path, archive)
    qtbot.waitUntil(lambda: archive in dialog.plan.toPlainText())
    steps = len(dialog.sequence.steps)
    assert len(renders) == steps, f"{len(renders)} renders for {len(archive)} keys and {steps} steps"
    qtbot.keyClick(dialog.path, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.path, "ip-folder")
    qtbot.waitUntil(lambda: "in folder" in dialog.plan.toPlainText())
    assert len(renders) == steps, "a new path needs no new rendering"
    assert not any(renders), "rendering ran on the GUI thread"
    dialog.reject()


def test_only_the_latest_plan_is_shown(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = _export_dialog(window)
    dialog.select_target(ExportTarget.BUNDLE)
    first, last = str(tmp_path / "first.zip"), str(tmp_path / "last.zip")
    dialog.path.setText(first)
    dialog.refresh_plan()
    dialog.path.setText(last)
    dialog.refresh_plan()
    qtbot.waitUntil(lambda: not window.context.runner.active() and last in dialog.plan.toPlainText())
    assert first not in dialog.plan.toPlainText()


def test_the_missing_key_message_fits_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _export_dialog(window)
    dialog.select_target(ExportTarget.KLAVIYO)
    text = dialog.key_status.text()
    assert text == "Enter your Klaviyo private API key above; it is kept in the system keyring."
    assert dialog.key_status.wordWrap()
    dialog.start_export()
    assert dialog.message.text() == text and dialog.handle is None
    qtbot.waitUntil(lambda: not window.context.runner.active())


def test_send_test_delivers_a_real_message(qtbot: QtBot, window: MainWindow) -> None:
    sequence = window.workspace.sequence
    assert sequence is not None
    with smtp_inbox() as inbox:
        dialog = SendTestDialog(
            sequence, 2, secrets=window.secrets, runner=window.context.runner, parent=window
        )
        dialog.to.setText("me@example.com")
        dialog.server.setText(inbox.address)
        dialog.send_button.click()
        qtbot.waitUntil(lambda: bool(dialog.message_id) or "Not sent" in dialog.message.text(), timeout=20000)
        assert dialog.message_id, dialog.message.text()
        [message] = inbox.messages
    assert message["Subject"].startswith("[TEST]") and "40 kilos" in message["Subject"]
    assert message["List-Unsubscribe"] and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}


def test_send_test_refuses_a_bad_address_without_sending(window: MainWindow) -> None:
    sequence = window.workspace.sequence
    assert sequence is not None
    dialog = SendTestDialog(sequence, 1, secrets=window.secrets, runner=window.context.runner, parent=window)
    dialog.to.setText("me-at-example")
    dialog.start_send()
    assert "not an email address" in dialog.message.text()


def test_simulate_view_shows_who_gets_what_and_who_leaves(qtbot: QtBot, window: MainWindow) -> None:
    sequence = window.workspace.sequence
    assert sequence is not None
    dialog = SimulateDialog(sequence, runner=window.context.runner, parent=window)
    dialog.run_button.click()
    qtbot.waitUntil(lambda: bool(dialog.timeline) or "line" in dialog.summary.text(), timeout=30000)
    assert dialog.table.rowCount() == len(dialog.timeline) == 4 * 6
    chloe = [e for e in dialog.timeline if e.email == "chloe@example.com"]
    assert sum(e.sent for e in chloe) == 1, "Chloé orders 30 minutes in, after the first email only"
    assert any("order" in e.reason.lower() for e in chloe if not e.sent)
    ana = [e for e in dialog.timeline if e.email == "ana@example.com"]
    assert all(e.sent for e in ana)
    dialog.contacts.setPlainText("mail,name\nx@y.z,X\n")
    dialog.run_simulation()
    assert "header" in dialog.summary.text()


def test_enter_in_a_field_exports_and_never_closes_the_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = _export_dialog(window)
    dialog.show()
    dialog.select_target(ExportTarget.BUNDLE)
    archive = tmp_path / "welcome.zip"
    dialog.path.setText(str(archive))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # before the plan: nothing happens
    assert dialog.isVisible() and dialog.outcome is None
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=20000)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20000)
    assert dialog.isVisible() and archive.is_file()
    dialog.close()
