"""Tooltips over flagged passages in the body editor: why it reads machine-written, what to say."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from seqstudio.gui.tells.highlighter import TellHighlighter, flag_tooltip
from seqstudio.gui.tells.review import python_index


class FlagTooltips(QObject):
    """Answers the editor viewport's tooltip events; matches only the hovered block."""

    def __init__(self, editor: QPlainTextEdit, highlighter: TellHighlighter) -> None:
        super().__init__(editor)
        self._editor, self._highlighter = editor, highlighter
        editor.viewport().installEventFilter(self)

    def tooltip_at(self, event: QHelpEvent) -> str:
        cursor = self._editor.cursorForPosition(event.pos())
        text = cursor.block().text()
        index = python_index(text, cursor.positionInBlock())
        # The cursor lands between characters: a point over a flag's last half is at its end.
        hits = [f for f in self._highlighter.flags_in(text) if f.start <= index <= f.end]
        return "<hr>".join(flag_tooltip(f) for f in hits)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event)
            if text:
                QToolTip.showText(event.globalPos(), text, self._editor.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(watched, event)
