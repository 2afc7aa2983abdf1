"""Render fixtures: one Renderer for the module (it holds compiled layouts), the real public
templates from ../shared/eval/templates, and a sequence built in Python."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from seqstudio.core.durations import format_duration
from seqstudio.core.model import (
    Brand,
    BrandColors,
    Cta,
    DiscountCode,
    Email,
    ExitCondition,
    OfferFacts,
    Sequence,
    SequenceKind,
    Step,
    StepStatus,
)
from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.pipeline import Renderer
from tests.support.shared import shared_path


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture(scope="session")
def inliner() -> Inliner:
    return Inliner()


@pytest.fixture
def templates() -> Path:
    return shared_path("eval", "templates")


@pytest.fixture
def template(templates: Path) -> Callable[[str], str]:
    def read(name: str) -> str:
        return (templates / name).read_text(encoding="utf-8")

    return read


@pytest.fixture
def tea_brand() -> Brand:
    return Brand(
        name="Fernwood Tea",
        from_name="Maya at Fernwood",
        from_email="maya@fernwood-tea.com",
        postal_address="Fernwood Tea Ltd, 12 Harbour Street, Bristol BS1 4RW, UK",
        colors=BrandColors(primary="#2f6b4f", background="#ffffff", text="#1d2621", accent="#f3efe6"),
        logo_url="https://fernwood-tea.com/logo.png",
    )


BODIES = (
    "Hi {{ first_name | default('there') }},\n\nWelcome to **Fernwood**. We blend every tea in Bristol, "
    "in small batches, and ship the same week.\n\n- Loose leaf in paper tins\n- Compostable pyramid bags\n\n"
    "Your code **LEAF15** takes 15% off your first order.",
    "Hi {{ first_name | default('there') }},\n\nOur first harvest trip went wrong: the monsoon came early and "
    "we came home with half the leaf we planned for. [Read the story](https://fernwood-tea.com/story).",
    "Three customers told us how they brew.\n\n> I use the green tea twice. The second cup is better.\n\n"
    "Ana, Lisbon",
    "## Brew it right\n\n1. Water at 80 °C for green tea\n2. Three minutes, not five\n3. No milk, please",
    "Most people start with our *Breakfast Blend*. It is strong enough for milk and cheap enough to try.",
    "A last reminder: **LEAF15** still takes 15% off until it runs out. After that it is gone.",
)
SUBJECTS = (
    "Welcome to Fernwood, {{ first_name | default('friend') }}",
    "The monsoon came early",
    "How three customers brew",
    "Brew it right in three steps",
    "Where most people start",
    "Your 15% code runs out soon",
)


@pytest.fixture
def tea_sequence(tea_brand: Brand) -> Sequence:
    """Six approved steps, two to four days apart: passes every sequence check."""
    delays = (
        timedelta(0),
        timedelta(days=2),
        timedelta(days=3),
        timedelta(days=3),
        timedelta(days=4),
        timedelta(days=4),
    )
    steps = tuple(
        Step(
            id=f"st_tea{position}",
            position=position,
            delay=format_duration(delay),
            purpose="welcome",
            status=StepStatus.APPROVED,
            email=Email(
                subject=SUBJECTS[position - 1],
                preheader="Small-batch tea from Bristol, and a code for your first order",
                body=BODIES[position - 1],
                cta=Cta("Shop the teas", "https://fernwood-tea.com/shop"),
            ),
        )
        for position, delay in zip(range(1, 7), delays, strict=True)
    )
    return Sequence(
        id="seq_tea",
        kind=SequenceKind.WELCOME,
        name="Fernwood welcome",
        brand=tea_brand,
        steps=steps,
        offer=OfferFacts(discount_codes=(DiscountCode("LEAF15", "15% off the first order"),)),
        exit_conditions=(ExitCondition("placed_order"),),
    )


def with_step(sequence: Sequence, position: int, **changes: object) -> Sequence:
    """`sequence` with step `position` changed (fields of Step, or email=Email(...))."""
    steps = tuple(replace(s, **changes) if s.position == position else s for s in sequence.steps)  # type: ignore[arg-type]
    return replace(sequence, steps=steps)
