"""The window shows the open sequence and nothing else: its title follows a rename, and a deleted
sequence leaves an empty window behind, not its last email greyed out."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from seqstudio.core.model import Sequence
from seqstudio.gui.sequence.timeline import TimelineView
from tests.gui.conftest import WindowFactory
from tests.gui.test_main_window import EXAMPLE


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


def test_clearing_the_timeline_chooses_no_step(qtbot: QtBot, welcome: Sequence) -> None:
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    timeline.show_sequence(welcome, 3)
    with qtbot.assertNotEmitted(timeline.step_chosen):
        timeline.clear()
    assert timeline.count() == 0
