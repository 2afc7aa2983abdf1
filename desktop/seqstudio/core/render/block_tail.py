"""The part of an email's block after its body (the button), inlined once per frame.

A layout's email block is its body (Markdown's HTML) and then markup of the layout's own that
holds only the button's label and address. Inlining gives each element styles from its own
tag, classes and ancestors alone (frames with sibling or pseudo-class selectors are inlined
whole), and the body's HTML closes every element it opens (cmark writes it), so the block
inlines as its body inlined followed by the tail inlined. The tail is inlined once, with slot
markers, and each email's label and address are written into it as css-inline writes text and
attribute values. inline.py proves each frame on a probe before it uses this, and the tests
compare with inlining whole blocks (tests/core/render/test_frames.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seqstudio.core.render.frames import SLOT, SLOT_FIELDS, Parts

BODY = SLOT_FIELDS.index("body_html")
_TAIL_SLOTS = frozenset({SLOT_FIELDS.index("cta_label"), SLOT_FIELDS.index("cta_url")})
_IN_ATTRIBUTE = 5  # an attribute's copy of slot n is slot n + 5 in a TailTemplate
# Serialised HTML as comments, tags (attribute values always double-quoted) and text.
_TOKEN = re.compile(r'<!--.*?-->|<(?:[^>"]|"[^"]*")*>|[^<]+|<', re.DOTALL)
_RAW_TEXT_TAG = re.compile(
    r"<(?:style|script|xmp|iframe|noembed|noframes|plaintext|noscript|textarea|title)\b", re.I
)


def split_at_body(content: Parts) -> tuple[str, Parts] | None:
    """The text before the body and the tail after it, or None when the content is not a body
    first and then markup holding only the button's slots."""
    if not content.slots or content.slots[0] != BODY or not set(content.slots[1:]) <= _TAIL_SLOTS:
        return None
    return content.literals[0], Parts(literals=content.literals[1:], slots=content.slots[1:])


@dataclass(frozen=True)
class TailTemplate:
    """An inlined tail: its slots marked as text (the slot's index) or as an attribute value
    (the index plus 5), each written as css-inline writes it."""

    parts: Parts

    @classmethod
    def read(cls, inlined: str) -> TailTemplate | None:
        """The template of an inlined tail (slot markers in it), or None when a slot is where
        it cannot be written in (a comment, raw text, an attribute name)."""
        if _RAW_TEXT_TAG.search(inlined):
            return None
        pieces = []
        for token in _TOKEN.findall(inlined):  # the tokens are the whole text, in order
            if "zqxslot" in token and token.startswith("<!--"):
                return None
            if "zqxslot" in token and token.startswith("<"):
                if any("zqxslot" in outside for outside in token.split('"')[0::2]):
                    return None  # in a name, or unquoted
                token = SLOT.sub(lambda m: f"zqxslot{int(m.group(1)) + _IN_ATTRIBUTE}xqz", token)
            pieces.append(token)
        return cls(Parts.split("".join(pieces)))

    def fill(self, label: str, url: str) -> str:
        """The inlined tail for an email's button label and address (as typed, not escaped)."""
        values = [""] * 10
        for slot, value in ((SLOT_FIELDS.index("cta_label"), label), (SLOT_FIELDS.index("cta_url"), url)):
            values[slot] = as_text(value)
            values[slot + _IN_ATTRIBUTE] = _as_attribute(value)
        return self.parts.join(tuple(values))


def as_text(value: str) -> str:
    """Text as css-inline writes it out after parsing Jinja2's escaped form of it."""
    return value.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def _as_attribute(value: str) -> str:
    """An attribute value as css-inline writes it out after parsing Jinja2's escaped form."""
    return value.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace('"', "&quot;")
