"""Fields for a brand: who sends, how they sound, what they look like."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from seqstudio.core.model import Brand, BrandColors


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.replace(",", "\n").splitlines() if line.strip())


class BrandForm(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.from_name = QLineEdit(self)
        self.from_email = QLineEdit(self)
        self.reply_to = QLineEdit(self)
        self.postal_address = QLineEdit(self)
        self.postal_address.setToolTip(self.tr("Required in the footer of marketing email (CAN-SPAM, GDPR)."))
        self.voice_notes = QPlainTextEdit(self)
        self.voice_notes.setPlaceholderText(
            self.tr("How the brand sounds: tone, sentence length, what it never says")
        )
        self.words_to_avoid = QLineEdit(self)
        self.words_to_avoid.setPlaceholderText(self.tr("comma-separated"))
        self.sample_copy = QPlainTextEdit(self)
        self.sample_copy.setPlaceholderText(
            self.tr("A paragraph the brand really wrote, as a model for the voice")
        )
        self.logo_url = QLineEdit(self)
        self.language = QLineEdit(self)
        self.colors = {name: QLineEdit(self) for name in ("primary", "background", "text", "accent")}
        for box in (self.voice_notes, self.sample_copy):
            box.setMaximumHeight(80)
            box.setTabChangesFocus(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Brand name"), self.name)
        form.addRow(self.tr("From name"), self.from_name)
        form.addRow(self.tr("From address"), self.from_email)
        form.addRow(self.tr("Reply-to"), self.reply_to)
        form.addRow(self.tr("Postal address"), self.postal_address)
        form.addRow(self.tr("Voice notes"), self.voice_notes)
        form.addRow(self.tr("Words to avoid"), self.words_to_avoid)
        form.addRow(self.tr("Sample copy"), self.sample_copy)
        form.addRow(self.tr("Logo URL"), self.logo_url)
        form.addRow(self.tr("Language"), self.language)
        for name, line in self.colors.items():
            form.addRow(self.tr("Colour: {name}").format(name=name), line)
        for line in (
            self.name,
            self.from_name,
            self.from_email,
            self.reply_to,
            self.postal_address,
            self.words_to_avoid,
            self.logo_url,
            self.language,
            *self.colors.values(),
        ):
            line.textEdited.connect(self.edited)
        self.voice_notes.textChanged.connect(self.edited)
        self.sample_copy.textChanged.connect(self.edited)

    def load(self, brand: Brand) -> None:
        self.blockSignals(True)
        try:
            self.name.setText(brand.name)
            self.from_name.setText(brand.from_name)
            self.from_email.setText(brand.from_email)
            self.reply_to.setText(brand.reply_to)
            self.postal_address.setText(brand.postal_address)
            self.voice_notes.setPlainText(brand.voice_notes)
            self.words_to_avoid.setText(", ".join(brand.words_to_avoid))
            self.sample_copy.setPlainText(brand.sample_copy)
            self.logo_url.setText(brand.logo_url)
            self.language.setText(brand.language)
            for name, line in self.colors.items():
                line.setText(getattr(brand.colors, name))
        finally:
            self.blockSignals(False)

    def typed_words_to_avoid(self) -> tuple[str, ...]:
        """The words to avoid as typed so far (saved or not), for live underlines."""
        return _lines(self.words_to_avoid.text())

    def brand(self) -> Brand:
        return Brand(
            name=self.name.text().strip(),
            from_name=self.from_name.text().strip(),
            from_email=self.from_email.text().strip(),
            reply_to=self.reply_to.text().strip(),
            postal_address=self.postal_address.text().strip(),
            voice_notes=self.voice_notes.toPlainText().strip(),
            words_to_avoid=_lines(self.words_to_avoid.text()),
            sample_copy=self.sample_copy.toPlainText().strip(),
            colors=BrandColors(**{name: line.text().strip() for name, line in self.colors.items()}),
            logo_url=self.logo_url.text().strip(),
            language=self.language.text().strip() or "en",
        )
