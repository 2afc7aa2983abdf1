"""The AI-tells features in the real window, offscreen: underlines while typing, hover
explanations, the panel's figures, remembered decisions, rewrites through a local server."""

from __future__ import annotations

import gc
import threading
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit, QToolTip
from pytestqt.qtbot import QtBot

from seqstudio.core.model import RevisionOrigin, Sequence, copy_of
from seqstudio.core.preferences import Preferences
from seqstudio.core.tells import Allowances, Flag, lint_email, load_rule_set
from seqstudio.core.tells.brandwords import BRAND_RULE_ID
from seqstudio.gui.mainwindow import MainWindow
from seqstudio.gui.tells.controller import REVIEW_PAUSE_MS
from seqstudio.gui.tells.decisions_dialog import DecisionsDialog
from seqstudio.gui.tells.highlighter import category_color
from seqstudio.gui.tells.review import FlagRef
from seqstudio.gui.tells.worst_passages import tree_items
from tests.gui.conftest import WindowFactory
from tests.gui.tells.conftest import (
    OPENER,
    OPENER_RULE,
    listed,
    open_in,
    wait_for_detector,
    wait_listed,
    with_bodies,
)
from tests.gui.test_main_window import when_modal
from tests.support.openai_server import OpenAICompatibleServer, Reply

WAVE = QTextCharFormat.UnderlineStyle.WaveUnderline
TELL_DENSE = (  # reads machine-written by a wide margin
    f"{OPENER}. In today's fast-paced world, our seamless, innovative and tailored plans"
    " unlock the full potential of your mornings."
)


def underlined(body: QPlainTextEdit, block_number: int) -> list[tuple[str, str]]:
    """(passage, underline colour) of every wavy underline the highlighter put in one block."""
    block = body.document().findBlockByNumber(block_number)
    text = block.text()
    return [
        (text[r.start : r.start + r.length], r.format.underlineColor().name())
        for r in block.layout().formats()
        if r.format.underlineStyle() == WAVE
    ]


def hover_text(body: QPlainTextEdit, position: int) -> str:
    """The tooltip shown when hovering at a document position, as plain text ('' when hidden)."""
    cursor = QTextCursor(body.document())
    cursor.setPosition(position)
    point = body.cursorRect(cursor).center()
    point.setX(point.x() + 2)  # inside the character after the position
    event = QHelpEvent(QEvent.Type.ToolTip, point, body.viewport().mapToGlobal(point))
    QApplication.sendEvent(body.viewport(), event)
    plain = QTextDocument()
    plain.setHtml(QToolTip.text() if QToolTip.isVisible() else "")
    return plain.toPlainText()


def test_the_english_rules_compile_at_start_before_any_sequence_is_opened(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    # Compiled on first use instead, their long GIL holds fell in the first draft.
    window = make_window()
    with qtbot.waitSignal(window.tells.detectors.detector_ready, timeout=20000) as ready:
        pass
    assert ready.args == ["en"]
    assert gc.get_freeze_count() > 0, "the compiled rules are frozen out of full collections"


def test_typing_a_tell_underlines_it_and_hovering_explains_it(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, welcome)
    wait_for_detector(qtbot, window)
    body = window.workspace.editor.body
    body.selectAll()
    qtbot.keyClicks(body, "Hi Sam,")
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, f"{OPENER}. Your beans leave on Wednesday.")

    assert underlined(body, 0) == []
    assert underlined(body, 1) == [(OPENER, category_color("stock-opener").name())]
    rule = load_rule_set("en", user_dirs=()).rule(OPENER_RULE)
    second_block = body.document().findBlockByNumber(1).position()
    explained = hover_text(body, second_block + 5)
    assert rule.why in explained and rule.suggestions[0] in explained
    assert "Stock opener" in explained
    hover_text(body, second_block + len(OPENER) + 10)  # plain words: the tooltip goes away
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)

    ref = wait_listed(qtbot, window)
    assert (ref.field, ref.flag.text) == ("body", OPENER)
    review = window.tells.review
    assert review is not None
    email = review.email(window.workspace.position)
    assert email is not None and email.density > 0
    assert "Tell density" in window.tells.panel.summary.text()
    assert window.workspace.editor.subject.toolTip() == ""

    editor = window.workspace.editor
    qtbot.keyClicks(editor.subject, "Unlock your mornings")
    [subject_flag] = wait_for_field(qtbot, window, "subject")
    assert subject_flag.flag.text == "Unlock"
    assert subject_flag.flag.why in editor.subject.toolTip()


def wait_for_field(qtbot: QtBot, window: MainWindow, field: str) -> list[FlagRef]:
    def found() -> list[FlagRef]:
        return [r for r in window.tells.panel.entries() if r.field == field]

    qtbot.waitUntil(lambda: bool(found()), timeout=10000)
    return found()


def test_a_keystroke_matches_only_the_edited_block(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence, monkeypatch
) -> None:
    paragraphs = "\n".join(f"Paragraph {n} says something plain about coffee." for n in range(40))
    window = make_window()
    open_in(window, with_bodies(welcome, {1: paragraphs}))
    wait_for_detector(qtbot, window)
    detector = window.tells.highlighter.detector
    assert detector is not None
    matched: list[str] = []
    real = detector.flags_for_block

    def counted(text: str, allow: Allowances | None = None) -> list[Flag]:
        if threading.current_thread() is threading.main_thread():  # the panel's review runs on a worker
            matched.append(text)
        return real(text, allow)

    monkeypatch.setattr(detector, "flags_for_block", counted)
    body = window.workspace.editor.body
    cursor = QTextCursor(body.document().findBlockByNumber(20))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    body.setTextCursor(cursor)
    qtbot.keyClicks(body, " Delve")
    assert len(matched) == len(" Delve"), "one block matched per keystroke, not the 40-block document"
    assert matched[-1] == "Paragraph 20 says something plain about coffee. Delve"
    assert all(text.startswith("Paragraph 20 ") for text in matched)
    assert underlined(body, 20) == [("Delve", category_color("buzzword").name())]


def test_ignore_is_remembered_for_the_step_only_and_survives_reopening(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    text = f"{OPENER}. We roast on Tuesdays."
    sequence = with_bodies(welcome, {1: text, 2: text})
    window = make_window()
    open_in(window, sequence)
    ref = wait_listed(qtbot, window)
    window.tells.panel.select(ref)
    window.tells.panel.ignore_button.click()
    qtbot.waitUntil(lambda: not listed(window, OPENER_RULE), timeout=10000)
    assert underlined(window.workspace.editor.body, 0) == []
    window.workspace.select_step(2)
    wait_listed(qtbot, window)  # the same words in another step are still flagged
    window.workspace.select_step(1)
    window.close()

    reopened = make_window()
    assert reopened.workspace.position == 1
    wait_for_detector(qtbot, reopened)
    qtbot.waitUntil(lambda: reopened.tells.review is not None, timeout=10000)
    assert reopened.workspace.editor.body.toPlainText() == text
    assert not listed(reopened, OPENER_RULE)
    assert underlined(reopened.workspace.editor.body, 0) == []


def test_allow_for_brand_reaches_other_sequences_of_that_brand_only(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    text = f"{OPENER}. I hope you are doing well. Beans ship Wednesday."
    first = with_bodies(welcome, {1: text})
    same_brand = copy_of(first, "Second welcome")
    other_brand = copy_of(first, "Someone else's welcome")
    other_brand = replace(other_brand, brand=replace(first.brand, name="Other Roasters"))
    window = make_window()
    for sequence in (same_brand, other_brand):
        window.context.library.add_sequence(sequence)
    open_in(window, first)
    ref = wait_listed(qtbot, window)
    assert [r.flag.text for r in listed(window, OPENER_RULE)] == [OPENER, "I hope you are doing well"]
    window.tells.panel.select(ref)
    window.tells.panel.allow_phrase_button.click()
    qtbot.waitUntil(lambda: len(listed(window, OPENER_RULE)) == 1, timeout=10000)

    open_in(window, same_brand)
    qtbot.waitUntil(
        lambda: [r.flag.text for r in listed(window, OPENER_RULE)] == ["I hope you are doing well"]
    )
    body = window.workspace.editor.body
    assert [passage for passage, _ in underlined(body, 0)] == ["I hope you are doing well"]
    window.tells.panel.select(listed(window, OPENER_RULE)[0])
    window.tells.panel.allow_rule_button.click()  # the whole rule, for the brand
    qtbot.waitUntil(lambda: window.tells.review is not None and not listed(window, OPENER_RULE))
    assert underlined(body, 0) == []

    open_in(window, other_brand)
    qtbot.waitUntil(lambda: len(listed(window, OPENER_RULE)) == 2, timeout=10000)


def test_rewrite_shows_a_diff_and_accepting_saves_an_ai_revision_keeping_other_typing(
    qtbot: QtBot,
    make_window: WindowFactory,
    welcome: Sequence,
    server: OpenAICompatibleServer,
    online: Preferences,
) -> None:
    server.script(Reply.ok({"text": "Quick hello from the roastery"}))
    window = make_window(preferences=online)
    open_in(window, with_bodies(welcome, {1: f"Hi Sam,\n{OPENER}. Your beans ship Wednesday."}))
    panel = window.tells.panel
    ref = wait_listed(qtbot, window)
    panel.select(ref)
    qtbot.waitUntil(panel.rewrite_button.isEnabled)
    with qtbot.waitSignal(window.tells.rewrite_proposed, timeout=15000):
        panel.rewrite_button.click()
    assert OPENER in server.requests[-1].prompt
    shown = panel.proposal_view.toPlainText()
    assert "Quick hello from the roastery" in shown and OPENER in shown and "Hi Sam," in shown
    body = window.workspace.editor.body
    body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(body, " See you soon.")  # typed while the suggestion waits

    with qtbot.waitSignal(window.tells.rewrite_ended) as ended:
        panel.accept_button.click()
    assert ended.args == ["accepted"]
    expected = "Hi Sam,\nQuick hello from the roastery. Your beans ship Wednesday. See you soon."
    assert body.toPlainText() == expected
    step = window.workspace.current_step()
    assert step is not None
    revisions = window.context.library.step_revisions(step.id)
    assert (revisions[0].origin, revisions[0].model) == (RevisionOrigin.AI_REWRITE, "test-model")
    assert revisions[0].step.email.body == expected
    assert revisions[1].origin is RevisionOrigin.HUMAN_EDIT, "the writer's typing is saved as theirs first"


def test_drop_leaves_the_text_and_a_passage_changed_meanwhile_is_never_replaced(
    qtbot: QtBot,
    make_window: WindowFactory,
    welcome: Sequence,
    server: OpenAICompatibleServer,
    online: Preferences,
) -> None:
    server.script(Reply.ok({"text": "Hello"}), Reply.ok({"text": "Hello again"}))
    original = f"{OPENER}. Your beans ship Wednesday."
    window = make_window(preferences=online)
    open_in(window, with_bodies(welcome, {1: original}))
    panel, tells, body = window.tells.panel, window.tells, window.workspace.editor.body
    panel.select(wait_listed(qtbot, window))
    qtbot.waitUntil(panel.rewrite_button.isEnabled)
    with qtbot.waitSignal(tells.rewrite_proposed, timeout=15000):
        panel.rewrite_button.click()
    with qtbot.waitSignal(tells.rewrite_ended) as ended:
        panel.drop_button.click()
    assert ended.args == ["dropped"] and body.toPlainText() == original
    assert not panel.proposal_box.isVisible()

    panel.select(wait_listed(qtbot, window))
    with qtbot.waitSignal(tells.rewrite_proposed, timeout=15000):
        panel.rewrite_button.click()
    cursor = body.textCursor()
    cursor.setPosition(len("I hope this "))
    cursor.setPosition(len("I hope this email"), QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    qtbot.keyClicks(body, "note")  # the writer changes the passage itself
    with qtbot.waitSignal(tells.rewrite_ended) as ended:
        panel.accept_button.click()
    assert ended.args == ["stale"]
    assert "changed" in panel.notice.text()
    assert body.toPlainText() == original.replace("email", "note")
    step = window.workspace.current_step()
    assert step is not None
    origins = {r.origin for r in window.context.library.step_revisions(step.id)}
    assert RevisionOrigin.AI_REWRITE not in origins


def test_rewrite_is_off_with_the_reason_when_no_model_is_set_up(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"{OPENER}. Beans ship Wednesday."}))
    panel = window.tells.panel
    panel.select(wait_listed(qtbot, window))
    assert panel.ignore_button.isEnabled()
    assert not panel.rewrite_button.isEnabled()
    assert "needs a model" in panel.rewrite_reason.text()
    assert "needs a model" in panel.rewrite_button.toolTip()
    assert not panel.rewrite_reason.isHidden()


def test_worst_passages_span_the_sequence_and_jump_to_the_step_and_passage(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    sequence = with_bodies(
        welcome,
        {
            1: "We roast on Tuesdays. Your beans leave on Wednesday.",
            3: "A short note.\nLet's delve into our seamless blends.",
            5: f"{OPENER}. The code still works.",
        },
    )
    window = make_window()
    open_in(window, sequence)
    tells = window.tells
    tells.worst_action.trigger()  # Review ▸ Worst passages in the sequence
    view = tells.panel.sequence_view
    assert tells.panel.tabs.currentWidget() is view and tells.dock.isVisible()
    assert [a.text() for a in window.menuBar().actions()][-2:] == ["Re&view", "&Help"]
    qtbot.waitUntil(lambda: len(view.worst_refs()) >= 3, timeout=15000)
    refs = view.worst_refs()
    severities = [r.flag.severity for r in refs]
    assert severities == sorted(severities, reverse=True), "the strongest tells come first"
    assert any(r.position == 5 and r.flag.text == OPENER for r in refs)
    assert {r.position for r in refs} == {3, 5}
    assert view.scores.rowCount() == 6
    assert view.scores.item(0, 1).text() == "0.0" and float(view.scores.item(2, 1).text()) > 0
    assert "Sequence tell density" in view.summary.text()

    seamless = next(r for r in refs if r.flag.text.lower() == "seamless")
    [item] = [item for item in tree_items(view.worst) if item.data(0, Qt.ItemDataRole.UserRole) == seamless]
    rect = view.worst.visualItemRect(item)
    qtbot.mouseClick(view.worst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.workspace.position == 3
    assert window.workspace.editor.body.textCursor().selectedText() == "seamless"


def test_each_sequence_is_checked_with_the_rule_pack_of_its_language(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    mixed = f"Ich hoffe, diese E-Mail erreicht Sie gut.\n{OPENER}."
    english = with_bodies(welcome, {1: mixed})
    german = replace(copy_of(english, "Willkommen"), language="de")
    window = make_window()
    window.context.library.add_sequence(german)
    open_in(window, english)
    wait_listed(qtbot, window)
    assert not listed(window, "de.opener.hope-well")
    open_in(window, german)
    wait_listed(qtbot, window, "de.opener.hope-well")
    assert not listed(window, OPENER_RULE)
    body = window.workspace.editor.body
    assert [p for p, _ in underlined(body, 0)] == ["Ich hoffe, diese E-Mail erreicht Sie"]
    assert underlined(body, 1) == []


def test_a_draft_landing_in_the_open_step_is_checked_right_away(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: "We roast on Tuesdays."}))
    qtbot.waitUntil(lambda: window.tells.review is not None, timeout=15000)
    assert not listed(window, OPENER_RULE)
    sequence = window.workspace.sequence
    assert sequence is not None
    drafted = replace(
        sequence.step(1), email=replace(sequence.step(1).email, body=f"{OPENER}. Beans ship soon.")
    )
    saved = window.context.library.save_step(sequence.id, drafted, RevisionOrigin.AI_DRAFT, "test-model")
    window.workspace.reload_step(saved)  # what the drafting GUI does when a draft lands
    wait_listed(qtbot, window)
    assert underlined(window.workspace.editor.body, 0) == [(OPENER, category_color("stock-opener").name())]


def test_underlining_never_counts_as_an_edit_of_the_step(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"{OPENER}. Beans ship soon.", 2: f"{OPENER}."}))
    wait_for_detector(qtbot, window)
    assert underlined(window.workspace.editor.body, 0)
    assert not window.workspace.has_unsaved_changes, "the first underlines are not typing"
    window.tells.panel.select(wait_listed(qtbot, window))
    window.tells.panel.ignore_button.click()  # new allowances: the step is rehighlighted
    assert underlined(window.workspace.editor.body, 0) == []
    assert not window.workspace.has_unsaved_changes


def test_long_sentences_are_listed_and_marked_in_the_body(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    long_sentence = " ".join(["we roast the beans slowly and carefully"] * 5) + "."
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"Short one.\n{long_sentence}"}))
    body = window.workspace.editor.body
    qtbot.waitUntil(lambda: len(body.extraSelections()) == 1, timeout=15000)
    assert body.extraSelections()[0].cursor.selectedText() == long_sentence
    body.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(body, "Hi. ")  # the mark moves with its sentence while the review catches up
    assert body.extraSelections()[0].cursor.selectedText() == long_sentence
    items = [
        window.tells.panel.flags.topLevelItem(i) for i in range(window.tells.panel.flags.topLevelItemCount())
    ]
    assert any(item is not None and "35 words" in item.text(0) for item in items)


def test_a_remembered_decision_can_be_taken_back(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"{OPENER}. Beans ship soon."}))
    panel = window.tells.panel
    panel.select(wait_listed(qtbot, window))
    panel.allow_rule_button.click()
    qtbot.waitUntil(lambda: not listed(window, OPENER_RULE), timeout=10000)
    shown: list[str] = []

    def remove_it(dialog: QDialog) -> None:
        assert isinstance(dialog, DecisionsDialog)
        shown.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        dialog.list.setCurrentRow(0)
        dialog.remove_button.click()
        assert dialog.list.count() == 0
        dialog.reject()

    when_modal(qtbot, remove_it)
    window.tells.decisions_action.trigger()
    assert shown == [f"Allowed for the brand: rule {OPENER_RULE}"]
    wait_listed(qtbot, window)
    assert underlined(window.workspace.editor.body, 0) == [(OPENER, category_color("stock-opener").name())]


def test_the_panel_opens_from_the_review_menu_and_stays_open_next_time(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: f"{OPENER}."}))
    assert not window.tells.dock.isVisible(), "closed at first: the preview pane needs the room"
    wait_listed(qtbot, window)  # the review runs, and underlines show, with the panel closed
    toggle = window.tells.dock.toggleViewAction()
    assert toggle.shortcut().toString() == "Ctrl+Shift+K"
    toggle.trigger()
    assert window.tells.dock.isVisible()
    window.close()

    reopened = make_window()
    assert reopened.tells.dock.isVisible()
    reopened.tells.dock.toggleViewAction().trigger()
    reopened.close()
    assert not make_window().tells.dock.isVisible()


def test_the_email_score_shows_under_the_editor_and_its_link_opens_the_panel(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: TELL_DENSE}))
    wait_listed(qtbot, window)
    score = window.tells.score
    assert not window.tells.dock.isVisible() and score.isVisible()
    email = window.tells.review.email(1)
    grade = email.report.readability.grade
    assert score.text() == (
        f'<a href="panel" style="color: #b42318;">AI&nbsp;tells&nbsp;{email.density:.1f}'
        " · reads&nbsp;machine&#8209;written</a>"  # it may wrap only between its parts
        f' · <a href="panel" style="color: #57606a;">grade&nbsp;{grade:.1f}</a>'
    )
    assert f"from {len(email.flags)} flags" in score.toolTip()

    score.linkActivated.emit("panel")
    assert window.tells.dock.isVisible()

    window.workspace.editor.body.setPlainText("See you on Friday.")  # a plain note: a quiet score
    qtbot.waitUntil(
        lambda: 'style="color: #57606a;">AI&nbsp;tells&nbsp;0.0</a>' in score.text(), timeout=5000
    )

    hard = (
        "Notwithstanding considerable organisational complexity, our multidisciplinary procurement"
        " infrastructure systematically prioritises environmentally sustainable agricultural partnerships."
    )
    window.workspace.editor.body.setPlainText(hard)  # far above the default target of 8
    qtbot.waitUntil(lambda: '<a href="panel" style="color: #b54708;">grade' in score.text(), timeout=5000)
    assert "(target&nbsp;8)" in score.text()


def test_the_timeline_marks_the_emails_that_read_machine_written(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {3: TELL_DENSE}))
    qtbot.waitUntil(lambda: window.tells.review is not None, timeout=15000)
    timeline = window.workspace.timeline
    density = window.tells.review.email(3).density
    assert f"⚑ {density:.1f}" in timeline.item(2).text().splitlines()[1]  # after the subject
    assert not any("⚑" in timeline.item(row).text() for row in (0, 1, 3, 4, 5))

    serial = window.tells._review_serial
    qtbot.wait(2 * REVIEW_PAUSE_MS)
    assert window.tells._review_serial == serial, "marking the timeline started no new review"

    window.workspace.select_step(3)
    window.workspace.editor.body.setPlainText("See you on Friday.")
    qtbot.waitUntil(lambda: "⚑" not in timeline.item(2).text(), timeout=5000)


def test_the_brands_words_to_avoid_are_underlined_and_listed_but_never_scored(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    brand = replace(welcome.brand, words_to_avoid=("cheap", "blowout sale"))
    sequence = replace(with_bodies(welcome, {1: f"{OPENER}. Cheap beans, a real Blowout Sale."}), brand=brand)
    open_in(window, sequence)
    wait_listed(qtbot, window)
    body = window.workspace.editor.body
    brand_colour = category_color("brand-voice").name()
    assert underlined(body, 0) == [
        (OPENER, category_color("stock-opener").name()),
        ("Cheap", brand_colour),
        ("Blowout Sale", brand_colour),
    ]
    email = window.tells.review.email(1)
    assert [r.flag.text for r in listed(window, BRAND_RULE_ID)] == ["Cheap", "Blowout Sale"]
    detector = window.tells.highlighter.detector
    assert detector is not None
    plain = lint_email(sequence.step(1).email, detector)  # no brand at all
    assert email.density == plain.tell_density > 0  # the brand's words add nothing to the score

    window.tells.panel.ignore_requested.emit(listed(window, BRAND_RULE_ID)[0])  # "Ignore here"
    qtbot.waitUntil(lambda: [r.flag.text for r in listed(window, BRAND_RULE_ID)] == ["Blowout Sale"])
    assert ("Cheap", brand_colour) not in underlined(body, 0)


def test_a_word_typed_into_the_brands_words_to_avoid_is_underlined_before_it_is_saved(
    qtbot: QtBot, make_window: WindowFactory, welcome: Sequence
) -> None:
    window = make_window()
    open_in(window, with_bodies(welcome, {1: "Fresh beans leave on Wednesday."}))
    wait_for_detector(qtbot, window)
    body = window.workspace.editor.body
    assert underlined(body, 0) == []
    field = window.workspace.brand_form.words_to_avoid
    field.setFocus()
    field.end(False)
    qtbot.keyClicks(field, ", fresh")
    assert underlined(body, 0) == [("Fresh", category_color("brand-voice").name())]
