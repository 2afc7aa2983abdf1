"""Validation of model values, with messages that name the field and say what is wrong.

Each `*_problems` function returns `(field, message)` pairs and never raises, so an editor can
show every problem at once; `validate_sequence` raises one ValidationError carrying them all.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from seqstudio.core.durations import DurationError, parse_duration
from seqstudio.core.errors import ValidationError
from seqstudio.core.model import (
    STEP_COUNT,
    WEEKDAYS,
    Brand,
    Cta,
    OfferFacts,
    Sequence,
    SequenceKind,
    Step,
)

Problems = list[tuple[str, str]]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
SUBJECT_MAX = 200  # hard limit; the render checks warn far earlier, at what phones show


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def is_email_address(text: str) -> bool:
    return bool(_EMAIL.match(text))


def language_problems(language: str, where: str) -> Problems:
    if not _LANGUAGE.match(language):
        return [(where, f"'{language}' is not a language code such as en, de or en-GB")]
    return []


def url_problems(url: str, where: str, *, allow_mailto: bool = False) -> Problems:
    schemes = ("http://", "https://") + (("mailto:",) if allow_mailto else ())
    if url and not url.startswith(schemes):
        allowed = "http:// or https://" + (" (or mailto:)" if allow_mailto else "")
        return [(where, f"'{url}' must start with {allowed}")]
    if url and any(ch.isspace() for ch in url):
        return [(where, "a URL cannot contain spaces")]
    return []


def brand_problems(brand: Brand, prefix: str = "brand") -> Problems:
    problems: Problems = []
    if not brand.name.strip():
        problems.append((_join(prefix, "name"), "is empty; give the brand a name"))
    for name in ("from_email", "reply_to"):
        value = getattr(brand, name)
        if value and not is_email_address(value):
            problems.append((_join(prefix, name), f"'{value}' is not an email address"))
    for name in ("primary", "background", "text", "accent"):
        value = getattr(brand.colors, name)
        if not _HEX_COLOUR.match(value):
            problems.append((_join(prefix, f"colors.{name}"), f"'{value}' is not a colour like #1f6feb"))
    problems += url_problems(brand.logo_url, _join(prefix, "logo_url"))
    problems += language_problems(brand.language, _join(prefix, "language"))
    return problems


def offer_problems(offer: OfferFacts, prefix: str = "offer") -> Problems:
    problems: Problems = []
    for index, product in enumerate(offer.products):
        where = f"{prefix}.products[{index}]"
        if not product.name.strip():
            problems.append((f"{where}.name", "is empty"))
        if product.price:
            try:
                if Decimal(product.price) < 0:
                    problems.append((f"{where}.price", "cannot be negative"))
            except InvalidOperation:
                problems.append((f"{where}.price", f"'{product.price}' is not a number such as 49.00"))
        if not _CURRENCY.match(product.currency):
            problems.append((f"{where}.currency", f"'{product.currency}' is not a currency code like USD"))
        problems += url_problems(product.url, f"{where}.url")
    seen: set[str] = set()
    for index, code in enumerate(offer.discount_codes):
        where = f"{prefix}.discount_codes[{index}].code"
        if not code.code.strip():
            problems.append((where, "is empty"))
        elif any(ch.isspace() for ch in code.code):
            problems.append((where, f"'{code.code}' contains spaces; codes are typed by customers"))
        elif code.code.upper() in seen:
            problems.append((where, f"'{code.code}' is listed twice"))
        seen.add(code.code.upper())
    return problems


def cta_problems(cta: Cta, prefix: str) -> Problems:
    # A label without a link is a draft in progress, not invalid; the pre-send checks catch it.
    return url_problems(cta.url, _join(prefix, "url"), allow_mailto=True)


def step_problems(step: Step, prefix: str = "") -> Problems:
    problems: Problems = []
    if not 1 <= step.position <= STEP_COUNT:
        problems.append((_join(prefix, "position"), f"is {step.position}; steps are numbered 1 to 6"))
    try:
        parse_duration(step.delay)
    except DurationError as error:
        problems.append((_join(prefix, "delay"), str(error)))
    if not step.purpose.strip():
        problems.append((_join(prefix, "purpose"), "is empty; say what this email is for"))
    subject = step.email.subject
    if len(subject) > SUBJECT_MAX:
        problems.append(
            (_join(prefix, "email.subject"), f"is {len(subject)} characters; keep it under {SUBJECT_MAX}")
        )
    if "\n" in subject or "\n" in step.email.preheader:
        problems.append((_join(prefix, "email.subject"), "must be one line"))
    problems += cta_problems(step.email.cta, _join(prefix, "email.cta"))
    return problems


def sequence_problems(sequence: Sequence) -> Problems:
    problems: Problems = []
    if not sequence.name.strip():
        problems.append(("name", "is empty; give the sequence a name"))
    if not isinstance(sequence.kind, SequenceKind):
        problems.append(("kind", f"'{sequence.kind}' is not one of welcome, cart_abandonment, win_back"))
    problems += language_problems(sequence.language, "language")
    problems += brand_problems(sequence.brand)
    problems += offer_problems(sequence.offer)
    if len(sequence.steps) != STEP_COUNT:
        problems.append(("steps", f"has {len(sequence.steps)} steps; a sequence has exactly {STEP_COUNT}"))
    ids = [step.id for step in sequence.steps]
    if len(set(ids)) != len(ids):
        problems.append(("steps", "two steps share an id"))
    for index, step in enumerate(sequence.steps):
        if step.position != index + 1:
            problems.append((f"steps[{index}].position", f"is {step.position}; expected {index + 1}"))
        problems += step_problems(step, f"steps[{index}]")
    if not sequence.trigger.event.strip():
        problems.append(("trigger.event", "is empty; say what starts the flow"))
    days = sequence.trigger.days_since_last_order
    if days is not None and not 1 <= days <= 730:
        problems.append(("trigger.days_since_last_order", f"is {days}; use 1 to 730 days"))
    try:
        parse_duration(sequence.reentry_cooldown)
    except DurationError as error:
        problems.append(("reentry_cooldown", str(error)))
    if not 0 <= sequence.holdout_percent < 100:
        problems.append(("holdout_percent", f"is {sequence.holdout_percent}; use 0 to 99"))
    window = sequence.send_window
    bad_days = [day for day in window.days if day not in WEEKDAYS]
    if bad_days:
        problems.append(("send_window.days", f"{', '.join(bad_days)}: use mon, tue, wed, thu, fri, sat, sun"))
    if not window.days:
        problems.append(("send_window.days", "is empty; pick at least one day"))
    if not (0 <= window.start_hour < window.end_hour <= 24):
        problems.append(
            ("send_window", f"{window.start_hour}-{window.end_hour} h: start must be before end, within 0-24")
        )
    return problems


def validate_sequence(sequence: Sequence, context: str = "") -> None:
    """Raise ValidationError listing every problem; return quietly when the sequence is sound."""
    problems = sequence_problems(sequence)
    if problems:
        raise ValidationError(problems, context or f"Sequence '{sequence.name}'")
