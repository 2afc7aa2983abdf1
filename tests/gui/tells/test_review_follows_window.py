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
    assert "(target 8)" in tells.score.shown_text()
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
    assert "(target 3)" in tells.score.shown_text()
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


def test_switching_steps_clears_the_previous_emails_figures_until_its_own_land(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"{OPENER}. {HARD}", 2: "See you on Friday."}))
    tells, panel = window.tells, window.tells.panel
    wait_listed(qtbot, window)
    assert "reads machine-written" in tells.score.shown_text()
    assert panel.summary.text() and panel.entries()

    window.workspace.select_step(2)
    # The review of step 2 runs on the runner: it cannot have landed yet.
    assert tells.score.shown_text() == ""
    assert panel.summary.text() == "" and panel.entries() == []
    assert window.workspace.editor.subject.toolTip() == ""

    with qtbot.waitSignal(tells.review_updated, timeout=10000):
        pass
    email = tells.review.email(2)  # type: ignore[union-attr]
    assert email is not None and email.position == 2
    assert f"AI tells {email.density:.1f}" in tells.score.shown_text()
    assert "reads machine-written" not in tells.score.shown_text()


def test_the_same_step_reloaded_keeps_its_figures_and_the_chosen_flag(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"{OPENER}. {HARD}"}))
    panel = window.tells.panel
    ref = wait_listed(qtbot, window)
    panel.select(ref)
    score = window.tells.score.shown_text()
    step = window.workspace.current_step()
    assert step is not None
    window.workspace.reload_step(step)  # as a restore or a draft landing in the shown step does
    assert window.tells.score.shown_text() == score
    assert panel.selected() == ref
