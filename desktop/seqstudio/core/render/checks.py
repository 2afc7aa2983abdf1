"""Pre-send checks for one email, run on the final (inlined) HTML.

Each check has a stable id (scripts rely on them), a level, a message saying what to do and
where it is. The checks judge what email_facts.py reads from a parsed document; an email the
inliner assembled from a frame is read by its block alone (frame_facts.py), with the same
result. The one check that needs a browser, mobile-overflow, takes the width the web engine
measured (see `mobile_overflow`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborCSSSelector, LexborHTMLParser

from seqstudio.core.render.css_checks import css_support
from seqstudio.core.render.css_support import CssFeature, load_features
from seqstudio.core.render.email_facts import EmailFacts, facts_of
from seqstudio.core.render.findings import Check, Level, snippet
from seqstudio.core.render.frame_facts import BlockReader, frame_facts
from seqstudio.core.render.frames import FramedEmail, Parts
from seqstudio.core.render.messages import message

__all__ = ["Check", "CheckedEmail", "EmailChecker", "Level", "mobile_overflow", "text_part_missing"]

GMAIL_WARN_BYTES = 90_000
GMAIL_CLIP_BYTES = 102_000  # Gmail clips at "102 KB"; counted in thousands to err on the safe side
SUBJECT_VISIBLE = 40
PREHEADER_MIN = 40
PHONE_WIDTH = 375

_TAG = re.compile(r"\{\{\{?.*?\}?\}\}|\{%.*?%\}|\*\|[A-Z0-9_:]+\|\*", re.DOTALL)
_TAG_OPENER = re.compile(r"\{\{|\{%|\*\|")
_STREET = re.compile(
    r"\b\d{1,6}[A-Za-z]?(?:-\d{1,4})?,?\s+(?:[A-Za-z][\w.'-]*\s+){0,4}?"
    r"(?i:street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|square|sq"
    r"|parkway|pkwy|highway|hwy|terrace|crescent|close|row|suite)\b\.?"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee)\s+\d{1,4}\b"
    r"|\b(?i:suite|unit)\s+\d{1,5}\b"
    r"|\b(?i:rue|avenue|boulevard|calle|via|rua)\s+[\w' -]{2,40}?\s*\d{0,4}\b.*?\b\d{4,5}\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b",
)
# Characters that join the one before them on screen (see _glyphs); a subject without any is
# as long as it has characters, which spares most subjects the walk.
_ATTACHING = re.compile(r"[\u0300-\u036f\u0483-\u0489\u0591-\U000e01ef]")


@dataclass(frozen=True)
class CheckedEmail:
    """The checks of one email and the plain text made from the same parse."""

    checks: tuple[Check, ...]
    text: str


class EmailChecker:
    """Runs the email checks; holds the caniemail data and the frames read so far, so build it
    once and reuse it. Not thread-safe: one per worker thread, as the Renderer."""

    def __init__(self, features: tuple[CssFeature, ...] | None = None) -> None:
        self._features = features if features is not None else load_features()
        self._frames: dict[tuple[Parts, Parts], BlockReader | None] = {}
        self._selector = LexborCSSSelector()  # type: ignore[no-untyped-call]  # untyped __init__ in the stub

    def check(
        self,
        html: str,
        *,
        subject: str | None = None,
        postal_address: str | None = None,
        language: str = "en",
        tag_problems: Iterable[str] = (),
    ) -> CheckedEmail:
        """Check `html` (send the inlined HTML: that is what clients get).

        `subject` is checked only when given (an HTML file carries none); `postal_address` is
        looked for verbatim when given, else anything that reads like an address counts.
        """
        facts = facts_of(LexborHTMLParser(html))
        return self._judge(facts, html, subject, postal_address, language, tag_problems)

    def check_framed(
        self,
        email: FramedEmail,
        *,
        subject: str,
        preheader: str,
        postal_address: str | None = None,
        language: str = "en",
        tag_problems: Iterable[str] = (),
    ) -> CheckedEmail:
        """As check(email.html, …), reading only the email's block when its frame allows it."""
        key = (email.frame_before, email.frame_after)
        try:
            reader = self._frames[key]  # one lookup: hashing the frame's parts is not free
        except KeyError:
            if len(self._frames) >= 64:
                self._frames.pop(next(iter(self._frames)))
            frame = frame_facts(email.frame_before, email.frame_after)
            reader = self._frames[key] = BlockReader(frame) if frame is not None else None
        facts = (
            reader.facts(email.block, (subject, preheader), self._selector) if reader is not None else None
        )
        if facts is None:
            facts = facts_of(LexborHTMLParser(email.html))
        return self._judge(facts, email.html, subject, postal_address, language, tag_problems, email.size)

    def _judge(
        self,
        facts: EmailFacts,
        html: str,
        subject: str | None,
        postal_address: str | None,
        language: str,
        tag_problems: Iterable[str],
        size: int | None = None,
    ) -> CheckedEmail:
        """The checks from the facts; `size`: html's UTF-8 bytes, when the caller knows them."""
        elements = facts.elements
        checks: list[Check] = []
        checks += _size(_utf8_size(html) if size is None else size)
        checks += elements.img_alt
        checks += elements.links
        checks += elements.images
        checks += _footer(elements.unsubscribe, facts.text, postal_address)
        if subject is not None:
            checks += _subject(subject)
        checks += _preheader(facts.preheader)
        checks += _tags(html, tag_problems)
        checks += _document(facts.has_lang, facts.has_viewport, language)
        checks += css_support(self._features, facts.sheets, elements.styled, elements.css)
        checks += facts.media
        return CheckedEmail(checks=tuple(checks), text=facts.text)


def _utf8_size(html: str) -> int:
    return len(html) if html.isascii() else len(html.encode("utf-8"))  # isascii() takes no pass


def _size(size: int) -> list[Check]:
    """gmail-clipping, from the email's size in UTF-8 bytes."""
    size_kb = f"{size / 1000:.0f}"
    if size >= GMAIL_CLIP_BYTES:
        return [Check("gmail-clipping", Level.ERROR, message("gmail-clipping.error", size_kb=size_kb))]
    if size >= GMAIL_WARN_BYTES:
        return [Check("gmail-clipping", Level.WARNING, message("gmail-clipping.warning", size_kb=size_kb))]
    return []


def _footer(unsubscribe: tuple[tuple[bool, str], ...], text: str, postal_address: str | None) -> list[Check]:
    checks = []
    if not unsubscribe:
        checks.append(Check("unsubscribe-missing", Level.ERROR, message("unsubscribe-missing")))
    elif not any(goes for goes, _where in unsubscribe):
        nowhere = message("unsubscribe-missing.nowhere")
        checks.append(Check("unsubscribe-missing", Level.ERROR, nowhere, unsubscribe[0][1]))
    if postal_address:
        wanted = " ".join(postal_address.split()).lower()
        # In ASCII text, an address (whitespace folded) that is there before folding the text's
        # whitespace is there after: folding only changes runs that the address has no part of.
        if not (text.isascii() and wanted in text.lower()) and wanted not in " ".join(text.split()).lower():
            checks.append(
                Check(
                    "postal-address-missing",
                    Level.WARNING,
                    message("postal-address-missing.brand", address=postal_address),
                )
            )
    elif not _STREET.search(" ".join(text.split())):
        checks.append(Check("postal-address-missing", Level.WARNING, message("postal-address-missing")))
    return checks


def _subject(subject: str) -> list[Check]:
    subject = subject.strip()
    if not subject:
        return [Check("subject-length", Level.ERROR, message("subject-length.empty"), "subject")]
    glyphs = _glyphs(subject) if _ATTACHING.search(subject) else list(subject)
    if len(glyphs) > SUBJECT_VISIBLE:
        cut = "".join(glyphs[:SUBJECT_VISIBLE]).rstrip()
        text = message("subject-length", length=len(glyphs), limit=SUBJECT_VISIBLE, cut=cut)
        return [Check("subject-length", Level.WARNING, text, "subject")]
    return []


def _preheader(found: tuple[str, bool] | None) -> list[Check]:
    if found is None or not found[1]:
        return [Check("preheader", Level.WARNING, message("preheader.missing"))]
    text, _hidden = found
    if len(text) < PREHEADER_MIN:
        return [
            Check("preheader", Level.WARNING, message("preheader.short", length=len(text)), snippet(text))
        ]
    return []


def _tags(html: str, tag_problems: Iterable[str]) -> list[Check]:
    checks = [
        Check("template-tags", Level.ERROR, message("template-tags.broken", reason=reason))
        for reason in tag_problems
    ]
    head_end = html.find("</head>")  # the <title> repeats the subject, already counted there
    body = 0 if head_end < 0 else head_end + len("</head>")
    # Every tag starts with "{" or "*": one-character searches take 0.2 us, the regex 20 us.
    if html.find("{", body) < 0 and html.find("*", body) < 0:
        return checks
    if _TAG_OPENER.search(html, body) is None:
        return checks
    counts = Counter(" ".join(match.split()) for match in _TAG.findall(html, body))
    checks += [
        Check("template-tags", Level.WARNING, message("template-tags.unresolved", tag=tag, count=count), tag)
        for tag, count in counts.items()
    ]
    return checks


def _document(has_lang: bool, has_viewport: bool, language: str) -> list[Check]:
    checks = []
    if not has_lang:
        where = "<html>"
        checks.append(
            Check("lang-viewport", Level.WARNING, message("lang-viewport.lang", language=language), where)
        )
    if not has_viewport:
        checks.append(Check("lang-viewport", Level.WARNING, message("lang-viewport.viewport"), "<head>"))
    return checks


def _glyphs(text: str) -> list[str]:
    """`text` as the characters a reader sees (close to Unicode's grapheme clusters): combining
    marks, variation selectors, skin tones and emoji tags stay with the character before them,
    a zero-width joiner joins its neighbours (a family emoji is one), and two regional
    indicators make one flag. A subject of emoji is not four times as long as it looks."""
    glyphs: list[str] = []
    join = False
    for char in text:
        code = ord(char)
        attaches = (
            unicodedata.combining(char)
            or unicodedata.category(char) in ("Mn", "Me")
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
            or code == 0x200D
        )
        flag_half = 0x1F1E6 <= code <= 0x1F1FF and bool(glyphs) and _single_indicator(glyphs[-1])
        if glyphs and (attaches or join or flag_half):
            glyphs[-1] += char
        else:
            glyphs.append(char)
        join = code == 0x200D
    return glyphs


def _single_indicator(glyph: str) -> bool:
    return len(glyph) == 1 and 0x1F1E6 <= ord(glyph) <= 0x1F1FF


def text_part_missing(has_text_part: bool | None) -> list[Check]:
    """The text-part-missing check of a saved message (None: not a message, nothing to say)."""
    if has_text_part is False:
        return [Check("text-part-missing", Level.WARNING, message("text-part-missing"))]
    return []


def mobile_overflow(scroll_width: int | None, viewport: int = PHONE_WIDTH) -> list[Check]:
    """The mobile-overflow check from the page width a web engine measured at `viewport` px.

    None means nothing was measured (no web engine): an info says so rather than passing silently.
    """
    if scroll_width is None:
        return [
            Check("mobile-overflow", Level.INFO, message("mobile-overflow.unmeasured", viewport=viewport))
        ]
    if scroll_width > viewport:
        text = message("mobile-overflow", viewport=viewport, width=scroll_width)
        return [Check("mobile-overflow", Level.WARNING, text, f"{viewport} px")]
    return []
