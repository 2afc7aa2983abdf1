"""The Settings dialog's fields say only what is true: no example address in a field that is
off, and Remove stored key only when the keyring holds one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from seqstudio.core.secrets import SecretStore
from seqstudio.gui.dialogs.settings import COMPATIBLE, OFFLINE, OPENAI, SettingsDialog
from tests.gui.conftest import WindowFactory

KEY = "sk-test-fields-0123456789abcdef"


def _dialog(qtbot: QtBot, make_window: WindowFactory, **context_fields: object) -> SettingsDialog:
    window = make_window(**context_fields)
    dialog = SettingsDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_base_url_example_shows_only_while_the_field_is_on(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    dialog = _dialog(qtbot, make_window)
    for kind in (OPENAI, OFFLINE):
        dialog.provider.setCurrentIndex(dialog.provider.findData(kind))
        assert not dialog.base_url.isEnabled() and dialog.base_url.placeholderText() == "", kind
    dialog.provider.setCurrentIndex(dialog.provider.findData(COMPATIBLE))
    assert dialog.base_url.isEnabled()
    assert dialog.base_url.placeholderText() == "e.g. http://localhost:11434/v1"


def test_remove_is_offered_only_while_a_key_is_stored(
    qtbot: QtBot, make_window: WindowFactory, secrets: SecretStore
) -> None:
    assert not _dialog(qtbot, make_window).forget_key.isEnabled()
    secrets.set_api_key(KEY)
    dialog = _dialog(qtbot, make_window)
    assert dialog.forget_key.isEnabled()
    dialog.forget_key.click()
    assert dialog.test_result.text() == "The stored key was removed."
    assert not dialog.forget_key.isEnabled() and secrets.get_api_key() is None


def test_a_key_stored_by_a_save_that_failed_can_be_removed(
    qtbot: QtBot, make_window: WindowFactory, secrets: SecretStore, tmp_path: Path
) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    dialog = _dialog(qtbot, make_window, preferences_path=folder)  # writing the preferences fails
    assert not dialog.forget_key.isEnabled()
    dialog.api_key.setText(KEY)
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted and "could not be written" in dialog.problems.text()
    assert secrets.get_api_key() == KEY and dialog.forget_key.isEnabled()
