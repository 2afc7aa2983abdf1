"""Where an arriving draft lands, on the GUI thread: as the step's new text when nobody wrote in
the step since the job took its snapshot, otherwise held for the writer to choose.

Guarantees: a draft never replaces text the user typed (saved or not) after the job started;
whatever the user chooses, both texts end up in the step's history; every saved draft carries
its origin ("AI draft (model)" or "Offline draft").
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from seqstudio.core.drafting import StepDraftResult
from seqstudio.core.drafting.apply import drafted_step, revision_origin
from seqstudio.core.model import RevisionOrigin, Step
from seqstudio.core.storage import Library
from seqstudio.gui.sequence.workspace import SequenceWorkspace


class Landing(Enum):
    SAVED = "saved"
    HELD = "held"


class DraftLander:
    """Saves drafts through the library and keeps the workspace showing what is stored."""

    def __init__(self, library: Library, workspace: SequenceWorkspace) -> None:
        self.library = library
        self.workspace = workspace

    def land(self, sequence_id: str, started_from: Step, result: StepDraftResult) -> Landing:
        """Save an ok `result` unless the user wrote in the step since `started_from` was taken."""
        stored = self._stored_step(sequence_id, started_from.position)
        if self._user_wrote(sequence_id, stored, started_from):
            return Landing.HELD
        self._save_draft(sequence_id, stored, result)
        return Landing.SAVED

    def use_draft(self, sequence_id: str, result: StepDraftResult) -> None:
        """The user chose the held draft: their text is saved first (a revision), then the draft."""
        self.workspace.flush()
        self._save_draft(sequence_id, self._stored_step(sequence_id, result.position), result)

    def keep_mine(self, sequence_id: str, result: StepDraftResult) -> None:
        """The user keeps their text; the draft is kept in the step's history only.

        The library records a revision by saving, so the draft is saved and the user's text
        saved again right after, in one GUI-thread call: nobody sees the draft as current.
        """
        self.workspace.flush()
        mine = self._stored_step(sequence_id, result.position)
        self.library.save_step(sequence_id, drafted_step(mine, result), *revision_origin(result))
        # Saved as a human edit, so it counts as the user's text again (status stays theirs)
        saved = self.library.save_step(sequence_id, mine, RevisionOrigin.HUMAN_EDIT)
        if saved != mine and self._is_open(sequence_id):
            self.workspace.reload_step(saved)  # e.g. a restored draft became "revised"

    def _user_wrote(self, sequence_id: str, stored: Step, started_from: Step) -> bool:
        # Compare what a draft would replace: the email and its status (approval included)
        if (stored.email, stored.status) != (started_from.email, started_from.status):
            return True
        return self._is_open(sequence_id) and self.workspace.unsaved_step_position == stored.position

    def _save_draft(self, sequence_id: str, stored: Step, result: StepDraftResult) -> None:
        # Apply to the step as stored now, so timing or purpose changed meanwhile are kept
        saved = self.library.save_step(sequence_id, drafted_step(stored, result), *revision_origin(result))
        if self._is_open(sequence_id):
            self.workspace.reload_step(saved)

    def _stored_step(self, sequence_id: str, position: int) -> Step:
        sequence = self.workspace.sequence
        if sequence is not None and sequence.id == sequence_id:
            return sequence.step(position)
        return self.library.get_sequence(sequence_id).step(position)

    def _is_open(self, sequence_id: str) -> bool:
        return self.workspace.sequence is not None and self.workspace.sequence.id == sequence_id


def with_subject(step: Step, subject: str) -> Step:
    return replace(step, email=replace(step.email, subject=subject))
