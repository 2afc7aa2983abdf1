"""A step's revision history: every kept state, compared with the current text, restorable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.model import Revision, Step
from seqstudio.core.stepdiff import diff_steps, step_as_text


class RevisionHistoryDialog(QDialog):
    """Lists revisions newest first; `chosen_revision` is set when the user presses Restore."""

    def __init__(self, revisions: list[Revision], current: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of step {n}").format(n=current.position))
        self.resize(860, 560)
        self.revisions = revisions
        self.current = current
        self.chosen_revision: Revision | None = None
        self.list = QListWidget(self)
        for revision in revisions:
            stamp = revision.created_at.strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(
                f"{stamp} · {revision.label}\n{revision.step.email.subject or '(no subject)'}"
            )
            item.setData(Qt.ItemDataRole.UserRole, revision.id)
            self.list.addItem(item)
        self.view = QTextBrowser(self)
        self.view.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.compare = QPushButton(self.tr("Compare with current"), self)
        self.compare.setCheckable(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore = self.buttons.addButton(
            self.tr("Restore this version"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore.setEnabled(False)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.compare)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._show)
        self.compare.toggled.connect(lambda _on: self._show(self.list.currentRow()))
        self.buttons.rejected.connect(self.reject)
        self.restore.clicked.connect(self._on_restore_clicked)
        if revisions:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.revisions):
            return
        revision = self.revisions[row]
        if self.compare.isChecked():
            self.view.setPlainText(diff_steps(revision.step, self.current))
        else:
            self.view.setPlainText(step_as_text(revision.step))
        self.restore.setEnabled(row > 0 or revision.step != self.current)

    def _on_restore_clicked(self) -> None:
        self.chosen_revision = self.revisions[self.list.currentRow()]
        self.accept()
