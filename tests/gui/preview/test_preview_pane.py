"""The preview pane in the real window, offscreen: what the web views load, what they draw,
what reaches the network, and the checks beside them. Every wait is on a signal or a condition."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWidgets import QLabel, QSplitter
from pytestqt.qtbot import QtBot

from seqstudio.core.model import Sequence
from seqstudio.gui.context import ui_state_settings
from seqstudio.gui.mainwindow import MainWindow
from seqstudio.gui.preview.checks_panel import CHECK_ROLE
from seqstudio.gui.preview.email_view import EmailView
from seqstudio.gui.preview.pane import VIEWS_MIN_WIDTH
from tests.gui.conftest import WindowFactory
from tests.gui.preview.conftest import PreviewWindowFactory

UPDATE_MS = 15_000  # generous for a loaded CI machine; the waits end as soon as the signal comes


def evaluate(qtbot: QtBot, view: EmailView, script: str) -> object:
    """`script`'s value in the page the view has loaded (application world: page JS stays off)."""
    with qtbot.waitCallback(timeout=5000) as callback:
        view.sandboxed_page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback)
    return callback.args[0]


def page_text(qtbot: QtBot, view: EmailView) -> str:
    """The text of the page the view has loaded, read from the engine itself."""
    return str(evaluate(qtbot, view, "document.body ? document.body.innerText : ''"))


def email_ids(window: MainWindow) -> list[str]:
    panel = window.preview.checks
    return [check.id for check in panel.checks(panel.email_group)]


def sequence_ids(window: MainWindow) -> list[str]:
    panel = window.preview.checks
    return [check.id for check in panel.checks(panel.sequence_group)]


def mean_lightness(view: EmailView) -> int:
    average: QImage = view.grab().toImage().scaled(1, 1)
    return average.pixelColor(0, 0).lightness()


def shows_red(view: EmailView) -> bool:
    image = view.grab().toImage()
    return any(
        image.pixelColor(x, y) == QColor("#ff0000")
        for y in range(0, min(image.height(), 200), 3)
        for x in range(0, image.width(), 3)
    )


def type_at_end(qtbot: QtBot, window: MainWindow, text: str) -> None:
    body = window.workspace.editor.body
    body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(body, text)


def test_selecting_a_step_shows_it_at_both_widths(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence
) -> None:
    window = open_in_window(fernweh)
    pane = window.preview
    assert (pane.phone.width(), pane.desktop.width()) == (375, 600)
    for view in pane.views():
        text = page_text(qtbot, view)
        assert "Hi Ana," in text, "the first sample contact fills the merge tag"
        assert "Unsubscribe" in text
    assert pane.inbox_line.text().startswith("<b>Your 10% code, as promised</b>")
    assert "Hi Ana," in pane.plain_text.toPlainText()

    with qtbot.waitSignal(pane.preview_updated, timeout=UPDATE_MS):
        window.workspace.select_step(3)
    assert "I stopped buying supermarket coffee" in pane.inbox_line.text().replace("&quot;", '"')
    assert all("Hi Ana," in page_text(qtbot, view) for view in pane.views())
    assert pane.checks.email_group.text(0).startswith("Step 3")


def test_typing_updates_the_preview_after_a_pause_from_the_text_as_typed(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_in_window(fernweh)
    window.workspace._autosave.setInterval(600_000)  # nothing is saved: the preview must use the fields
    runner, started = window.context.runner, []
    run = runner.run
    monkeypatch.setattr(
        runner, "run", lambda name, *args, **kwargs: started.append(name) or run(name, *args, **kwargs)
    )
    rendered: list[object] = []
    window.preview.live.rendered.connect(rendered.append)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        type_at_end(qtbot, window, " Zebra crossing ahead")
        assert started == [], "no render starts while the user is still typing"
    renders = [name for name in started if name == "Render the preview"]  # the tells panel runs its own
    assert len(renders) == 1 and len(rendered) == 1, "one render for the whole burst of typing"
    assert window.workspace.has_unsaved_changes
    for view in window.preview.views():
        assert "Zebra crossing ahead" in page_text(qtbot, view)
    assert "Zebra crossing ahead" in window.preview.plain_text.toPlainText()


def test_the_contact_picker_fills_merge_tags_with_that_contact(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence
) -> None:
    window = open_in_window(fernweh)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        window.preview.options.contact.setCurrentIndex(
            window.preview.options.contact.findData("sample-no-name")
        )
    assert "Hi there," in page_text(qtbot, window.preview.phone)


def test_scroll_position_survives_a_refresh(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence
) -> None:
    window = open_in_window(fernweh)
    page = window.preview.desktop.sandboxed_page
    page.runJavaScript("window.scrollTo(0, 150); 0", QWebEngineScript.ScriptWorldId.ApplicationWorld)
    qtbot.waitUntil(lambda: page.scrollPosition().y() == 150, timeout=5000)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        type_at_end(qtbot, window, " More.")
    qtbot.waitUntil(lambda: page.scrollPosition().y() == 150, timeout=5000)
    assert "More." in page_text(qtbot, window.preview.desktop)

    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        window.workspace.select_step(3)  # another email starts at its top
    assert evaluate(qtbot, window.preview.desktop, "window.scrollY") == 0


def test_dark_mode_darkens_the_rendering(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence
) -> None:
    window = open_in_window(fernweh)
    desktop = window.preview.desktop
    qtbot.waitUntil(lambda: mean_lightness(desktop) > 180, timeout=5000)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        window.preview.options.dark.setChecked(True)
    qtbot.waitUntil(lambda: mean_lightness(desktop) < 110, timeout=5000)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        window.preview.options.dark.setChecked(False)
    qtbot.waitUntil(lambda: mean_lightness(desktop) > 180, timeout=5000)


def test_remote_images_are_fetched_only_when_allowed_and_never_with_images_off(
    qtbot: QtBot,
    open_in_window: PreviewWindowFactory,
    fernweh: Sequence,
    image_server: tuple[str, list[str]],
) -> None:
    base, requests = image_server
    window = open_in_window(replace(fernweh, brand=replace(fernweh.brand, logo_url=f"{base}/logo.png")))
    pane = window.preview
    with qtbot.waitSignal(pane.preview_updated, timeout=UPDATE_MS):
        window.workspace.select_step(2)  # a second load, still nothing fetched
    assert requests == [] and not shows_red(pane.desktop)

    with qtbot.waitSignal(pane.preview_updated, timeout=UPDATE_MS):
        pane.options.remote_images.setChecked(True)
    qtbot.waitUntil(lambda: shows_red(pane.desktop), timeout=5000)
    assert set(requests) == {"/logo.png"}

    fetched = len(requests)
    with qtbot.waitSignal(pane.preview_updated, timeout=UPDATE_MS):
        pane.options.images_off.setChecked(True)
    qtbot.waitUntil(lambda: not shows_red(pane.desktop), timeout=5000)
    with qtbot.waitSignal(pane.preview_updated, timeout=UPDATE_MS):
        window.workspace.select_step(3)
    assert len(requests) == fetched, "images off: the logo is not asked for"
    assert not shows_red(pane.desktop)


def test_checks_list_follows_the_subject_and_the_rendered_width(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence
) -> None:
    window = open_in_window(fernweh)
    editor = window.workspace.editor
    assert "subject-length" not in email_ids(window)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        editor.subject.selectAll()
        qtbot.keyClicks(editor.subject, "A subject far too long to fit on any phone's inbox line")
    assert "subject-length" in email_ids(window)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        editor.subject.selectAll()
        qtbot.keyClicks(editor.subject, "Short and clear")
    assert "subject-length" not in email_ids(window)

    assert "mobile-overflow" not in email_ids(window)
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        type_at_end(qtbot, window, " " + "x" * 120)
    overflow = [
        c
        for c in window.preview.checks.checks(window.preview.checks.email_group)
        if c.id == "mobile-overflow"
    ]
    assert overflow and overflow[0].level == "warning", "measured in the phone view, wider than 375 px"
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        editor.body.setPlainText("A short body.")
    assert "mobile-overflow" not in email_ids(window)


def test_sequence_checks_appear_and_follow_edits(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence
) -> None:
    window = open_in_window(fernweh, 2)
    assert "step-not-approved" in sequence_ids(window), "steps 3 to 6 are only revised"
    assert "duplicate-subject" not in sequence_ids(window)
    editor = window.workspace.editor
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        editor.subject.selectAll()
        qtbot.keyClicks(editor.subject, "Your 10% code, as promised")  # step 1's subject
    assert "duplicate-subject" in sequence_ids(window)

    with qtbot.waitSignal(window.workspace.timeline.currentRowChanged, timeout=UPDATE_MS):
        panel = window.preview.checks
        duplicate = next(
            panel.sequence_group.child(i)
            for i in range(panel.sequence_group.childCount())
            if panel.sequence_group.child(i).data(0, CHECK_ROLE).id == "duplicate-subject"
        )
        panel.itemDoubleClicked.emit(duplicate, 0)
    assert window.workspace.position == 1, "double-clicking a sequence check opens the step it names"


def test_view_action_hides_the_pane_and_the_choice_is_remembered(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, make_window: WindowFactory, fernweh: Sequence
) -> None:
    window = open_in_window(fernweh)
    rendered: list[object] = []
    window.preview.live.rendered.connect(rendered.append)
    window.preview_action.trigger()
    assert not window.preview.isVisible()
    with qtbot.waitSignal(window.workspace.saved, timeout=UPDATE_MS):  # after the preview's pause
        type_at_end(qtbot, window, " Hidden edit.")
    assert rendered == [], "a hidden preview does not render"
    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        window.preview_action.trigger()
    assert "Hidden edit." in page_text(qtbot, window.preview.phone)

    window.preview.options.dark.setChecked(True)
    window.preview_action.trigger()
    window.close()
    reopened = make_window()
    assert not reopened.preview_action.isChecked() and not reopened.preview.isVisible()
    assert reopened.preview.options.dark.isChecked()
    assert not reopened.preview.options.remote_images.isChecked()


def test_a_layout_saved_before_the_pane_existed_still_shows_it(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, fernweh: Sequence
) -> None:
    old = QSplitter()
    old.addWidget(QLabel("timeline"))
    old.addWidget(QLabel("editor"))
    old.resize(1000, 100)
    old.setSizes([300, 700])
    ui_state_settings().setValue("window/workspace", old.saveState())
    window = open_in_window(fernweh)
    assert window.preview.isVisible() and window.preview.width() >= VIEWS_MIN_WIDTH
