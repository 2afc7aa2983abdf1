"""The tells review keeps up with the window: new Settings reach it at once, and a step switch
never leaves the figures of the email shown before under the editor or in the panel."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from seqstudio.core.model import Sequence
from seqstudio.gui.dialogs.settings import SettingsDialog
from tests.gui.conftest import WindowFactory
from tests.gui.tells.conftest import OPENER, open_in, wait_listed, with_bodies
from tests.gui.test_main_window import when_modal

HARD = (  # far above any reading target
    "Notwithstanding considerable organisational complexity, our multidisciplinary procurement"
    " infrastructure systematically prioritises environmentally sustainable agricultural partnerships."
)
KEY = "sk-test-review-0123456789abcdef"


def test_saving_settings_rechecks_with_the_new_target_and_model(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"{OPENER}. {HARD}"}))
    tells, panel = window.tells, window.tells.panel
    wait_listed(qtbot, window)
    assert "(target 8)" in tells.score.text()
    assert "needs a model" in panel.rewrite_reason.text()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        dialog.target_grade.setValue(3.0)
        dialog.long_sentence_words.setValue(10)
        dialog.api_key.setText(KEY)
        dialog.buttons.accepted.emit()

    when_modal(qtbot, fill)
    window.show_settings()  # no Review › Check again: the review follows by itself
    qtbot.waitUntil(lambda: tells.review is not None and tells.review.target_grade == 3.0, timeout=10000)
    assert "(target 3)" in tells.score.text()
    assert "above the target 3" in panel.summary.text()
    assert panel.rewrite_reason.text() == "" and panel.rewrite_reason.isHidden()
    panel.select(wait_listed(qtbot, window))
    assert panel.rewrite_button.isEnabled()


def test_forgetting_the_key_turns_rewrite_off_even_when_the_dialog_is_cancelled(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    window.context.secrets.set_api_key(KEY)
    open_in(window, with_bodies(welcome, {1: f"{OPENER}. Beans ship Wednesday."}))
    panel = window.tells.panel
    panel.select(wait_listed(qtbot, window))
    assert panel.rewrite_button.isEnabled()

    def forget_and_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        dialog.forget_key.click()
        dialog.reject()

    when_modal(qtbot, forget_and_cancel)
    window.show_settings()
    qtbot.waitUntil(lambda: "needs a model" in panel.rewrite_reason.text(), timeout=10000)
    panel.select(wait_listed(qtbot, window))
    assert not panel.rewrite_button.isEnabled()
