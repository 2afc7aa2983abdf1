"""What the window knows about each step's latest draft in this session, and how it is shown."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from seqstudio.core.drafting import StepDraftResult, TokenUsage
from seqstudio.gui.sequence.timeline import StepNote


class DraftState(StrEnum):
    QUEUED = "queued"  # waiting for a free request slot
    DRAFTING = "drafting"  # its request is in flight
    DONE = "done"  # saved as the step's text, and a revision
    HELD = "held"  # arrived while the user was writing in the step: waiting for their choice
    FAILED = "failed"  # `reason` says why; retry is offered
    CANCELLED = "cancelled"  # the job was cancelled before this step came back


@dataclass(frozen=True)
class StepDraft:
    state: DraftState
    result: StepDraftResult | None = None  # for DONE, HELD and FAILED
    reason: str = ""  # for FAILED: what the writer reads


PENDING = (DraftState.QUEUED, DraftState.DRAFTING)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StepDraft", text)


def timeline_note(draft: StepDraft) -> StepNote:
    """The line shown under the step in the timeline, with its tooltip."""
    match draft.state:
        case DraftState.QUEUED:
            return StepNote(_tr("… queued for drafting"))
        case DraftState.DRAFTING:
            return StepNote(_tr("⟳ drafting…"))
        case DraftState.DONE:
            assert draft.result is not None
            return StepNote(f"✓ {draft.result.origin}", draft_summary(draft.result))
        case DraftState.HELD:
            return StepNote(
                _tr("⚑ a draft is waiting: you edited this step"),
                _tr("Your text is unchanged. Choose in the editor: use this draft, or keep yours."),
            )
        case DraftState.FAILED:
            return StepNote(
                _tr("✗ draft failed (hover for why)"),
                _tr("{reason}\nRetry from the editor, or right-click the step.").format(reason=draft.reason),
            )
        case DraftState.CANCELLED:
            return StepNote(_tr("– not drafted: cancelled"))
    raise AssertionError(draft.state)


def draft_summary(result: StepDraftResult) -> str:
    """'AI draft (gpt-4o-mini) · 812 + 240 tokens · about $0.0003', or the offline label."""
    if result.offline:
        return _tr("Offline draft: written without a model, from the blueprint, brand and offer facts.")
    return usage_line(result.origin, result.tokens, result.cost_usd)


def usage_line(label: str, tokens: TokenUsage, cost_usd: float | None) -> str:
    """`label` · tokens · approximate cost (when the price is known)."""
    parts = [
        label,
        _tr("{prompt} + {completion} tokens{estimated}").format(
            prompt=f"{tokens.prompt:,}",
            completion=f"{tokens.completion:,}",
            estimated=_tr(" (estimated)") if tokens.estimated else "",
        ),
    ]
    if cost_usd is not None:
        parts.append(_tr("about ${cost}").format(cost=f"{cost_usd:.4f}"))
    return " · ".join(parts)
