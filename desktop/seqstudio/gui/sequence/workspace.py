"""The open sequence: timeline, step editor and settings tabs, saved as the user pauses typing.

Edits are saved after a short pause (AUTOSAVE_MS), when another step or sequence is chosen, and
on close, so at most about a second of typing is ever at risk. A field that does not validate
is kept on screen with its problem shown, and the rest of the step is saved without it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from seqstudio.core.durations import describe_offset
from seqstudio.core.errors import StudioError
from seqstudio.core.model import Brand, Cta, RevisionOrigin, Sequence, SequenceKind, Step
from seqstudio.core.storage import Library
from seqstudio.core.validation import sequence_problems, step_problems
from seqstudio.gui.sequence.brand_form import BrandForm
from seqstudio.gui.sequence.offer_form import OfferForm
from seqstudio.gui.sequence.problems_label import ProblemsLabel
from seqstudio.gui.sequence.settings_form import SequenceSettingsForm
from seqstudio.gui.sequence.step_editor import StepEditor
from seqstudio.gui.sequence.timeline import TimelineView

AUTOSAVE_MS = 700
TIMELINE_MIN_WIDTH = 190
EDITOR_MIN_WIDTH = 320


def savable_step(step: Step, stored: Step) -> tuple[Step, list[tuple[str, str]]]:
    """`step` with each invalid field put back to its stored value, and the problems found."""
    problems = step_problems(step)
    fields = {field for field, _ in problems}
    if "delay" in fields:
        step = replace(step, delay=stored.delay)
    if "purpose" in fields:
        step = replace(step, purpose=stored.purpose)
    if "email.cta.url" in fields:
        step = replace(step, email=replace(step.email, cta=Cta(step.email.cta.label, stored.email.cta.url)))
    return step, problems


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class SequenceWorkspace(QWidget):
    saved = Signal(str)  # a short status line: what was saved
    settings_saved = Signal(str)  # sequence id, after its name, brand or settings changed
    save_failed = Signal(object)  # StudioError
    current_step_changed = Signal()  # another step or sequence is shown in the editor, or none

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.sequence: Sequence | None = None
        self.position = 1
        self._step_dirty = False
        self._settings_dirty = False

        self.timeline = TimelineView(self)
        self.editor = StepEditor(self)
        self.settings_form = SequenceSettingsForm(self)
        self.brand_form = BrandForm(self)
        self.offer_form = OfferForm(self)
        self.settings_problems = ProblemsLabel(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.editor, self.tr("Email"))
        self.tabs.addTab(_scrolled(self.settings_form), self.tr("Sequence"))
        self.tabs.addTab(_scrolled(self.brand_form), self.tr("Brand"))
        self.tabs.addTab(_scrolled(self.offer_form), self.tr("Offer facts"))
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.tabs, 1)
        right_layout.addWidget(self.settings_problems)
        # Steps stay readable ("● 1 · Day 0 · Deliver…") and the form usable however crowded the
        # window: the preview beside them gives way first (it scrolls).
        self.timeline.setMinimumWidth(TIMELINE_MIN_WIDTH)
        right.setMinimumWidth(EDITOR_MIN_WIDTH)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.timeline)
        self.splitter.addWidget(right)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.flush)
        self.timeline.step_chosen.connect(self._on_timeline_step_chosen)
        self.editor.edited.connect(self._on_editor_edited)
        for form in (self.settings_form, self.brand_form, self.offer_form):
            form.edited.connect(self._on_settings_edited)
        self.setEnabled(False)

    # Opening

    def open_sequence(self, sequence_id: str, position: int = 1) -> None:
        self.flush()
        self.sequence = self.library.get_sequence(sequence_id)
        self.position = position
        self.timeline.show_sequence(self.sequence, position)
        self.settings_form.load(self.sequence)
        self.brand_form.load(self.sequence.brand)
        self.offer_form.load(self.sequence.offer)
        self.settings_problems.clear()
        self._load_step()
        self.setEnabled(True)

    def close_sequence(self) -> None:
        """Save what can be saved, then show nothing of the sequence (it may be deleted next).
        Fields that do not validate are dropped with the rest of the screen."""
        self.flush()
        self.sequence = None
        self.timeline.clear()
        self._clear_fields()
        self.setEnabled(False)
        self.current_step_changed.emit()

    def _clear_fields(self) -> None:
        # Loading blank values never counts as an edit; the labels load() fills are emptied after.
        editor = self.editor
        editor.load(Step(id="", position=1, delay="", purpose=""), "")
        for label in (editor.heading, editor.delay_reading, editor.subject_count, editor.status_label):
            label.clear()
        editor.subject_count.setToolTip("")
        blank = Sequence(id="", kind=SequenceKind.WELCOME, name="", brand=Brand(name=""), steps=())
        self.settings_form.load(blank)
        self.brand_form.load(blank.brand)
        self.offer_form.load(blank.offer)
        self.settings_problems.clear()
        self._step_dirty = self._settings_dirty = False

    def current_step(self) -> Step | None:
        return self.sequence.step(self.position) if self.sequence else None

    def select_step(self, position: int) -> None:
        if self.sequence is not None:
            self.timeline.setCurrentRow(position - 1)

    def _load_step(self) -> None:
        assert self.sequence is not None
        step = self.sequence.step(self.position)
        when = describe_offset(self.sequence.step_offsets()[self.position - 1])
        self.editor.load(step, when)
        self.current_step_changed.emit()

    def reload_step(self, step: Step) -> None:
        """Show a step that changed outside the editor (a restore, a draft) and keep it current."""
        self._replace_step(step)
        if step.position == self.position:
            self._load_step()

    def _replace_step(self, step: Step) -> None:
        assert self.sequence is not None
        steps = tuple(step if s.id == step.id else s for s in self.sequence.steps)
        self.sequence = replace(self.sequence, steps=steps)
        self.timeline.refresh(self.sequence)

    # Saving

    @property
    def has_unsaved_changes(self) -> bool:
        return self._step_dirty or self._settings_dirty

    @property
    def unsaved_step_position(self) -> int | None:
        """The step whose edits in the editor are not saved yet (only the shown one can be)."""
        return self.position if self.sequence is not None and self._step_dirty else None

    def flush(self) -> bool:
        """Save what is pending now. False when some settings could not be saved (shown inline)."""
        self._autosave.stop()
        if self.sequence is None:
            return True
        try:
            if self._step_dirty:
                self._save_step()
            if self._settings_dirty:
                return self._save_settings()
        except StudioError as error:
            self.save_failed.emit(error)
            return False
        return True

    def _save_step(self) -> None:
        assert self.sequence is not None
        stored = self.sequence.step(self.position)
        step, problems = savable_step(self.editor.step_from_fields(stored), stored)
        saved = self.library.save_step(self.sequence.id, step, RevisionOrigin.HUMAN_EDIT)
        self._step_dirty = bool(problems)  # keep trying until the field is fixed
        self._replace_step(saved)
        self.editor.show_status(saved.status)
        self.editor.show_problems(problems)
        if self.position == saved.position:
            when = describe_offset(self.sequence.step_offsets()[self.position - 1])
            self.editor.heading.setText(self.tr("Step {n} · {when}").format(n=saved.position, when=when))
        self.saved.emit(self.tr("Saved step {n}").format(n=saved.position))

    def _save_settings(self) -> bool:
        assert self.sequence is not None
        offer, offer_problems = self.offer_form.offer()
        candidate = replace(
            self.settings_form.apply_to(self.sequence), brand=self.brand_form.brand(), offer=offer
        )
        problems = offer_problems + sequence_problems(candidate)
        self.settings_problems.show_problems(problems)
        if problems:
            return False
        self._settings_dirty = False
        if self.library.save_settings(candidate):
            self.sequence = candidate
            self.timeline.refresh(candidate)
            self.saved.emit(self.tr("Saved the sequence settings"))
            self.settings_saved.emit(candidate.id)
        return True

    def _on_timeline_step_chosen(self, position: int) -> None:
        self.flush()
        self.position = position
        self._load_step()

    def _on_editor_edited(self) -> None:
        self._step_dirty = True
        self._autosave.start()

    def _on_settings_edited(self) -> None:
        self._settings_dirty = True
        self._autosave.start()
