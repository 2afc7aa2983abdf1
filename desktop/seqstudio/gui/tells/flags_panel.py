"""The AI-tells panel: the open email's flags with their figures and actions, and the sequence view.

It only shows values and asks: every decision (ignore, allow, rewrite, accept) goes out as a
signal for the controller, which saves it and recomputes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seqstudio.core.tells import SHIPPING_THRESHOLD
from seqstudio.gui.tells.highlighter import SEVERITY_WORDS, category_color, category_label, flag_tooltip
from seqstudio.gui.tells.review import EmailReview, FlagRef, SequenceReview
from seqstudio.gui.tells.worst_passages import SequenceTellsView, fit_columns, tree_items

ENTRY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class LongSentenceRef:
    start: int  # in the body
    end: int
    words: int


class FlagsPanel(QWidget):
    flag_chosen = Signal(object)  # FlagRef: show it in the editor
    long_sentence_chosen = Signal(int, int)  # start, end in the body
    ignore_requested = Signal(object)  # FlagRef
    allow_requested = Signal(object, bool)  # FlagRef, whole rule (else the phrase)
    rewrite_requested = Signal(object)  # FlagRef
    proposal_accepted = Signal()
    proposal_dropped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rewrite_blocker = ""
        self._rewriting = False
        email_page = QWidget(self)
        self.summary = QLabel(email_page)
        self.summary.setWordWrap(True)
        self.flags = QTreeWidget(email_page)
        self.flags.setRootIsDecorated(False)
        self.flags.setHeaderLabels(
            [self.tr("Passage"), self.tr("Where"), self.tr("Category"), self.tr("Strength")]
        )
        fit_columns(self.flags, stretch=0)
        self.detail = QLabel(email_page)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.ignore_button = QPushButton(self.tr("Ignore here"), email_page)
        self.ignore_button.setToolTip(self.tr("Stop flagging this passage in this step; remembered."))
        self.allow_phrase_button = QPushButton(self.tr("Allow phrase for brand"), email_page)
        self.allow_phrase_button.setToolTip(
            self.tr("Never flag this exact phrase in any sequence of this brand; remembered.")
        )
        self.allow_rule_button = QPushButton(self.tr("Allow rule for brand"), email_page)
        self.allow_rule_button.setToolTip(self.tr("Switch this whole rule off for this brand; remembered."))
        self.rewrite_button = QPushButton(self.tr("Rewrite this passage…"), email_page)
        self.rewrite_reason = QLabel(email_page)
        self.rewrite_reason.setWordWrap(True)
        self.rewrite_reason.setStyleSheet("color: #57606a;")
        self.notice = QLabel(email_page)
        self.notice.setWordWrap(True)
        self.proposal_box = QGroupBox(self.tr("Suggested rewrite"), email_page)
        self.proposal_view = QTextBrowser(self.proposal_box)
        self.proposal_view.setMaximumHeight(140)
        self.proposal_note = QLabel(self.proposal_box)
        self.proposal_note.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("Accept"), self.proposal_box)
        self.drop_button = QPushButton(self.tr("Drop"), self.proposal_box)
        proposal_buttons = QHBoxLayout()
        proposal_buttons.addStretch(1)
        proposal_buttons.addWidget(self.drop_button)
        proposal_buttons.addWidget(self.accept_button)
        proposal_layout = QVBoxLayout(self.proposal_box)
        proposal_layout.addWidget(self.proposal_view)
        proposal_layout.addWidget(self.proposal_note)
        proposal_layout.addLayout(proposal_buttons)
        self.proposal_box.hide()
        actions = QGridLayout()  # two by two, so the panel fits a narrow dock
        actions.addWidget(self.ignore_button, 0, 0)
        actions.addWidget(self.rewrite_button, 0, 1)
        actions.addWidget(self.allow_phrase_button, 1, 0)
        actions.addWidget(self.allow_rule_button, 1, 1)
        email_layout = QVBoxLayout(email_page)
        email_layout.addWidget(self.summary)
        email_layout.addWidget(self.flags, 1)
        email_layout.addWidget(self.detail)
        email_layout.addLayout(actions)
        email_layout.addWidget(self.rewrite_reason)
        email_layout.addWidget(self.notice)
        email_layout.addWidget(self.proposal_box)
        self.sequence_view = SequenceTellsView(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(email_page, self.tr("This email"))
        self.tabs.addTab(self.sequence_view, self.tr("Sequence"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.flags.currentItemChanged.connect(self._on_flags_current_changed)
        self.flags.itemActivated.connect(self._on_flags_item_activated)
        self.ignore_button.clicked.connect(lambda: self._ask(self.ignore_requested.emit))
        self.allow_phrase_button.clicked.connect(
            lambda: self._ask(lambda r: self.allow_requested.emit(r, False))
        )
        self.allow_rule_button.clicked.connect(
            lambda: self._ask(lambda r: self.allow_requested.emit(r, True))
        )
        self.rewrite_button.clicked.connect(lambda: self._ask(self.rewrite_requested.emit))
        self.accept_button.clicked.connect(self.proposal_accepted.emit)
        self.drop_button.clicked.connect(self.proposal_dropped.emit)
        self._update_actions()

    # Showing

    def show_review(self, email: EmailReview | None, review: SequenceReview) -> None:
        """Show `email`'s flags (keeping the selected one selected if it is still there)."""
        kept = self._selection_key()
        self.sequence_view.show_review(review)
        self.flags.clear()
        if email is None:
            self.summary.clear()
            self._update_actions()
            return
        grade = email.report.readability
        verdict = self.tr(" (reads machine-written)") if email.density >= SHIPPING_THRESHOLD else ""
        over = (
            self.tr("above the target {target:g}") if grade.over_target else self.tr("target {target:g}")
        ).format(target=review.target_grade)
        self.summary.setText(
            self.tr(
                "Tell density {density:.1f} per 100 words{verdict} · reading grade {grade:.1f} ({over}) · {words} words"
            ).format(
                density=email.density, verdict=verdict, grade=grade.grade, over=over, words=email.report.words
            )
        )
        for ref in email.flags:
            flag = ref.flag
            passage = flag.text or self.tr("(the whole email)")
            item = QTreeWidgetItem(
                [passage, ref.field, category_label(flag.category), SEVERITY_WORDS.get(flag.severity, "")]
            )
            item.setData(0, ENTRY_ROLE, ref)
            item.setForeground(2, category_color(flag.category))
            for column in range(4):
                item.setToolTip(column, flag_tooltip(flag))
            self.flags.addTopLevelItem(item)
        for sentence in email.long_sentences:
            ref_long = LongSentenceRef(sentence.start, sentence.end, sentence.words)
            item = QTreeWidgetItem(
                [
                    self.tr("Sentence of {n} words").format(n=sentence.words),
                    "body",
                    self.tr("Long sentence"),
                    "",
                ]
            )
            item.setData(0, ENTRY_ROLE, ref_long)
            item.setToolTip(0, self.tr("Long sentences are hard to read on a phone; split this one."))
            self.flags.addTopLevelItem(item)
        if kept is not None:
            for candidate in tree_items(self.flags):
                entry = candidate.data(0, ENTRY_ROLE)
                if isinstance(entry, FlagRef) and _key(entry) == kept:
                    self.flags.setCurrentItem(candidate)
                    break
        self._update_actions()

    def clear(self) -> None:
        """Show nothing: no sequence is open. The rewrite note returns with the next review."""
        self.clear_email()
        self.sequence_view.clear()
        self.hide_proposal()
        self.rewrite_reason.hide()
        self.notice.clear()

    def clear_email(self) -> None:
        """Empty the This email tab until the shown email's review lands (the Sequence tab stays)."""
        self.flags.clear()
        self.summary.clear()
        self.detail.clear()
        self._update_actions()

    def set_rewrite_blocker(self, reason: str) -> None:
        """'' when a model is set up; otherwise why "Rewrite this passage" is off, shown under it."""
        self._rewrite_blocker = reason
        self.rewrite_reason.setText(reason)
        self.rewrite_reason.setVisible(bool(reason))
        self._update_actions()

    def set_rewriting(self, running: bool) -> None:
        self._rewriting = running
        if running:
            self.notice.setText(self.tr("Rewriting the passage…"))
        self._update_actions()

    def show_proposal(self, diff_html: str, note: str) -> None:
        self.proposal_view.setHtml(diff_html)
        self.proposal_note.setText(note)
        self.proposal_note.setVisible(bool(note))
        self.proposal_box.show()
        self.notice.clear()

    def hide_proposal(self) -> None:
        self.proposal_box.hide()
        self.proposal_view.clear()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)

    # Reading

    def entries(self) -> list[FlagRef]:
        """The flags listed for the open email, in order."""
        found = (item.data(0, ENTRY_ROLE) for item in tree_items(self.flags))
        return [e for e in found if isinstance(e, FlagRef)]

    def select(self, ref: FlagRef) -> None:
        for item in tree_items(self.flags):
            if item.data(0, ENTRY_ROLE) == ref:
                self.flags.setCurrentItem(item)
                return

    def selected(self) -> FlagRef | None:
        item = self.flags.currentItem()
        entry = item.data(0, ENTRY_ROLE) if item is not None else None
        return entry if isinstance(entry, FlagRef) else None

    def _selection_key(self) -> tuple[str, str, str, str] | None:
        ref = self.selected()
        return _key(ref) if ref is not None else None

    def _ask(self, emit: object) -> None:
        ref = self.selected()
        if ref is not None and callable(emit):
            emit(ref)

    def _update_actions(self) -> None:
        ref = self.selected()
        passage = ref is not None and ref.is_passage
        self.ignore_button.setEnabled(ref is not None)
        self.allow_phrase_button.setEnabled(passage)
        self.allow_rule_button.setEnabled(ref is not None)
        self.rewrite_button.setEnabled(passage and not self._rewrite_blocker and not self._rewriting)
        self.rewrite_button.setToolTip(
            self._rewrite_blocker or self.tr("Ask the model for a plainer wording; you see the change first.")
        )
        if ref is None:
            self.detail.clear()
        else:
            self.detail.setText(flag_tooltip(ref.flag))

    def _on_flags_current_changed(self, *_args: object) -> None:
        self._update_actions()

    def _on_flags_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry = item.data(0, ENTRY_ROLE)
        if isinstance(entry, FlagRef):
            self.flag_chosen.emit(entry)
        elif isinstance(entry, LongSentenceRef):
            self.long_sentence_chosen.emit(entry.start, entry.end)


def _key(ref: FlagRef) -> tuple[str, str, str, str]:
    return (ref.step_id, ref.field, ref.flag.rule_id, ref.flag.text)
