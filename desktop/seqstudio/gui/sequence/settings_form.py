"""The sequence's own settings: name, trigger, filters, exits, timing rules and tracking."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from seqstudio.core.model import WEEKDAYS, ExitCondition, SendWindow, Sequence, Trigger, UtmDefaults


def _lines(box: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in box.toPlainText().splitlines() if line.strip())


class SequenceSettingsForm(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.language = QLineEdit(self)
        self.audience = QLineEdit(self)
        self.trigger_event = QLineEdit(self)
        self.trigger_description = QLineEdit(self)
        self.days_since_last_order = QSpinBox(self)
        self.days_since_last_order.setRange(0, 730)
        self.days_since_last_order.setSpecialValueText(self.tr("not used"))
        self.days_since_last_order.setSuffix(self.tr(" days"))
        self.entry_filters = QPlainTextEdit(self)
        self.entry_filters.setPlaceholderText(self.tr("One filter per line"))
        self.exit_conditions = QPlainTextEdit(self)
        self.exit_conditions.setPlaceholderText(
            self.tr("event: description, one per line (placed_order: ...)")
        )
        self.reentry_cooldown = QLineEdit(self)
        self.holdout = QDoubleSpinBox(self)
        self.holdout.setRange(0, 99)
        self.holdout.setSuffix(" %")
        self.days = {day: QCheckBox(day.capitalize(), self) for day in WEEKDAYS}
        self.start_hour = QSpinBox(self)
        self.start_hour.setRange(0, 24)
        self.end_hour = QSpinBox(self)
        self.end_hour.setRange(0, 24)
        self.timezone = QLineEdit(self)
        self.utm_source = QLineEdit(self)
        self.utm_medium = QLineEdit(self)
        self.utm_campaign = QLineEdit(self)
        for box in (self.entry_filters, self.exit_conditions):
            box.setMaximumHeight(90)
            box.setTabChangesFocus(True)

        days_row = QHBoxLayout()
        for day_box in self.days.values():
            days_row.addWidget(day_box)
        hours_row = QHBoxLayout()
        hours_row.addWidget(self.start_hour)
        hours_row.addWidget(self.end_hour)
        hours_row.addWidget(self.timezone, 1)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Audience"), self.audience)
        form.addRow(self.tr("Trigger event"), self.trigger_event)
        form.addRow(self.tr("Trigger, in words"), self.trigger_description)
        form.addRow(self.tr("Days since last order"), self.days_since_last_order)
        form.addRow(self.tr("Entry filters"), self.entry_filters)
        form.addRow(self.tr("Exit conditions"), self.exit_conditions)
        form.addRow(self.tr("Re-entry cooldown"), self.reentry_cooldown)
        form.addRow(self.tr("Holdout"), self.holdout)
        form.addRow(self.tr("Send on"), days_row)
        form.addRow(self.tr("Send between (h), time zone"), hours_row)
        form.addRow(self.tr("UTM source"), self.utm_source)
        form.addRow(self.tr("UTM medium"), self.utm_medium)
        form.addRow(self.tr("UTM campaign"), self.utm_campaign)

        for line in (
            self.name,
            self.language,
            self.audience,
            self.trigger_event,
            self.trigger_description,
            self.reentry_cooldown,
            self.timezone,
            self.utm_source,
            self.utm_medium,
            self.utm_campaign,
        ):
            line.textEdited.connect(self.edited)
        for box in (self.entry_filters, self.exit_conditions):
            box.textChanged.connect(self.edited)
        for spin in (self.days_since_last_order, self.start_hour, self.end_hour):
            spin.valueChanged.connect(self.edited)
        self.holdout.valueChanged.connect(self.edited)
        for check in self.days.values():
            check.toggled.connect(self.edited)

    def load(self, sequence: Sequence) -> None:
        self.blockSignals(True)
        try:
            self.name.setText(sequence.name)
            self.language.setText(sequence.language)
            self.audience.setText(sequence.audience)
            self.trigger_event.setText(sequence.trigger.event)
            self.trigger_description.setText(sequence.trigger.description)
            self.days_since_last_order.setValue(sequence.trigger.days_since_last_order or 0)
            self.entry_filters.setPlainText("\n".join(sequence.entry_filters))
            self.exit_conditions.setPlainText(
                "\n".join(
                    f"{e.event}: {e.description}" if e.description else e.event
                    for e in sequence.exit_conditions
                )
            )
            self.reentry_cooldown.setText(sequence.reentry_cooldown)
            self.holdout.setValue(sequence.holdout_percent)
            for day, box in self.days.items():
                box.setChecked(day in sequence.send_window.days)
            self.start_hour.setValue(sequence.send_window.start_hour)
            self.end_hour.setValue(sequence.send_window.end_hour)
            self.timezone.setText(sequence.send_window.timezone)
            self.utm_source.setText(sequence.utm.source)
            self.utm_medium.setText(sequence.utm.medium)
            self.utm_campaign.setText(sequence.utm.campaign)
        finally:
            self.blockSignals(False)

    def apply_to(self, sequence: Sequence) -> Sequence:
        exits = []
        for line in _lines(self.exit_conditions):
            event, _, description = line.partition(":")
            exits.append(ExitCondition(event=event.strip(), description=description.strip()))
        days_since = self.days_since_last_order.value() or None
        return replace(
            sequence,
            name=self.name.text().strip(),
            language=self.language.text().strip(),
            audience=self.audience.text().strip(),
            trigger=Trigger(
                event=self.trigger_event.text().strip(),
                description=self.trigger_description.text().strip(),
                days_since_last_order=days_since,
                filters=sequence.trigger.filters,
            ),
            entry_filters=_lines(self.entry_filters),
            exit_conditions=tuple(exits),
            reentry_cooldown=self.reentry_cooldown.text().strip(),
            holdout_percent=round(self.holdout.value(), 2),
            send_window=SendWindow(
                days=tuple(day for day, box in self.days.items() if box.isChecked()),
                start_hour=self.start_hour.value(),
                end_hour=self.end_hour.value(),
                timezone=self.timezone.text().strip() or "contact",
            ),
            utm=UtmDefaults(
                source=self.utm_source.text().strip(),
                medium=self.utm_medium.text().strip(),
                campaign=self.utm_campaign.text().strip(),
            ),
        )
