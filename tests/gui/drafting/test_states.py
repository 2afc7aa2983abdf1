"""How a step's draft reads in the timeline and the editor bar: origin, tokens, cost, the reason."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from seqstudio.core.drafting import StepDraftResult, TokenUsage
from seqstudio.core.drafting.offline import OFFLINE_MODEL
from seqstudio.core.model import Email
from seqstudio.gui.drafting.states import DraftState, StepDraft, draft_summary, timeline_note


def result(
    model: str = "gpt-4o-mini", cost: float | None = 0.00042, estimated: bool = False
) -> StepDraftResult:
    return StepDraftResult(3, "st_3", Email(subject="Hi"), model, TokenUsage(1200, 310, estimated), cost)


def test_an_ai_draft_names_its_model_tokens_and_cost(qtbot: QtBot) -> None:
    assert draft_summary(result()) == "AI draft (gpt-4o-mini) · 1,200 + 310 tokens · about $0.0004"
    assert (
        draft_summary(result(cost=None, estimated=True))
        == "AI draft (gpt-4o-mini) · 1,200 + 310 tokens (estimated)"
    )


def test_an_offline_draft_says_so(qtbot: QtBot) -> None:
    summary = draft_summary(result(model=OFFLINE_MODEL, cost=None))
    assert summary.startswith("Offline draft") and "tokens" not in summary
    assert timeline_note(StepDraft(DraftState.DONE, result(model=OFFLINE_MODEL))).text.startswith(
        "✓ Offline draft"
    )


def test_a_failed_step_carries_its_reason_in_the_tooltip(qtbot: QtBot) -> None:
    note = timeline_note(StepDraft(DraftState.FAILED, None, "The provider did not answer in time (4 tries)."))
    assert "failed" in note.text
    assert (
        note.tooltip.startswith("The provider did not answer in time (4 tries).") and "Retry" in note.tooltip
    )
    assert {timeline_note(StepDraft(state)).text for state in (DraftState.QUEUED, DraftState.DRAFTING)} == {
        "… queued for drafting",
        "⟳ drafting…",
    }
