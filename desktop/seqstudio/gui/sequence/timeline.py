"""The open sequence's six steps as a timeline: when each email goes out, its purpose, its state."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from seqstudio.core.durations import describe_offset
from seqstudio.core.model import Sequence, StepStatus

STATUS_MARKS = {
    StepStatus.EMPTY: "○",
    StepStatus.DRAFTED: "◐",
    StepStatus.REVISED: "◑",
    StepStatus.APPROVED: "●",
}


def timeline_label(position: int, when: str, purpose: str, subject: str, status: StepStatus) -> str:
    return f"{STATUS_MARKS[status]} {position} · {when} · {purpose}\n     {subject or '(no subject yet)'}"


class TimelineView(QListWidget):
    step_chosen = Signal(int)  # position 1..6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSpacing(2)
        self.currentRowChanged.connect(self._on_current_row_changed)

    def show_sequence(self, sequence: Sequence, position: int = 1) -> None:
        self.blockSignals(True)
        self.clear()
        for step, offset in zip(sequence.steps, sequence.step_offsets(), strict=True):
            item = QListWidgetItem(self._label(sequence, step.position, describe_offset(offset)))
            item.setToolTip(step.guidance)
            self.addItem(item)
        self.setCurrentRow(position - 1)
        self.blockSignals(False)

    def refresh(self, sequence: Sequence) -> None:
        """Update labels in place (timing, subject, status) without moving the selection."""
        for row, (step, offset) in enumerate(zip(sequence.steps, sequence.step_offsets(), strict=True)):
            item = self.item(row)
            if item is not None:
                item.setText(self._label(sequence, step.position, describe_offset(offset)))

    @staticmethod
    def _label(sequence: Sequence, position: int, when: str) -> str:
        step = sequence.step(position)
        return timeline_label(position, when, step.purpose, step.email.subject, step.status)

    def _on_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.step_chosen.emit(row + 1)
