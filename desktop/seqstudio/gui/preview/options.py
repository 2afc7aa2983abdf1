"""How the preview shows an email: whose merge data, which layout, dark mode, images."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from seqstudio.core.render.layouts import LAYOUTS, Contact


class PreviewOptions(QWidget):
    """Two short rows of choices, so the pane can be as narrow as the phone view."""

    content_changed = Signal()  # another contact or layout: the email must be rendered again
    look_changed = Signal()  # dark mode, images or remote images: the same HTML drawn again

    def __init__(self, contacts: tuple[Contact, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._contacts = contacts
        self.contact = QComboBox(self)
        for contact in contacts:
            self.contact.addItem(contact.label, contact.id)
        self.contact.setToolTip(self.tr("Whose merge data fills tags such as {{ first_name }}"))
        self.layout_choice = QComboBox(self)
        names = {"branded": self.tr("Branded layout"), "letter": self.tr("Letter layout")}
        for name in LAYOUTS:
            self.layout_choice.addItem(names.get(name, name), name)
        self.dark = QCheckBox(self.tr("Dark mode"), self)
        self.dark.setToolTip(self.tr("Darken the email as the Gmail apps and Apple Mail in dark mode do"))
        self.images_off = QCheckBox(self.tr("Images off"), self)
        self.images_off.setToolTip(self.tr("Show the email as a client that blocks images does"))
        self.remote_images = QCheckBox(self.tr("Allow remote images"), self)
        self.remote_images.setToolTip(
            self.tr("Fetch images from their servers. Off: the preview makes no network request at all.")
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for row in ((self.contact, self.layout_choice), (self.dark, self.images_off, self.remote_images)):
            line = QHBoxLayout()
            for widget in row:
                line.addWidget(widget)
            line.addStretch(1)
            layout.addLayout(line)
        self.contact.currentIndexChanged.connect(self.content_changed)
        self.layout_choice.currentIndexChanged.connect(self.content_changed)
        for box in (self.dark, self.images_off, self.remote_images):
            box.toggled.connect(self.look_changed)

    @property
    def chosen_contact(self) -> Contact:
        return self._contacts[max(0, self.contact.currentIndex())]

    @property
    def chosen_layout(self) -> str:
        return str(self.layout_choice.currentData())

    def save_state(self, state: QSettings) -> None:
        """Remember the choices, except remote images: each session starts with no requests."""
        state.setValue("preview/dark", self.dark.isChecked())
        state.setValue("preview/images_off", self.images_off.isChecked())
        state.setValue("preview/layout", self.layout_choice.currentData())
        state.setValue("preview/contact", self.contact.currentData())

    def restore_state(self, state: QSettings) -> None:
        self.dark.setChecked(str(state.value("preview/dark", "false")).lower() == "true")
        self.images_off.setChecked(str(state.value("preview/images_off", "false")).lower() == "true")
        for combo, key in ((self.layout_choice, "preview/layout"), (self.contact, "preview/contact")):
            index = combo.findData(state.value(key))
            if index >= 0:
                combo.setCurrentIndex(index)
