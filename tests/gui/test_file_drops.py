"""Files dropped on the window: a flow file opens, an email is checked, anything else is refused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from seqstudio.core.paths import shipped_dir
from seqstudio.gui.mainwindow import MainWindow
from seqstudio.gui.preview.file_check_dialog import EmailFileCheckDialog
from tests.gui.conftest import WindowFactory


def files(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def drag_enter(window: MainWindow, mime: QMimeData) -> bool:
    event = QDragEnterEvent(
        QPointF(10, 10).toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def drop(window: MainWindow, mime: QMimeData) -> None:
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)


def test_a_dropped_flow_file_opens_and_a_dropped_email_is_checked(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    flow = shipped_dir("sequences") / "examples" / "fernweh-cart.yaml"
    email = tmp_path / "newsletter.html"
    email.write_text("<html><body><p>Spring beans are in.</p></body></html>", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("not an email", encoding="utf-8")

    assert not drag_enter(window, files(notes)), "a file the window cannot use is refused"
    assert drag_enter(window, files(flow, email))
    drop(window, files(flow, email, notes))

    assert window.workspace.sequence is not None and window.workspace.sequence.name == "Fernweh cart reminder"
    (dialog,) = window.findChildren(EmailFileCheckDialog)
    with qtbot.waitSignal(dialog.finished_checking, timeout=30000):
        pass
    assert dialog.path == email
    dialog.close()
