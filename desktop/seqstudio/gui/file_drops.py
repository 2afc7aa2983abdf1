"""Files dropped on the window: a flow file is imported and opened, an HTML email or a saved
message is checked (File ▸ Check an email file…). Other files are not taken, so the drop shows
as refused rather than doing nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

from seqstudio.core.render.htmlsource import HTML_SUFFIXES, MESSAGE_SUFFIXES

FLOW_SUFFIXES = (".yaml", ".yml")
EMAIL_SUFFIXES = HTML_SUFFIXES + MESSAGE_SUFFIXES


def dropped_files(mime: QMimeData) -> list[Path]:
    """The local files in a drop that the window knows what to do with, in the order given."""
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() in FLOW_SUFFIXES + EMAIL_SUFFIXES]


class FileDrops(QObject):
    """An event filter for the main window; it emits one signal per file dropped."""

    flow_dropped = Signal(str)  # a flow file's path, for MainWindow.import_flow_file
    email_dropped = Signal(object)  # a Path, for MainWindow.check_email_file

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, (QDragEnterEvent, QDragMoveEvent)):
            if dropped_files(event.mimeData()):
                event.acceptProposedAction()
                return True
            return False
        if isinstance(event, QDropEvent):
            paths = dropped_files(event.mimeData())
            if not paths:
                return False
            event.acceptProposedAction()
            for path in paths:
                if path.suffix.lower() in FLOW_SUFFIXES:
                    self.flow_dropped.emit(str(path))
                else:
                    self.email_dropped.emit(path)
            return True
        return super().eventFilter(watched, event)
