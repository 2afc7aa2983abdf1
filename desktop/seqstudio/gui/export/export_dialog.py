"""Export: choose a target, see exactly what will be created, apply with progress and cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.export import credentials
from seqstudio.core.export.rendering import MergeFields, RenderedEmail, RenderFn, default_render
from seqstudio.core.export.targets import ExportOutcome, ExportTarget, apply_export, plan_export
from seqstudio.core.flowmeta import FlowMeta
from seqstudio.core.model import Sequence, Step
from seqstudio.core.secrets import SecretStore
from seqstudio.gui.tasks import TaskHandle, TaskRunner

KeepMeta = Callable[[FlowMeta], object]
PLAN_DELAY_MS = 250  # typing a path replans once the user pauses, not on every key


class RenderCache:
    """A RenderFn that renders each email of one sequence once, then answers from memory.

    Safe to call from several workers at once (the renderer itself is not thread-safe, so one
    render runs at a time). Callers must pass steps of the sequence the cache was made for, unchanged."""

    def __init__(self, make_render: Callable[[], RenderFn] | None = None) -> None:
        self._make_render = make_render  # None: default_render
        self._render: RenderFn | None = None
        self._lock = threading.Lock()
        self._emails: dict[tuple[str, tuple[tuple[str, str], ...] | None], RenderedEmail] = {}

    def __call__(self, sequence: Sequence, step: Step, fields: MergeFields | None = None) -> RenderedEmail:
        key = (step.id, None if fields is None else tuple(sorted(fields.items())))
        with self._lock:
            if key not in self._emails:
                if self._render is None:  # built in the first worker: importing the renderer is slow
                    self._render = (self._make_render or default_render)()
                self._emails[key] = self._render(sequence, step, fields)
            return self._emails[key]


class ExportDialog(QDialog):
    """Plans in the background after every change of target or path (a path once typing pauses;
    only the latest plan is shown); each email is rendered once for the dialog's life. Export runs
    in the background and can be cancelled. New remote ids reach `keep_meta` (on the GUI thread)
    so a re-export updates instead of duplicating."""

    plan_refreshed = Signal()  # the plan box shows the plan for the current target and path

    def __init__(
        self,
        sequence: Sequence,
        meta: FlowMeta,
        *,
        secrets: SecretStore,
        runner: TaskRunner,
        keep_meta: KeepMeta,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export “{name}”").format(name=sequence.name))
        self.resize(760, 560)
        self.sequence, self.meta, self.secrets, self.runner, self.keep_meta = (
            sequence,
            meta,
            secrets,
            runner,
            keep_meta,
        )
        self.handle: TaskHandle | None = None
        self.outcome: ExportOutcome | None = None
        self._render = RenderCache()
        self._plan_job: TaskHandle | None = None
        self._plan_generation = 0
        self._plan_timer = QTimer(self)
        self._plan_timer.setSingleShot(True)
        self._plan_timer.setInterval(PLAN_DELAY_MS)
        self._plan_timer.timeout.connect(self.refresh_plan)
        self.target = QComboBox(self)
        for target in ExportTarget:
            self.target.addItem(target.label, target.value)
        self.path = QLineEdit(self)
        self.browse = QPushButton(self.tr("Choose…"), self)
        self.key = QLineEdit(self)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("private API key (pk_…), kept in the system keyring"))
        self.key_status = QLabel(self)
        self.key_status.setWordWrap(True)
        self.plan = QPlainTextEdit(self)
        self.plan.setReadOnly(True)
        self.plan.setPlaceholderText(self.tr("Working out what will be created…"))
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.apply_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.cancel_button = self.buttons.addButton(
            self.tr("Cancel export"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.cancel_button.setEnabled(False)
        self.apply_button.setEnabled(False)  # until the first plan is shown
        # Enter in a field exports (once a plan is shown); it never falls through to Close.
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.apply_button.setDefault(True)

        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("Target"), self.target)
        form.addRow(self.tr("Write to"), path_row)
        form.addRow(self.tr("Klaviyo key"), self.key)
        form.addRow("", self.key_status)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("What will be created:")))
        layout.addWidget(self.plan, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.target.currentIndexChanged.connect(self._on_target_changed)
        self.path.textChanged.connect(self._on_path_text_changed)
        self.browse.clicked.connect(self._on_browse_clicked)
        self.apply_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.buttons.rejected.connect(self.reject)
        self._on_target_changed()

    def chosen_target(self) -> ExportTarget:
        return ExportTarget(self.target.currentData())

    def select_target(self, target: ExportTarget) -> None:
        self.target.setCurrentIndex(self.target.findData(target.value))

    def _output(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text) if text else None

    def _on_target_changed(self) -> None:
        target = self.chosen_target()
        for widget in (self.path, self.browse):
            widget.setEnabled(target.writes_file)
        self.key.setEnabled(not target.writes_file)
        if target.writes_file and self.path.text():
            self.path.setText(str(Path(self.path.text()).with_suffix(target.suffix)))
        self._update_key_status()
        self.refresh_plan()

    def _update_key_status(self) -> None:
        if self.chosen_target().writes_file:
            self.key_status.clear()
            return
        try:
            credentials.klaviyo_api_key(self.secrets)
            self.key_status.setText(self.tr("A Klaviyo key is available."))
        except credentials.MissingSecretError as error:
            self.key_status.setText(error.in_dialog)
        except StudioError as error:
            self.key_status.setText(error.user_message)

    def _on_browse_clicked(self) -> None:
        target = self.chosen_target()
        suggested = self.path.text() or f"{self.sequence.name}{target.suffix}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to"), suggested)
        if path:
            self.path.setText(path)

    def _on_path_text_changed(self) -> None:
        self._plan_timer.start()  # restarts: one plan when typing pauses

    def refresh_plan(self) -> None:
        """Work out in the background what applying would do (planning sends nothing and writes
        nothing); `plan_refreshed` follows once it is shown. A newer refresh supersedes this one."""
        self._plan_timer.stop()
        if self._plan_job is not None:
            self._plan_job.cancel()
        self._plan_generation += 1
        generation = self._plan_generation
        target, sequence, meta, output, render = (
            self.chosen_target(),
            self.sequence,
            self.meta,
            self._output(),
            self._render,
        )

        def work(cancel: CancelToken, progress: ProgressFn) -> list[str]:
            return plan_export(target, sequence, meta, output, render)

        self._plan_job = self.runner.run(
            "Plan export",
            work,
            owner=self,
            on_done=lambda lines: self._on_plan_done(generation, lines),
            on_error=lambda error: self._on_plan_failed(generation, error),
        )

    def _on_plan_done(self, generation: int, lines: list[str]) -> None:
        if generation != self._plan_generation:
            return  # the target or path changed since: a newer plan is on its way
        self._plan_job = None
        self.plan.setPlainText("\n".join(lines))
        self.apply_button.setEnabled(self.handle is None)
        self.plan_refreshed.emit()

    def _on_plan_failed(self, generation: int, error: StudioError) -> None:
        if generation != self._plan_generation:
            return
        self._plan_job = None
        self.plan.setPlainText(error.user_message)
        self.apply_button.setEnabled(False)
        self.plan_refreshed.emit()

    def start_export(self) -> None:
        target, output = self.chosen_target(), self._output()
        key = ""
        if target is ExportTarget.KLAVIYO:
            try:
                if self.key.text().strip():
                    self.secrets.store(
                        credentials.KLAVIYO_ENTRY, self.key.text(), "Klaviyo key", credentials.KLAVIYO_ENV
                    )
                    self.key.clear()
                key = credentials.klaviyo_api_key(self.secrets)
            except credentials.MissingSecretError as error:
                self.message.setText(error.in_dialog)
                return
            except StudioError as error:
                self.message.setText(error.user_message)
                return
        sequence, meta, render = self.sequence, self.meta, self._render

        def work(cancel: CancelToken, progress: ProgressFn) -> ExportOutcome:
            # ids are collected here from the worker; the GUI thread reads them only once the task ended
            return apply_export(
                target,
                sequence,
                meta,
                output,
                render=render,
                klaviyo_key=key,
                checkpoint=self._checkpoints.append,
                cancel=cancel,
                on_progress=progress,
            )

        self._checkpoints: list[FlowMeta] = []
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.message.setText(self.tr("Exporting…"))
        self.apply_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.handle = self.runner.run(
            "Export",
            work,
            owner=self,
            on_done=self._on_done,
            on_error=self._on_error,
            on_progress=self._on_progress,
            on_cancelled=self._on_cancelled,
        )

    def cancel_export(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def _finish(self) -> None:
        self.handle = None
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        if self._checkpoints:  # ids created before a failure or cancel: keep them, so a retry resumes
            self.meta = self._checkpoints[-1]
            self.keep_meta(self.meta)
        self.refresh_plan()

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.message.setText(message)

    def _on_done(self, outcome: ExportOutcome) -> None:
        self.outcome = outcome
        self._checkpoints.append(outcome.meta)
        self._finish()
        notes = "".join(f"\n• {note}" for note in outcome.notes)
        self.message.setText(outcome.summary + notes)

    def _on_error(self, error: StudioError) -> None:
        self._finish()
        self.message.setText(self.tr("Export failed: {message}").format(message=error.user_message))

    def _on_cancelled(self) -> None:
        self._finish()
        self.message.setText(
            self.tr("Cancelled. What was already created is remembered; exporting again resumes.")
        )

    def reject(self) -> None:
        self.cancel_export()
        if self._plan_job is not None:
            self._plan_job.cancel()
        super().reject()
