"""Suggestions for an email being edited: subject-line variants and a rewrite of a flagged
passage. Like drafting, they return frozen values and save nothing; call them from a worker thread."""

from __future__ import annotations

from dataclasses import dataclass

from seqstudio.core.cancel import CancelToken
from seqstudio.core.drafting.context import step_context
from seqstudio.core.drafting.drafter import DraftClient, messages_for, run_cancellable
from seqstudio.core.drafting.errors import NeedsModelError
from seqstudio.core.drafting.facts import FactFinding, check_text
from seqstudio.core.drafting.llm import Meter
from seqstudio.core.drafting.offline import OFFLINE_MODEL, OfflineDrafter
from seqstudio.core.drafting.prompts import PromptLibrary
from seqstudio.core.drafting.schemas import (
    REWRITE_SCHEMA,
    SUBJECTS_SCHEMA,
    rewrite_from_reply,
    subjects_from_reply,
)
from seqstudio.core.drafting.tokens import TokenUsage, cost_usd
from seqstudio.core.model import Sequence


@dataclass(frozen=True)
class SubjectVariants:
    subjects: tuple[str, ...]
    model: str
    tokens: TokenUsage
    cost_usd: float | None
    findings: tuple[FactFinding, ...] = ()  # facts in any of the subjects that the offer lacks


@dataclass(frozen=True)
class Rewrite:
    text: str
    model: str
    tokens: TokenUsage
    cost_usd: float | None
    findings: tuple[FactFinding, ...]


def suggest_subjects(
    sequence: Sequence,
    position: int,
    *,
    client: DraftClient,
    cancel: CancelToken,
    count: int = 5,
    prompts: PromptLibrary | None = None,
) -> SubjectVariants:
    """`count` different subject lines for a step; raises DraftingError if the model cannot give them."""
    if isinstance(client, OfflineDrafter):
        cancel.raise_if_cancelled()
        subjects = client.subjects(sequence, position, count)
        return SubjectVariants(
            subjects, OFFLINE_MODEL, TokenUsage(), None, _subject_findings(subjects, sequence)
        )
    library = prompts or PromptLibrary()
    context = {**step_context(sequence, position), "count": count}
    messages = messages_for(library, "subjects", context)
    meter = Meter()

    async def ask() -> SubjectVariants:
        async with client.api() as api:
            answer = await client.structured(
                api,
                messages,
                "subject_variants",
                SUBJECTS_SCHEMA,
                lambda d: subjects_from_reply(d, count),
                meter,
            )
        cost = cost_usd(meter.usage, client.settings, client.model)
        findings = _subject_findings(answer.value, sequence)
        return SubjectVariants(answer.value, answer.model, meter.usage, cost, findings)

    return run_cancellable(ask(), cancel)


def rewrite_passage(
    sequence: Sequence,
    position: int,
    passage: str,
    reason: str,
    *,
    client: DraftClient,
    cancel: CancelToken,
    prompts: PromptLibrary | None = None,
) -> Rewrite:
    """The flagged `passage` of a step rewritten; the facts check runs on the new text."""
    if isinstance(client, OfflineDrafter):
        raise NeedsModelError("Rewriting a passage")
    library = prompts or PromptLibrary()
    context = {**step_context(sequence, position), "passage": passage, "reason": reason}
    messages = messages_for(library, "rewrite", context)
    meter = Meter()

    async def ask() -> Rewrite:
        async with client.api() as api:
            answer = await client.structured(
                api, messages, "rewrite", REWRITE_SCHEMA, rewrite_from_reply, meter
            )
        findings = tuple(check_text(answer.value, "body", sequence.offer))
        cost = cost_usd(meter.usage, client.settings, client.model)
        return Rewrite(answer.value, answer.model, meter.usage, cost, findings)

    return run_cancellable(ask(), cancel)


def _subject_findings(subjects: tuple[str, ...], sequence: Sequence) -> tuple[FactFinding, ...]:
    return tuple(f for subject in subjects for f in check_text(subject, "subject", sequence.offer))
