"""The window shows the open sequence and nothing else: its title follows a rename, and a deleted
sequence leaves an empty window behind, not its last email greyed out."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from seqstudio.core.model import Sequence
from seqstudio.gui.sequence.timeline import TimelineView


def test_clearing_the_timeline_chooses_no_step(qtbot: QtBot, welcome: Sequence) -> None:
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    timeline.show_sequence(welcome, 3)
    with qtbot.assertNotEmitted(timeline.step_chosen):
        timeline.clear()
    assert timeline.count() == 0
