"""What a prompt template receives: the sequence, brand and offer as plain values, plus the lines
a template would otherwise have to compute (offer facts, timing, the earlier emails in short)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from seqstudio.core.model import STEP_COUNT, OfferFacts, Sequence, Step

LANGUAGE_NAMES = {"en": "English", "de": "German"}
OPENING_WORDS = 25


def language_code(sequence: Sequence) -> str:
    """The base language (de for de-AT); the sequence's own setting wins over the brand's."""
    return (sequence.language or sequence.brand.language or "en").split("-")[0].lower()


def offer_lines(offer: OfferFacts) -> list[str]:
    """The offer facts, one quotable line each, in the order the user gave them."""
    lines = []
    for product in offer.products:
        price = f" costs {product.price} {product.currency}" if product.price else ""
        about = f" ({product.description})" if product.description else ""
        link = f"; link {product.url}" if product.url else ""
        lines.append(f"Product: {product.name}{price}{about}{link}")
    for code in offer.discount_codes:
        gives = f" gives {code.description}" if code.description else ""
        expiry = f"; expires {code.expires.isoformat()}" if code.expires else "; no expiry date given"
        lines.append(f"Discount code {code.code}{gives}{expiry}")
    lines.extend(f"Note: {note}" for note in offer.notes)
    return lines


def offer_links(offer: OfferFacts, step: Step | None = None) -> tuple[str, ...]:
    """The links a draft's button may use: the step's own (if set), then the products'."""
    own = [step.email.cta.url] if step is not None and step.email.cta.url else []
    return tuple(dict.fromkeys([*own, *(p.url for p in offer.products if p.url)]))


def describe_delay(delta: timedelta, previous: int | None) -> str:
    """'2 days after email 1', 'right after the trigger'."""
    after = "the trigger" if previous is None else f"email {previous}"
    hours = int(delta.total_seconds() // 3600)
    if hours == 0:
        return f"right after {after}"
    return f"{hours} hours after {after}" if hours < 48 else f"{hours // 24} days after {after}"


@dataclass(frozen=True)
class StepOutline:
    """One other step as the prompt sees it: its job, and its email in short if it has one."""

    position: int
    purpose: str
    subject: str
    opening: str
    plan: str


def _outline(step: Step, plan: dict[int, str]) -> StepOutline:
    words = step.email.body.split()
    opening = " ".join(words[:OPENING_WORDS]) + (" …" if len(words) > OPENING_WORDS else "")
    return StepOutline(step.position, step.purpose, step.email.subject, opening, plan.get(step.position, ""))


def step_context(sequence: Sequence, position: int, plan: dict[int, str] | None = None) -> dict[str, Any]:
    """The context of the system and step templates for the step at `position`."""
    plan = plan or {}
    steps = sorted(sequence.steps, key=lambda s: s.position)
    step = sequence.step(position)
    language = language_code(sequence)
    previous = [s for s in steps if s.position < position]
    return {
        "sequence": sequence,
        "kind_label": sequence.kind.label,
        "brand": sequence.brand,
        "offer": sequence.offer,
        "offer_lines": offer_lines(sequence.offer),
        "links": list(offer_links(sequence.offer, step)),
        "audience": sequence.audience,
        "trigger": sequence.trigger,
        "language": language,
        "language_name": LANGUAGE_NAMES.get(language, language),
        "step": step,
        "step_count": len(steps) or STEP_COUNT,
        "timing": describe_delay(step.delay_delta, previous[-1].position if previous else None),
        "earlier": [_outline(s, plan) for s in previous],
        "later": [_outline(s, plan) for s in steps if s.position > position],
        "plan_angle": plan.get(position, ""),
    }


def sequence_context(sequence: Sequence) -> dict[str, Any]:
    """The context of the plan template: every step at once."""
    context = step_context(sequence, sorted(sequence.steps, key=lambda s: s.position)[0].position)
    context["steps"] = sorted(sequence.steps, key=lambda s: s.position)
    return context
