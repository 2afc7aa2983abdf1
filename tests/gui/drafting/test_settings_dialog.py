"""The Settings dialog: preferences saved atomically, the key in the keyring and never in the
preferences file, a clear word where no keyring exists, and Test connection through the runner."""

from __future__ import annotations

import json

from keyring.backends import fail
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from seqstudio.core.preferences import load_preferences, preferences_path
from seqstudio.core.secrets import API_KEY_ENTRY, SERVICE, KeySource, SecretStore
from seqstudio.gui.dialogs.settings import COMPATIBLE, OFFLINE, SettingsDialog
from tests.gui.conftest import WindowFactory
from tests.gui.test_main_window import when_modal
from tests.support.memory_keyring import MemoryKeyring
from tests.support.openai_server import OpenAICompatibleServer, Reply

KEY = "sk-test-settings-0123456789abcdef"


def test_settings_are_saved_and_the_key_goes_to_the_keyring_only(
    qtbot: QtBot, make_window: WindowFactory, memory_keyring: MemoryKeyring
) -> None:
    window = make_window()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        assert not dialog.keyring_note.isVisible() and dialog.session_only.isEnabled()
        dialog.provider.setCurrentIndex(dialog.provider.findData(COMPATIBLE))
        dialog.base_url.setText("http://localhost:11434/v1/")
        dialog.model.setText("llama3.1")
        dialog.temperature.setValue(0.3)
        dialog.api_key.setText(KEY)
        dialog.buttons.accepted.emit()

    when_modal(qtbot, fill)
    window.show_settings()
    provider = window.context.preferences.provider
    assert (provider.base_url, provider.model, provider.temperature) == (
        "http://localhost:11434/v1",
        "llama3.1",
        0.3,
    )
    assert load_preferences().preferences.provider == provider, "written to the preferences file"
    text = preferences_path().read_text(encoding="utf-8")
    assert KEY not in text and json.loads(text)["provider"]["model"] == "llama3.1"
    assert memory_keyring.passwords[(SERVICE, API_KEY_ENTRY)] == KEY
    assert window.context.secrets.status().source is KeySource.KEYRING


def test_a_bad_base_url_is_refused_and_nothing_is_written(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    dialog = SettingsDialog(window.context, window)
    dialog.provider.setCurrentIndex(dialog.provider.findData(COMPATIBLE))
    dialog.base_url.setText("localhost:11434")
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "http://" in dialog.problems.text()
    assert not preferences_path().exists()
    dialog.provider.setCurrentIndex(dialog.provider.findData(OFFLINE))
    dialog.buttons.accepted.emit()
    assert window.context.preferences.provider.offline and preferences_path().exists()


def test_without_a_keyring_the_dialog_says_so_and_keeps_the_key_for_this_session(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    secrets = SecretStore(backend=fail.Keyring(), environ={})
    window = make_window(secrets=secrets)
    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.keyring_note.isVisible() and "No system keyring" in dialog.keyring_note.text()
    assert dialog.session_only.isChecked() and not dialog.session_only.isEnabled()
    dialog.api_key.setText(KEY)
    dialog.buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert secrets.get_api_key() == KEY and secrets.status().source is KeySource.SESSION
    assert KEY not in preferences_path().read_text(encoding="utf-8")


def test_test_connection_runs_through_the_runner_against_the_endpoint(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    with OpenAICompatibleServer() as server:
        dialog.provider.setCurrentIndex(dialog.provider.findData(COMPATIBLE))
        dialog.base_url.setText(server.base_url)
        dialog.model.setText("local-model")
        dialog.api_key.setText(KEY)
        dialog.test_button.click()
        assert not dialog.test_button.isEnabled()
        qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
        assert dialog.test_result.text().startswith(f"Connected to {server.base_url}: local-model")
        assert server.requests[0].had_authorization
        server.script(Reply.error(404, "The model `nope` does not exist"))
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
        assert "has no model named 'local-model'" in dialog.test_result.text(), dialog.test_result.text()
    assert KEY not in dialog.test_result.text()
    assert not preferences_path().exists(), "testing saves nothing"


def test_the_reading_targets_are_saved_and_reach_the_review(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        assert dialog.target_grade.value() == 8.0 and dialog.long_sentence_words.value() == 25
        dialog.provider.setCurrentIndex(dialog.provider.findData(OFFLINE))
        dialog.target_grade.setValue(6.5)
        dialog.long_sentence_words.setValue(18)
        dialog.buttons.accepted.emit()

    when_modal(qtbot, fill)
    window.show_settings()
    tells = window.context.preferences.tells
    assert (tells.target_grade, tells.long_sentence_words) == (6.5, 18)
    assert load_preferences().preferences.tells == tells, "written to the preferences file"
