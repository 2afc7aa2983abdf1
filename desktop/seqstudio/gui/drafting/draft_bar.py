"""The bar above the step editor that tells the writer what drafting did to this step: which
model wrote it, tokens and cost, facts the offer does not state, a failure with Retry, or a draft
that arrived while they were writing, with "Use this draft" and "Keep mine"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from seqstudio.gui.drafting.controller import DraftController, DraftKey
from seqstudio.gui.drafting.states import DraftState, draft_summary
from seqstudio.gui.sequence.workspace import SequenceWorkspace

OFFLINE_STYLE = "background: #fff4e5; color: #7a4100; font-weight: bold; padding: 2px 4px;"
FINDINGS_STYLE = "color: #b54708;"
FAILED_STYLE = "color: #b42318;"


class DraftBar(QFrame):
    """Shows the shown step's latest draft; hidden when drafting has nothing to say about it."""

    def __init__(
        self, controller: DraftController, workspace: SequenceWorkspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._workspace = workspace
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.findings = QLabel(self)
        self.findings.setWordWrap(True)
        self.findings.setStyleSheet(FINDINGS_STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.retry = QPushButton(self.tr("Retry"), self)
        self.use_draft = QPushButton(self.tr("Use this draft"), self)
        self.keep_mine = QPushButton(self.tr("Keep mine"), self)
        self.use_draft.setToolTip(self.tr("Your text is saved in the step's history first."))
        self.keep_mine.setToolTip(self.tr("The draft is kept in the step's history; your text stays."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        for button in (self.retry, self.use_draft, self.keep_mine):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.findings)
        layout.addLayout(buttons)

        self.retry.clicked.connect(lambda: self._act(controller.retry))
        self.use_draft.clicked.connect(lambda: self._act(controller.use_draft))
        self.keep_mine.clicked.connect(lambda: self._act(controller.keep_mine))
        workspace.current_step_changed.connect(self.refresh)
        controller.step_draft_changed.connect(self._on_controller_step_draft_changed)
        controller.busy_changed.connect(lambda _busy: self.refresh())
        self.refresh()

    def shown_key(self) -> DraftKey | None:
        sequence = self._workspace.sequence
        return (sequence.id, self._workspace.position) if sequence is not None else None

    def refresh(self) -> None:
        key = self.shown_key()
        draft = self._controller.draft(key) if key is not None else None
        if draft is None or draft.state in (DraftState.QUEUED, DraftState.CANCELLED):
            self.hide()
            return
        result = draft.result
        self.summary.setText(draft_summary(result) if result is not None and result.ok else "")
        self.summary.setStyleSheet(OFFLINE_STYLE if result is not None and result.offline else "")
        self.summary.setVisible(bool(self.summary.text()))
        lines = [finding.message for finding in result.findings] if result is not None else []
        if lines:
            lines.insert(0, self.tr("Check before sending:"))
        self.findings.setText("\n".join(lines))
        self.findings.setVisible(bool(lines))
        self.message.setStyleSheet(FAILED_STYLE if draft.state is DraftState.FAILED else "")
        self.message.setText(
            {
                DraftState.DRAFTING: self.tr("Drafting this step… you can keep writing."),
                DraftState.DONE: "",
                DraftState.HELD: self.tr(
                    "A draft arrived while you were writing here. Your text is unchanged."
                ),
                DraftState.FAILED: self.tr("Drafting failed: {reason}").format(reason=draft.reason),
            }.get(draft.state, "")
        )
        self.message.setVisible(bool(self.message.text()))
        self.retry.setVisible(draft.state is DraftState.FAILED)
        self.retry.setEnabled(not self._controller.busy)
        self.use_draft.setVisible(draft.state is DraftState.HELD)
        self.keep_mine.setVisible(draft.state is DraftState.HELD)
        self.show()

    def _on_controller_step_draft_changed(self, sequence_id: str, position: int) -> None:
        if self.shown_key() == (sequence_id, position):
            self.refresh()

    def _act(self, action: Callable[[DraftKey], None]) -> None:
        key = self.shown_key()
        if key is not None:
            action(key)
