"""The sequence checks: cadence, cart exits, expired offers, approval, repeated subjects."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from seqstudio.core.blueprints import BlueprintCatalog, new_sequence
from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import (
    Brand,
    DiscountCode,
    Email,
    ExitCondition,
    OfferFacts,
    Sequence,
    SequenceKind,
    StepStatus,
)
from seqstudio.core.paths import shipped_dir
from seqstudio.core.render.checks import Check, Level
from seqstudio.core.render.sequence_checks import check_sequence
from tests.core.render.conftest import with_step

TODAY = date(2026, 11, 30)


def of(checks: list[Check], check_id: str) -> list[Check]:
    return [c for c in checks if c.id == check_id]


def test_a_sound_sequence_passes(tea_sequence: Sequence) -> None:
    assert check_sequence(tea_sequence, today=TODAY) == []


def test_the_shipped_blueprints_keep_a_sane_cadence(brand: Brand, offer: OfferFacts) -> None:
    catalog = BlueprintCatalog()
    for kind in ("welcome", "win_back"):
        sequence = new_sequence(catalog.get(kind), kind, brand, offer)
        assert of(check_sequence(sequence, today=TODAY), "cadence") == []


def test_more_than_three_emails_in_seven_days(tea_sequence: Sequence) -> None:
    # steps 1-4 at day 0, 2, 4, 6: four within a week
    crowded = with_step(with_step(tea_sequence, 3, delay="P2D"), 4, delay="P2D")
    found = of(check_sequence(crowded, today=TODAY), "cadence")
    assert [(c.level, c.where) for c in found] == [(Level.WARNING, "steps 1, 2, 3, 4")]
    assert "4 emails within 7 days" in found[0].message


def test_two_emails_within_48_hours(tea_sequence: Sequence) -> None:
    close = with_step(tea_sequence, 2, delay="P1DT12H")
    found = of(check_sequence(close, today=TODAY), "cadence")
    assert [(c.level, c.where) for c in found] == [(Level.WARNING, "steps 1, 2")]
    assert "1 day 12 h apart" in found[0].message
    exactly_two_days = with_step(tea_sequence, 2, delay="PT48H")
    assert of(check_sequence(exactly_two_days, today=TODAY), "cadence") == []


def test_cart_flows_need_an_order_exit_and_their_close_reminders_are_information(
    brand: Brand, offer: OfferFacts
) -> None:
    cart = new_sequence(BlueprintCatalog().get("cart_abandonment"), "Cart", brand, offer)
    assert cart.kind is SequenceKind.CART_ABANDONMENT
    checks = check_sequence(cart, today=TODAY)
    assert of(checks, "cart-exit") == []  # the blueprint exits on placed_order
    assert {c.level for c in of(checks, "cadence") if "48 hours" in c.message} <= {Level.INFO}
    no_exit = replace(cart, exit_conditions=(ExitCondition("unsubscribed"),))
    assert [c.level for c in of(check_sequence(no_exit, today=TODAY), "cart-exit")] == [Level.ERROR]
    welcome = replace(cart, kind=SequenceKind.WELCOME, exit_conditions=())
    assert of(check_sequence(welcome, today=TODAY), "cart-exit") == []


def test_offers_past_expiry(tea_sequence: Sequence) -> None:
    expired = replace(
        tea_sequence, offer=OfferFacts(discount_codes=(DiscountCode("LEAF15", expires=date(2026, 11, 1)),))
    )
    found = of(check_sequence(expired, today=TODAY), "offer-expired")
    assert [(c.level, c.where) for c in found] == [(Level.ERROR, "step 1"), (Level.ERROR, "step 6")]
    # still valid today, but step 6 goes out 16 days after the trigger
    soon = replace(
        tea_sequence, offer=OfferFacts(discount_codes=(DiscountCode("LEAF15", expires=date(2026, 12, 10)),))
    )
    found = of(check_sequence(soon, today=TODAY), "offer-expired")
    assert [(c.level, c.where) for c in found] == [(Level.WARNING, "step 6")]
    assert "6 day(s) after" in found[0].message
    assert of(check_sequence(tea_sequence, today=TODAY), "offer-expired") == []  # no expiry date


def test_steps_not_approved(tea_sequence: Sequence) -> None:
    drafted = with_step(with_step(tea_sequence, 2, status=StepStatus.DRAFTED), 5, status=StepStatus.EMPTY)
    found = of(check_sequence(drafted, today=TODAY), "step-not-approved")
    assert [c.where for c in found] == ["step 2", "step 5"]
    assert "drafted" in found[0].message and "empty" in found[1].message


def test_the_same_subject_twice(tea_sequence: Sequence) -> None:
    step2 = tea_sequence.step(2)
    twice = with_step(tea_sequence, 4, email=replace(step2.email, subject="  the MONSOON came early "))
    found = of(check_sequence(twice, today=TODAY), "duplicate-subject")
    assert [c.where for c in found] == ["steps 2, 4"]
    blank = with_step(with_step(tea_sequence, 3, email=Email()), 4, email=Email())
    assert of(check_sequence(blank, today=TODAY), "duplicate-subject") == []


def test_the_example_flow_file(tea_sequence: Sequence) -> None:
    flow = read_flow_file(shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml").sequence
    checks = check_sequence(flow, today=TODAY)
    assert {c.id for c in checks} == {"step-not-approved"}
    assert of(check_sequence(flow, today=date(2027, 2, 1)), "offer-expired")  # HELLO10 ends 2027-01-31


def test_a_code_is_found_as_the_regex_finds_it_in_any_case(tea_sequence: Sequence) -> None:
    """The quick test that skips most steps finds what IGNORECASE finds, Kelvin sign and long s
    included; and a code inside a longer word is not a mention."""
    expired = OfferFacts(discount_codes=(DiscountCode("SKIP15", expires=date(2026, 11, 1)),))
    for body, mentioned in [
        ("Use skip15 now", True),
        ("Use ſ\u212aip15 now", True),  # long s and the Kelvin sign match s and k
        ("Use \u0130SKIP15X now", False),
        ("Grüße: SKIP15!", True),
        ("Grüße: SKIP150", False),
    ]:
        steps = tuple(
            replace(s, email=replace(s.email, body=body if s.position == 2 else "nothing"))
            for s in tea_sequence.steps
        )
        sequence = replace(tea_sequence, steps=steps, offer=expired)
        found = [c.where for c in of(check_sequence(sequence, today=TODAY), "offer-expired")]
        assert found == (["step 2"] if mentioned else []), body
