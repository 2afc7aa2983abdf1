"""The open sequence's six steps as a timeline: when each email goes out, its purpose, its state.

Other panels may pin a one-line note under a step (drafting shows "drafting…", "failed" there)
and a short mark after its subject (the AI-tells review marks emails that read machine-written);
both are kept per sequence, so they come back when that sequence is shown again.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def timeline_label(
    position: int, when: str, purpose: str, subject: str, status: StepStatus, note: str = "", mark: str = ""
) -> str:
    label = f"{STATUS_MARKS[status]} {position} · {when} · {purpose}\n     {subject or '(no subject yet)'}"
    if mark:
        label += f"  {mark}"
    return f"{label}\n     {note}" if note else label


@dataclass(frozen=True)
class StepNote:
    text: str  # one short line under the step
    tooltip: str = ""  # shown instead of the step's guidance while the note is up


class TimelineView(QListWidget):
    step_chosen = Signal(int)  # position 1..6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setSpacing(2)
        self._sequence: Sequence | None = None
        self._notes: dict[str, dict[int, StepNote]] = {}  # sequence id -> position -> note
        self._marks: dict[str, dict[int, str]] = {}  # sequence id -> position -> mark
        self.currentRowChanged.connect(self._on_current_row_changed)

    def show_sequence(self, sequence: Sequence, position: int = 1) -> None:
        self.blockSignals(True)
        self.clear()
        for _step in sequence.steps:
            self.addItem(QListWidgetItem())
        self.refresh(sequence)
        self.setCurrentRow(position - 1)
        self.blockSignals(False)

    def refresh(self, sequence: Sequence) -> None:
        """Update labels in place (timing, subject, status, notes) without moving the selection."""
        self._sequence = sequence
        notes, marks = self._notes.get(sequence.id, {}), self._marks.get(sequence.id, {})
        for row, (step, offset) in enumerate(zip(sequence.steps, sequence.step_offsets(), strict=True)):
            item = self.item(row)
            if item is None:
                continue
            note = notes.get(step.position, StepNote(""))
            when = describe_offset(offset)
            mark = marks.get(step.position, "")
            item.setText(
                timeline_label(
                    step.position, when, step.purpose, step.email.subject, step.status, note.text, mark
                )
            )
            item.setToolTip(note.tooltip or step.guidance)

    def set_note(self, sequence_id: str, position: int, note: StepNote | None) -> None:
        """Pin `note` under a step of that sequence (None removes it); shown now if it is open."""
        notes = self._notes.setdefault(sequence_id, {})
        if note is None:
            notes.pop(position, None)
        else:
            notes[position] = note
        if self._sequence is not None and self._sequence.id == sequence_id and self.count():
            self.refresh(self._sequence)

    def set_marks(self, sequence_id: str, marks: dict[int, str]) -> None:
        """Show `marks` (position -> a few characters) after those steps' subjects, replacing the
        sequence's previous marks; relabels only when they changed."""
        if self._marks.get(sequence_id, {}) == marks:
            return
        self._marks[sequence_id] = dict(marks)
        if self._sequence is not None and self._sequence.id == sequence_id and self.count():
            self.refresh(self._sequence)

    def note(self, sequence_id: str, position: int) -> StepNote | None:
        return self._notes.get(sequence_id, {}).get(position)

    def clear(self) -> None:
        """Remove every step; never emits step_chosen (items going move the current row)."""
        self._sequence = None
        self.blockSignals(True)
        try:
            super().clear()
        finally:
            self.blockSignals(False)

    def _on_current_row_changed(self, row: int) -> None:
        if row >= 0:
            self.step_chosen.emit(row + 1)
