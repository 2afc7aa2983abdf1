"""The library: every sequence the user keeps, each step's text and the history of every change.

Use it from one thread (the GUI thread, or the CLI); slow work computes from a Sequence value
and hands its result back to be saved here. A save that changes nothing records nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from seqstudio.core.errors import NotFoundError
from seqstudio.core.model import (
    Brand,
    Cta,
    Email,
    OfferFacts,
    Revision,
    RevisionOrigin,
    Sequence,
    SequenceKind,
    Step,
    StepStatus,
)
from seqstudio.core.serialize import (
    brand_from_dict,
    brand_to_dict,
    offer_from_dict,
    offer_to_dict,
    sequence_from_dict,
    settings_to_dict,
    step_from_dict,
    step_to_dict,
)
from seqstudio.core.storage.allowances import AllowanceStore
from seqstudio.core.storage.database import open_engine
from seqstudio.core.storage.tables import SequenceRevisionRow, SequenceRow, StepRevisionRow, StepRow
from seqstudio.core.validation import validate_sequence

# Human edits closer together than this are one revision (a typing burst), not one per autosave.
HUMAN_EDIT_COALESCE = timedelta(minutes=2)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SequenceSummary:
    id: str
    name: str
    kind: SequenceKind
    brand_name: str
    updated_at: datetime
    statuses: tuple[StepStatus, ...]


@dataclass(frozen=True)
class SettingsRevision:
    """A kept state of a sequence's settings (name, brand, offer, trigger, exits, timing)."""

    id: int
    created_at: datetime
    origin: RevisionOrigin
    content: dict[str, Any]


class Library:
    def __init__(self, path: Path, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.path = path
        self._clock = clock
        self._engine: Engine = open_engine(path)
        self.allowances = AllowanceStore(self._session, clock)

    def close(self) -> None:
        self._engine.dispose()

    def _session(self) -> Session:
        return Session(self._engine, expire_on_commit=False)

    # Reading

    def list_sequences(self) -> list[SequenceSummary]:
        with self._session() as session:
            rows = session.scalars(select(SequenceRow).order_by(SequenceRow.kind, SequenceRow.name)).all()
            steps = session.scalars(select(StepRow).order_by(StepRow.sequence_id, StepRow.position)).all()
        statuses: dict[str, list[StepStatus]] = {}
        for step in steps:
            statuses.setdefault(step.sequence_id, []).append(StepStatus(step.status))
        return [
            SequenceSummary(
                id=row.id,
                name=row.name,
                kind=SequenceKind(row.kind),
                brand_name=json.loads(row.brand_json).get("name", ""),
                updated_at=row.updated_at,
                statuses=tuple(statuses.get(row.id, ())),
            )
            for row in rows
        ]

    def known_brands(self) -> dict[str, tuple[Brand, OfferFacts]]:
        """Each brand in the library with its offer facts, by name (the most recently edited
        sequence's wins), read in one query without loading any steps."""
        with self._session() as session:
            rows = session.execute(
                select(SequenceRow.brand_json, SequenceRow.offer_json).order_by(SequenceRow.updated_at)
            ).all()
        known: dict[str, tuple[Brand, OfferFacts]] = {}
        for brand_json, offer_json in rows:
            brand = brand_from_dict(json.loads(brand_json))
            known[brand.name] = (brand, offer_from_dict(json.loads(offer_json)))
        return known

    def get_sequence(self, sequence_id: str) -> Sequence:
        with self._session() as session:
            row = session.get(SequenceRow, sequence_id)
            if row is None:
                raise NotFoundError(f"No sequence with id '{sequence_id}' in the library {self.path}.")
            steps = session.scalars(
                select(StepRow).where(StepRow.sequence_id == sequence_id).order_by(StepRow.position)
            ).all()
        return _sequence_from_rows(row, steps)

    def resolve(self, reference: str) -> str:
        """A sequence id from an id, a unique id prefix or an exact name; NotFoundError otherwise."""
        summaries = self.list_sequences()
        for candidates in (
            [s for s in summaries if s.id == reference],
            [s for s in summaries if s.id.startswith(reference)],
            [s for s in summaries if s.name == reference],
        ):
            if len(candidates) == 1:
                return candidates[0].id
            if len(candidates) > 1:
                names = ", ".join(f"{s.id} ({s.name})" for s in candidates)
                raise NotFoundError(f"'{reference}' matches several sequences: {names}. Use the full id.")
        raise NotFoundError(
            f"No sequence '{reference}' in the library {self.path}. `seqstudio list` shows them."
        )

    # Writing

    def add_sequence(self, sequence: Sequence, origin: RevisionOrigin = RevisionOrigin.BLUEPRINT) -> None:
        """Store a new sequence with a first revision of its settings and of every step."""
        validate_sequence(sequence)
        now = self._clock()
        with self._session() as session, session.begin():
            if session.get(SequenceRow, sequence.id) is not None:
                raise NotFoundError(f"A sequence with id '{sequence.id}' is already in the library.")
            # No ORM relationships: flush parents first so foreign keys hold at each insert.
            session.add(_sequence_row(sequence, now))
            session.flush()
            session.add(_settings_revision(sequence, origin, now))
            session.add_all(_step_row(sequence.id, step, now) for step in sequence.steps)
            session.flush()
            session.add_all(_step_revision(step, origin, "", now) for step in sequence.steps)

    def import_sequence(self, sequence: Sequence) -> bool:
        """Add `sequence`, or update the stored one with the same id (changes recorded as imports).
        Returns True when it was new."""
        with self._session() as session:
            exists = session.get(SequenceRow, sequence.id) is not None
        if not exists:
            self.add_sequence(sequence, RevisionOrigin.IMPORT)
            return True
        validate_sequence(sequence)
        stored = self.get_sequence(sequence.id)
        if {s.id for s in stored.steps} != {s.id for s in sequence.steps}:
            raise NotFoundError(
                f"The file's steps do not match the stored sequence '{sequence.id}' (step ids differ); "
                "import it as a copy instead (seqstudio import FILE --as-copy)."
            )
        self.save_settings(sequence, RevisionOrigin.IMPORT)
        for step in sequence.steps:
            self.save_step(sequence.id, step, RevisionOrigin.IMPORT)
        return False

    def save_settings(self, sequence: Sequence, origin: RevisionOrigin = RevisionOrigin.HUMAN_EDIT) -> bool:
        """Save everything but the steps; keep a revision when something changed. Returns changed."""
        validate_sequence(sequence)
        now = self._clock()
        with self._session() as session, session.begin():
            row = session.get(SequenceRow, sequence.id)
            if row is None:
                raise NotFoundError(f"No sequence with id '{sequence.id}' in the library.")
            fresh = _sequence_row(sequence, now)
            columns = ("name", "language", "kind", "blueprint", "brand_json", "offer_json", "settings_json")
            if all(getattr(row, c) == getattr(fresh, c) for c in columns):
                return False
            for column in columns:
                setattr(row, column, getattr(fresh, column))
            row.updated_at = now
            latest = session.scalars(
                select(SequenceRevisionRow)
                .where(SequenceRevisionRow.sequence_id == sequence.id)
                .order_by(SequenceRevisionRow.id.desc())
                .limit(1)
            ).first()
            content = json.dumps(_settings_content(sequence), sort_keys=True)
            if _coalesces(latest, origin, now):
                assert latest is not None
                latest.content_json, latest.updated_at = content, now
            else:
                session.add(_settings_revision(sequence, origin, now))
        return True

    def save_step(self, sequence_id: str, step: Step, origin: RevisionOrigin, model: str = "") -> Step:
        """Save one step and keep a revision of it; return the step as stored.

        A human edit to the text of a drafted or approved step marks it revised (an approval is
        for the text that was approved). Consecutive human edits within HUMAN_EDIT_COALESCE share
        one revision. Saving an unchanged step records nothing.
        """
        now = self._clock()
        with self._session() as session, session.begin():
            row = session.get(StepRow, step.id)
            if row is None or row.sequence_id != sequence_id:
                raise NotFoundError(f"No step '{step.id}' in sequence '{sequence_id}'.")
            before = _step_from_row(row)
            if before == step:
                return before
            text_changed = replace(before, status=step.status) != step
            if (
                origin is RevisionOrigin.HUMAN_EDIT
                and text_changed
                and step.status == before.status
                and step.status in (StepStatus.DRAFTED, StepStatus.APPROVED, StepStatus.EMPTY)
            ):
                step = replace(step, status=StepStatus.REVISED)
            _fill_step_row(row, step, now)
            # A plain UPDATE: loading the sequence row just to touch its time doubles an autosave's cost.
            session.execute(update(SequenceRow).where(SequenceRow.id == sequence_id).values(updated_at=now))
            latest = session.scalars(
                select(StepRevisionRow)
                .where(StepRevisionRow.step_id == step.id)
                .order_by(StepRevisionRow.id.desc())
                .limit(1)
            ).first()
            if _coalesces(latest, origin, now):
                assert latest is not None
                latest.content_json = json.dumps(step_to_dict(step), sort_keys=True)
                latest.updated_at = now
            else:
                session.add(_step_revision(step, origin, model, now))
        return step

    def step_revisions(self, step_id: str) -> list[Revision]:
        """Every kept state of a step, newest first."""
        with self._session() as session:
            rows = session.scalars(
                select(StepRevisionRow)
                .where(StepRevisionRow.step_id == step_id)
                .order_by(StepRevisionRow.id.desc())
            ).all()
        return [_revision_from_row(row) for row in rows]

    def restore_step_revision(self, revision_id: int) -> Step:
        """Make a kept state current again, as a new revision (nothing is lost by restoring)."""
        with self._session() as session:
            row = session.get(StepRevisionRow, revision_id)
            if row is None:
                raise NotFoundError(f"No revision {revision_id}.")
            step_row = session.get_one(StepRow, row.step_id)
            sequence_id = step_row.sequence_id
            revision = _revision_from_row(row)
        restored = replace(revision.step, position=step_row.position)
        return self.save_step(sequence_id, restored, RevisionOrigin.RESTORE)

    def settings_revisions(self, sequence_id: str) -> list[SettingsRevision]:
        with self._session() as session:
            rows = session.scalars(
                select(SequenceRevisionRow)
                .where(SequenceRevisionRow.sequence_id == sequence_id)
                .order_by(SequenceRevisionRow.id.desc())
            ).all()
        return [
            SettingsRevision(row.id, row.created_at, RevisionOrigin(row.origin), json.loads(row.content_json))
            for row in rows
        ]

    def delete_sequence(self, sequence_id: str) -> None:
        with self._session() as session, session.begin():
            if session.get(SequenceRow, sequence_id) is None:
                raise NotFoundError(f"No sequence with id '{sequence_id}' in the library.")
            session.execute(delete(SequenceRow).where(SequenceRow.id == sequence_id))


def _coalesces(
    latest: StepRevisionRow | SequenceRevisionRow | None, origin: RevisionOrigin, now: datetime
) -> bool:
    return (
        latest is not None
        and origin is RevisionOrigin.HUMAN_EDIT
        and latest.origin == RevisionOrigin.HUMAN_EDIT.value
        and now - latest.updated_at < HUMAN_EDIT_COALESCE
    )


def _settings_content(sequence: Sequence) -> dict[str, Any]:
    return {
        "name": sequence.name,
        "language": sequence.language,
        "brand": brand_to_dict(sequence.brand),
        "offer": offer_to_dict(sequence.offer),
        **settings_to_dict(sequence),
    }


def _sequence_row(sequence: Sequence, now: datetime) -> SequenceRow:
    return SequenceRow(
        id=sequence.id,
        kind=sequence.kind.value,
        name=sequence.name,
        language=sequence.language,
        blueprint=sequence.blueprint,
        brand_json=json.dumps(brand_to_dict(sequence.brand), sort_keys=True),
        offer_json=json.dumps(offer_to_dict(sequence.offer), sort_keys=True),
        settings_json=json.dumps(settings_to_dict(sequence), sort_keys=True),
        created_at=now,
        updated_at=now,
    )


def _settings_revision(sequence: Sequence, origin: RevisionOrigin, now: datetime) -> SequenceRevisionRow:
    return SequenceRevisionRow(
        sequence_id=sequence.id,
        created_at=now,
        updated_at=now,
        origin=origin.value,
        content_json=json.dumps(_settings_content(sequence), sort_keys=True),
    )


def _fill_step_row(row: StepRow, step: Step, now: datetime) -> None:
    row.position = step.position
    row.delay = step.delay
    row.purpose = step.purpose
    row.guidance = step.guidance
    row.subject = step.email.subject
    row.preheader = step.email.preheader
    row.body = step.email.body
    row.cta_label = step.email.cta.label
    row.cta_url = step.email.cta.url
    row.status = step.status.value
    row.updated_at = now


def _step_row(sequence_id: str, step: Step, now: datetime) -> StepRow:
    row = StepRow(id=step.id, sequence_id=sequence_id)
    _fill_step_row(row, step, now)
    return row


def _step_from_row(row: StepRow) -> Step:
    return Step(
        id=row.id,
        position=row.position,
        delay=row.delay,
        purpose=row.purpose,
        guidance=row.guidance,
        email=Email(row.subject, row.preheader, row.body, Cta(row.cta_label, row.cta_url)),
        status=StepStatus(row.status),
    )


def _step_revision(step: Step, origin: RevisionOrigin, model: str, now: datetime) -> StepRevisionRow:
    return StepRevisionRow(
        step_id=step.id,
        created_at=now,
        updated_at=now,
        origin=origin.value,
        model=model,
        content_json=json.dumps(step_to_dict(step), sort_keys=True),
    )


def _revision_from_row(row: StepRevisionRow) -> Revision:
    data = json.loads(row.content_json)
    return Revision(
        id=row.id,
        step_id=row.step_id,
        created_at=row.updated_at,  # a coalesced typing burst is dated by its last keystroke
        origin=RevisionOrigin(row.origin),
        model=row.model,
        step=step_from_dict(data, data.get("position", 0)),
    )


def _sequence_from_rows(row: SequenceRow, steps: Any) -> Sequence:
    head = {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "language": row.language,
        "blueprint": row.blueprint,
    }
    parts = {"brand": json.loads(row.brand_json), "offer": json.loads(row.offer_json)}
    sequence = sequence_from_dict({**head, **parts, **json.loads(row.settings_json)})
    return replace(sequence, steps=tuple(_step_from_row(step) for step in steps))
