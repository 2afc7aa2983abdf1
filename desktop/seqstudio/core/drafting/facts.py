"""The facts check: every price, percentage, discount code, date or deadline in a draft that the
offer facts do not state. It catches the classic invented discount ("20% off with WELCOME20, ends
Sunday!") before a writer approves it.

What counts as stated: product prices, and every amount, percentage, code, date and deadline phrase
written in the offer's code descriptions, notes and product names or descriptions. Amounts compare
by value (49, $49.00 and 49,00 € are one price); codes case-insensitively; dates by day and month.
English and German phrasing are recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from seqstudio.core.model import Email, OfferFacts


class FactKind(StrEnum):
    PRICE = "price"
    PERCENTAGE = "percentage"
    CODE = "discount code"
    DATE = "date"
    DEADLINE = "deadline"


@dataclass(frozen=True)
class FactFinding:
    kind: FactKind
    text: str  # as written in the draft
    field: str  # subject, preheader, body, cta
    start: int  # offsets in that field
    end: int

    @property
    def message(self) -> str:
        return f"The {self.kind.value} “{self.text}” in the {self.field} is not in the offer facts."


_NUM = r"\d{1,3}(?:[.,\u00a0 ]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CUR_BEFORE = r"(?:US\$|\$|€|£|USD|EUR|GBP|CHF)"
_CUR_AFTER = r"(?:€|\$|£|USD|EUR|GBP|CHF|dollars?|euros?|Euro|pounds?|Franken)"
_MONEY = re.compile(
    rf"{_CUR_BEFORE}\s?(?P<a>{_NUM})(?!\d)|(?<![\d.,])(?P<b>{_NUM})\s?{_CUR_AFTER}(?![A-Za-z])", re.I
)
_PERCENT = re.compile(rf"(?<![\d.,])(?P<n>{_NUM})\s?(?:%|percent\b|per cent\b|Prozent\b)", re.I)

_MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "jan feb mär apr mai jun jul aug sept okt nov dez",
    "jän",
)
_MONTHS = {name: index for names in _MONTH_NAMES for index, name in enumerate(names.split(), 1)}
_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DATE = re.compile(
    rf"(?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}\b)"
    rf"|\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<m1>{_MONTH})\.?(?:,?\s+(?P<y1>\d{{4}}))?\b"
    rf"|\b(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|\b(?P<d3>\d{{1,2}})\.(?P<m3>\d{{1,2}})\.(?P<y3>\d{{2,4}})?"
    rf"|\b(?P<m4>\d{{1,2}})/(?P<d4>\d{{1,2}})(?:/(?P<y4>\d{{2,4}}))?\b",
    re.I,
)
_DAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
)
_WHEN = (
    rf"(?:tonight|today|tomorrow|midnight|this (?:week(?:end)?|month)|(?:this |next )?(?:{_DAYS})"
    r"|heute|morgen|mitternacht|diese[mn]? (?:woche(?:nende)?|monat))"
)
_COUNT = r"(?:\d+|one|two|three|ein(?:e[nm]?)?|zwei|drei)"
_DEADLINE = re.compile(
    r"\b(?:ends?|ending|expires?|expiring|until|till|by|before|through|bis|endet|läuft|gilt nur)\s+"
    rf"(?:at\s+|on\s+|um\s+|zum\s+)?{_WHEN}\b"
    rf"|\b(?:only|just|last|final|nur noch|noch|letzte[n]?)\s+{_COUNT}\s+(?:hours?|days?|stunden|tage[n]?)\b"
    r"|\b\d+\s+(?:hours?|days?|stunden|tage)\s+(?:left|to go|remaining|only|übrig)\b"
    r"|\b(?:last chance|letzte chance|final hours|nur heute|only today|today only)\b",
    re.I,
)
_CODE_WORD = re.compile(r"\b[A-Z][A-Z0-9]*\d[A-Z0-9]*\b|\b[A-Z0-9]*\d[A-Z][A-Z0-9]*\b")
_CODE_AFTER_CUE = re.compile(  # codes are written in capitals: "use code SAVE" but not "code below"
    r"(?i:\b(?:code|coupon|promo|gutschein(?:code)?|rabattcode|voucher)\b)[\s:\"'„“”]*"
    r"(?P<c>[A-Z0-9][A-Z0-9_-]{2,})\b"
)


def _amount(text: str) -> Decimal | None:
    digits = text.replace("\u00a0", "").replace(" ", "")
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif "," in digits:
        decimal_mark = "," if len(digits) - digits.rfind(",") <= 3 else "."
    else:
        decimal_mark = "." if "." in digits and len(digits) - digits.rfind(".") <= 3 else ","
    thousands = "." if decimal_mark == "," else ","
    try:
        return Decimal(digits.replace(thousands, "").replace(decimal_mark, "."))
    except InvalidOperation:
        return None


def _date_key(match: re.Match[str]) -> tuple[int, int] | None:
    """(month, day) of a date match; None if it is not a real calendar day."""
    if match["iso"]:
        _, month, day = (int(p) for p in match["iso"].split("-"))
    else:
        day_text = match["d1"] or match["d2"] or match["d3"] or match["d4"]
        month_text = match["m1"] or match["m2"] or match["m3"] or match["m4"]
        day = int(day_text)
        month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower().rstrip(".")]
    try:
        date(2000, month, day)  # a leap year, so 29 February counts
    except ValueError:
        return None
    return month, day


@dataclass(frozen=True)
class _Allowed:
    amounts: frozenset[Decimal]
    percents: frozenset[Decimal]
    codes: frozenset[str]
    dates: frozenset[tuple[int, int]]
    deadlines: frozenset[str]


def _allowed(offer: OfferFacts) -> _Allowed:
    sources = [*offer.notes]
    sources += [c.description for c in offer.discount_codes]
    sources += [f"{p.name} {p.description}" for p in offer.products]
    text = "\n".join(sources)
    amounts = {_amount(p.price) for p in offer.products if p.price}
    amounts |= {_amount(m["a"] or m["b"]) for m in _MONEY.finditer(text)}
    percents = {_amount(m["n"]) for m in _PERCENT.finditer(text)}
    codes = {c.code.upper() for c in offer.discount_codes}
    codes |= {w.upper() for w in re.findall(r"[A-Za-z0-9]+", text) if any(ch.isdigit() for ch in w)}
    dates = {(c.expires.month, c.expires.day) for c in offer.discount_codes if c.expires}
    dates |= {k for k in (_date_key(m) for m in _DATE.finditer(text)) if k}
    deadlines = {" ".join(m[0].lower().split()) for m in _DEADLINE.finditer(text)}
    return _Allowed(
        frozenset(a for a in amounts if a is not None),
        frozenset(p for p in percents if p is not None),
        frozenset(codes),
        frozenset(dates),
        frozenset(deadlines),
    )


def check_text(text: str, field: str, offer: OfferFacts) -> list[FactFinding]:
    """Findings in one piece of text, in order of position; spans never overlap."""
    allowed = _allowed(offer)
    found: list[FactFinding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: FactKind, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(FactFinding(kind, text[start:end], field, start, end))

    for m in _DATE.finditer(text):
        key = _date_key(m)
        if key is not None and key not in allowed.dates:
            add(FactKind.DATE, m.start(), m.end())
        elif key is not None:
            taken.append((m.start(), m.end()))  # a stated date: its digits are no price or code
    for m in _MONEY.finditer(text):
        if _amount(m["a"] or m["b"]) not in allowed.amounts:
            add(FactKind.PRICE, m.start(), m.end())
        else:
            taken.append((m.start(), m.end()))
    for m in _PERCENT.finditer(text):
        if _amount(m["n"]) not in allowed.percents:
            add(FactKind.PERCENTAGE, m.start(), m.end())
    for m in _DEADLINE.finditer(text):
        if " ".join(m[0].lower().split()) not in allowed.deadlines:
            add(FactKind.DEADLINE, m.start(), m.end())
    candidates = [(m.start(), m.end()) for m in _CODE_WORD.finditer(text) if len(m[0]) >= 4]
    candidates += [(m.start("c"), m.end("c")) for m in _CODE_AFTER_CUE.finditer(text)]
    for start, end in sorted(candidates):
        word = text[start:end].upper()
        if word not in allowed.codes:
            add(FactKind.CODE, start, end)
    return sorted(found, key=lambda f: f.start)


def check_facts(email: Email, offer: OfferFacts) -> tuple[FactFinding, ...]:
    """Every unstated fact in the subject, preheader, body and button of `email`."""
    parts = (
        ("subject", email.subject),
        ("preheader", email.preheader),
        ("body", email.body),
        ("cta", email.cta.label),
    )
    return tuple(finding for field, text in parts for finding in check_text(text, field, offer))
