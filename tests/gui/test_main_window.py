"""Full-window tests: create a sequence through the dialog, edit it, close, reopen, find the edit
and its history, restore an old version."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from seqstudio.core.model import RevisionOrigin, SequenceKind, StepStatus
from seqstudio.core.paths import shipped_dir
from seqstudio.gui.dialogs.history import RevisionHistoryDialog
from seqstudio.gui.dialogs.new_sequence import NewSequenceDialog
from seqstudio.gui.sequence.workspace import EDITOR_MIN_WIDTH, TIMELINE_MIN_WIDTH
from tests.gui.conftest import WindowFactory

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"


def when_modal(qtbot: QtBot, handle: Callable[[QDialog], None]) -> None:
    """Run `handle` on the next modal dialog once it is open (exec() blocks the caller)."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            handle(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def fill_new_sequence(dialog: QDialog) -> None:
    assert isinstance(dialog, NewSequenceDialog)
    dialog.select_blueprint("cart_abandonment")
    dialog.name.setText("Cart rescue")
    dialog.brand_form.name.setText("Fernweh Coffee")
    dialog.brand_form.from_email.setText("mara@fernweh.example")
    dialog.brand_form.postal_address.setText("Kastanienallee 12, 10435 Berlin")
    dialog.offer_form.codes.add_row(["COMEBACK5", "5% off", "2027-02-28"])
    dialog.buttons.accepted.emit()


def test_create_edit_close_reopen_and_find_the_edit(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    when_modal(qtbot, fill_new_sequence)
    window.new_sequence()
    sequence = window.workspace.sequence
    assert sequence is not None and sequence.kind is SequenceKind.CART_ABANDONMENT
    assert window.library_panel.visible_ids() == [sequence.id]
    assert window.workspace.timeline.count() == 6
    assert "Day 0 + 1 h" in window.workspace.timeline.item(0).text()

    window.workspace.select_step(2)
    editor = window.workspace.editor
    assert "Step 2 · Day 1" in editor.heading.text()
    with qtbot.waitSignal(window.workspace.saved, timeout=5000):
        qtbot.keyClicks(editor.subject, "Still thinking it over?")
        qtbot.keyClicks(editor.body, "Your cart is saved. Shipping is free over 30 EUR.")
    assert "Still thinking it over?" in window.workspace.timeline.item(1).text()
    window.close()

    reopened = make_window()
    assert reopened.workspace.sequence is not None, "the last sequence reopens"
    assert reopened.workspace.position == 2, "on the step the user left"
    step = reopened.workspace.sequence.step(2)
    assert step.email.subject == "Still thinking it over?"
    assert step.email.body == "Your cart is saved. Shipping is free over 30 EUR."
    assert step.status is StepStatus.REVISED
    assert reopened.workspace.editor.subject.text() == "Still thinking it over?"
    revisions = reopened.context.library.step_revisions(step.id)
    assert [r.origin for r in revisions] == [RevisionOrigin.HUMAN_EDIT, RevisionOrigin.BLUEPRINT]
    assert reopened.workspace.sequence.offer.discount_codes[0].code == "COMEBACK5"


def test_history_restores_an_earlier_version(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    editor = window.workspace.editor
    original = editor.subject.text()
    editor.subject.selectAll()
    with qtbot.waitSignal(window.workspace.saved, timeout=5000):
        qtbot.keyClicks(editor.subject, "A worse subject")

    def restore_oldest(dialog: QDialog) -> None:
        assert isinstance(dialog, RevisionHistoryDialog)
        dialog.list.setCurrentRow(dialog.list.count() - 1)
        dialog.compare.setChecked(True)
        assert "-Subject: " + original in dialog.view.toPlainText()
        dialog.restore.click()

    when_modal(qtbot, restore_oldest)
    window.show_history()
    assert editor.subject.text() == original
    step = window.workspace.current_step()
    assert step is not None
    history = window.context.library.step_revisions(step.id)
    assert history[0].origin is RevisionOrigin.RESTORE
    assert any(r.step.email.subject == "A worse subject" for r in history), "restoring loses nothing"


def test_an_invalid_field_stays_on_screen_and_the_rest_is_saved(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    editor = window.workspace.editor
    editor.delay.selectAll()
    qtbot.keyClicks(editor.delay, "two days")
    with qtbot.waitSignal(window.workspace.saved, timeout=5000):
        qtbot.keyClicks(editor.preheader, " More inside.")
    assert editor.delay.text() == "two days", "what the user typed is never thrown away"
    assert "ISO-8601" in editor.problems.text()
    stored = window.context.library.get_sequence(window.workspace.sequence.id).step(1)  # type: ignore[union-attr]
    assert stored.delay == "PT0S" and stored.email.preheader.endswith("More inside.")


def test_settings_brand_and_offer_edits_are_saved(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    workspace = window.workspace
    workspace.tabs.setCurrentIndex(1)
    workspace.settings_form.name.selectAll()
    with qtbot.waitSignal(workspace.settings_saved, timeout=5000):
        qtbot.keyClicks(workspace.settings_form.name, "Fernweh hello")
    workspace.settings_form.holdout.setValue(10)
    workspace.brand_form.from_email.setText("not-an-address")
    workspace.brand_form.edited.emit()
    assert not workspace.flush()
    assert "brand.from_email" in workspace.settings_problems.text()
    workspace.brand_form.from_email.setText("mara@fernweh.example")
    workspace.brand_form.edited.emit()
    assert workspace.flush()
    stored = window.context.library.get_sequence(workspace.sequence.id)  # type: ignore[union-attr]
    assert (stored.name, stored.holdout_percent) == ("Fernweh hello", 10.0)
    assert [s.name for s in window.context.library.list_sequences()] == ["Fernweh hello"]
    assert len(window.context.library.settings_revisions(stored.id)) >= 2


def test_library_search_and_approve_shortcut(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    when_modal(qtbot, fill_new_sequence)
    window.new_sequence()
    assert len(window.library_panel.visible_ids()) == 2
    qtbot.keyClicks(window.library_panel.search, "rescue")
    assert len(window.library_panel.visible_ids()) == 1
    window.library_panel.search.clear()
    window.workspace.select_step(3)
    editor = window.workspace.editor
    with qtbot.waitSignal(window.workspace.saved, timeout=5000):
        editor.approved.toggle()
    assert window.workspace.current_step().status is StepStatus.APPROVED  # type: ignore[union-attr]


def test_duplicate_keeps_the_original_untouched(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    original = window.workspace.sequence
    window.duplicate_sequence()
    copy = window.workspace.sequence
    assert copy is not None and original is not None and copy.id != original.id
    assert copy.name == "Fernweh welcome (copy)"
    assert [s.email for s in copy.steps] == [s.email for s in original.steps]
    assert {s.id for s in copy.steps}.isdisjoint(s.id for s in original.steps)
    assert len(window.library_panel.visible_ids()) == 2


def test_screenshot_command_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "window.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "seqstudio",
            "--db",
            str(tmp_path / "lib.sqlite3"),
            "gui",
            "--open",
            str(EXAMPLE),
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


def test_step_shortcuts_move_through_the_timeline(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    step_actions = [a for a in window.menus["step"].actions() if a.shortcut().toString().startswith("Ctrl+")]
    by_key = {a.shortcut().toString(): a for a in step_actions}
    by_key["Ctrl+4"].trigger()
    assert window.workspace.position == 4
    assert "Step 4" in window.workspace.editor.heading.text()
    by_key["Ctrl+1"].trigger()
    assert window.workspace.position == 1


def test_a_crowded_window_keeps_the_steps_and_the_guidance_readable(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    window.import_flow_file(str(EXAMPLE))
    window.tells.dock.show()  # the AI-tells panel takes a column of its own
    window.resize(1280, 820)
    qtbot.waitUntil(lambda: window.workspace.sequence is not None)
    qtbot.waitUntil(lambda: window.workspace.timeline.width() >= TIMELINE_MIN_WIDTH)
    assert window.workspace.editor.width() >= EDITOR_MIN_WIDTH - 20  # its tab frame takes a few px
    guidance = window.workspace.editor.guidance.text()
    assert guidance and "\n" not in guidance.replace("\n\n", ""), "the blueprint's line breaks are gone"
