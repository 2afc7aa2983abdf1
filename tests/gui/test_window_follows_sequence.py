"""The window shows the open sequence and nothing else: its title follows a rename, and a deleted
sequence leaves an empty window behind, not its last email greyed out."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from seqstudio.core.model import Sequence
from seqstudio.gui.sequence.timeline import TimelineView
from tests.gui.conftest import WindowFactory
from tests.gui.test_main_window import EXAMPLE, when_modal


def answer_yes(dialog: QDialog) -> None:
    assert isinstance(dialog, QMessageBox)
    dialog.button(QMessageBox.StandardButton.Yes).click()


def test_the_title_follows_a_rename_and_a_close(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    assert window.windowTitle() == "Fernweh welcome · Sequence Studio"
    workspace = window.workspace
    workspace.tabs.setCurrentIndex(1)
    workspace.settings_form.name.selectAll()
    with qtbot.waitSignal(workspace.settings_saved, timeout=5000):
        qtbot.keyClicks(workspace.settings_form.name, "Fernweh onboarding")
    assert window.windowTitle() == "Fernweh onboarding · Sequence Studio"
    workspace.close_sequence()
    assert window.windowTitle() == "Sequence Studio"


def test_deleting_the_open_sequence_leaves_an_empty_window(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    workspace, tells = window.workspace, window.tells
    workspace.select_step(2)
    qtbot.waitUntil(lambda: tells.review is not None and bool(tells.score.text()), timeout=15000)
    assert not tells.panel.rewrite_reason.isHidden(), "offline: the panel says why Rewrite is off"

    when_modal(qtbot, answer_yes)
    window.delete_sequence()

    assert window.context.library.list_sequences() == []
    assert workspace.sequence is None and not workspace.isEnabled()
    assert window.windowTitle() == "Sequence Studio"
    editor = workspace.editor
    shown = [
        editor.heading.text(),
        editor.purpose.text(),
        editor.delay.text(),
        editor.delay_reading.text(),
        editor.subject.text(),
        editor.subject_count.text(),
        editor.preheader.text(),
        editor.body.toPlainText(),
        editor.cta_label.text(),
        editor.cta_url.text(),
        editor.status_label.text(),
        workspace.settings_form.name.text(),
        workspace.brand_form.name.text(),
    ]
    assert shown == [""] * len(shown)
    assert "No sequence is open" in window.preview.phone.html  # words, not a black page in dark mode
    assert not editor.approved.isChecked()
    assert workspace.timeline.count() == 0
    assert tells.score.text() == ""
    assert tells.panel.entries() == [] and tells.panel.summary.text() == ""
    assert tells.panel.rewrite_reason.isHidden()
    assert not workspace.has_unsaved_changes, "clearing the fields is no edit"


def test_a_sequence_opened_after_a_delete_is_saved_only_when_edited(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    when_modal(qtbot, answer_yes)
    window.delete_sequence()
    window.import_flow_file(str(EXAMPLE))
    sequence = window.workspace.sequence
    assert sequence is not None
    assert window.windowTitle() == "Fernweh welcome · Sequence Studio"
    assert window.workspace.editor.subject.text() == sequence.step(1).email.subject
    assert window.workspace.flush() and not window.workspace.has_unsaved_changes
    step = sequence.step(1)
    assert len(window.context.library.step_revisions(step.id)) == 1, "no edit was saved"


def test_clearing_the_timeline_chooses_no_step(qtbot: QtBot, welcome: Sequence) -> None:
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    timeline.show_sequence(welcome, 3)
    with qtbot.assertNotEmitted(timeline.step_chosen):
        timeline.clear()
    assert timeline.count() == 0
