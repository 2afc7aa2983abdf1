"""Turning draft results into saved steps, without ever overwriting a person's words silently.

A step a person has written in (revised or approved) is protected: drafting it again needs an
explicit yes (`overwrite`), and even then the old text stays in the step's history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from seqstudio.core.drafting.drafter import StepDraftResult
from seqstudio.core.model import RevisionOrigin, Sequence, Step, StepStatus

HUMAN_STATES = (StepStatus.REVISED, StepStatus.APPROVED)


@dataclass(frozen=True)
class DraftPlan:
    positions: tuple[int, ...]  # the steps to draft
    protected: tuple[int, ...]  # asked for, but holding a person's edits, so left out


def plan_draft(
    sequence: Sequence, positions: Iterable[int] | None = None, *, overwrite: bool = False
) -> DraftPlan:
    """Which of `positions` (default: all) may be drafted now; human-edited steps need `overwrite`."""
    wanted = sorted(set(positions) if positions is not None else {s.position for s in sequence.steps})
    protected = tuple(p for p in wanted if sequence.step(p).status in HUMAN_STATES and not overwrite)
    return DraftPlan(tuple(p for p in wanted if p not in protected), protected)


def drafted_step(step: Step, result: StepDraftResult) -> Step:
    """`step` carrying the draft's email, marked drafted. The result must be ok."""
    assert result.email is not None, "only successful drafts become steps"
    return replace(step, email=result.email, status=StepStatus.DRAFTED)


def revision_origin(result: StepDraftResult) -> tuple[RevisionOrigin, str]:
    """The origin and model name to record: AI draft (model), or an offline draft."""
    if result.offline:
        return RevisionOrigin.OFFLINE_DRAFT, ""
    return RevisionOrigin.AI_DRAFT, result.model
