"""Drafting a sequence or one step: plain functions for the GUI's runner
and the CLI. Each returns frozen values; nothing here saves anything (the caller records a
result as a revision with `result.origin`).

Steps are drafted concurrently (at most `settings.max_concurrency` requests in flight) and each
result goes to `on_step_done` as soon as it is ready, in the calling thread. One step failing
never stops the others; its result carries the reason. Cancelling the token stops every request
within `CANCEL_POLL` seconds and raises CancelledError; steps already finished were delivered.
The functions run their own event loop: call them from a worker thread, never the GUI thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from seqstudio.core.cancel import CancelToken, ProgressFn, no_progress
from seqstudio.core.drafting.context import offer_links, sequence_context, step_context
from seqstudio.core.drafting.errors import DraftingError
from seqstudio.core.drafting.facts import FactFinding, check_facts
from seqstudio.core.drafting.llm import LLMClient, Message, Meter
from seqstudio.core.drafting.offline import OFFLINE_MODEL, OfflineDrafter
from seqstudio.core.drafting.prompts import PromptLibrary
from seqstudio.core.drafting.schemas import (
    EMAIL_SCHEMA,
    PLAN_SCHEMA,
    email_from_reply,
    plan_from_reply,
)
from seqstudio.core.drafting.settings import ProviderSettings, resolve_connection
from seqstudio.core.drafting.tokens import TokenUsage, cost_usd
from seqstudio.core.errors import CancelledError
from seqstudio.core.model import Email, Sequence
from seqstudio.core.secrets import SecretStore

CANCEL_POLL = 0.05  # seconds between looks at the cancel token
DraftClient = LLMClient | OfflineDrafter
StepDoneFn = Callable[["StepDraftResult"], None]
T = TypeVar("T")


@dataclass(frozen=True)
class StepDraftResult:
    """One step's outcome: a new Email, or `error` saying why not (the other steps are unaffected)."""

    position: int
    step_id: str
    email: Email | None
    model: str  # the model that answered, or "offline"
    tokens: TokenUsage
    cost_usd: float | None  # approximate; None where the price is unknown
    findings: tuple[FactFinding, ...] = ()  # facts the offer does not state
    error: str = ""  # the user-facing reason, when email is None
    detail: str = ""  # for the log

    @property
    def ok(self) -> bool:
        return self.email is not None

    @property
    def offline(self) -> bool:
        return self.model == OFFLINE_MODEL

    @property
    def origin(self) -> str:
        """The revision origin to record: "AI draft (gpt-4o-mini)" or "Offline draft (no model)"."""
        return OfflineDrafter.origin if self.offline else f"AI draft ({self.model})"


def make_client(
    settings: ProviderSettings, secrets: SecretStore, environ: Mapping[str, str] | None = None
) -> DraftClient:
    """The client the settings, the key and the environment ask for; offline with neither key nor URL."""
    connection = resolve_connection(settings, secrets, os.environ if environ is None else environ)
    return OfflineDrafter() if connection is None else LLMClient(connection, settings)


def draft_sequence(
    sequence: Sequence,
    *,
    client: DraftClient,
    cancel: CancelToken,
    on_progress: ProgressFn = no_progress,
    on_step_done: StepDoneFn | None = None,
    positions: Iterable[int] | None = None,
    prompts: PromptLibrary | None = None,
) -> list[StepDraftResult]:
    """Drafts the steps at `positions` (default: all), results in step order.

    Raises PromptTemplateError before any request if a template is broken, CancelledError on cancel.
    """
    wanted = sorted(set(positions) if positions is not None else {s.position for s in sequence.steps})
    for position in wanted:
        sequence.step(position)  # KeyError now rather than a half-finished run
    if isinstance(client, OfflineDrafter):
        return _draft_offline(sequence, client, wanted, cancel, on_progress, on_step_done)
    library = prompts or PromptLibrary()
    coroutine = _draft_online(sequence, client, wanted, library, cancel, on_progress, on_step_done)
    return run_cancellable(coroutine, cancel)


def draft_step(
    sequence: Sequence,
    position: int,
    *,
    client: DraftClient,
    cancel: CancelToken,
    on_progress: ProgressFn = no_progress,
    prompts: PromptLibrary | None = None,
) -> StepDraftResult:
    """Redrafts one step, with the sequence's other emails as they are now for context."""
    results = draft_sequence(
        sequence, client=client, cancel=cancel, on_progress=on_progress, positions=[position], prompts=prompts
    )
    return results[0]


def messages_for(library: PromptLibrary, task: str, context: dict[str, Any]) -> list[Message]:
    return [
        {"role": "system", "content": library.render("system", context)},
        {"role": "user", "content": library.render(task, context)},
    ]


def _draft_offline(
    sequence: Sequence,
    drafter: OfflineDrafter,
    positions: list[int],
    cancel: CancelToken,
    on_progress: ProgressFn,
    on_step_done: StepDoneFn | None,
) -> list[StepDraftResult]:
    results = []
    for done, position in enumerate(positions, 1):
        cancel.raise_if_cancelled()
        email = drafter.draft(sequence, position)
        step_id = sequence.step(position).id
        result = StepDraftResult(
            position, step_id, email, OFFLINE_MODEL, TokenUsage(), None, check_facts(email, sequence.offer)
        )
        results.append(result)
        on_progress(done, len(positions), f"Email {position} drafted offline")
        if on_step_done is not None:
            on_step_done(result)
    return results


async def _draft_online(
    sequence: Sequence,
    client: LLMClient,
    positions: list[int],
    library: PromptLibrary,
    cancel: CancelToken,
    on_progress: ProgressFn,
    on_step_done: StepDoneFn | None,
) -> list[StepDraftResult]:
    total = len(positions) + (1 if client.settings.plan_first and len(positions) > 1 else 0)
    done = 0
    plan: dict[int, str] = {}
    async with client.api() as api:
        if total > len(positions):
            on_progress(0, total, "Planning the sequence")
            plan = await _plan(sequence, client, api, library)
            done = 1
            on_progress(
                done, total, "Planned the sequence" if plan else "Planning failed; drafting without it"
            )
        # Render every prompt before the first request, so a broken template costs nothing
        prompts = {p: messages_for(library, "step", step_context(sequence, p, plan)) for p in positions}
        limit = asyncio.Semaphore(max(1, client.settings.max_concurrency))

        async def one(position: int) -> StepDraftResult:
            nonlocal done
            async with limit:
                links = offer_links(sequence.offer, sequence.step(position))
                result = await _draft_one(sequence, position, client, api, prompts[position], links)
            done += 1
            state = "drafted" if result.ok else "failed"
            on_progress(done, total, f"Email {position} {state}")
            if on_step_done is not None:
                on_step_done(result)
            return result

        on_progress(done, total, f"Drafting {len(positions)} emails")
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(p)) for p in positions]
    return [task.result() for task in tasks]


async def _draft_one(
    sequence: Sequence,
    position: int,
    client: LLMClient,
    api: Any,
    messages: list[Message],
    links: tuple[str, ...],
) -> StepDraftResult:
    meter = Meter()
    step_id = sequence.step(position).id
    try:
        answer = await client.structured(
            api, messages, "step_email", EMAIL_SCHEMA, lambda d: email_from_reply(d, links), meter
        )
    except DraftingError as error:
        cost = cost_usd(meter.usage, client.settings, client.model)
        return StepDraftResult(
            position,
            step_id,
            None,
            client.model,
            meter.usage,
            cost,
            error=error.user_message,
            detail=error.detail,
        )
    findings = check_facts(answer.value, sequence.offer)
    cost = cost_usd(meter.usage, client.settings, answer.model)
    return StepDraftResult(position, step_id, answer.value, answer.model, meter.usage, cost, findings)


async def _plan(sequence: Sequence, client: LLMClient, api: Any, library: PromptLibrary) -> dict[int, str]:
    """Angle per position from one planning call; empty if it fails (the steps still get drafted)."""
    positions = tuple(s.position for s in sequence.steps)
    messages = messages_for(library, "plan", sequence_context(sequence))
    try:
        answer = await client.structured(
            api, messages, "sequence_plan", PLAN_SCHEMA, lambda d: plan_from_reply(d, positions), Meter()
        )
    except DraftingError:
        return {}
    return {s.position: f"{s.angle} {s.summary}".strip() for s in answer.value}


def run_cancellable(work: Coroutine[Any, Any, T], cancel: CancelToken) -> T:
    """Runs `work` in a fresh event loop; cancels it promptly when the token is cancelled."""

    async def guarded() -> T:
        task = asyncio.ensure_future(work)
        while not task.done():
            await asyncio.wait({task}, timeout=CANCEL_POLL)
            if cancel.cancelled and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                raise CancelledError()
        group = error = task.exception()
        while isinstance(error, BaseExceptionGroup):  # e.g. a failing callback: raise its own error
            error = error.exceptions[0]
        if error is not None and error is not group:
            raise error from group
        return task.result()

    if cancel.cancelled:
        work.close()
        raise CancelledError()
    return asyncio.run(guarded())
