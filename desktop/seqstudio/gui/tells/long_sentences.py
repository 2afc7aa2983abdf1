"""A soft background behind very long sentences in the body editor, from the latest review."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from seqstudio.gui.tells.review import EmailReview, utf16_index

LONG_SENTENCE_BACKGROUND = QColor("#fff4d6")


def mark_long_sentences(editor: QPlainTextEdit, email: EmailReview | None) -> bool:
    """Mark `email`'s long sentences in `editor`; False (marks left as they are) when the review was
    made from other text than the editor now shows; a later review will mark that text."""
    text = editor.toPlainText()
    body = next((p.text for p in email.report.parts if p.field == "body"), "") if email is not None else ""
    if email is not None and body != text:
        return False
    selections: list[QTextEdit.ExtraSelection] = []
    for sentence in email.long_sentences if email is not None else ():
        selection = QTextEdit.ExtraSelection()
        # Document cursors move with later edits, so the mark stays on its sentence while typing.
        cursor = QTextCursor(editor.document())
        cursor.setPosition(utf16_index(text, sentence.start))
        cursor.setPosition(utf16_index(text, sentence.end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[misc]
        selection.format.setBackground(LONG_SENTENCE_BACKGROUND)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selections.append(selection)
    editor.setExtraSelections(selections)
    return True
