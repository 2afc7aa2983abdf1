"""The email checks of a framed email, with only its own block parsed.

The emails of a sequence share their layout frame (see frames.py), and the inliner inlines it
once (inline.py). Here the inlined frame is read once too: its links, images, styles, head and
the plain text around the email's block. Per email only the block is parsed (BlockReader),
as the inner HTML of its parent among its ancestors' bare tags, and its facts are joined with
the frame's in document order.
The result is what reading the whole email gives (tests/core/render/test_frame_facts.py); a
frame or block where that cannot be shown gives None, and the caller reads the whole email.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from selectolax.lexbor import LexborCSSSelector, LexborHTMLParser, LexborNode

from seqstudio.core.render.css_checks import Styled, has_loose_media
from seqstudio.core.render.email_facts import (
    Elements,
    EmailFacts,
    first_text,
    has_lang,
    has_viewport,
    sheets_of,
    visible_words,
)
from seqstudio.core.render.frames import CONTENT_END, CONTENT_START, DOCTYPE, SLOT, SLOT_MARKERS, Parts
from seqstudio.core.render.plaintext import (
    TEXT_WALK,
    block_paragraphs_in,
    paragraphs_in,
    segment_text,
    text_from,
)

# Stands for the block in the frame's document: text, so the plain-text walk shows whether the
# block starts and ends its own paragraphs (it must come out as a paragraph of its own).
_SENTINEL = "zqxblockxqz"
# Ancestors of the block that read the same in the small document and change nothing in how the
# block's text is written (no links, lists, quotes, preformatted text or foreign content).
_ANCESTORS = frozenset(
    {"body", "div", "center", "section", "article", "main", "header", "footer", "aside", "span", "font",
     "table", "tbody", "thead", "tfoot", "tr", "td", "th"}
)  # fmt: skip
_TABLE_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr"})  # text in them is moved out
# Elements that the checks read from the head, or that move there: a block holding one is read whole.
_HEAD_TAGS = re.compile("<(?:style|meta|link|base|title)")


@dataclass(frozen=True)
class FrameFacts:
    """What the checks read from an inlined frame, apart from its email's block."""

    before: Elements  # the elements before the block (its ancestors among them)
    after: Elements
    text_before: str | None  # the plain text before the block, as plaintext.segment_text gives it
    text_after: str | None
    first_text: tuple[str, bool] | None  # the preheader check's first text, slot markers in it
    has_lang: bool
    has_viewport: bool
    sheets: str
    ancestors: tuple[str, ...]  # the tags from <body>'s child down to the block's parent
    prefix: str  # what the block is parsed after: the doctype (quirks mode) and the ancestors


def frame_facts(before: Parts, after: Parts) -> FrameFacts | None:
    """The facts of an inlined frame (the text before and after its block, with the subject and
    preheader slots), or None when its emails must be read whole."""
    shell = before.join(SLOT_MARKERS) + CONTENT_START + _SENTINEL + CONTENT_END + after.join(SLOT_MARKERS)
    tree = LexborHTMLParser(shell)
    if tree.root is None or tree.body is None:
        return None
    segments = _segments(tree.root)
    if segments is None:
        return None
    (before_nodes, after_nodes), parent = segments
    ancestors = _ancestors(parent)
    if ancestors is None:
        return None
    paragraphs = paragraphs_in(tree.body)
    found = [i for i, (text, _item) in enumerate(paragraphs) if _SENTINEL in text]
    if (
        found != [i for i, paragraph in enumerate(paragraphs) if paragraph == (_SENTINEL, 0)]
        or len(found) != 1
    ):
        return None  # the block shares a paragraph, a list item or a quote with the frame's text
    if any("zqxslot" in text for text, _item in paragraphs):
        return None
    first = first_text(tree.body, hidden=False)
    if first is None or _SENTINEL in first[0]:
        return None  # the preheader check would read the block
    styles = tree.tags("style")
    if has_loose_media(styles):
        return None  # media-important compares the block's inline styles with the whole sheet
    return FrameFacts(
        before=Elements.of(*before_nodes).described(),
        after=Elements.of(*after_nodes).described(),
        text_before=segment_text(paragraphs[: found[0]]),
        text_after=segment_text(paragraphs[found[0] + 1 :]),
        first_text=first,
        has_lang=has_lang(tree),
        has_viewport=has_viewport(tree),
        sheets=sheets_of(styles),
        ancestors=ancestors,
        prefix=_doctype(shell) + "<html><body>" + "".join(f"<{tag}>" for tag in ancestors),
    )


def _doctype(html: str) -> str:
    found = DOCTYPE.match(html)
    return found.group(1) if found else ""


_Nodes = tuple[list[LexborNode], list[LexborNode], list[LexborNode]]  # links, images, styled


def _segments(root: LexborNode) -> tuple[tuple[_Nodes, _Nodes], LexborNode] | None:
    """The links, images and styled elements before and after the block, and the block's parent;
    None unless the block is the sentinel alone and no element the checks read holds a slot."""
    segments: tuple[_Nodes, _Nodes] = (([], [], []), ([], [], []))
    segment = 0
    inside: list[LexborNode] = []
    parent = None
    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-comment" and node.html in (CONTENT_START, CONTENT_END):
            starts = node.html == CONTENT_START
            if starts != (segment == 0) or (not starts and not inside):
                return None
            if starts:
                parent = node.parent
            elif node.parent is None or parent is None or node.parent.mem_id != parent.mem_id:
                return None
            segment += 1
            continue
        if segment == 1:
            inside.append(node)
            continue
        links, images, styled = segments[min(segment, 1)]
        if tag == "a" or tag == "img":
            if "zqxslot" in (node.html or ""):
                return None
            (links if tag == "a" else images).append(node)
        if tag is not None and not tag.startswith("-") and "style" in node.attributes:
            if "zqxslot" in (node.attributes.get("style") or ""):
                return None
            styled.append(node)
    if segment != 2 or parent is None or len(inside) != 1 or inside[0].text_content != _SENTINEL:
        return None
    return segments, parent


def _ancestors(parent: LexborNode) -> tuple[str, ...] | None:
    """The tags from <body>'s child down to `parent`, if all of them are plain containers."""
    if parent.tag in _TABLE_PARTS:
        return None
    tags: list[str] = []
    node: LexborNode | None = parent
    while node is not None and node.tag != "body":
        if node.tag not in _ANCESTORS:
            return None
        tags.append(node.tag)
        node = node.parent
    if node is None or node.parent is None or node.parent.tag != "html":
        return None
    return tuple(reversed(tags))


class BlockReader:
    """Reads the blocks of one frame's emails. Each block is parsed as the inner HTML of its
    parent in a document of the bare ancestors (the parser's fragment algorithm, with that
    parent as context: what a whole parse builds there). The document is kept for 256 blocks,
    as making one costs more than parsing a block; replaced blocks stay in its memory until
    it goes. Not thread-safe: one per checker."""

    USES = 256

    def __init__(self, frame: FrameFacts) -> None:
        self.frame = frame
        self._document: tuple[LexborHTMLParser, LexborNode] | None = None
        self._uses = 0

    def facts(self, block: str, fields: tuple[str, str], selector: LexborCSSSelector) -> EmailFacts | None:
        """The facts of one framed email from its inlined block alone, or None to read it whole.

        `fields`: its subject and preheader; `selector`: kept by the caller, as making one per
        document costs more than the rest of the search."""
        frame = self.frame
        if _HEAD_TAGS.search(block):
            return None
        parsed = self._parse(block)
        if parsed is None:
            return None
        tree, parent = parsed
        paragraphs = block_paragraphs_in(parent)
        if paragraphs is None:
            return None
        first = frame.first_text
        if first is not None and "zqxslot" in first[0]:
            words = visible_words(SLOT.sub(lambda slot: fields[int(slot.group(1))], first[0]))
            if not words:
                return None  # empty: the check would read on, into the text after it
            first = (words, first[1])
        # The parser makes links and images only from their tags (<image> is an <img>), and the
        # ancestors are neither: a block without the tags has none, and no walk is needed.
        links = tree.tags("a") if "<a" in block else []
        images = tree.tags("img") if "<im" in block else []
        block_elements = Elements.read(links, images, _styled_below(parent, selector))
        return EmailFacts(
            elements=frame.before + block_elements + frame.after,
            text=text_from(frame.text_before, segment_text(paragraphs), frame.text_after),
            preheader=first,
            has_lang=frame.has_lang,
            has_viewport=frame.has_viewport,
            sheets=frame.sheets,
            media=(),
        )

    def _parse(self, block: str) -> tuple[LexborHTMLParser, LexborNode] | None:
        if self._document is None or self._uses >= self.USES:
            tree = LexborHTMLParser(self.frame.prefix)
            parent = _descend(tree, self.frame.ancestors)
            if parent is None:
                return None
            self._document, self._uses = (tree, parent), 0
        self._uses += 1
        tree, parent = self._document
        parent.inner_html = block
        return tree, parent


def _styled_below(parent: LexborNode, selector: LexborCSSSelector) -> tuple[Styled, ...]:
    """The inline styles below `parent` in document order, each with its element or a way to it
    (found only for a css-support hit, while the block is still in the document)."""
    if TEXT_WALK is None:
        return tuple((node.attributes.get("style") or "", node) for node in _styled_nodes(parent, selector))

    def owner(index: int) -> LexborNode:
        return _styled_nodes(parent, selector)[index]

    return tuple(
        (style, partial(owner, index)) for index, style in enumerate(TEXT_WALK.styles(parent.mem_id))
    )


def _styled_nodes(parent: LexborNode, selector: LexborCSSSelector) -> list[LexborNode]:
    """The elements below `parent` with an inline style, in document order."""
    parent_id = parent.mem_id
    return [node for node in selector.find("[style]", parent) if node.mem_id != parent_id]  # finds parent too


def _descend(tree: LexborHTMLParser, tags: tuple[str, ...]) -> LexborNode | None:
    """The block's parent in the small document: each ancestor is the first child of the last."""
    node = tree.body
    for tag in tags:
        node = node.child if node is not None else None
        if node is None or node.tag != tag:
            return None
    return node
