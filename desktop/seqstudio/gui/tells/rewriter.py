"""Rewrite this passage: the drafting provider suggests a plainer wording of one flagged passage,
shown as a diff; accepting saves it as a new AI-rewrite revision, and only if the passage is still
as it was (anything else typed meanwhile is kept; a changed passage drops the suggestion)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.drafting import Rewrite, make_client, rewrite_passage
from seqstudio.core.errors import StudioError
from seqstudio.core.model import RevisionOrigin, Sequence, StepStatus
from seqstudio.gui.context import AppContext
from seqstudio.gui.sequence.workspace import SequenceWorkspace
from seqstudio.gui.tasks import TaskHandle
from seqstudio.gui.tells.flags_panel import FlagsPanel
from seqstudio.gui.tells.highlighter import category_label
from seqstudio.gui.tells.review import FlagRef, with_field
from seqstudio.gui.tells.rewrite import RewriteProposal


class PassageRewriter(QObject):
    proposed = Signal()  # a suggestion waits for Accept or Drop
    ended = Signal(str)  # accepted | dropped | stale | failed | cancelled

    def __init__(
        self,
        context: AppContext,
        workspace: SequenceWorkspace,
        panel: FlagsPanel,
        *,
        live: Callable[[], Sequence | None],
    ) -> None:
        super().__init__(panel)
        self._context, self._workspace, self.panel = context, workspace, panel
        self._live = live
        self.proposal: RewriteProposal | None = None
        self._rewrite_job: TaskHandle | None = None

    def rewrite(self, ref: FlagRef) -> None:
        """Ask the drafting provider for a plainer wording of `ref`'s passage; shown as a proposal."""
        sequence = self._live()
        if self._rewrite_job is not None or sequence is None or sequence.id != ref.sequence_id:
            return
        provider, secrets = self._context.preferences.provider, self._context.secrets
        reason = f"{category_label(ref.flag.category)}: {ref.flag.why}"
        if ref.flag.suggestion:
            reason += f" {ref.flag.suggestion}"
        self.proposal = None
        self.panel.hide_proposal()
        self.panel.set_rewriting(True)

        def work(cancel: CancelToken, _progress: ProgressFn) -> Rewrite:
            client = make_client(provider, secrets)  # reads the keyring: off the GUI thread
            return rewrite_passage(
                sequence, ref.position, ref.flag.text, reason, client=client, cancel=cancel
            )

        self._rewrite_job = self._context.runner.run(
            self.tr("Rewriting a passage"),
            work,
            owner=self.panel,
            on_done=lambda result: self._on_rewrite_done(ref, result),
            on_error=self._on_rewrite_failed,
            on_cancelled=lambda: self._end_rewrite("cancelled", ""),
        )

    def _on_rewrite_done(self, ref: FlagRef, result: Rewrite) -> None:
        self._rewrite_job = None
        self.panel.set_rewriting(False)
        proposal = RewriteProposal(ref, result.text, result.model, result.findings)
        current = self._current_text(ref)
        if current is None or proposal.applied_to(current) is None:
            self._end_rewrite("stale", self._stale_message())
            return
        self.proposal = proposal
        note = "\n".join(f.message for f in result.findings)
        self.panel.show_proposal(proposal.diff_html(current), note)
        self.proposed.emit()

    def _on_rewrite_failed(self, error: StudioError) -> None:
        self._rewrite_job = None
        self.panel.set_rewriting(False)
        self._end_rewrite("failed", error.user_message)

    def accept(self) -> None:
        """Save the suggestion as a new AI-rewrite revision of its step, if the passage is unchanged;
        everything else the writer typed meanwhile is kept."""
        proposal, workspace = self.proposal, self._workspace
        if proposal is None:
            return
        ref = proposal.ref
        if workspace.sequence is None or workspace.sequence.id != ref.sequence_id:
            self._end_rewrite("stale", self._stale_message())
            return
        workspace.flush()  # the writer's own edits are saved first, as theirs
        sequence = workspace.sequence
        stored = next((s for s in sequence.steps if s.id == ref.step_id), None)
        if stored is None:
            self._end_rewrite("stale", self._stale_message())
            return
        shown = stored.id == sequence.step(workspace.position).id
        if shown and workspace.editor.step_from_fields(stored) != stored:
            self.panel.show_notice(self.tr("Fix the problems shown in this step first, then accept."))
            return
        new_text = proposal.applied_to(getattr(stored.email, ref.field))
        if new_text is None:
            self._end_rewrite("stale", self._stale_message())
            return
        status = StepStatus.REVISED if stored.status is StepStatus.APPROVED else stored.status
        email = with_field(stored.email, ref.field, new_text)
        try:
            saved = self._context.library.save_step(
                sequence.id,
                replace(stored, email=email, status=status),
                RevisionOrigin.AI_REWRITE,
                proposal.model,
            )
        except StudioError as error:
            self._end_rewrite("failed", error.user_message)
            return
        cursor = workspace.editor.body.textCursor().position()
        workspace.reload_step(saved)
        if shown:  # loading the new text puts the cursor at the start; keep the writer's place
            body = workspace.editor.body
            moved = body.textCursor()
            moved.setPosition(min(cursor, body.document().characterCount() - 1))
            body.setTextCursor(moved)
        self._end_rewrite(
            "accepted", self.tr("Rewrite saved as a new version ({model}).").format(model=proposal.model)
        )

    def drop(self) -> None:
        if self.proposal is not None:
            self._end_rewrite("dropped", self.tr("Suggestion dropped; your text is unchanged."))

    def _end_rewrite(self, outcome: str, message: str) -> None:
        self.proposal = None
        self.panel.hide_proposal()
        self.panel.show_notice(message)
        self.ended.emit(outcome)

    def _current_text(self, ref: FlagRef) -> str | None:
        """The text of the flag's field as the writer has it now (the editor's, if it is shown)."""
        sequence = self._live()
        if sequence is None or sequence.id != ref.sequence_id:
            return None
        step = next((s for s in sequence.steps if s.id == ref.step_id), None)
        return None if step is None else str(getattr(step.email, ref.field))

    def _stale_message(self) -> str:
        return self.tr("The passage changed since the rewrite was asked for, so the suggestion was dropped.")
