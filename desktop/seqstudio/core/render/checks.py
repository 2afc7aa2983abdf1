"""Pre-send checks for one email, run on the final (inlined) HTML.

Each check has a stable id (scripts rely on them), a level, a message saying what to do and
where it is. Everything here is pure Python on the parsed document; the one check that needs a
browser, mobile-overflow, takes the width the web engine measured (see `mobile_overflow`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from seqstudio.core.render.addresses import (
    goes_somewhere,
    image_checks,
    is_unsubscribe,
    link_checks,
    link_where,
)
from seqstudio.core.render.css_checks import css_support, media_important
from seqstudio.core.render.css_support import CssFeature, load_features
from seqstudio.core.render.findings import Check, Level, describe, snippet
from seqstudio.core.render.messages import message
from seqstudio.core.render.plaintext import tree_to_text

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
_HIDDEN = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|max-height\s*:\s*0|opacity\s*:\s*0", re.I)
_PREHEADER_CLASS = re.compile(r"pre-?header|preview", re.IGNORECASE)
_FILLERS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u00a0"))


@dataclass(frozen=True)
class CheckedEmail:
    """The checks of one email and the plain text made from the same parse."""

    checks: tuple[Check, ...]
    text: str


class EmailChecker:
    """Runs the email checks; holds the caniemail data, so build it once and reuse it."""

    def __init__(self, features: tuple[CssFeature, ...] | None = None) -> None:
        self._features = features if features is not None else load_features()

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
        tree = LexborHTMLParser(html)
        text = tree_to_text(tree)
        # tags() walks the tree in C; css() would compile a selector on every call
        links, styles = tree.tags("a"), tree.tags("style")
        checks: list[Check] = []
        checks += self._size(html)
        images = tree.tags("img")
        checks += self._images(images)
        checks += link_checks(links)
        checks += image_checks(images)
        checks += self._footer(links, text, postal_address)
        if subject is not None:
            checks += self._subject(subject)
        checks += self._preheader(tree)
        checks += self._tags(html, tag_problems)
        checks += self._document(tree, language)
        checks += css_support(tree, self._features, styles)
        checks += media_important(tree, styles)
        return CheckedEmail(checks=tuple(checks), text=text)

    def _size(self, html: str) -> list[Check]:
        size = len(html.encode("utf-8"))
        size_kb = f"{size / 1000:.0f}"
        if size >= GMAIL_CLIP_BYTES:
            return [Check("gmail-clipping", Level.ERROR, message("gmail-clipping.error", size_kb=size_kb))]
        if size >= GMAIL_WARN_BYTES:
            return [
                Check("gmail-clipping", Level.WARNING, message("gmail-clipping.warning", size_kb=size_kb))
            ]
        return []

    def _images(self, images: list[LexborNode]) -> list[Check]:
        return [
            Check("img-alt", Level.WARNING, message("img-alt"), describe(img))
            for img in images
            if "alt" not in img.attributes
        ]

    def _footer(self, links: list[LexborNode], text: str, postal_address: str | None) -> list[Check]:
        checks = []
        unsubscribe = [link for link in links if is_unsubscribe(link)]
        if not unsubscribe:
            checks.append(Check("unsubscribe-missing", Level.ERROR, message("unsubscribe-missing")))
        elif not any(goes_somewhere(link.attributes.get("href") or "") for link in unsubscribe):
            text = message("unsubscribe-missing.nowhere")
            checks.append(Check("unsubscribe-missing", Level.ERROR, text, link_where(unsubscribe[0])))
        flat = " ".join(text.split())
        if postal_address:
            if " ".join(postal_address.split()).lower() not in flat.lower():
                checks.append(
                    Check(
                        "postal-address-missing",
                        Level.WARNING,
                        message("postal-address-missing.brand", address=postal_address),
                    )
                )
        elif not _STREET.search(flat):
            checks.append(Check("postal-address-missing", Level.WARNING, message("postal-address-missing")))
        return checks

    def _subject(self, subject: str) -> list[Check]:
        subject = subject.strip()
        if not subject:
            return [Check("subject-length", Level.ERROR, message("subject-length.empty"), "subject")]
        glyphs = _glyphs(subject)
        if len(glyphs) > SUBJECT_VISIBLE:
            cut = "".join(glyphs[:SUBJECT_VISIBLE]).rstrip()
            text = message("subject-length", length=len(glyphs), limit=SUBJECT_VISIBLE, cut=cut)
            return [Check("subject-length", Level.WARNING, text, "subject")]
        return []

    def _preheader(self, tree: LexborHTMLParser) -> list[Check]:
        found = _first_text(tree.body, hidden=False) if tree.body is not None else None
        if found is None or not found[1]:
            return [Check("preheader", Level.WARNING, message("preheader.missing"))]
        text, _hidden = found
        if len(text) < PREHEADER_MIN:
            return [
                Check("preheader", Level.WARNING, message("preheader.short", length=len(text)), snippet(text))
            ]
        return []

    def _tags(self, html: str, tag_problems: Iterable[str]) -> list[Check]:
        checks = [
            Check("template-tags", Level.ERROR, message("template-tags.broken", reason=reason))
            for reason in tag_problems
        ]
        body = html.split("</head>", 1)[-1]  # the <title> repeats the subject, already counted there
        if _TAG_OPENER.search(body) is None:  # one pass; three `in` tests cost 4 us each on UCS-2 text
            return checks
        counts = Counter(" ".join(match.split()) for match in _TAG.findall(body))
        checks += [
            Check(
                "template-tags", Level.WARNING, message("template-tags.unresolved", tag=tag, count=count), tag
            )
            for tag, count in counts.items()
        ]
        return checks

    def _document(self, tree: LexborHTMLParser, language: str) -> list[Check]:
        checks = []
        root = tree.root  # the parser always makes <html> the root
        if root is None or root.tag != "html" or not (root.attributes.get("lang") or "").strip():
            checks.append(
                Check(
                    "lang-viewport", Level.WARNING, message("lang-viewport.lang", language=language), "<html>"
                )
            )
        if not any((meta.attributes.get("name") or "").lower() == "viewport" for meta in tree.tags("meta")):
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


def _is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    return bool(_HIDDEN.search(attrs.get("style") or "")) or bool(
        _PREHEADER_CLASS.search(attrs.get("class") or "")
    )


def _first_text(node: LexborNode, *, hidden: bool) -> tuple[str, bool] | None:
    """The first text in document order and whether it is hidden: a preheader is hidden text
    that comes before any visible text (hidden blocks further down are mobile-only content)."""
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            text = " ".join((child.text_content or "").translate(_FILLERS).split())
            if text:
                return text, hidden
        elif (
            child.tag in ("style", "script", "title", "head")
            or child.tag is None
            or child.tag.startswith("-")
        ):
            continue
        elif hidden or _is_hidden(child):
            text = " ".join(child.text().translate(_FILLERS).split())
            if text:
                return text, True
        else:
            found = _first_text(child, hidden=False)
            if found is not None:
                return found
    return None


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
