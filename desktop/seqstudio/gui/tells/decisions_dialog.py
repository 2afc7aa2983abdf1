"""The remembered tell decisions of the open step and its brand, with a way to take one back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.storage.allowances import Allowance, AllowanceScope, AllowanceStore

ALLOWANCE_ROLE = Qt.ItemDataRole.UserRole


class DecisionsDialog(QDialog):
    """Lists what "Ignore here" and "Allow for brand" remembered; Remove forgets one at once."""

    def __init__(
        self, store: AllowanceStore, brand: str, step_id: str, position: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Remembered decisions"))
        self._store, self._brand, self._step_id, self._position = store, brand, step_id, position
        self.removed = 0
        self.list = QListWidget(self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("Flags let pass for brand “{brand}” and in step {n}:").format(brand=brand, n=position)
            )
        )
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove_button)
        layout.addWidget(buttons)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.list.currentItemChanged.connect(
            lambda *_: self.remove_button.setEnabled(self.list.currentItem() is not None)
        )
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for allowance in self._store.listed(self._brand, self._step_id):
            item = QListWidgetItem(self._describe(allowance))
            item.setData(ALLOWANCE_ROLE, allowance.id)
            self.list.addItem(item)
        self.remove_button.setEnabled(False)

    def _describe(self, allowance: Allowance) -> str:
        what = (
            self.tr("the phrase “{phrase}”").format(phrase=allowance.phrase)
            if allowance.phrase
            else self.tr("rule {rule}").format(rule=allowance.rule_id)
        )
        if allowance.scope is AllowanceScope.BRAND:
            return self.tr("Allowed for the brand: {what}").format(what=what)
        return self.tr("Ignored in step {n}: {what}").format(n=self._position, what=what)

    def _on_remove_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._store.remove(int(item.data(ALLOWANCE_ROLE)))
            self.removed += 1
            self._fill()
