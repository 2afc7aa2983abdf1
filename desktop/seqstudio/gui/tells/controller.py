"""Wires AI-tell checking into the window: the highlighter on the body editor, the flags panel in
a dock, remembered decisions, and "Rewrite this passage" (PassageRewriter, rewriter.py).

Live work: the highlighter matches the edited block on each keystroke; the panel's figures for all
six emails are recomputed on the runner after a pause in typing (REVIEW_PAUSE_MS), when another
step is shown or a draft lands, and only the latest of those jobs counts.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMenuBar

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.model import Sequence
from seqstudio.core.storage.allowances import AllowanceScope
from seqstudio.core.tells import SHIPPING_THRESHOLD, Allowances
from seqstudio.core.tells.brandwords import BrandWords
from seqstudio.core.tells.rules import LANGUAGES
from seqstudio.gui.context import AppContext
from seqstudio.gui.sequence.workspace import SequenceWorkspace
from seqstudio.gui.tasks import TaskHandle
from seqstudio.gui.tells.decisions_dialog import DecisionsDialog
from seqstudio.gui.tells.detectors import DetectorCache
from seqstudio.gui.tells.flags_panel import FlagsPanel
from seqstudio.gui.tells.highlighter import TellHighlighter, flag_tooltip
from seqstudio.gui.tells.hover import FlagTooltips
from seqstudio.gui.tells.long_sentences import mark_long_sentences
from seqstudio.gui.tells.review import (
    FlagRef,
    SequenceReview,
    locate,
    review_sequence,
    rewrite_blocker,
    utf16_index,
)
from seqstudio.gui.tells.rewriter import PassageRewriter
from seqstudio.gui.tells.score_label import EmailScoreLabel

REVIEW_PAUSE_MS = 400
PANEL_WIDTH = 340
PANEL_SHOWN_KEY = "view/tells_panel"  # in ui_state: whether the user keeps the panel open
DEFAULT_LANGUAGE = "en"  # of a new sequence (core/model.py Sequence.language)
ReviewResult = tuple[SequenceReview, str]


class TellsTools(QObject):
    review_updated = Signal()  # the panel shows a freshly computed review
    rewrite_proposed = Signal()  # a suggestion waits for Accept or Drop
    rewrite_ended = Signal(str)  # accepted | dropped | stale | failed | cancelled

    def __init__(
        self,
        context: AppContext,
        workspace: SequenceWorkspace,
        parent: QMainWindow,
    ) -> None:
        super().__init__(parent)
        self._context, self._workspace = context, workspace
        self.detectors = DetectorCache(context.runner, self)
        # Compile the pack of a new sequence's default language now, at start: compiled on first
        # use instead, its long GIL holds fell in the first draft (benchmarks/draft_gui_stall.py).
        self.detectors.get(DEFAULT_LANGUAGE)
        body = workspace.editor.body
        self.highlighter = TellHighlighter(body.document())
        self.tooltips = FlagTooltips(body, self.highlighter)
        self.panel = FlagsPanel()
        # The email's score stays in sight with the panel closed; its link opens the panel.
        self.score = EmailScoreLabel(workspace.editor)
        self.score.panel_requested.connect(self._open_panel)
        workspace.editor.add_status_widget(self.score)
        self.dock = QDockWidget(self.tr("AI tells"), parent)
        self.dock.setObjectName("tells_dock")
        self.dock.setWidget(self.panel)
        parent.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        parent.resizeDocks([self.dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
        # Hidden until asked for: beside the preview pane a 1280 px window has no room to spare.
        self.dock.setVisible(str(context.ui_state.value(PANEL_SHOWN_KEY, "false")).lower() == "true")
        self.review: SequenceReview | None = None
        self.rewriter = PassageRewriter(context, workspace, self.panel, live=self._live_sequence)
        self._review_job: TaskHandle | None = None
        self._review_serial = 0
        self._marking = False
        self._shown_email: tuple[str, int] | None = None  # (sequence id, position) in the editor
        self._allowances: dict[tuple[str, str], Allowances] = {}
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(REVIEW_PAUSE_MS)

        self._pause.timeout.connect(self.refresh_now)
        self.detectors.detector_ready.connect(self._on_detectors_ready)
        workspace.editor.edited.connect(lambda: self._pause.start())
        workspace.current_step_changed.connect(self._on_workspace_current_step_changed)
        # The language picks the rule pack and the brand's name keys its allowances.
        workspace.settings_saved.connect(lambda _sequence_id: self._on_workspace_step_changed())
        workspace.brand_form.edited.connect(self._highlight_current_step)
        # Timeline labels change when a step is saved or a draft lands in any step.
        workspace.timeline.model().dataChanged.connect(self._on_timeline_changed)
        self.panel.flag_chosen.connect(self.show_flag)
        self.panel.sequence_view.passage_chosen.connect(self.show_flag)
        self.panel.sequence_view.step_chosen.connect(workspace.select_step)
        self.panel.long_sentence_chosen.connect(self._select_in_body)
        self.panel.ignore_requested.connect(self._on_panel_ignore_requested)
        self.panel.allow_requested.connect(self._on_panel_allow_requested)
        self.panel.rewrite_requested.connect(self.rewriter.rewrite)
        self.panel.proposal_accepted.connect(self.rewriter.accept)
        self.panel.proposal_dropped.connect(self.rewriter.drop)
        self.rewriter.proposed.connect(self.rewrite_proposed)
        self.rewriter.ended.connect(self._on_rewriter_ended)

    def install_menu(self, bar: QMenuBar, before: QAction) -> QMenu:
        """A Review menu before `before`: the panel, and the sequence's worst passages."""
        menu = QMenu(self.tr("Re&view"), bar)
        bar.insertMenu(before, menu)
        toggle = self.dock.toggleViewAction()
        toggle.setText(self.tr("AI &tells panel"))
        toggle.setShortcut(QKeySequence("Ctrl+Shift+K"))
        toggle.triggered.connect(self._remember_panel_shown)  # the user's choice, not a close's hide
        menu.addAction(toggle)
        self.worst_action = menu.addAction(self.tr("&Worst passages in the sequence"))
        self.worst_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.worst_action.triggered.connect(self.show_worst_passages)
        self.decisions_action = menu.addAction(self.tr("&Remembered decisions…"))
        self.decisions_action.triggered.connect(self.show_decisions)
        self.recheck_action = menu.addAction(self.tr("&Check again"))
        self.recheck_action.triggered.connect(self.refresh_now)
        return menu

    def show_decisions(self) -> None:
        """What was ignored in the open step or allowed for its brand; removing one flags it again."""
        sequence = self._workspace.sequence
        if sequence is None:
            return
        step = sequence.step(self._workspace.position)
        dialog = DecisionsDialog(
            self._context.library.allowances, sequence.brand.name, step.id, step.position, self.panel
        )
        dialog.exec()
        if dialog.removed:
            self._allowances.clear()
            self._highlight_current_step()
            self.refresh_now()

    def show_worst_passages(self) -> None:
        self._open_panel()
        self.panel.tabs.setCurrentWidget(self.panel.sequence_view)
        self.refresh_now()

    def _open_panel(self) -> None:
        self.dock.show()
        self._remember_panel_shown(True)

    def _remember_panel_shown(self, shown: bool) -> None:
        self._context.ui_state.setValue(PANEL_SHOWN_KEY, shown)

    # Reviewing

    def refresh_now(self) -> None:
        """Recompute the panel from what the editor shows now (on the runner)."""
        self._pause.stop()
        sequence = self._live_sequence()
        if sequence is None or sequence.language not in LANGUAGES:
            return
        detector = self.detectors.get(sequence.language)
        if detector is None:
            return  # compiling; detector_ready brings us back
        brand = sequence.brand.name
        allowances = {step.id: self._allowed(brand, step.id) for step in sequence.steps}
        preferences = self._context.preferences  # current: the Settings dialog replaces them
        tells, provider, secrets = preferences.tells, preferences.provider, self._context.secrets
        if self._review_job is not None:
            self._review_job.cancel()
        self._review_serial += 1
        serial = self._review_serial

        def work(cancel: CancelToken, _progress: ProgressFn) -> ReviewResult:
            review = review_sequence(sequence, detector, allowances, tells)
            cancel.raise_if_cancelled()
            return review, rewrite_blocker(provider, secrets)

        self._review_job = self._context.runner.run(
            self.tr("Checking for AI tells"),
            work,
            owner=self.panel,
            on_done=lambda result: self._on_review_done(serial, result),
        )

    def _on_review_done(self, serial: int, result: ReviewResult) -> None:
        sequence = self._workspace.sequence
        review, blocker = result
        if serial != self._review_serial or sequence is None or sequence.id != review.sequence_id:
            return  # a newer review is on its way, or another sequence is open
        self._review_job = None
        self.review = review
        email = review.email(self._workspace.position)
        self.panel.show_review(email, review)
        self.panel.set_rewrite_blocker(blocker)
        self.score.show_email(email)
        marks = {e.position: f"⚑ {e.density:.1f}" for e in review.emails if e.density >= SHIPPING_THRESHOLD}
        self._marking = True  # relabelling the timeline is no reason to review again
        try:
            self._workspace.timeline.set_marks(review.sequence_id, marks)
        finally:
            self._marking = False
        editor = self._workspace.editor
        mark_long_sentences(editor.body, email)
        for field, line in (("subject", editor.subject), ("preheader", editor.preheader)):
            # One-line fields cannot be underlined: hovering them explains their flags instead.
            flags = [ref.flag for ref in email.flags if ref.field == field] if email is not None else []
            line.setToolTip("<hr>".join(flag_tooltip(flag) for flag in flags))
        self.review_updated.emit()

    def _live_sequence(self) -> Sequence | None:
        """The open sequence with the shown step as its fields read now (saved or not)."""
        sequence = self._workspace.sequence
        if sequence is None:
            return None
        stored = sequence.step(self._workspace.position)
        live = self._workspace.editor.step_from_fields(stored)
        return replace(sequence, steps=tuple(live if s.id == stored.id else s for s in sequence.steps))

    def _allowed(self, brand: str, step_id: str) -> Allowances:
        key = (brand, step_id)
        if key not in self._allowances:
            self._allowances[key] = self._context.library.allowances.for_step(brand, step_id)
        return self._allowances[key]

    def _highlight_current_step(self) -> None:
        sequence = self._workspace.sequence
        if sequence is None or sequence.language not in LANGUAGES:
            self.highlighter.use(None, Allowances())
            return
        step = sequence.step(self._workspace.position)
        self.highlighter.use(
            self.detectors.get(sequence.language),
            self._allowed(sequence.brand.name, step.id),
            # As typed in the Brand tab: a new word to avoid is underlined before it is saved.
            BrandWords(sequence.brand.name, self._workspace.brand_form.typed_words_to_avoid()),
        )

    def _on_detectors_ready(self, _language: str) -> None:
        self._highlight_current_step()
        self.refresh_now()

    def _on_timeline_changed(self, *_changed: object) -> None:
        if not self._marking:
            self._pause.start()

    def _on_workspace_current_step_changed(self) -> None:
        sequence = self._workspace.sequence
        shown = (sequence.id, self._workspace.position) if sequence is not None else None
        if shown != self._shown_email:
            # Until its own review lands, no figure of the email shown before may pass for this one's.
            self._shown_email = shown
            self.score.show_email(None)
            self.panel.clear_email()
            editor = self._workspace.editor
            for line in (editor.subject, editor.preheader):
                line.setToolTip("")
        self._on_workspace_step_changed()

    def _on_workspace_step_changed(self) -> None:
        self._highlight_current_step()
        if self._workspace.sequence is None:
            self.review = None
            self.panel.clear()
            self.score.show_email(None)
            mark_long_sentences(self._workspace.editor.body, None)
            return
        self.refresh_now()

    # Decisions

    def _on_panel_ignore_requested(self, ref: FlagRef) -> None:
        self._remember(AllowanceScope.STEP, ref.step_id, ref, whole_rule=not ref.is_passage)

    def _on_panel_allow_requested(self, ref: FlagRef, whole_rule: bool) -> None:
        sequence = self._workspace.sequence
        if sequence is not None:
            self._remember(AllowanceScope.BRAND, sequence.brand.name, ref, whole_rule or not ref.is_passage)

    def _remember(self, scope: AllowanceScope, key: str, ref: FlagRef, whole_rule: bool) -> None:
        try:
            if whole_rule:
                self._context.library.allowances.add(scope, key, rule_id=ref.flag.rule_id)
            else:
                self._context.library.allowances.add(scope, key, phrase=ref.flag.text)
        except StudioError as error:
            self._context.runner.error_raised.emit(error)
            return
        self._allowances.clear()
        self._highlight_current_step()
        self.refresh_now()

    # Showing a passage

    def show_flag(self, ref: FlagRef) -> None:
        """Bring the flag's step up and select its passage (where it is now, if it moved)."""
        workspace = self._workspace
        if workspace.sequence is None or workspace.sequence.id != ref.sequence_id:
            return
        if ref.position != workspace.position:
            workspace.select_step(ref.position)
        workspace.tabs.setCurrentWidget(workspace.editor)
        editor = workspace.editor
        if ref.field == "body":
            start = locate(editor.body.toPlainText(), ref.flag.text, ref.flag.start)
            if start is not None:
                self._select_in_body(start, start + len(ref.flag.text))
            return
        line = editor.subject if ref.field == "subject" else editor.preheader
        start = locate(line.text(), ref.flag.text, ref.flag.start)
        line.setFocus()
        if start is not None:
            begin = utf16_index(line.text(), start)
            line.setSelection(begin, utf16_index(line.text(), start + len(ref.flag.text)) - begin)

    def _select_in_body(self, start: int, end: int) -> None:
        body = self._workspace.editor.body
        text = body.toPlainText()
        start, end = min(start, len(text)), min(end, len(text))
        cursor = body.textCursor()
        cursor.setPosition(utf16_index(text, start))
        cursor.setPosition(utf16_index(text, end), QTextCursor.MoveMode.KeepAnchor)
        body.setTextCursor(cursor)
        body.ensureCursorVisible()
        body.setFocus()

    def _on_rewriter_ended(self, outcome: str) -> None:
        if outcome == "accepted":
            self.refresh_now()
        self.rewrite_ended.emit(outcome)
