"""Drafting in the real window: steps arrive one by one and are saved as AI-draft revisions,
cancel keeps what came back, a failed step says why and can be retried, typing during a draft is
never overwritten, approved steps are only redrafted after a yes, offline drafts say so."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from seqstudio.core.drafting import ProviderSettings
from seqstudio.core.model import RevisionOrigin, Sequence, Step, StepStatus, copy_of
from seqstudio.core.preferences import Preferences
from seqstudio.gui.drafting import DraftState
from seqstudio.gui.mainwindow import MainWindow
from tests.gui.conftest import WindowFactory
from tests.gui.drafting.conftest import MODEL, DraftWindowFactory, for_step, states, wait_idle
from tests.gui.test_main_window import when_modal
from tests.support.openai_server import OpenAICompatibleServer, Reply


def stored_step(window: MainWindow, position: int) -> Step:
    sequence = window.workspace.sequence
    assert sequence is not None
    return window.context.library.get_sequence(sequence.id).step(position)


def test_six_steps_arrive_one_by_one_and_become_ai_draft_revisions(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    for position in range(1, 7):  # staggered, so arrival order is known
        server.script(Reply(latency=0.15 * position), when=for_step(position))
    window = draft_window()
    controller = window.drafting.controller
    seen_at_arrival: list[dict[int, DraftState | None]] = []
    controller.step_draft_changed.connect(
        lambda _sid, position: (
            seen_at_arrival.append(states(window)) if states(window)[position] is DraftState.DONE else None
        )
    )
    window.drafting.draft_action.trigger()
    assert controller.busy and window.drafting.progress.isVisible()
    assert not window.drafting.draft_action.isEnabled() and window.drafting.cancel_action.isEnabled()
    assert set(states(window).values()) == {DraftState.DRAFTING}
    assert "drafting" in window.workspace.timeline.item(5).text()
    wait_idle(qtbot, window)

    first = seen_at_arrival[0]
    assert first[1] is DraftState.DONE and first[6] is DraftState.DRAFTING, "step 1 landed before 6 came"
    assert [sum(s is DraftState.DONE for s in snap.values()) for snap in seen_at_arrival] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert set(states(window).values()) == {DraftState.DONE}
    sequence = window.workspace.sequence
    assert sequence is not None
    for step in sequence.steps:
        assert step.status is StepStatus.DRAFTED and step.email.subject.startswith("Sample subject")
        latest = window.context.library.step_revisions(step.id)[0]
        assert (latest.origin, latest.model) == (RevisionOrigin.AI_DRAFT, MODEL)
    editor, bar = window.workspace.editor, window.drafting.bar
    assert editor.subject.text() == sequence.step(1).email.subject, "the shown step shows its draft"
    assert bar.isVisible() and f"AI draft ({MODEL})" in bar.summary.text() and "tokens" in bar.summary.text()
    assert "✓ AI draft" in window.workspace.timeline.item(0).text()
    assert not window.drafting.progress.isVisible()
    assert "Drafted: 6 of 6 emails" in window.statusBar().currentMessage()


def test_invented_facts_in_a_draft_are_flagged_in_the_editor(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    body = (
        "Welcome to Fernweh. We roast on Tuesdays and ship on Wednesdays, so your beans are always "
        "fresh when they reach you. Use SAVE50 for 50% off your first bag this week only, friend."
    )
    reply = {
        "subject": "Welcome",
        "preheader": "Fresh beans",
        "body_markdown": body,
        "cta_label": "Shop",
        "cta_url": "",
    }
    server.script(Reply.ok(reply), when=for_step(1))
    window = draft_window()
    window.drafting.controller.start([1], overwrite=False)
    wait_idle(qtbot, window)
    findings = window.drafting.bar.findings
    assert findings.isVisible()
    assert "SAVE50" in findings.text() and "50%" in findings.text()


def test_cancel_midway_keeps_the_finished_steps(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    server.script(*[Reply.hanging()] * 4, when=lambda r: not (for_step(1)(r) or for_step(2)(r)))
    window = draft_window()
    controller = window.drafting.controller
    window.drafting.draft_action.trigger()
    qtbot.waitUntil(lambda: states(window)[1] is DraftState.DONE and states(window)[2] is DraftState.DONE)
    with qtbot.waitSignal(controller.busy_changed, timeout=5000):
        window.drafting.cancel_action.trigger()
    assert [states(window)[p] for p in range(1, 7)] == [DraftState.DONE] * 2 + [DraftState.CANCELLED] * 4
    assert [stored_step(window, p).status for p in range(1, 7)] == [StepStatus.DRAFTED] * 2 + [
        StepStatus.EMPTY
    ] * 4
    assert "cancelled" in window.workspace.timeline.item(3).text()
    assert "Cancelled: 2 of 2 emails" in window.statusBar().currentMessage()


def test_a_failed_step_shows_its_reason_and_retry_drafts_it(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    server.script(Reply.error(400, "context length exceeded"), when=for_step(3))
    window = draft_window(output_mode="json_schema")
    window.drafting.draft_action.trigger()
    wait_idle(qtbot, window)
    assert states(window)[3] is DraftState.FAILED
    assert sum(s is DraftState.DONE for s in states(window).values()) == 5
    item = window.workspace.timeline.item(2)
    assert "failed" in item.text() and "context length exceeded" in item.toolTip()
    window.workspace.select_step(3)
    bar = window.drafting.bar
    assert bar.retry.isVisible() and "context length exceeded" in bar.message.text()
    bar.retry.click()
    wait_idle(qtbot, window)
    assert states(window)[3] is DraftState.DONE
    assert stored_step(window, 3).status is StepStatus.DRAFTED
    assert not bar.retry.isVisible()


def test_typing_while_the_step_is_drafted_keeps_the_typed_text(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    server.script(Reply(latency=1.5), when=for_step(1))  # time to type before it arrives
    window = draft_window()
    editor, bar = window.workspace.editor, window.drafting.bar
    window.drafting.draft_action.trigger()
    qtbot.keyClicks(editor.body, "My own opening line, typed while the draft was on its way.")
    qtbot.waitUntil(lambda: states(window)[1] is DraftState.HELD, timeout=10000)
    assert editor.body.toPlainText() == "My own opening line, typed while the draft was on its way."
    assert bar.use_draft.isVisible() and bar.keep_mine.isVisible()
    assert "waiting" in window.workspace.timeline.item(0).text()
    wait_idle(qtbot, window)

    bar.keep_mine.click()
    step = stored_step(window, 1)
    assert step.email.body == "My own opening line, typed while the draft was on its way."
    assert step.status is StepStatus.REVISED
    origins = [r.origin for r in window.context.library.step_revisions(step.id)]
    assert origins[:2] == [RevisionOrigin.HUMAN_EDIT, RevisionOrigin.AI_DRAFT], "the draft is kept too"
    assert editor.body.toPlainText() == "My own opening line, typed while the draft was on its way."
    assert not bar.isVisible(), "nothing of the draft is shown as if it were the step's text"
    assert "waiting" not in window.workspace.timeline.item(0).text()


def test_use_this_draft_keeps_the_typed_text_in_the_history(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    server.script(Reply(latency=1.5), when=for_step(2))
    window = draft_window()
    window.workspace.select_step(2)
    editor, bar = window.workspace.editor, window.drafting.bar
    window.drafting.controller.start([2], overwrite=False)
    with qtbot.waitSignal(window.workspace.saved, timeout=5000):  # the typing is autosaved meanwhile
        qtbot.keyClicks(editor.subject, "Mine")
    qtbot.waitUntil(lambda: states(window)[2] is DraftState.HELD, timeout=10000)
    assert stored_step(window, 2).email.subject == "Mine"
    bar.use_draft.click()
    step = stored_step(window, 2)
    assert step.email.subject.startswith("Sample subject") and step.status is StepStatus.DRAFTED
    assert editor.subject.text() == step.email.subject
    history = window.context.library.step_revisions(step.id)
    assert history[0].origin is RevisionOrigin.AI_DRAFT
    assert any(r.origin is RevisionOrigin.HUMAN_EDIT and r.step.email.subject == "Mine" for r in history)


def test_redrafting_an_approved_step_asks_first_and_keeps_the_old_text(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    window = draft_window()
    editor = window.workspace.editor
    qtbot.keyClicks(editor.subject, "Approved words")
    editor.approved.setChecked(True)
    assert window.workspace.flush()
    assert stored_step(window, 1).status is StepStatus.APPROVED

    def answer(button: QMessageBox.StandardButton) -> None:
        def press(dialog: QDialog) -> None:
            assert isinstance(dialog, QMessageBox) and "approved" in dialog.text()
            dialog.button(button).click()

        when_modal(qtbot, press)

    answer(QMessageBox.StandardButton.No)
    window.drafting.redraft_action.trigger()
    assert not window.drafting.controller.busy and server.requests == []
    assert stored_step(window, 1).email.subject == "Approved words"

    answer(QMessageBox.StandardButton.Yes)
    window.drafting.redraft_action.trigger()
    wait_idle(qtbot, window)
    step = stored_step(window, 1)
    assert step.status is StepStatus.DRAFTED and step.email.subject.startswith("Sample subject")
    history = window.context.library.step_revisions(step.id)
    assert history[0].origin is RevisionOrigin.AI_DRAFT
    assert any(
        r.step.status is StepStatus.APPROVED and r.step.email.subject == "Approved words" for r in history
    )


def test_offline_drafts_are_labelled_as_such(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window(preferences=Preferences(provider=ProviderSettings(offline=True)))
    window.context.library.add_sequence(welcome)
    window.open_sequence(welcome.id)
    window.drafting.draft_action.trigger()
    wait_idle(qtbot, window)
    assert set(states(window).values()) == {DraftState.DONE}
    assert "Offline draft" in window.drafting.bar.summary.text()
    assert "✓ Offline draft" in window.workspace.timeline.item(0).text()
    latest = window.context.library.step_revisions(stored_step(window, 1).id)[0]
    assert latest.origin is RevisionOrigin.OFFLINE_DRAFT
    assert "offline drafts" in window.statusBar().currentMessage()


def test_closing_while_drafting_stops_promptly(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    server.script(*[Reply.hanging()] * 6)
    window = draft_window()
    window.drafting.draft_action.trigger()
    qtbot.waitUntil(lambda: server.in_flight == 6, timeout=10000)
    window.close()
    assert window.context.runner.shutdown(3000), "the worker stopped within the bounded wait"
    assert all(stored_step(window, p).status is StepStatus.EMPTY for p in range(1, 7))


def test_subject_variants_can_be_picked(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    window = draft_window()
    suggester = window.drafting.subjects
    with qtbot.waitSignal(suggester.dialog_opened, timeout=10000) as opened:
        window.drafting.subjects_action.trigger()
    dialog = opened.args[0]
    assert dialog.list.count() == 5
    dialog.list.setCurrentRow(1)
    chosen = dialog.list.currentItem().text()
    with qtbot.waitSignal(window.workspace.saved, timeout=5000):
        dialog.use.click()
    assert window.workspace.editor.subject.text() == chosen
    assert stored_step(window, 1).email.subject == chosen


def test_a_draft_still_waiting_at_close_goes_to_the_history(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    server.script(Reply(latency=1.5), when=for_step(1))
    window = draft_window()
    window.drafting.controller.start([1], overwrite=False)
    qtbot.keyClicks(window.workspace.editor.subject, "Typed before closing")
    qtbot.waitUntil(lambda: states(window)[1] is DraftState.HELD, timeout=10000)
    wait_idle(qtbot, window)
    window.close()
    step = stored_step(window, 1)
    assert step.email.subject == "Typed before closing", "the user's text stays current"
    history = window.context.library.step_revisions(step.id)
    assert any(r.origin is RevisionOrigin.AI_DRAFT for r in history), "the undecided draft is kept"


def test_the_draft_menu_has_its_shortcuts(make_window: WindowFactory) -> None:
    window = make_window()
    shortcuts = {a.text(): a.shortcut().toString() for a in window.menus["draft"].actions() if a.text()}
    assert shortcuts == {
        "&Draft sequence": "Ctrl+Shift+D",
        "&Redraft this step": "Ctrl+Shift+R",
        "Suggest &subject lines": "Ctrl+Shift+J",
        "&Cancel drafting": "Ctrl+Shift+X",
    }
    assert not window.drafting.cancel_action.isEnabled(), "nothing to cancel yet"


def test_drafting_the_sequence_can_leave_the_steps_you_wrote_alone(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer
) -> None:
    window = draft_window()
    window.workspace.select_step(2)
    qtbot.keyClicks(window.workspace.editor.subject, "My own subject")
    assert window.workspace.flush()
    assert stored_step(window, 2).status is StepStatus.REVISED

    def only_the_others(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox) and "Step 2 holds your edits" in dialog.text()
        next(b for b in dialog.buttons() if b.text() == "Only the other steps").click()

    when_modal(qtbot, only_the_others)
    window.drafting.draft_action.trigger()
    wait_idle(qtbot, window)
    assert stored_step(window, 2).email.subject == "My own subject"
    assert states(window)[2] is None and len(server.requests) == 5
    assert all(stored_step(window, p).status is StepStatus.DRAFTED for p in (1, 3, 4, 5, 6))


def test_drafts_land_in_their_own_sequence_when_another_is_opened_meanwhile(
    qtbot: QtBot, draft_window: DraftWindowFactory, server: OpenAICompatibleServer, welcome: Sequence
) -> None:
    server.latency = 0.5
    window = draft_window()
    window.drafting.draft_action.trigger()
    other = copy_of(welcome, "Another sequence")
    window.context.library.add_sequence(other)
    window.open_sequence(other.id)
    wait_idle(qtbot, window)
    drafted = window.context.library.get_sequence(welcome.id)
    assert all(s.status is StepStatus.DRAFTED for s in drafted.steps)
    shown = window.workspace.sequence
    assert shown is not None and shown.id == other.id
    assert all(s.status is StepStatus.EMPTY for s in shown.steps), "the open sequence is untouched"
    assert "✓" not in window.workspace.timeline.item(0).text()
    assert window.drafting.controller.draft((other.id, 1)) is None
    assert not window.drafting.bar.isVisible()
    window.open_sequence(welcome.id)
    assert "✓ AI draft" in window.workspace.timeline.item(0).text()
    assert window.workspace.editor.subject.text() == drafted.step(1).email.subject
