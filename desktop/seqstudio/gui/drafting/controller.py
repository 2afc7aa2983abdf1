"""Drafting from the window: one job at a time through the runner, each step landing as it arrives.

Guarantees: the GUI thread never waits on the network (the client is built and every request made
in the worker); each finished step is saved on the GUI thread as it arrives, so a cancel or a
failure keeps what came back; a draft never replaces text typed after the job started
(`DraftLander`); a step holding the user's words is redrafted only after they said yes.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.drafting import StepDraftResult, draft_sequence, make_client
from seqstudio.core.drafting.apply import HUMAN_STATES, plan_draft
from seqstudio.core.errors import StudioError
from seqstudio.core.model import Sequence, StepStatus
from seqstudio.gui.context import AppContext
from seqstudio.gui.drafting.landing import DraftLander, Landing
from seqstudio.gui.drafting.states import PENDING, DraftState, StepDraft, timeline_note
from seqstudio.gui.sequence.workspace import SequenceWorkspace
from seqstudio.gui.tasks import EmitFn, TaskHandle

DraftKey = tuple[str, int]  # (sequence id, position)
LANDING_GAP_MS = 1  # a real timer: Qt 6 turns 0 ms single shots into posted events, run in one batch


@dataclass
class _DraftJob:
    handle: TaskHandle
    snapshot: Sequence  # what the job drafts from; arriving drafts are compared with it
    queue: list[int]  # positions not yet in flight, in the order the drafter takes them
    results: list[StepDraftResult] = field(default_factory=list)  # landed
    arrivals: deque[StepDraftResult] = field(default_factory=deque)  # came back, not landed yet
    ending: Callable[[], None] | None = None  # how the job ended; runs once arrivals have landed


class DraftController(QObject):
    """Starts, tracks and cancels drafting; `drafts` is what each step's last draft did."""

    busy_changed = Signal(bool)
    progress_changed = Signal(int, int, str)  # done, total, message
    step_draft_changed = Signal(str, int)  # sequence id, position
    draft_finished = Signal(str)  # a one-line summary for the status bar

    def __init__(self, context: AppContext, workspace: SequenceWorkspace, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self._workspace = workspace
        self._dialog_parent = parent
        self.lander = DraftLander(context.library, workspace)
        self.drafts: dict[DraftKey, StepDraft] = {}
        self._job: _DraftJob | None = None
        self._closing = False
        self._landing = QTimer(self)
        self._landing.setSingleShot(True)
        self._landing.setInterval(LANDING_GAP_MS)
        self._landing.timeout.connect(self._land_next)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def draft(self, key: DraftKey) -> StepDraft | None:
        return self.drafts.get(key)

    # What the actions call (they may ask the user)

    def draft_all(self) -> None:
        """Draft every step; steps holding the user's words are redrafted only if they say so."""
        sequence = self._flushed_sequence()
        if sequence is None:
            return
        protected = [s.position for s in sequence.steps if s.status in HUMAN_STATES]
        overwrite = False
        if protected:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Draft the sequence"),
                (
                    self.tr(
                        "Step {steps} holds your edits. Redraft it too? Its current text stays in its history."
                    )
                    if len(protected) == 1
                    else self.tr(
                        "Steps {steps} hold your edits. Redraft them too? Their current text stays in their history."
                    )
                ).format(steps=", ".join(map(str, protected))),
                QMessageBox.StandardButton.Cancel,
                self._dialog_parent,
            )
            redraft = box.addButton(self.tr("Redraft those too"), QMessageBox.ButtonRole.YesRole)
            others = box.addButton(self.tr("Only the other steps"), QMessageBox.ButtonRole.NoRole)
            box.setDefaultButton(others)
            box.exec()
            if box.clickedButton() not in (redraft, others):
                return
            overwrite = box.clickedButton() is redraft
        if not plan_draft(sequence, overwrite=overwrite).positions:
            self.draft_finished.emit(self.tr("Nothing to draft: every step holds your edits."))
            return
        self.start(None, overwrite=overwrite)

    def redraft_step(self, position: int | None = None) -> None:
        """Redraft one step (default: the shown one), asking first if it holds the user's words."""
        sequence = self._flushed_sequence()
        if sequence is None:
            return
        step = sequence.step(position or self._workspace.position)
        if step.status in HUMAN_STATES:
            answer = QMessageBox.question(
                self._dialog_parent,
                self.tr("Redraft step {n}").format(n=step.position),
                self.tr(
                    "Step {n} is {status}: it holds your words. Replace it with a new draft? "
                    "The current text stays in its history."
                ).format(n=step.position, status=self._status_words()[step.status]),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.start([step.position], overwrite=True)

    def retry(self, key: DraftKey) -> None:
        """Draft a failed step again (asking first if the user has written in it since)."""
        if self._workspace.sequence is not None and self._workspace.sequence.id == key[0]:
            self.redraft_step(key[1])

    def use_draft(self, key: DraftKey) -> None:
        """Make the held draft the step's text; the user's text stays in the history."""
        result = self._held(key)
        if result is not None and self._guarded(lambda: self.lander.use_draft(key[0], result)):
            self._set(key, StepDraft(DraftState.DONE, result))

    def keep_mine(self, key: DraftKey) -> None:
        """Keep the user's text; the held draft goes to the history only."""
        result = self._held(key)
        if result is not None and self._guarded(lambda: self.lander.keep_mine(key[0], result)):
            del self.drafts[key]  # the step shows the user's text: nothing of the draft to report
            self._workspace.timeline.set_note(key[0], key[1], None)
            self.step_draft_changed.emit(*key)
            self.draft_finished.emit(
                self.tr("Kept your text; the draft of step {n} is in its history.").format(n=key[1])
            )

    def cancel(self) -> None:
        if self._job is not None:
            self._job.handle.cancel()

    # Starting without questions (tests, the benchmark and the methods above)

    def start(self, positions: Iterable[int] | None, *, overwrite: bool) -> bool:
        """Draft `positions` (default: all) of the open sequence; False if nothing was started."""
        if self._job is not None or self._closing:
            return False
        snapshot = self._flushed_sequence()
        if snapshot is None:
            return False
        plan = plan_draft(snapshot, positions, overwrite=overwrite)
        if not plan.positions:
            return False
        for position in plan.positions:  # a new draft must not push out one still waiting
            self.keep_mine((snapshot.id, position))
        snapshot = self._workspace.sequence or snapshot
        provider, secrets = self._context.preferences.provider, self._context.secrets

        def work(cancel: CancelToken, progress: ProgressFn, emit: EmitFn[StepDraftResult]) -> int:
            client = make_client(provider, secrets)  # reads the keyring: off the GUI thread
            results = draft_sequence(
                snapshot,
                client=client,
                cancel=cancel,
                on_progress=progress,
                on_step_done=emit,
                positions=plan.positions,
            )
            return len(results)

        handle = self._context.runner.run_streaming(
            self.tr("Drafting"),
            work,
            owner=self,
            on_partial=self._on_step_arrived,
            on_done=lambda _count: self._on_job_ended(self.tr("Drafted")),
            on_error=self._on_job_failed,
            on_progress=self._on_progress,
            on_cancelled=lambda: self._on_job_ended(self.tr("Cancelled")),
        )
        self._job = _DraftJob(handle, snapshot, list(plan.positions))
        # The drafter takes steps in order, up to max_concurrency at once (offline: one by one)
        in_flight = 1 if provider.offline else max(1, provider.max_concurrency)
        for index, position in enumerate(plan.positions):
            state = DraftState.DRAFTING if index < in_flight else DraftState.QUEUED
            self._set((snapshot.id, position), StepDraft(state))
        del self._job.queue[:in_flight]
        self.busy_changed.emit(True)
        self.progress_changed.emit(0, len(plan.positions), self.tr("Drafting…"))
        return True

    def shutdown(self) -> None:
        """On close, before the library closes: cancel the job, land the drafts that already came
        back, and keep held drafts in their steps' history. Results the runner has not delivered
        yet are dropped (nothing of the user's is at stake: they were never saved over anything)."""
        self.cancel()
        job = self._job
        while job is not None and job.arrivals:
            self._land(job, job.arrivals.popleft())
        self._closing = True
        for key in list(self.drafts):
            result = self._held(key)
            if result is not None:
                self._guarded(functools.partial(self.lander.keep_mine, key[0], result))

    # Results, on the GUI thread

    def _on_step_arrived(self, result: StepDraftResult) -> None:
        job = self._job
        if job is None or self._closing:
            return
        job.arrivals.append(result)
        if not self._landing.isActive():
            self._landing.start()

    def _land_next(self) -> None:
        """Land one arrival per event-loop turn, so typing and painting run between saves."""
        job = self._job
        if job is None or self._closing:
            return
        if job.arrivals:
            self._land(job, job.arrivals.popleft())
        if job.arrivals:
            self._landing.start()
        elif job.ending is not None:
            ending, job.ending = job.ending, None
            ending()

    def _land(self, job: _DraftJob, result: StepDraftResult) -> None:
        job.results.append(result)
        key = (job.snapshot.id, result.position)
        if job.queue:  # a request slot came free: the next queued step is now in flight
            self._set((job.snapshot.id, job.queue.pop(0)), StepDraft(DraftState.DRAFTING))
        if not result.ok:
            self._set(key, StepDraft(DraftState.FAILED, result, result.error))
            return
        try:
            landing = self.lander.land(job.snapshot.id, job.snapshot.step(result.position), result)
        except StudioError as error:  # e.g. the sequence was deleted meanwhile
            self._set(key, StepDraft(DraftState.FAILED, result, error.user_message))
            return
        state = DraftState.DONE if landing is Landing.SAVED else DraftState.HELD
        self._set(key, StepDraft(state, result))

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if not self._closing:
            self.progress_changed.emit(done, total, message)

    def _after_landing(self, ending: Callable[[], None]) -> None:
        """Run `ending` once every step that arrived has landed (the runner's final callback
        can come before the last arrivals are landed)."""
        job = self._job
        if job is None or self._closing:
            return
        job.ending = ending
        if not job.arrivals:
            self._land_next()

    def _on_job_ended(self, verb: str) -> None:
        self._after_landing(lambda: self._finish(verb))

    def _on_job_failed(self, error: StudioError) -> None:
        def fail() -> None:
            job = self._job
            assert job is not None
            for position in (s.position for s in job.snapshot.steps):
                key = (job.snapshot.id, position)
                draft = self.drafts.get(key)
                if draft is not None and draft.state in PENDING:
                    self._set(key, StepDraft(DraftState.FAILED, None, error.user_message))
            self._finish(self.tr("Stopped"))
            self._context.runner.error_raised.emit(error)  # the one error path

        self._after_landing(fail)

    def _finish(self, verb: str) -> None:
        job, self._job = self._job, None
        assert job is not None
        for position in (s.position for s in job.snapshot.steps):
            key = (job.snapshot.id, position)
            draft = self.drafts.get(key)
            if draft is not None and draft.state in PENDING:
                self._set(key, StepDraft(DraftState.CANCELLED))
        self.busy_changed.emit(False)
        self.draft_finished.emit(self._summary(verb, job))

    def _summary(self, verb: str, job: _DraftJob) -> str:
        ok = [r for r in job.results if r.ok]
        held = sum(1 for r in ok if self._held((job.snapshot.id, r.position)) is not None)
        parts = [
            self.tr("{verb}: {ok} of {total} emails").format(verb=verb, ok=len(ok), total=len(job.results))
        ]
        if any(r.offline for r in ok):
            parts.append(self.tr("offline drafts"))
        failed = len(job.results) - len(ok)
        if failed:
            parts.append(self.tr("{n} failed").format(n=failed))
        if held:
            parts.append(self.tr("{n} waiting for your choice").format(n=held))
        tokens = sum(r.tokens.total for r in job.results)
        if tokens:
            parts.append(self.tr("{n} tokens").format(n=f"{tokens:,}"))
        costs = [r.cost_usd for r in job.results if r.cost_usd is not None]
        if costs:
            parts.append(self.tr("about ${cost}").format(cost=f"{sum(costs):.4f}"))
        return " · ".join(parts)

    # Helpers

    def _set(self, key: DraftKey, draft: StepDraft) -> None:
        self.drafts[key] = draft
        self._workspace.timeline.set_note(key[0], key[1], timeline_note(draft))
        self.step_draft_changed.emit(*key)

    def _flushed_sequence(self) -> Sequence | None:
        """The open sequence after saving pending edits, so a job starts from what the user sees."""
        if self._workspace.sequence is None:
            return None
        self._workspace.flush()
        return self._workspace.sequence

    def _status_words(self) -> dict[StepStatus, str]:
        return {StepStatus.REVISED: self.tr("revised"), StepStatus.APPROVED: self.tr("approved")}

    def _held(self, key: DraftKey) -> StepDraftResult | None:
        draft = self.drafts.get(key)
        return draft.result if draft is not None and draft.state is DraftState.HELD else None

    def _guarded(self, action: Callable[[], None]) -> bool:
        """Run a save; a failure goes to the one error path. True when it worked."""
        try:
            action()
        except StudioError as error:
            self._context.runner.error_raised.emit(error)
            return False
        return True
