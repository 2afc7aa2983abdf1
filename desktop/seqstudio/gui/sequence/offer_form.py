"""Offer facts: the products, prices and codes a draft may state, and nothing else."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.model import DiscountCode, OfferFacts, Product


class _RowTable(QWidget):
    """A small editable table with Add and Remove buttons."""

    edited = Signal()

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMaximumHeight(130)
        add = QPushButton(self.tr("Add"), self)
        remove = QPushButton(self.tr("Remove"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        add.clicked.connect(lambda: self.add_row([""] * self.table.columnCount()))
        remove.clicked.connect(self._on_remove_clicked)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())

    def add_row(self, values: list[str]) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate(values):
            self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.blockSignals(False)

    def set_rows(self, rows: list[list[str]]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(row)

    def rows(self) -> list[list[str]]:
        result = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, column) for column in range(self.table.columnCount())]
            values = [item.text().strip() if item is not None else "" for item in items]
            if any(values):
                result.append(values)
        return result

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.edited.emit()


class OfferForm(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.products = _RowTable(
            [self.tr("Product"), self.tr("Price"), self.tr("Currency"), self.tr("URL")], self
        )
        self.codes = _RowTable(
            [self.tr("Code"), self.tr("What it gives"), self.tr("Expires (YYYY-MM-DD)")], self
        )
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(
            self.tr("Other facts a draft may state, one per line (e.g. Free shipping over 50 EUR)")
        )
        self.notes.setMaximumHeight(80)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Only these facts may appear in a draft: prices, codes, dates.")))
        layout.addWidget(QLabel(self.tr("Products")))
        layout.addWidget(self.products)
        layout.addWidget(QLabel(self.tr("Discount codes")))
        layout.addWidget(self.codes)
        layout.addWidget(QLabel(self.tr("Other facts")))
        layout.addWidget(self.notes)
        self.products.edited.connect(self.edited)
        self.codes.edited.connect(self.edited)
        self.notes.textChanged.connect(self.edited)

    def load(self, offer: OfferFacts) -> None:
        self.blockSignals(True)
        try:
            self.products.set_rows([[p.name, p.price, p.currency, p.url] for p in offer.products])
            self.codes.set_rows(
                [
                    [c.code, c.description, c.expires.isoformat() if c.expires else ""]
                    for c in offer.discount_codes
                ]
            )
            self.notes.setPlainText("\n".join(offer.notes))
        finally:
            self.blockSignals(False)

    def offer(self) -> tuple[OfferFacts, list[tuple[str, str]]]:
        """The facts as entered, and problems the model cannot express (unreadable dates)."""
        problems: list[tuple[str, str]] = []
        codes = []
        for index, (code, description, expires) in enumerate(self.codes.rows()):
            expiry = None
            if expires:
                try:
                    expiry = date.fromisoformat(expires)
                except ValueError:
                    problems.append(
                        (
                            f"offer.discount_codes[{index}].expires",
                            f"'{expires}' is not a date like 2027-01-31",
                        )
                    )
            codes.append(DiscountCode(code=code, description=description, expires=expiry))
        products = tuple(
            Product(name=name, price=price, currency=currency.upper() or "USD", url=url)
            for name, price, currency, url in self.products.rows()
        )
        notes = tuple(line.strip() for line in self.notes.toPlainText().splitlines() if line.strip())
        return OfferFacts(products=products, discount_codes=tuple(codes), notes=notes), problems
