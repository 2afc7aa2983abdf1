"""File ▸ Check an email file…: an email this app did not make, drawn and checked in the window."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from seqstudio.core.render.findings import Level
from seqstudio.core.render.preview import DESKTOP_WIDTH, PHONE_WIDTH
from seqstudio.gui.mainwindow import MainWindow
from seqstudio.gui.preview.email_view import EmailView, side_by_side
from seqstudio.gui.preview.file_check_dialog import EmailFileCheckDialog
from seqstudio.gui.preview.sandbox import sandboxed_profile
from tests.gui.conftest import WindowFactory
from tests.gui.preview.conftest import red_png
from tests.support.messages import related_message


def checked(qtbot: QtBot, window: MainWindow, path: Path) -> EmailFileCheckDialog:
    """The dialog for `path`, once its checks are listed and both views drawn."""
    dialog = window.check_email_file(path)
    assert dialog is not None
    with qtbot.waitSignal(dialog.finished_checking, timeout=30000):
        pass
    return dialog


WIDE = (
    '<html lang="en"><head><meta name="viewport" content="width=device-width"></head><body>'
    "<p>Our spring beans are in. Order by Friday.</p>"
    '<table width="700" style="width:700px"><tr><td>a wide table</td></tr></table></body></html>'
)


def test_an_html_file_is_drawn_and_checked_with_its_width_measured(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    page = tmp_path / "newsletter.html"
    page.write_text(WIDE, encoding="utf-8")
    window = make_window()
    dialog = checked(qtbot, window, page)
    found = {(c.id, c.level) for c in dialog.checks.checks(dialog.checks.email_group)}
    assert ("unsubscribe-missing", Level.ERROR) in found
    assert ("mobile-overflow", Level.WARNING) in found  # measured in the phone view
    assert dialog.checks.sequence_group.isHidden()
    assert "Our spring beans are in." in dialog.plain_text.toPlainText()
    assert "newsletter.html" in dialog.heading.text()
    dialog.close()  # frees its pages before their profile


def test_a_saved_message_shows_its_subject_and_a_missing_text_part(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    message = EmailMessage()
    message["Subject"] = "Spring beans"
    message.set_content(WIDE.replace('width="700" style="width:700px"', ""), subtype="html")
    saved = tmp_path / "sent.eml"
    saved.write_bytes(message.as_bytes())
    dialog = checked(qtbot, make_window(), saved)
    ids = {c.id for c in dialog.checks.checks(dialog.checks.email_group)}
    assert "text-part-missing" in ids and "mobile-overflow" not in ids
    assert "<b>Spring beans</b>" in dialog.heading.text()
    dialog.close()


def test_a_file_that_cannot_be_read_says_why(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    broken = tmp_path / "old.html"
    broken.write_bytes(b"<p>Gr\xfc\xdfe</p>")
    dialog = checked(qtbot, make_window(), broken)
    assert dialog.status.isVisibleTo(dialog) and "is not UTF-8 text (byte 5)" in dialog.status.text()
    dialog.close()


def test_a_dialog_left_open_goes_with_its_window(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    page.write_text(WIDE, encoding="utf-8")
    window = make_window()
    dialog = checked(qtbot, window, page)
    window.close()
    assert not dialog.isVisible()  # closed with the window, its pages freed before their profile


def test_remote_images_load_only_once_allowed(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, image_server: tuple[str, list[str]]
) -> None:
    base, requests = image_server
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><body><img src="{base}/logo.png" alt="Logo"><p>Hi</p></body></html>', encoding="utf-8"
    )
    dialog = checked(qtbot, make_window(), page)
    assert requests == []  # nothing left the machine
    with qtbot.waitSignal(dialog.finished_checking, timeout=30000):
        dialog.remote_images.setChecked(True)
    qtbot.waitUntil(lambda: "/logo.png" in requests, timeout=5000)
    dialog.close()


def test_the_views_get_no_layout_item_wrappers_that_could_go_stale(qtbot: QtBot) -> None:
    """PySide wraps the QWidgetItems of a layout that is added while it holds widgets; a view
    deleted on shutdown would leave its item's wrapper in PySide's map, to be handed out for a
    later object at that address (seen once in CI: a viewport() came back as a QWidgetItem)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    profile, _blocker = sandboxed_profile(parent)
    phone, desktop = EmailView(profile, PHONE_WIDTH, parent), EmailView(profile, DESKTOP_WIDTH, parent)

    def item_wrappers() -> int:
        return sum(1 for o in Shiboken.getAllValidWrappers() if type(o).__name__ == "QWidgetItem")

    before = item_wrappers()
    side_by_side(phone, desktop, parent)
    assert item_wrappers() == before
    for view in (phone, desktop):
        Shiboken.delete(view.sandboxed_page)
        Shiboken.delete(view)


def test_an_html_files_relative_images_load_from_its_folder(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(red_png())
    page = tmp_path / "page.html"
    page.write_text('<html><body><img src="images/logo.png" alt="Logo"></body></html>', encoding="utf-8")
    dialog = checked(qtbot, make_window(), page)
    widths: list[object] = []
    dialog.phone.sandboxed_page.runJavaScript(
        "document.images[0].naturalWidth", QWebEngineScript.ScriptWorldId.ApplicationWorld, widths.append
    )
    qtbot.waitUntil(lambda: bool(widths), timeout=5000)
    assert float(str(widths[0])) == 40  # the 40 px picture beside the file was drawn
    dialog.close()


def test_a_saved_messages_inline_images_are_drawn(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    saved = tmp_path / "related.eml"
    saved.write_bytes(related_message(red_png()).as_bytes())
    dialog = checked(qtbot, make_window(), saved)
    assert dialog.checked is not None and "cid:logo@x.test" in dialog.checked.html  # checked as sent
    widths: list[object] = []
    dialog.phone.sandboxed_page.runJavaScript(
        "document.images[0].naturalWidth", QWebEngineScript.ScriptWorldId.ApplicationWorld, widths.append
    )
    qtbot.waitUntil(lambda: bool(widths), timeout=5000)
    assert float(str(widths[0])) == 40  # drawn from the message's own image part
    dialog.close()
