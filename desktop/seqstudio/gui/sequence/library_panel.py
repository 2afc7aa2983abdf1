"""The library: every sequence, grouped by kind, with a search field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from seqstudio.core.model import SequenceKind, StepStatus
from seqstudio.core.storage import SequenceSummary

_ID_ROLE = Qt.ItemDataRole.UserRole


class LibraryPanel(QWidget):
    sequence_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search sequences and brands"))
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._summaries: list[SequenceSummary] = []
        self.search.textChanged.connect(self._on_search_text_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)

    def set_summaries(self, summaries: list[SequenceSummary], current_id: str | None = None) -> None:
        self._summaries = summaries
        self._rebuild(current_id)

    def select(self, sequence_id: str) -> None:
        item = self._find(sequence_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _items(self) -> list[QTreeWidgetItem]:
        """The sequence items, in display order (the kind groups left out)."""
        items = []
        for group in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(group)
            if parent is not None:
                items += [child for i in range(parent.childCount()) if (child := parent.child(i)) is not None]
        return items

    def visible_ids(self) -> list[str]:
        return [item.data(0, _ID_ROLE) for item in self._items()]

    def _find(self, sequence_id: str) -> QTreeWidgetItem | None:
        return next((item for item in self._items() if item.data(0, _ID_ROLE) == sequence_id), None)

    def _rebuild(self, current_id: str | None) -> None:
        needle = self.search.text().strip().lower()
        self.tree.blockSignals(True)
        self.tree.clear()
        for kind in SequenceKind:
            matches = [
                s
                for s in self._summaries
                if s.kind is kind
                and (not needle or needle in s.name.lower() or needle in s.brand_name.lower())
            ]
            if not matches:
                continue
            group = QTreeWidgetItem(self.tree, [f"{kind.label} ({len(matches)})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for summary in matches:
                approved = sum(status is StepStatus.APPROVED for status in summary.statuses)
                item = QTreeWidgetItem(group, [summary.name])
                item.setData(0, _ID_ROLE, summary.id)
                item.setToolTip(
                    0,
                    self.tr("{brand} · {approved}/6 approved").format(
                        brand=summary.brand_name, approved=approved
                    ),
                )
            group.setExpanded(True)
        self.tree.blockSignals(False)
        if current_id:
            found = self._find(current_id)
            if found is not None:
                self.tree.blockSignals(True)
                self.tree.setCurrentItem(found)
                self.tree.blockSignals(False)

    def _on_search_text_changed(self, _text: str) -> None:
        current = self.tree.currentItem()
        self._rebuild(current.data(0, _ID_ROLE) if current is not None else None)

    def _on_tree_current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is not None and current.data(0, _ID_ROLE):
            self.sequence_chosen.emit(current.data(0, _ID_ROLE))
