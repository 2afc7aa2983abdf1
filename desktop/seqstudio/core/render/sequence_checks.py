"""Checks on a whole sequence: timing, exits, offers, approval and repeated subjects.

Ids: cadence, cart-exit, offer-expired, step-not-approved, duplicate-subject. They read only the
Sequence value (never the HTML), so they are cheap enough to run on every edit.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from seqstudio.core.durations import describe_delay
from seqstudio.core.model import Sequence, SequenceKind, Step, StepStatus
from seqstudio.core.render.checks import Check, Level
from seqstudio.core.render.messages import message

WEEK = timedelta(days=7)
MAX_PER_WEEK = 3
MIN_GAP = timedelta(hours=48)
ORDER_EVENTS = frozenset(
    {"placed_order", "order_placed", "ordered", "purchase", "purchased", "checkout_completed"}
)


def check_sequence(sequence: Sequence, *, today: date) -> list[Check]:
    """Every sequence-level check; `today` dates the offers (pass date.today() outside tests)."""
    steps = sorted(sequence.steps, key=lambda s: s.position)
    offsets = sequence.step_offsets()
    checks: list[Check] = []
    checks += _cadence(sequence, steps, offsets)
    checks += _cart_exit(sequence)
    checks += _offers(sequence, steps, offsets, today)
    for step in steps:
        if step.status is not StepStatus.APPROVED:
            text = message("step-not-approved", step=step.position, status=step.status.value)
            checks.append(Check("step-not-approved", Level.WARNING, text, f"step {step.position}"))
    checks += _duplicate_subjects(steps)
    return checks


def _cadence(sequence: Sequence, steps: list[Step], offsets: list[timedelta]) -> list[Check]:
    checks = []
    for start, start_offset in enumerate(offsets):
        in_week = [i for i in range(start, len(offsets)) if offsets[i] - start_offset < WEEK]
        if len(in_week) > MAX_PER_WEEK:
            positions = ", ".join(str(steps[i].position) for i in in_week)
            text = message("cadence.week", count=len(in_week), steps=positions)
            checks.append(Check("cadence", Level.WARNING, text, f"steps {positions}"))
            break  # one warning names the densest stretch from its start; more would repeat it
    # Cart reminders are meant to be close together: still said, but as information.
    level = Level.INFO if sequence.kind is SequenceKind.CART_ABANDONMENT else Level.WARNING
    for index in range(1, len(offsets)):
        gap = offsets[index] - offsets[index - 1]
        if gap < MIN_GAP:
            first, second = steps[index - 1].position, steps[index].position
            text = message("cadence.48h", first=first, second=second, gap=describe_delay(gap))
            checks.append(Check("cadence", level, text, f"steps {first}, {second}"))
    return checks


def _cart_exit(sequence: Sequence) -> list[Check]:
    if sequence.kind is not SequenceKind.CART_ABANDONMENT:
        return []
    if any(exit.event.strip().lower() in ORDER_EVENTS for exit in sequence.exit_conditions):
        return []
    return [Check("cart-exit", Level.ERROR, message("cart-exit"), "exit_conditions")]


class _StepText:
    """A step's fields as one text, read once for every discount code."""

    __slots__ = ("folds", "lowered", "text")

    def __init__(self, step: Step) -> None:
        email = step.email
        self.text = "\n".join((email.subject, email.preheader, email.body, email.cta.label, email.cta.url))
        self.lowered = self.text.lower()
        self.folds = _FOLDS_TO_ASCII.search(self.text) is not None

    def mentions(self, code: str) -> bool:
        if code.isascii() and not self.folds and code.lower() not in self.lowered:
            # Most steps never name the code. IGNORECASE pairs an ASCII letter only with its
            # other case, and with these four characters, so without them lower() finds it.
            return False
        return _code_pattern(code).search(self.text) is not None


# The characters IGNORECASE matches to an ASCII letter besides its other case.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


@lru_cache(maxsize=256)
def _code_pattern(code: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(code)}(?![\w-])", re.IGNORECASE)


def _offers(sequence: Sequence, steps: list[Step], offsets: list[timedelta], today: date) -> list[Check]:
    checks: list[Check] = []
    texts: list[_StepText] = []
    for discount in sequence.offer.discount_codes:
        if discount.expires is None:
            continue
        texts = texts or [_StepText(step) for step in steps]
        for step, offset, step_text in zip(steps, offsets, texts, strict=True):
            if not step_text.mentions(discount.code):
                continue
            where = f"step {step.position}"
            expires = discount.expires.isoformat()
            if discount.expires < today:
                text = message("offer-expired.code", code=discount.code, expires=expires, step=step.position)
                checks.append(Check("offer-expired", Level.ERROR, text, where))
                continue
            send_day = today + offset
            if send_day > discount.expires:
                days = (send_day - discount.expires).days
                text = message(
                    "offer-expired.send", code=discount.code, expires=expires, step=step.position, days=days
                )
                checks.append(Check("offer-expired", Level.WARNING, text, where))
    return checks


def _duplicate_subjects(steps: list[Step]) -> list[Check]:
    seen: dict[str, list[int]] = {}
    for step in steps:
        key = " ".join(step.email.subject.split()).casefold()
        if key:
            seen.setdefault(key, []).append(step.position)
    checks = []
    for positions in seen.values():
        if len(positions) > 1:
            subject = next(s.email.subject for s in steps if s.position == positions[0])
            joined = ", ".join(map(str, positions))
            text = message("duplicate-subject", steps=joined, subject=subject)
            checks.append(Check("duplicate-subject", Level.WARNING, text, f"steps {joined}"))
    return checks
