"""Drafting progress in the status bar: what is happening, a bar, and a Cancel button."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from seqstudio.gui.drafting.controller import DraftController


class DraftProgress(QWidget):
    """Visible only while a draft runs; the button triggers `cancel_action`."""

    def __init__(
        self, controller: DraftController, cancel_action: QAction, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(120)
        # With its text shown, QProgressBar repaints synchronously on every setValue; the label
        # carries the count instead, so updates are painted with the next frame
        self.bar.setTextVisible(False)
        self.cancel = QToolButton(self)
        self.cancel.setDefaultAction(cancel_action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        controller.progress_changed.connect(self._on_controller_progress_changed)
        controller.busy_changed.connect(self.setVisible)
        self.hide()

    def _on_controller_progress_changed(self, done: int, total: int, message: str) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.label.setText(
            self.tr("{message} ({done} of {total})").format(message=message, done=done, total=total)
        )
