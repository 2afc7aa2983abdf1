from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from seqstudio.core.errors import NotFoundError, StorageError, ValidationError
from seqstudio.core.model import Cta, RevisionOrigin, Sequence, Step, StepStatus
from seqstudio.core.storage import Library
from seqstudio.core.storage.database import head_revision


class FakeClock:
    """A clock the test moves by hand, so revision coalescing is tested without sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def _edit(step: Step, **email: str) -> Step:
    return replace(step, email=replace(step.email, **email))


def test_round_trip_survives_reopening(db_path: Path, welcome: Sequence) -> None:
    library = Library(db_path)
    library.add_sequence(welcome)
    library.close()
    reopened = Library(db_path)
    assert reopened.get_sequence(welcome.id) == welcome
    [summary] = reopened.list_sequences()
    assert (summary.name, summary.brand_name, summary.kind) == (welcome.name, "Fernweh Coffee", welcome.kind)
    assert summary.statuses == (StepStatus.EMPTY,) * 6
    reopened.close()


def test_database_is_wal_and_migrated(db_path: Path, library: Library) -> None:
    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sequences", "steps", "step_revisions", "sequence_revisions"} <= tables


def test_every_change_keeps_a_revision_with_its_origin(db_path: Path, welcome: Sequence) -> None:
    clock = FakeClock()
    library = Library(db_path, clock=clock)
    library.add_sequence(welcome)
    step = welcome.steps[0]
    clock.advance(minutes=1)
    drafted = library.save_step(
        welcome.id,
        replace(_edit(step, subject="Your code is inside"), status=StepStatus.DRAFTED),
        RevisionOrigin.AI_DRAFT,
        model="gpt-4o-mini",
    )
    assert drafted.status is StepStatus.DRAFTED
    clock.advance(minutes=1)
    edited = library.save_step(
        welcome.id, _edit(drafted, subject="Your 10% code is inside"), RevisionOrigin.HUMAN_EDIT
    )
    assert edited.status is StepStatus.REVISED, "a human edit to a draft marks it revised"
    labels = [r.label for r in library.step_revisions(step.id)]
    assert labels == ["Human edit", "AI draft (gpt-4o-mini)", "From blueprint"]
    assert library.get_sequence(welcome.id).steps[0].email.subject == "Your 10% code is inside"


def test_a_typing_burst_is_one_revision_but_a_pause_starts_another(db_path: Path, welcome: Sequence) -> None:
    clock = FakeClock()
    library = Library(db_path, clock=clock)
    library.add_sequence(welcome)
    step = welcome.steps[1]
    for text in ("H", "He", "Hey", "Hey there"):
        clock.advance(seconds=1)
        step = library.save_step(welcome.id, _edit(step, body=text), RevisionOrigin.HUMAN_EDIT)
    revisions = library.step_revisions(step.id)
    assert [r.origin for r in revisions] == [RevisionOrigin.HUMAN_EDIT, RevisionOrigin.BLUEPRINT]
    assert revisions[0].step.email.body == "Hey there"
    clock.advance(minutes=5)
    library.save_step(welcome.id, _edit(step, body="Hey there, friend"), RevisionOrigin.HUMAN_EDIT)
    assert len(library.step_revisions(step.id)) == 3


def test_saving_an_unchanged_step_records_nothing(library: Library, welcome: Sequence) -> None:
    library.add_sequence(welcome)
    library.save_step(welcome.id, welcome.steps[3], RevisionOrigin.HUMAN_EDIT)
    assert len(library.step_revisions(welcome.steps[3].id)) == 1


def test_restore_brings_back_old_text_as_a_new_revision(db_path: Path, welcome: Sequence) -> None:
    clock = FakeClock()
    library = Library(db_path, clock=clock)
    library.add_sequence(welcome)
    step = welcome.steps[2]
    clock.advance(minutes=1)
    first = library.save_step(welcome.id, _edit(step, body="Version one"), RevisionOrigin.HUMAN_EDIT)
    clock.advance(minutes=10)
    library.save_step(welcome.id, _edit(first, body="Version two"), RevisionOrigin.HUMAN_EDIT)
    old = next(r for r in library.step_revisions(step.id) if r.step.email.body == "Version one")
    clock.advance(minutes=10)
    restored = library.restore_step_revision(old.id)
    assert restored.email.body == "Version one"
    history = library.step_revisions(step.id)
    assert history[0].origin is RevisionOrigin.RESTORE
    assert [r.step.email.body for r in history] == ["Version one", "Version two", "Version one", ""]


def test_approval_is_kept_until_the_text_changes(library: Library, welcome: Sequence) -> None:
    library.add_sequence(welcome)
    step = _edit(welcome.steps[0], subject="Hi")
    approved = library.save_step(
        welcome.id, replace(step, status=StepStatus.APPROVED), RevisionOrigin.HUMAN_EDIT
    )
    assert approved.status is StepStatus.APPROVED
    changed = library.save_step(welcome.id, _edit(approved, subject="Hello"), RevisionOrigin.HUMAN_EDIT)
    assert changed.status is StepStatus.REVISED


def test_settings_changes_are_kept(db_path: Path, welcome: Sequence) -> None:
    clock = FakeClock()
    library = Library(db_path, clock=clock)
    library.add_sequence(welcome)
    clock.advance(minutes=5)
    renamed = replace(welcome, name="Fernweh hello", holdout_percent=10.0)
    assert library.save_settings(renamed)
    assert not library.save_settings(renamed), "saving the same settings twice records nothing"
    stored = library.get_sequence(welcome.id)
    assert (stored.name, stored.holdout_percent) == ("Fernweh hello", 10.0)
    history = library.settings_revisions(welcome.id)
    assert [h.content["name"] for h in history] == ["Fernweh hello", "Fernweh welcome"]


def test_invalid_sequences_are_refused_whole(library: Library, welcome: Sequence) -> None:
    bad = replace(welcome, steps=(*welcome.steps[:5], replace(welcome.steps[5], delay="soon")))
    with pytest.raises(ValidationError, match=r"steps\[5\]\.delay"):
        library.add_sequence(bad)
    assert library.list_sequences() == []


def test_import_updates_the_stored_copy_with_import_revisions(library: Library, welcome: Sequence) -> None:
    assert library.import_sequence(welcome) is True
    changed = replace(welcome, steps=(_edit(welcome.steps[0], subject="From the file"), *welcome.steps[1:]))
    assert library.import_sequence(changed) is False
    assert library.step_revisions(welcome.steps[0].id)[0].origin is RevisionOrigin.IMPORT
    assert library.get_sequence(welcome.id).steps[0].email.subject == "From the file"


def test_resolve_by_id_prefix_and_name(library: Library, welcome: Sequence) -> None:
    library.add_sequence(welcome)
    assert library.resolve(welcome.id[:8]) == welcome.id
    assert library.resolve("Fernweh welcome") == welcome.id
    with pytest.raises(NotFoundError, match="seqstudio list"):
        library.resolve("nope")


def test_delete_removes_steps_and_history(db_path: Path, library: Library, welcome: Sequence) -> None:
    library.add_sequence(welcome)
    library.delete_sequence(welcome.id)
    assert library.list_sequences() == []
    assert library.step_revisions(welcome.steps[0].id) == []


def test_a_damaged_file_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match=r"Cannot open the library .*broken\.sqlite3"):
        Library(path)


def test_a_library_from_a_newer_app_is_not_touched(db_path: Path) -> None:
    Library(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(StorageError, match="newer version"):
        Library(db_path)


def test_cta_and_all_fields_round_trip(library: Library, welcome: Sequence) -> None:
    library.add_sequence(welcome)
    step = replace(
        welcome.steps[4],
        delay="P4DT6H",
        email=replace(
            welcome.steps[4].email,
            subject="S",
            preheader="P",
            body="# B\n\n* one",
            cta=Cta("Go", "https://x.example/?a=1&b=2"),
        ),
    )
    library.save_step(welcome.id, step, RevisionOrigin.HUMAN_EDIT)
    assert library.get_sequence(welcome.id).steps[4] == replace(step, status=StepStatus.REVISED)


def test_known_brands_come_with_their_offer_facts(library: Library, welcome: Sequence) -> None:
    library.add_sequence(welcome)
    other = replace(
        welcome,
        id="seq_other",
        steps=tuple(replace(s, id=f"{s.id}_b") for s in welcome.steps),
        brand=replace(welcome.brand, name="Other brand"),
    )
    library.add_sequence(other)
    known = library.known_brands()
    assert set(known) == {"Fernweh Coffee", "Other brand"}
    assert known["Fernweh Coffee"] == (welcome.brand, welcome.offer)
