"""Simulate: run the flow for a few sample contacts on a simulated clock; who gets which email
when, and who leaves and why."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.export.simulate import TimelineEntry, parse_contacts, simulate
from seqstudio.core.model import Sequence
from seqstudio.gui.tasks import TaskHandle, TaskRunner

SAMPLE_CONTACTS = """email,first_name,order_after,timezone
ana@example.com,Ana,,Europe/Berlin
ben@example.com,Ben,P2D,America/New_York
chloe@example.com,Chloé,PT30M,Europe/Paris
dev@example.com,Dev,,Asia/Kolkata
"""


def has_contacts(csv_text: str) -> bool:
    """True when the text has a header line and at least one more (parsing it is Run's job)."""
    return sum(1 for line in csv_text.splitlines() if line.strip()) >= 2


class SimulateDialog(QDialog):
    """Enter runs the simulation (Run is the default button, enabled while there are contacts);
    until a run has filled the table, it says what to do."""

    def __init__(self, sequence: Sequence, *, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Simulate “{name}”").format(name=sequence.name))
        self.resize(900, 620)
        self.sequence, self.runner = sequence, runner
        self.timeline: list[TimelineEntry] = []
        self.handle: TaskHandle | None = None
        self.contacts = QPlainTextEdit(SAMPLE_CONTACTS, self)
        self.contacts.setMaximumHeight(140)
        self.start = QDateTimeEdit(QDateTime.currentDateTimeUtc(), self)
        self.start.setTimeZone(QTimeZone.utc())
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Contact"), self.tr("Step"), self.tr("When (UTC)"), self.tr("Sent"), self.tr("Why")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.empty_hint = QLabel(
            self.tr(
                "Load a CSV with email,first_name,order_after, or add contacts above, "
                "then press Run to see who gets which email when."
            ),
            self,
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results = QStackedWidget(self)
        self.results.addWidget(self.empty_hint)
        self.results.addWidget(self.table)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.load_button = self.buttons.addButton(
            self.tr("Load CSV…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.run_button = self.buttons.addButton(self.tr("Run"), QDialogButtonBox.ButtonRole.ApplyRole)
        close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        for button in (close_button, self.load_button, self.run_button):
            button.setAutoDefault(False)  # Enter must not open the file picker or close
        self.run_button.setDefault(True)
        form = QFormLayout()
        form.addRow(self.tr("Contacts (CSV: email,first_name,order_after[,timezone])"), self.contacts)
        form.addRow(self.tr("They enter the flow at"), self.start)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.run_button.clicked.connect(self.run_simulation)
        self.load_button.clicked.connect(self._on_load_clicked)
        self.contacts.textChanged.connect(self._update_run_button)
        self.buttons.rejected.connect(self.reject)
        self._update_run_button()

    def _update_run_button(self) -> None:
        self.run_button.setEnabled(self.handle is None and has_contacts(self.contacts.toPlainText()))

    def _on_load_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Contacts"), "", self.tr("CSV (*.csv)"))
        if path:
            with open(path, encoding="utf-8") as handle:
                self.contacts.setPlainText(handle.read())

    def run_simulation(self) -> None:
        try:
            contacts = parse_contacts(self.contacts.toPlainText(), "contacts")
        except StudioError as error:
            self.summary.setText(error.user_message)
            return
        start = datetime.fromtimestamp(self.start.dateTime().toSecsSinceEpoch(), UTC)
        sequence = self.sequence

        def work(cancel: CancelToken, progress: ProgressFn) -> list[TimelineEntry]:
            return simulate(sequence, contacts, start=start, cancel=cancel, on_progress=progress)

        self.summary.setText(self.tr("Simulating…"))
        self.handle = self.runner.run(
            "Simulate", work, owner=self, on_done=self._on_done, on_error=self._on_error
        )
        self._update_run_button()

    def _on_done(self, timeline: list[TimelineEntry]) -> None:
        self.handle = None
        self.timeline = timeline
        self._update_run_button()
        self.results.setCurrentWidget(self.table if timeline else self.empty_hint)
        self.table.setRowCount(len(timeline))
        for row, entry in enumerate(timeline):
            when = entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if entry.at else "–"
            values = [
                entry.email,
                str(entry.step),
                when,
                self.tr("yes") if entry.sent else self.tr("no"),
                entry.reason,
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        sent = sum(entry.sent for entry in timeline)
        contacts = len({entry.email for entry in timeline})
        self.summary.setText(
            self.tr("{sent} emails to {contacts} contacts; nothing was sent for real.").format(
                sent=sent, contacts=contacts
            )
        )

    def _on_error(self, error: StudioError) -> None:
        self.handle = None
        self._update_run_button()
        self.summary.setText(error.user_message)
