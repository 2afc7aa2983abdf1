"""Subject-line variants for the shown step: asked for in the background, offered in a small
dialog, and the picked one put in the subject field as the writer's own edit (autosaved, with
its history)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.drafting import SubjectVariants, make_client, suggest_subjects
from seqstudio.core.drafting.offline import OFFLINE_MODEL
from seqstudio.core.errors import StudioError
from seqstudio.core.model import RevisionOrigin
from seqstudio.gui.context import AppContext
from seqstudio.gui.drafting.landing import with_subject
from seqstudio.gui.drafting.states import usage_line
from seqstudio.gui.sequence.workspace import SequenceWorkspace
from seqstudio.gui.tasks import TaskHandle


class SubjectVariantsDialog(QDialog):
    """Lists the variants; `chosen` is the picked subject once accepted. Facts the offer does not
    state are marked on the variant that has them."""

    def __init__(self, variants: SubjectVariants, position: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Subject lines for step {n}").format(n=position))
        self.chosen = ""
        self.list = QListWidget(self)
        for subject in variants.subjects:
            problems = [f.message for f in variants.findings if f.text in subject]
            item = QListWidgetItem(f"⚠ {subject}" if problems else subject)
            item.setData(Qt.ItemDataRole.UserRole, subject)  # without the mark
            item.setToolTip("\n".join(problems))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        if variants.model == OFFLINE_MODEL:
            note = self.tr("Offline suggestions: written without a model.")
        else:
            label = self.tr("Suggested by {model}").format(model=variants.model)
            note = usage_line(label, variants.tokens, variants.cost_usd)
        self.note = QLabel(note, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.use = self.buttons.addButton(self.tr("Use this subject"), QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.use.clicked.connect(self._on_use_clicked)
        self.list.itemDoubleClicked.connect(lambda _item: self._on_use_clicked())
        self.buttons.rejected.connect(self.reject)

    def _on_use_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
            self.accept()


class SubjectSuggester(QObject):
    """One request at a time; the dialog opens without blocking the editor."""

    dialog_opened = Signal(object)  # SubjectVariantsDialog
    busy_changed = Signal(bool)

    def __init__(self, context: AppContext, workspace: SequenceWorkspace, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self._workspace = workspace
        self._dialog_parent = parent
        self._handle: TaskHandle | None = None
        self.dialog: SubjectVariantsDialog | None = None

    def suggest(self) -> None:
        sequence = self._workspace.sequence
        if sequence is None or self._handle is not None:
            return
        self._workspace.flush()
        sequence = self._workspace.sequence
        assert sequence is not None
        position = self._workspace.position
        provider, secrets = self._context.preferences.provider, self._context.secrets

        def work(cancel: CancelToken, progress: ProgressFn) -> SubjectVariants:
            return suggest_subjects(sequence, position, client=make_client(provider, secrets), cancel=cancel)

        self._handle = self._context.runner.run(
            self.tr("Suggesting subject lines"),
            work,
            owner=self,
            on_done=lambda variants: self._on_variants(sequence.id, position, variants),
            on_error=self._on_failed,
            on_cancelled=lambda: self._finish(),
        )
        self.busy_changed.emit(True)

    def _on_variants(self, sequence_id: str, position: int, variants: SubjectVariants) -> None:
        self._finish()
        dialog = SubjectVariantsDialog(variants, position, self._dialog_parent)
        dialog.accepted.connect(lambda: self._apply(sequence_id, position, dialog.chosen))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _apply(self, sequence_id: str, position: int, subject: str) -> None:
        open_sequence = self._workspace.sequence
        if open_sequence is not None and open_sequence.id == sequence_id:
            self._workspace.select_step(position)  # saves any edits of the step shown before
            self._workspace.editor.use_subject(subject)
            return
        # The writer moved to another sequence meanwhile: save the pick there directly
        library = self._context.library
        try:
            stored = library.get_sequence(sequence_id).step(position)
            library.save_step(sequence_id, with_subject(stored, subject), RevisionOrigin.HUMAN_EDIT)
        except StudioError as error:
            self._context.runner.error_raised.emit(error)

    def _on_failed(self, error: StudioError) -> None:
        self._finish()
        self._context.runner.error_raised.emit(error)

    def _finish(self) -> None:
        self._handle = None
        self.busy_changed.emit(False)
