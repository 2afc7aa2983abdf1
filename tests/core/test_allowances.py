"""Remembered "ignore" and "allow for this brand" decisions, and the migration that adds them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from seqstudio.core.errors import StudioError
from seqstudio.core.storage import Library
from seqstudio.core.storage.allowances import AllowanceScope
from seqstudio.core.storage.database import head_revision
from seqstudio.core.tells.detector import Detector
from seqstudio.core.tells.rules import load_rule_set


def test_allowances_layer_brand_and_step(library: Library) -> None:
    store = library.allowances
    store.add(AllowanceScope.BRAND, "Fernweh Coffee", phrase="Elevate  your")
    store.add(AllowanceScope.BRAND, "Fernweh Coffee", phrase="elevate your")  # the same, normalised later
    store.add(AllowanceScope.BRAND, "Other brand", rule_id="buzz.delve")
    store.add(AllowanceScope.STEP, "st_1", phrase="I hope this email finds you well")
    brand_only = store.for_step("Fernweh Coffee")
    assert brand_only.allows_text("ELEVATE your") and not brand_only.allows_text(
        "I hope this email finds you well"
    )
    with_step = store.for_step("Fernweh Coffee", "st_1")
    assert with_step.allows_text("i hope this email finds you well")
    assert store.for_step("Other brand").rule_ids == frozenset({"buzz.delve"})
    [first, *_] = store.listed("Fernweh Coffee")
    store.remove(first.id)
    assert len(store.listed("Fernweh Coffee")) == 1
    with pytest.raises(StudioError, match="which rule or phrase"):
        store.add(AllowanceScope.BRAND, "x")


def test_the_detector_lets_allowed_passages_pass(library: Library) -> None:
    detector = Detector(load_rule_set("en"))
    text = "I hope this email finds you well. We wanted to reach out about your order."
    flagged = detector.flags_for_block(text)
    assert flagged, "the opener is a tell"
    passage = text[flagged[0].start : flagged[0].end]
    library.allowances.add(AllowanceScope.STEP, "st_9", phrase=passage)
    allow = library.allowances.for_step("Any brand", "st_9")
    assert all(text[f.start : f.end] != passage for f in detector.flags_for_block(text, allow))


def test_an_old_library_is_migrated_forward(db_path: Path) -> None:
    Library(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute("DROP TABLE tell_allowances")
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()
    library = Library(db_path)
    library.allowances.add(AllowanceScope.BRAND, "B", rule_id="r")
    library.close()
    version = sqlite3.connect(db_path).execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert version == head_revision() == "0002"
