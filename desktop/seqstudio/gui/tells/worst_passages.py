"""The whole sequence at a glance: a tell score per email, the sequence's score, and its worst
passages across all six emails; choosing one jumps to its step and passage."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.tells import SHIPPING_THRESHOLD
from seqstudio.gui.tells.highlighter import SEVERITY_WORDS, category_color, category_label, flag_tooltip
from seqstudio.gui.tells.review import FlagRef, SequenceReview

REF_ROLE = Qt.ItemDataRole.UserRole


def fit_columns(tree: QTreeWidget, stretch: int) -> None:
    """Columns as wide as their contents, except `stretch`, which takes the rest (the passage)."""
    header = tree.header()
    header.setStretchLastSection(False)
    for column in range(tree.columnCount()):
        mode = (
            QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)


def tree_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The top-level items of `tree`, in order."""
    found = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in found if item is not None]


class SequenceTellsView(QWidget):
    passage_chosen = Signal(object)  # FlagRef
    step_chosen = Signal(int)  # position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.scores = QTableWidget(0, 4, self)
        self.scores.setHorizontalHeaderLabels(
            [self.tr("Step"), self.tr("Tell density"), self.tr("Flags"), self.tr("Grade")]
        )
        self.scores.verticalHeader().hide()
        self.scores.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scores.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.scores.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.worst = QTreeWidget(self)
        self.worst.setRootIsDecorated(False)
        self.worst.setHeaderLabels(
            [self.tr("Step"), self.tr("Passage"), self.tr("Category"), self.tr("Strength")]
        )
        fit_columns(self.worst, stretch=1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.scores)
        layout.addWidget(QLabel(self.tr("Worst passages in the sequence"), self))
        layout.addWidget(self.worst, 1)
        self.worst.itemClicked.connect(self._on_worst_item_activated)  # one click jumps there
        self.worst.itemActivated.connect(self._on_worst_item_activated)
        self.scores.cellActivated.connect(lambda row, _column: self.step_chosen.emit(row + 1))

    def show_review(self, review: SequenceReview) -> None:
        flagged = self.tr(" (reads machine-written)") if review.density >= SHIPPING_THRESHOLD else ""
        self.summary.setText(
            self.tr("Sequence tell density: {density:.1f} per 100 words{flagged}").format(
                density=review.density, flagged=flagged
            )
        )
        self.scores.setRowCount(len(review.emails))
        for row, email in enumerate(review.emails):
            grade = email.report.readability.grade
            cells = (
                str(email.position),
                f"{email.density:.1f}" if email.report.words else "–",
                str(len(email.flags)),
                (f"{grade:.1f}" + (" ▲" if grade > review.target_grade else ""))
                if email.report.words
                else "–",
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 1 and email.density >= SHIPPING_THRESHOLD:
                    cell.setForeground(category_color("false-urgency"))
                self.scores.setItem(row, column, cell)
        self.worst.clear()
        for ref in review.worst():
            item = QTreeWidgetItem(
                [
                    str(ref.position),
                    ref.flag.text,
                    category_label(ref.flag.category),
                    SEVERITY_WORDS.get(ref.flag.severity, ""),
                ]
            )
            item.setData(0, REF_ROLE, ref)
            item.setForeground(2, category_color(ref.flag.category))
            for column in range(4):
                item.setToolTip(column, flag_tooltip(ref.flag))
            self.worst.addTopLevelItem(item)

    def clear(self) -> None:
        self.summary.clear()
        self.scores.setRowCount(0)
        self.worst.clear()

    def worst_refs(self) -> list[FlagRef]:
        return [ref for item in tree_items(self.worst) if isinstance(ref := item.data(0, REF_ROLE), FlagRef)]

    def _on_worst_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        ref = item.data(0, REF_ROLE)
        if isinstance(ref, FlagRef):
            self.passage_chosen.emit(ref)
