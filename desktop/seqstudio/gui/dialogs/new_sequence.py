"""New Sequence: choose a blueprint, name it, and give the brand and its offer facts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.blueprints import Blueprint, new_sequence
from seqstudio.core.errors import StudioError
from seqstudio.core.flowfile import read_brand_file
from seqstudio.core.model import Brand, OfferFacts, Sequence, SequenceKind
from seqstudio.core.validation import sequence_problems
from seqstudio.gui.sequence.brand_form import BrandForm
from seqstudio.gui.sequence.offer_form import OfferForm
from seqstudio.gui.sequence.problems_label import ProblemsLabel


class NewSequenceDialog(QDialog):
    """On accept, `sequence` holds the new, valid sequence (not yet stored)."""

    def __init__(
        self,
        blueprints: dict[str, Blueprint],
        known_brands: dict[str, tuple[Brand, OfferFacts]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New sequence"))
        self.resize(640, 720)
        self.blueprints = blueprints
        self.known_brands = known_brands
        self.sequence: Sequence | None = None
        self.blueprint = QComboBox(self)
        for kind in SequenceKind:
            for blueprint in blueprints.values():
                if blueprint.kind is kind:
                    self.blueprint.addItem(f"{kind.label}: {blueprint.name}", blueprint.id)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. Spring welcome"))
        self.days_since_last_order = QSpinBox(self)
        self.days_since_last_order.setRange(1, 730)
        self.days_since_last_order.setSuffix(self.tr(" days"))
        self.copy_brand = QComboBox(self)
        self.copy_brand.addItem(self.tr("(enter below)"), "")
        for name in sorted(known_brands):
            self.copy_brand.addItem(name, name)
        self.load_brand = QPushButton(self.tr("Load brand file…"), self)
        self.brand_form = BrandForm(self)
        self.offer_form = OfferForm(self)
        self.problems = ProblemsLabel(self)
        tabs = QTabWidget(self)
        tabs.addTab(self.brand_form, self.tr("Brand"))
        tabs.addTab(self.offer_form, self.tr("Offer facts"))
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.blueprint)
        form.addRow("", self.description)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Start after last order"), self.days_since_last_order)
        form.addRow(self.tr("Brand from"), self.copy_brand)
        form.addRow("", self.load_brand)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.blueprint.currentIndexChanged.connect(self._on_blueprint_changed)
        self.copy_brand.currentIndexChanged.connect(self._on_copy_brand_changed)
        self.load_brand.clicked.connect(self._on_load_brand_clicked)
        self.buttons.accepted.connect(self._on_create)
        self.buttons.rejected.connect(self.reject)
        self.brand_form.load(Brand(name=""))
        self._on_blueprint_changed()

    def chosen_blueprint(self) -> Blueprint:
        return self.blueprints[self.blueprint.currentData()]

    def select_blueprint(self, blueprint_id: str) -> None:
        self.blueprint.setCurrentIndex(self.blueprint.findData(blueprint_id))

    def _on_blueprint_changed(self) -> None:
        blueprint = self.chosen_blueprint()
        self.description.setText(blueprint.description)
        days = blueprint.trigger.days_since_last_order
        self.days_since_last_order.setEnabled(days is not None)
        self.days_since_last_order.setValue(days or 90)

    def _on_copy_brand_changed(self) -> None:
        name = self.copy_brand.currentData()
        if name:
            brand, offer = self.known_brands[name]
            self.brand_form.load(brand)
            self.offer_form.load(offer)

    def _on_load_brand_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Brand file"), "", self.tr("YAML (*.yaml *.yml)"))
        if path:
            try:
                brand, offer = read_brand_file(Path(path))
            except StudioError as error:
                self.problems.setText(error.user_message)
                return
            self.brand_form.load(brand)
            self.offer_form.load(offer)

    def _on_create(self) -> None:
        offer, problems = self.offer_form.offer()
        blueprint = self.chosen_blueprint()
        days = (
            self.days_since_last_order.value()
            if blueprint.trigger.days_since_last_order is not None
            else None
        )
        sequence = new_sequence(
            blueprint, self.name.text().strip(), self.brand_form.brand(), offer, days_since_last_order=days
        )
        problems += sequence_problems(sequence)
        if problems:
            self.problems.show_problems(problems)
            return
        self.sequence = sequence
        self.accept()
