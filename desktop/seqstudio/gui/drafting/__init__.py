"""Drafting in the window: actions, per-step progress in the timeline, results landing safely as
revisions, subject-line variants. The work itself is core (seqstudio.core.drafting)."""

from seqstudio.gui.drafting.controller import DraftController
from seqstudio.gui.drafting.states import DraftState, StepDraft
from seqstudio.gui.drafting.tools import DraftingTools

__all__ = ["DraftController", "DraftState", "DraftingTools", "StepDraft"]
