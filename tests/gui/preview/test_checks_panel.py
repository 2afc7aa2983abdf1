"""The checks list on its own: groups, order by level, an empty state, and a jump to a step."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from seqstudio.core.render.findings import Check, Level
from seqstudio.gui.preview.checks_panel import ChecksPanel


def test_checks_are_grouped_and_ordered_by_level(qtbot: QtBot) -> None:
    panel = ChecksPanel()
    qtbot.addWidget(panel)
    email = [
        Check("preheader", Level.WARNING, "Add a preheader."),
        Check("mobile-overflow", Level.INFO, "Not measured."),
        Check("unsubscribe-missing", Level.ERROR, "Add an unsubscribe link."),
    ]
    sequence = [Check("cadence", Level.WARNING, "Four emails in a week.", "steps 1, 2, 3, 4")]
    panel.show_checks(2, email, sequence)
    assert [c.id for c in panel.checks(panel.email_group)] == [
        "unsubscribe-missing",
        "preheader",
        "mobile-overflow",
    ]
    assert panel.email_group.text(0) == "Step 2 (3)"
    assert panel.sequence_group.text(0) == "Sequence (1)"
    row = panel.sequence_group.child(0)
    assert row is not None and row.text(0) == "Four emails in a week.\ncadence · steps 1, 2, 3, 4"
    assert not row.icon(0).isNull()

    panel.show_checks(2, [], [])
    assert panel.checks(panel.email_group) == [] and panel.email_group.childCount() == 1
    assert panel.email_group.child(0).text(0) == "Nothing found"


def test_double_clicking_a_check_that_names_a_step_asks_for_it(qtbot: QtBot) -> None:
    panel = ChecksPanel()
    qtbot.addWidget(panel)
    panel.show_checks(
        1,
        [Check("subject-length", Level.WARNING, "Too long.", "subject")],
        [Check("duplicate-subject", Level.WARNING, "Same subject.", "steps 4, 5")],
    )
    with qtbot.waitSignal(panel.step_activated) as blocker:
        panel.itemDoubleClicked.emit(panel.sequence_group.child(0), 0)
    assert blocker.args == [4]
    with qtbot.assertNotEmitted(panel.step_activated):
        panel.itemDoubleClicked.emit(panel.email_group.child(0), 0)


def test_a_long_message_wraps_whole_in_a_narrow_pane(qtbot: QtBot) -> None:
    panel = ChecksPanel()
    qtbot.addWidget(panel)
    panel.resize(340, 300)
    panel.show()
    message = "The preheader is 35 characters; inboxes show about 40-90 and fill the rest with body text."
    panel.show_checks(
        3, [Check("preheader", Level.WARNING, message, "Three customers on their first bag.")], []
    )
    row = panel.email_group.child(0)
    assert row is not None
    line = panel.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: panel.visualItemRect(row).height() >= 3 * line)  # two lines of message, one of id
    panel.resize(900, 300)  # wider: the same row takes fewer lines
    qtbot.waitUntil(lambda: panel.visualItemRect(row).height() < 3 * line)
