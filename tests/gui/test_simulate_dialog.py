"""The simulate dialog on its own: Enter runs it, Run needs contacts, and the empty table says
what to do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.paths import shipped_dir
from seqstudio.gui.export import simulate_dialog
from seqstudio.gui.export.simulate_dialog import SimulateDialog
from seqstudio.gui.tasks import TaskRunner

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"


@pytest.fixture
def dialog(qtbot: QtBot) -> Iterator[SimulateDialog]:
    runner = TaskRunner()
    opened = SimulateDialog(read_flow_file(EXAMPLE).sequence, runner=runner)
    qtbot.addWidget(opened)
    opened.show()
    qtbot.waitExposed(opened)
    yield opened
    assert runner.shutdown(2000)


def test_run_is_the_default_button_and_the_empty_table_says_what_to_do(dialog: SimulateDialog) -> None:
    assert dialog.run_button.isDefault() and dialog.run_button.isEnabled()
    assert not dialog.load_button.isDefault() and not dialog.load_button.autoDefault()
    assert dialog.results.currentWidget() is dialog.empty_hint
    assert dialog.empty_hint.text().startswith(
        "Load a CSV with email,first_name,order_after, or add contacts"
    )


def test_enter_runs_the_simulation_and_fills_the_table(
    qtbot: QtBot, dialog: SimulateDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    pickers: list[object] = []  # a file picker would block the test: record it instead

    def no_picker(*args: object) -> tuple[str, str]:
        pickers.append(args)
        return "", ""

    monkeypatch.setattr(simulate_dialog.QFileDialog, "getOpenFileName", no_picker)
    dialog.start.setFocus()
    qtbot.keyClick(dialog.start, Qt.Key.Key_Return)
    assert pickers == [], "Enter opened the file picker"
    qtbot.waitUntil(lambda: bool(dialog.timeline) or "Simulating" not in dialog.summary.text())
    assert dialog.timeline, dialog.summary.text()
    assert dialog.results.currentWidget() is dialog.table
    assert dialog.table.rowCount() == len(dialog.timeline) and dialog.run_button.isEnabled()


def test_run_needs_contacts(dialog: SimulateDialog) -> None:
    dialog.contacts.clear()
    assert not dialog.run_button.isEnabled()
    dialog.contacts.setPlainText("email,first_name,order_after\n")
    assert not dialog.run_button.isEnabled()
    dialog.contacts.setPlainText("email,first_name,order_after\nana@example.com,Ana,\n")
    assert dialog.run_button.isEnabled()
