"""The offline drafter: a usable first draft with no key and no endpoint, so the app works on a
fresh machine. It picks the kind of email each step's purpose asks for, fills it with the brand and
the offer facts (never anything else), drops sentences with the brand's words to avoid, and labels
its output as an offline draft. Deterministic: the same sequence gives the same drafts.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from datetime import date

from seqstudio.core.drafting.context import language_code
from seqstudio.core.drafting.offline_phrases import (
    DEFAULT_ARC,
    GREETING,
    KEYWORDS,
    MONTHS_DE,
    PHRASEBOOKS,
    SIGN_OFF,
    TEAM,
    Archetype,
)
from seqstudio.core.model import Cta, Email, Sequence, Step

OFFLINE_MODEL = "offline"
OFFLINE_ORIGIN = "Offline draft (no model)"
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def format_price(amount: str, currency: str, language: str) -> str:
    """'$129.00' in English, '129,00 €' in German; the amount's digits stay exactly as given."""
    if language == "de":
        return f"{amount.replace('.', ',')} {'€' if currency == 'EUR' else currency}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def format_date(day: date, language: str) -> str:
    if language == "de":
        return f"{day.day}. {MONTHS_DE[day.month - 1]} {day.year}"
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def archetype_name(sequence: Sequence, step: Step) -> str:
    """The kind of email a step asks for: by its purpose, else by its place in the sequence.
    (Not by its guidance: guidance mentions codes and carts in passing, which misleads.)"""
    purpose = step.purpose.lower()
    for name, words in KEYWORDS:
        if any(word in purpose for word in words):
            return name
    arc = DEFAULT_ARC.get(sequence.kind.value, DEFAULT_ARC["welcome"])
    return arc[min(step.position, len(arc)) - 1]


def _facts(sequence: Sequence, language: str) -> dict[str, str]:
    offer, brand = sequence.offer, sequence.brand
    facts = {"brand": brand.name, "audience": sequence.audience}
    if offer.products:
        product = offer.products[0]
        facts["product"] = product.name
        if product.price:
            facts["price"] = format_price(product.price, product.currency, language)
        if product.description:
            facts["product_about"] = product.description.rstrip(".") + "."
    if offer.discount_codes:
        code = offer.discount_codes[0]
        facts["code"] = code.code
        facts["code_gives" if code.description else "no_code_gives"] = code.description
        facts["expires" if code.expires else "no_expires"] = (
            format_date(code.expires, language) if code.expires else ""
        )
    if offer.notes:
        facts["note"] = offer.notes[0].rstrip(".")
    return {key: value for key, value in facts.items() if value or key.startswith("no_")}


def _fill(template: str, facts: dict[str, str]) -> str | None:
    """The template with its fields filled, or None if it needs a fact we don't have."""
    needed = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if not needed <= facts.keys():
        return None
    return template.format(**facts)


class OfflineDrafter:
    """Writes drafts without a model. Safe to share between threads (it keeps no state)."""

    model = OFFLINE_MODEL
    origin = OFFLINE_ORIGIN

    def draft(self, sequence: Sequence, position: int) -> Email:
        language = language_code(sequence)
        book = PHRASEBOOKS.get(language, PHRASEBOOKS["en"])
        language = language if language in PHRASEBOOKS else "en"
        facts = _facts(sequence, language)
        steps = sorted(sequence.steps, key=lambda s: s.position)
        names = [self._usable(archetype_name(sequence, s), facts) for s in steps]
        step = sequence.step(position)
        index = [s.position for s in steps].index(position)
        name = names[index]
        variant = Counter(names[:index])[name]  # the second reminder reads differently from the first
        archetype = book[name]
        if "no discount" in step.guidance.lower() or "kein rabatt" in step.guidance.lower():
            facts = {k: v for k, v in facts.items() if k not in ("code", "code_gives", "expires")}
        avoid = sequence.brand.words_to_avoid
        subject = self._subject(archetype, variant, facts, avoid)
        paragraphs = [GREETING[language]]
        paragraphs += [
            text
            for para in archetype.paragraphs
            if para.variant in (None, variant % 2) and (text := self._para(para.text, para.needs, facts))
        ]
        signer = sequence.brand.from_name or TEAM[language].format(brand=sequence.brand.name)
        paragraphs.append(SIGN_OFF[language].format(signer=signer))
        body = "\n\n".join(p for p in (_without(p, avoid) for p in paragraphs) if p)
        cta_label = _fill(archetype.cta, facts) or _fill(book["product"].cta, facts) or archetype.cta
        if step.email.cta.label and language == "en":  # the blueprint's button (they are in English)
            cta_label = step.email.cta.label
        url = step.email.cta.url or (sequence.offer.products[0].url if sequence.offer.products else "")
        return Email(
            subject=subject,
            preheader=_without(_fill(archetype.preheader, facts) or "", avoid),
            body=body,
            cta=Cta(cta_label if url else "", url),
        )

    @staticmethod
    def _usable(name: str, facts: dict[str, str]) -> str:
        if name in ("offer", "urgency") and "code" not in facts:  # nothing to offer: don't pretend
            return "objection" if "note" in facts else "product" if "product" in facts else "proof"
        return name

    @staticmethod
    def _para(template: str, needs: tuple[str, ...], facts: dict[str, str]) -> str | None:
        if not all(need in facts for need in needs):
            return None
        return _fill(template, facts)

    @staticmethod
    def _subject(archetype: Archetype, variant: int, facts: dict[str, str], avoid: tuple[str, ...]) -> str:
        first, second = archetype.subjects
        order = (second, first) if variant % 2 else (first, second)
        filled = [text for template in order if (text := _fill(template, facts)) is not None]
        clean = [text for text in filled if _without(text, avoid) == text]
        return (clean or [facts["brand"]])[0]

    def subjects(self, sequence: Sequence, position: int, count: int) -> tuple[str, ...]:
        """Up to `count` subject lines for a step, from every phrasebook entry that fits its facts."""
        language = language_code(sequence)
        book = PHRASEBOOKS.get(language, PHRASEBOOKS["en"])
        facts = _facts(sequence, language if language in PHRASEBOOKS else "en")
        first = self._usable(archetype_name(sequence, sequence.step(position)), facts)
        ordered = [first] + [name for name in book if name != first]
        lines = [_fill(s, facts) for name in ordered for s in book[name].subjects]
        return tuple(dict.fromkeys(line for line in lines if line))[:count]


def _without(text: str, words_to_avoid: tuple[str, ...]) -> str:
    """`text` minus every sentence that uses one of the words to avoid; line breaks are kept."""
    words = [w.strip() for w in words_to_avoid if w.strip()]
    if not words:
        return text
    pattern = re.compile("|".join(rf"\b{re.escape(w)}\b" for w in words), re.I)
    lines = []
    for line in text.split("\n"):
        kept = " ".join(s for s in re.split(r"(?<=[.!?])\s+", line) if not pattern.search(s))
        if kept.strip():
            lines.append(kept)
    return "\n".join(lines).strip()
