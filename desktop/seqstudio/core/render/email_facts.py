"""What the email checks read from a parsed document, gathered in one place so that checks.py
can judge a whole document and a framed email (frame_facts.py) by the same code.

A framed email is gathered in segments (the frame before its block, the block, the frame after)
and the segments are joined in document order: `Elements` adds up that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from seqstudio.core.render.addresses import read_images, read_links
from seqstudio.core.render.css_checks import Styled, StyleRun, media_important, style_run
from seqstudio.core.render.findings import Check, describe
from seqstudio.core.render.plaintext import tree_to_text

_HIDDEN = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|max-height\s*:\s*0|opacity\s*:\s*0", re.I)
_PREHEADER_CLASS = re.compile(r"pre-?header|preview", re.IGNORECASE)
_FILLERS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u00a0"))
_HAS_FILLER = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u00a0]")


@dataclass(frozen=True)
class Elements:
    """What the checks read from the links, images and styled elements of a document or segment."""

    img_alt: tuple[Check, ...] = ()
    links: tuple[Check, ...] = ()  # link-invalid of the links
    images: tuple[Check, ...] = ()  # link-invalid of the images
    unsubscribe: tuple[tuple[bool, str], ...] = ()  # each unsubscribe link: goes somewhere, where
    styled: tuple[Styled, ...] = ()
    # For each run of `styled` read together (a document, or a frame's segment read once): its
    # styles joined by "\n" and lower-cased, and the CSS_HINTS found there, for css_support.
    css: tuple[StyleRun, ...] = ()

    @classmethod
    def of(cls, links: list[LexborNode], images: list[LexborNode], styled: list[LexborNode]) -> Elements:
        """Nodes in document order."""
        return cls.read(links, images, tuple((node.attrs.get("style") or "", node) for node in styled))

    @classmethod
    def read(cls, links: list[LexborNode], images: list[LexborNode], pairs: tuple[Styled, ...]) -> Elements:
        """As of(), the styled elements given as their styles and owners."""
        link_invalid, unsubscribe = read_links(links)
        img_alt, image_invalid = read_images(images)
        return cls(
            img_alt=tuple(img_alt),
            links=tuple(link_invalid),
            images=tuple(image_invalid),
            unsubscribe=tuple(unsubscribe),
            styled=pairs,
            css=(style_run(pairs),) if pairs else (),
        )

    def described(self) -> Elements:
        """The same, with every styled element described now (to keep past its parse)."""
        styled = tuple(
            (
                style,
                owner
                if isinstance(owner, str)
                else describe(owner if isinstance(owner, LexborNode) else owner()),
            )
            for style, owner in self.styled
        )
        return Elements(self.img_alt, self.links, self.images, self.unsubscribe, styled, self.css)

    def __add__(self, later: Elements) -> Elements:
        return Elements(
            self.img_alt + later.img_alt,
            self.links + later.links,
            self.images + later.images,
            self.unsubscribe + later.unsubscribe,
            self.styled + later.styled,
            self.css + later.css,
        )


@dataclass(frozen=True)
class EmailFacts:
    """Everything the email checks read from the document, besides its HTML text."""

    elements: Elements
    text: str  # the plain-text part
    preheader: tuple[str, bool] | None  # the first text and whether it is hidden
    has_lang: bool
    has_viewport: bool
    sheets: str  # the <style> elements' CSS, lower-cased
    media: tuple[Check, ...]  # media-important


def facts_of(tree: LexborHTMLParser) -> EmailFacts:
    """The facts of a whole parsed document."""
    # tags() walks the tree in C; css() would compile a selector on every call
    styles = tree.tags("style")
    return EmailFacts(
        elements=Elements.of(tree.tags("a"), tree.tags("img"), tree.css("[style]")),
        text=tree_to_text(tree),
        preheader=first_text(tree.body, hidden=False) if tree.body is not None else None,
        has_lang=has_lang(tree),
        has_viewport=has_viewport(tree),
        sheets=sheets_of(styles),
        media=tuple(media_important(tree, styles)),
    )


def has_lang(tree: LexborHTMLParser) -> bool:
    root = tree.root  # the parser always makes <html> the root
    return root is not None and root.tag == "html" and bool((root.attributes.get("lang") or "").strip())


def has_viewport(tree: LexborHTMLParser) -> bool:
    return any((meta.attributes.get("name") or "").lower() == "viewport" for meta in tree.tags("meta"))


def sheets_of(styles: list[LexborNode]) -> str:
    return "\n".join(style.text() for style in styles).lower()


def is_hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    return bool(_HIDDEN.search(attrs.get("style") or "")) or bool(
        _PREHEADER_CLASS.search(attrs.get("class") or "")
    )


def visible_words(text: str) -> str:
    """`text` as one line of words, without the invisible characters preheaders are padded with."""
    if _HAS_FILLER.search(text):  # one C scan; translate() looks each character up
        text = text.translate(_FILLERS)
    return " ".join(text.split())


def first_text(node: LexborNode, *, hidden: bool) -> tuple[str, bool] | None:
    """The first text in document order and whether it is hidden: a preheader is hidden text
    that comes before any visible text (hidden blocks further down are mobile-only content)."""
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            text = visible_words(child.text_content or "")
            if text:
                return text, hidden
        elif (
            child.tag in ("style", "script", "title", "head")
            or child.tag is None
            or child.tag.startswith("-")
        ):
            continue
        elif hidden or is_hidden(child):
            text = visible_words(child.text())
            if text:
                return text, True
        else:
            found = first_text(child, hidden=False)
            if found is not None:
                return found
    return None
