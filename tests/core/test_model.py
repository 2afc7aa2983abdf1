from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from seqstudio.core.durations import DurationError, describe_offset, format_duration, parse_duration
from seqstudio.core.errors import ValidationError
from seqstudio.core.model import BrandColors, Cta, DiscountCode, Product, SendWindow, Sequence
from seqstudio.core.validation import sequence_problems, validate_sequence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT1H", timedelta(hours=1)),
        ("P3D", timedelta(days=3)),
        ("P1DT12H", timedelta(days=1, hours=12)),
        ("P2W", timedelta(weeks=2)),
        ("PT0S", timedelta(0)),
        ("pt90m", timedelta(minutes=90)),
    ],
)
def test_durations_parse(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["P", "PT", "1 day", "P1.5D", "-P1D", "P1DT", ""])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(DurationError, match="ISO-8601"):
        parse_duration(text)


def test_calendar_months_are_refused_with_a_reason() -> None:
    with pytest.raises(DurationError, match="years or months"):
        parse_duration("P1M")


def test_duration_round_trip_and_labels() -> None:
    for delta in (timedelta(hours=1), timedelta(days=3, hours=6, minutes=30), timedelta(0)):
        assert parse_duration(format_duration(delta)) == delta
    assert describe_offset(timedelta(hours=1)) == "Day 0 + 1 h"
    assert describe_offset(timedelta(days=3)) == "Day 3"


def test_a_blueprint_sequence_is_valid(welcome: Sequence) -> None:
    assert sequence_problems(welcome) == []
    validate_sequence(welcome)


def _fields(sequence: Sequence) -> dict[str, str]:
    return dict(sequence_problems(sequence))


def test_validation_names_each_field(welcome: Sequence) -> None:
    steps = list(welcome.steps)
    steps[2] = replace(
        steps[2],
        delay="3 days",
        purpose=" ",
        email=replace(steps[2].email, cta=Cta("Buy", "javascript:alert(1)")),
    )
    broken = replace(
        welcome,
        name="",
        language="english",
        holdout_percent=120,
        brand=replace(welcome.brand, from_email="mara-at-fernweh", colors=BrandColors(primary="brown")),
        offer=replace(
            welcome.offer,
            products=(Product(name="Beans", price="cheap"),),
            discount_codes=(DiscountCode(code="TEN OFF"),),
        ),
        send_window=SendWindow(days=("mon", "funday"), start_hour=20, end_hour=8),
        steps=tuple(steps),
    )
    fields = _fields(broken)
    assert "name" in fields
    assert "english" in fields["language"]
    assert "holdout_percent" in fields
    assert "not an email address" in fields["brand.from_email"]
    assert "brown" in fields["brand.colors.primary"]
    assert "cheap" in fields["offer.products[0].price"]
    assert "spaces" in fields["offer.discount_codes[0].code"]
    assert "funday" in fields["send_window.days"]
    assert "start must be before end" in fields["send_window"]
    assert "ISO-8601" in fields["steps[2].delay"]
    assert "steps[2].purpose" in fields
    assert "javascript:alert(1)" in fields["steps[2].email.cta.url"]
    with pytest.raises(ValidationError) as caught:
        validate_sequence(broken)
    assert "steps[2].delay" in caught.value.user_message


def test_sequences_have_exactly_six_ordered_steps(welcome: Sequence) -> None:
    assert "exactly 6" in _fields(replace(welcome, steps=welcome.steps[:5]))["steps"]
    swapped = (welcome.steps[1], welcome.steps[0], *welcome.steps[2:])
    assert "expected 1" in _fields(replace(welcome, steps=swapped))["steps[0].position"]
    duplicate = (*welcome.steps[:5], replace(welcome.steps[5], id=welcome.steps[0].id))
    assert "share an id" in _fields(replace(welcome, steps=duplicate))["steps"]


def test_step_offsets_accumulate(welcome: Sequence) -> None:
    offsets = welcome.step_offsets()
    assert offsets[0] == timedelta(0)
    assert offsets == sorted(offsets)
    assert offsets[-1] == sum((s.delay_delta for s in welcome.steps), timedelta(0))
