"""A layout rendered once, with the email's own fields left as slots.

The emails of a sequence share their layout, brand, language and unsubscribe link; only the
subject, preheader, body and button change. A `Frame` is the layout rendered once with marked
slots for those fields, so an email is assembled by joining strings (the same text Jinja2 gives,
proved by tests/core/render/test_frames.py), and the inliner can inline the shared part once.

Rules for layouts: print a slot field or test whether it is empty, nothing else (a filter such
as `email.subject|upper` would see the slot marker, and building the frame raises), and wrap the
email's own block (body and button) in `{% call email_content() %}…{% endcall %}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

SLOT_FIELDS = ("subject", "preheader", "body_html", "cta_label", "cta_url")
# Marks where the email's own block starts and ends in a frame; comments, so HTML keeps them.
CONTENT_START = "<!--seqstudio-content-->"
CONTENT_END = "<!--/seqstudio-content-->"
SLOT = re.compile(r"zqxslot(\d)xqz")  # a slot marker; group 1 is its index
# A document's own doctype (the HTML5 serialiser writes its own, and the doctype sets quirks mode).
DOCTYPE = re.compile(r"^\s*(<!DOCTYPE[^>]*>)", re.IGNORECASE)


def slot_marker(index: int) -> Markup:
    """What a frame holds in place of field `index` of SLOT_FIELDS (letters and digits only, so
    parsing and inlining leave it as it is)."""
    return Markup(f"zqxslot{index}xqz")


SLOT_MARKERS = tuple(str(slot_marker(i)) for i in range(len(SLOT_FIELDS)))


@dataclass(frozen=True)
class EmailFields:
    """The fields of one email that a frame leaves open, merge tags already filled."""

    subject: str
    preheader: str
    body_html: str  # HTML from markdown_to_html: put in as it is, never escaped
    cta_label: str
    cta_url: str

    def shape(self) -> tuple[bool, ...]:
        """Which fields are set: a layout may leave out a block for an empty one."""
        return (
            bool(self.subject),
            bool(self.preheader),
            bool(self.body_html),
            bool(self.cta_label),
            bool(self.cta_url),
        )

    def escaped(self) -> tuple[str, ...]:
        """The fields as Jinja2's autoescape writes them, in SLOT_FIELDS order."""
        return (
            _escaped(self.subject),
            _escaped(self.preheader),
            self.body_html,
            _escaped(self.cta_label),
            _escaped(self.cta_url),
        )


def _escaped(text: str) -> str:
    """str(escape(text)): the same text when it holds none of the five characters escaped."""
    if "&" in text or "<" in text or ">" in text or "'" in text or '"' in text or type(text) is not str:
        return str(escape(text))
    return text


@dataclass(frozen=True)
class Parts:
    """Text cut at its slots: literals[0], slot, literals[1], slot, …, literals[-1]."""

    literals: tuple[str, ...]
    slots: tuple[int, ...]  # indexes into SLOT_FIELDS
    # join()'s list with the literals in place, and (index in it, slot) for each slot
    _pieces: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _places: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.literals) != len(self.slots) + 1:
            raise ValueError("Parts needs one literal more than it has slots")
        pieces = [self.literals[0]]
        for literal in self.literals[1:]:
            pieces += ("", literal)
        object.__setattr__(self, "_pieces", tuple(pieces))
        object.__setattr__(self, "_places", tuple((2 * i + 1, slot) for i, slot in enumerate(self.slots)))

    @classmethod
    def split(cls, text: str) -> Parts:
        pieces = SLOT.split(text)
        return cls(literals=tuple(pieces[0::2]), slots=tuple(int(n) for n in pieces[1::2]))

    def join(self, values: tuple[str, ...]) -> str:
        """The text with each slot replaced by values[slot]; values are never scanned again."""
        if not self.slots:
            return self.literals[0]
        out = list(self._pieces)
        for index, slot in self._places:
            out[index] = values[slot]
        return "".join(out)


@dataclass(frozen=True)
class Frame:
    """One layout for one brand, language, unsubscribe link and shape of fields.

    `before` and `after` surround the email's own block (`content`); a frame whose layout has
    no `email_content()` block keeps everything in `before`.
    """

    key: tuple[object, ...]
    before: Parts
    content: Parts
    after: Parts

    @classmethod
    def from_rendered(cls, key: tuple[object, ...], rendered: str) -> Frame:
        head, start, rest = rendered.partition(CONTENT_START)
        content, end, tail = rest.partition(CONTENT_END)
        if not start or not end or CONTENT_START in tail:
            return cls(key, Parts.split(rendered.replace(CONTENT_START, "").replace(CONTENT_END, "")),
                       Parts(("",), ()), Parts(("",), ()))  # fmt: skip
        return cls(key, Parts.split(head), Parts.split(content), Parts.split(tail))

    @property
    def has_content_block(self) -> bool:
        return bool(self.content.slots) or any(self.content.literals)

    def source(self, values: tuple[str, ...]) -> str:
        """The email's HTML document for `values` (EmailFields.escaped())."""
        return "".join((self.before.join(values), self.content.join(values), self.after.join(values)))


@dataclass(frozen=True)
class FramedEmail:
    """An email the inliner assembled from an inlined frame and its own block (inline.py)."""

    html: str  # the whole email, as sent
    frame_before: Parts  # the inlined frame before the block, with the subject and preheader slots
    frame_after: Parts
    block: str  # the email's inlined block
    size: int  # of html, in UTF-8 bytes (counted from its parts: the frame's are counted once)
