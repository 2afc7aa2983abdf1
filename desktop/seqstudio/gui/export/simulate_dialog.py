"""Simulate: run the flow for a few sample contacts on a simulated clock; who gets which email
when, and who leaves and why."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.export.simulate import TimelineEntry, parse_contacts, simulate
from seqstudio.core.model import Sequence
from seqstudio.gui.tasks import TaskRunner

SAMPLE_CONTACTS = """email,first_name,order_after,timezone
ana@example.com,Ana,,Europe/Berlin
ben@example.com,Ben,P2D,America/New_York
chloe@example.com,Chloé,PT30M,Europe/Paris
dev@example.com,Dev,,Asia/Kolkata
"""


class SimulateDialog(QDialog):
    def __init__(self, sequence: Sequence, *, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Simulate “{name}”").format(name=sequence.name))
        self.resize(900, 620)
        self.sequence, self.runner = sequence, runner
        self.timeline: list[TimelineEntry] = []
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
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.load_button = self.buttons.addButton(
            self.tr("Load CSV…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.run_button = self.buttons.addButton(self.tr("Run"), QDialogButtonBox.ButtonRole.ApplyRole)
        form = QFormLayout()
        form.addRow(self.tr("Contacts (CSV: email,first_name,order_after[,timezone])"), self.contacts)
        form.addRow(self.tr("They enter the flow at"), self.start)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.run_button.clicked.connect(self.run_simulation)
        self.load_button.clicked.connect(self._on_load_clicked)
        self.buttons.rejected.connect(self.reject)

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

        self.run_button.setEnabled(False)
        self.summary.setText(self.tr("Simulating…"))
        self.runner.run("Simulate", work, owner=self, on_done=self._on_done, on_error=self._on_error)

    def _on_done(self, timeline: list[TimelineEntry]) -> None:
        self.timeline = timeline
        self.run_button.setEnabled(True)
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
        self.run_button.setEnabled(True)
        self.summary.setText(error.user_message)
