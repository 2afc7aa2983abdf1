"""The editor for one step: subject, preheader, body, CTA, timing and approval."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.durations import DurationError, describe_delay, parse_duration
from seqstudio.core.model import Cta, Email, Step, StepStatus
from seqstudio.gui.sequence.problems_label import ProblemsLabel

PHONE_SUBJECT_CHARS = 40  # about what a phone inbox shows of a subject


class StepEditor(QWidget):
    edited = Signal()  # the user changed a field; the owner decides when to save

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._position = 1
        self.heading = QLabel(self)
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.guidance = QLabel(self)
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet("color: #57606a;")
        self.purpose = QLineEdit(self)
        self.delay = QLineEdit(self)
        self.delay.setPlaceholderText("P2D, PT1H, P1DT12H")
        self.delay_reading = QLabel(self)
        self.subject = QLineEdit(self)
        self.subject_count = QLabel(self)
        self.preheader = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setPlaceholderText(self.tr("The email body, in Markdown"))
        self.body.setTabChangesFocus(True)
        self.cta_label = QLineEdit(self)
        self.cta_url = QLineEdit(self)
        self.cta_url.setPlaceholderText("https://")
        self.approved = QCheckBox(self.tr("Approved"), self)
        self.approved.setToolTip(
            self.tr("Mark this email ready to send (Ctrl+Shift+A). Editing it again clears this.")
        )
        self.status_label = QLabel(self)
        self.problems = ProblemsLabel(self)

        delay_row = QHBoxLayout()
        delay_row.addWidget(self.delay)
        delay_row.addWidget(self.delay_reading, 1)
        subject_row = QHBoxLayout()
        subject_row.addWidget(self.subject)
        subject_row.addWidget(self.subject_count)
        self._status_row = status_row = QHBoxLayout()
        status_row.addWidget(self.approved)
        status_row.addWidget(self.status_label, 1)
        form = QFormLayout()
        form.addRow(self.tr("Purpose"), self.purpose)
        form.addRow(self.tr("Delay"), delay_row)
        form.addRow(self.tr("Subject"), subject_row)
        form.addRow(self.tr("Preheader"), self.preheader)
        form.addRow(self.tr("Button label"), self.cta_label)
        form.addRow(self.tr("Button link"), self.cta_url)
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.guidance)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addLayout(status_row)
        layout.addWidget(self.problems)

        for line in (self.purpose, self.delay, self.subject, self.preheader, self.cta_label, self.cta_url):
            line.textEdited.connect(self._on_field_edited)
        self.body.textChanged.connect(self._on_field_edited)
        self.approved.toggled.connect(self._on_field_edited)
        self.subject.textChanged.connect(self._update_subject_count)
        self.delay.textChanged.connect(self._update_delay_reading)

    def load(self, step: Step, when: str) -> None:
        """Show `step`; loading never counts as an edit."""
        self._loading = True
        try:
            self._position = step.position
            self.heading.setText(self.tr("Step {n} · {when}").format(n=step.position, when=when))
            self.guidance.setText(_unwrapped(step.guidance))
            self.purpose.setText(step.purpose)
            self.delay.setText(step.delay)
            self._update_delay_reading(
                step.delay
            )  # the anchor changes with the step even if the text does not
            self.subject.setText(step.email.subject)
            self.preheader.setText(step.email.preheader)
            if self.body.toPlainText() != step.email.body:
                self.body.setPlainText(step.email.body)
            self.cta_label.setText(step.email.cta.label)
            self.cta_url.setText(step.email.cta.url)
            self.show_status(step.status)
            self.problems.clear()
        finally:
            self._loading = False

    def add_bar(self, bar: QWidget) -> None:
        """Place a notice bar (e.g. a draft waiting for a choice) between the guidance and the form."""
        self._layout.insertWidget(2, bar)

    def add_status_widget(self, widget: QWidget) -> None:
        """Place a short figure about the step (e.g. its AI-tell score) at the right of the status row."""
        self._status_row.addWidget(widget)

    def use_subject(self, subject: str) -> None:
        """Put `subject` in the subject field as if the user typed it (so it is autosaved)."""
        self.subject.setText(subject)
        self.edited.emit()

    def show_status(self, status: StepStatus) -> None:
        self._loading, was_loading = True, self._loading
        try:
            self.approved.setChecked(status is StepStatus.APPROVED)
            self.status_label.setText(self.tr("Status: {status}").format(status=status.value))
        finally:
            self._loading = was_loading

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        self.problems.show_problems(problems)

    def step_from_fields(self, base: Step) -> Step:
        """The step as the fields show it; status follows the Approved box."""
        if self.approved.isChecked():
            status = StepStatus.APPROVED
        elif base.status is StepStatus.APPROVED:
            status = StepStatus.REVISED
        else:
            status = base.status
        return replace(
            base,
            purpose=self.purpose.text(),
            delay=self.delay.text().strip(),
            status=status,
            email=Email(
                subject=self.subject.text(),
                preheader=self.preheader.text(),
                body=self.body.toPlainText(),
                cta=Cta(label=self.cta_label.text(), url=self.cta_url.text().strip()),
            ),
        )

    def _on_field_edited(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()

    def _update_subject_count(self, text: str) -> None:
        count = len(text)
        self.subject_count.setText(f"{count}")
        self.subject_count.setToolTip(
            self.tr("Phones show about {n} characters of a subject.").format(n=PHONE_SUBJECT_CHARS)
        )
        self.subject_count.setStyleSheet("color: #b54708;" if count > PHONE_SUBJECT_CHARS else "")

    def _update_delay_reading(self, text: str) -> None:
        anchor = self.tr("the trigger") if self._position == 1 else self.tr("the previous step")
        try:
            delay = describe_delay(parse_duration(text))
            self.delay_reading.setText(self.tr("{delay} after {anchor}").format(delay=delay, anchor=anchor))
        except DurationError as error:
            self.delay_reading.setText(str(error))


def _unwrapped(text: str) -> str:
    """Guidance as paragraphs: the blueprint's YAML breaks lines at its own width, and a label
    that word-wraps on top of those breaks leaves ragged half-lines."""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip())
