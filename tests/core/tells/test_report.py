"""Reports per email and per sequence, as the GUI will show them: parts, density, JSON shape."""

from __future__ import annotations

import pytest

from seqstudio.core.model import Email
from seqstudio.core.tells.detector import Detector
from seqstudio.core.tells.report import lint_email, lint_parts, sequence_density
from seqstudio.core.tells.rules import Allowances
from seqstudio.core.tells.textextract import Part


def test_an_email_report_covers_subject_preheader_and_body(en: Detector) -> None:
    email = Email(
        subject="Unlock your perks", preheader="", body="We roast on Tuesdays.\n\nSeamless delivery."
    )
    report = lint_email(email, en, target_grade=6)
    assert [p.field for p in report.parts] == ["subject", "body"]
    assert [(field, f.text) for field, f in report.flags()] == [("subject", "Unlock"), ("body", "Seamless")]
    assert report.words == 3 + 6
    assert report.tell_density == pytest.approx(100 * (3 + 3) / 50)
    assert report.readability.target_grade == 6
    data = report.as_dict()
    assert data["flagged"] is True and [f["field"] for f in data["flags"]] == ["subject", "body"]  # type: ignore[index, union-attr]

    allowed = lint_email(email, en, allow=Allowances.of(phrases=["seamless"]))
    assert [f.text for _, f in allowed.flags()] == ["Unlock"]


def test_sequence_density_weighs_every_email_by_its_words(en: Detector) -> None:
    varied = "We roast on Tuesdays. Then we pack every bag by hand and ship it the next morning. "
    plain = lint_parts([Part("body", varied * 5)], en, source="a")
    tells = lint_parts([Part("body", "Seamless. " + varied * 6)], en, source="b")
    assert plain.tell_density == 0
    assert sequence_density([plain, tells]) == pytest.approx(100 * 3 / (plain.words + tells.words))
    assert sequence_density([]) == 0


def test_long_sentences_are_placed_in_their_part_as_flags_are(en: Detector) -> None:
    long_one = "We " + "really " * 30 + "like coffee."
    parts = [
        Part("steps[0].email.subject", "Short subject"),
        Part("steps[0].email.body", f"Hi Sam,\n\n{long_one}"),
        Part("steps[1].email.body", f"One short line.\nThen {long_one}"),
    ]
    report = lint_parts(parts, en, source="flow.yaml")
    placed = report.long_sentences()
    assert [(field, parts_text(parts, field)[s.start : s.end]) for field, s in placed] == [
        ("steps[0].email.body", long_one),
        ("steps[1].email.body", f"Then {long_one}"),
    ]
    (first, second) = report.as_dict()["readability"]["long_sentences"]  # type: ignore[index]
    assert first == {"field": "steps[0].email.body", "start": 9, "end": 9 + len(long_one), "words": 33}
    assert second["start"] == len("One short line.\n")


def parts_text(parts: list[Part], field: str) -> str:
    return next(p.text for p in parts if p.field == field)
