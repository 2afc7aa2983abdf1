"""The plain-text part of an email, made from its HTML.

Paragraphs wrap at 72 columns (what plain-text mail readers expect), URLs never break, a link
reads "label (https://…)" (or just the URL when the label is the URL), lists keep their
bullets or numbers, and hidden parts (the preheader, Outlook-only blocks) are left out.

The walk runs in C where _textwalk.c is built (TEXT_WALK; the same paragraphs, about four times
as fast); the Python walk here is its twin and the reference its tests compare with.
"""

from __future__ import annotations

import logging
import re
import textwrap
from types import ModuleType

import selectolax.lexbor
from selectolax.lexbor import LexborHTMLParser, LexborNode

from seqstudio.core.native import load_kernel

log = logging.getLogger(__name__)

WIDTH = 72
_SKIP = frozenset(
    {"head", "style", "script", "title", "template", "noscript", "meta", "link", "img", "-comment"}
)
_BLOCK = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "section", "article", "header",
     "footer", "center", "dl", "dt", "dd", "address", "form", "fieldset", "main", "nav", "figure"}
)  # fmt: skip
_HIDDEN = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f"))
# The same characters for one scan in C first: translate() looks every character up.
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f]")
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")


class _Block:
    # A plain class with slots: made tens of times per email, a dataclass costs more.
    __slots__ = ("follow", "has_text", "item", "lines", "prefix")

    def __init__(self, prefix: str = "", follow: str = "", item: int = 0) -> None:
        self.prefix = prefix
        self.follow = follow  # indent of wrapped lines after the first
        self.item = item  # a list item: the list's key; joins the item before it of the same list
        self.has_text = False
        self.lines: list[list[str]] = [[]]


class _Writer:
    def __init__(self) -> None:
        self.paragraphs: list[tuple[str, int]] = []
        self.block = _Block()
        self.quote_depth = 0
        self.lists = 0  # lists seen so far: each list's items join only each other

    def text(self, text: str) -> None:
        if text.isspace():
            if self.block.has_text:
                self.block.lines[-1].append(" ")
            return
        self.block.has_text = True
        self.block.lines[-1].append(text)

    def line_break(self) -> None:
        self.block.lines.append([])

    def end_block(self, prefix: str = "", follow: str = "", item: int = 0) -> None:
        block = self.block
        if not block.has_text:  # most blocks of a table layout: the same steps as below, sooner
            if block.prefix and not prefix:
                return
            if not prefix and not item and not block.item and not block.lines[-1]:
                block.lines = [[]]
                return
            self.block = _Block(prefix=prefix, follow=follow, item=item)
            return
        wrapped: list[str] = []
        if block.has_text:
            quote = "> " * self.quote_depth
            for pieces in block.lines:
                line = _SPACE.sub(" ", "".join(pieces)).strip()
                if not line:
                    continue
                first = quote + (block.prefix if not wrapped else block.follow)
                if len(first) + len(line) <= WIDTH:
                    wrapped.append(first + line)  # most lines are short: nothing to wrap
                    continue
                wrapped += wrap(line, first, quote + block.follow)
        if wrapped:
            self.paragraphs.append(("\n".join(wrapped), block.item))
        elif block.prefix and not prefix:
            return  # an empty block keeps its list marker for the paragraph inside the item
        elif not prefix and not item and not block.item and not block.lines[-1]:
            block.lines = [[]]
            return  # nothing was written: reuse the block
        self.block = _Block(prefix=prefix, follow=follow, item=item)

    def joined(self) -> str:
        return _joined(self.paragraphs)

    def pristine(self) -> bool:
        """Nothing pending: what follows is written as if by a new writer (quote and lists
        aside, which the walk restores as it leaves them)."""
        block = self.block
        return not block.has_text and not block.prefix and not block.item and not any(block.lines)


def _joined(paragraphs: list[tuple[str, int]]) -> str:
    parts: list[str] = []
    previous_item = 0
    for text, item in paragraphs:
        if parts:
            parts.append("\n" if item and item == previous_item else "\n\n")
        parts.append(text)
        previous_item = item
    return "".join(parts)


def wrap(line: str, first: str, follow: str) -> list[str]:
    """`line` (spaces already collapsed, stripped) wrapped at WIDTH, URLs and other long words
    kept whole: exactly textwrap.wrap(line, WIDTH, initial_indent=first, subsequent_indent=follow,
    break_long_words=False, break_on_hyphens=False), for a quarter of its time."""
    if not line.isprintable() or WIDTH - max(len(first), len(follow)) < 2:
        return textwrap.wrap(  # whitespace or indents that only textwrap's own rules settle
            line,
            width=WIDTH,
            initial_indent=first,
            subsequent_indent=follow,
            break_long_words=False,
            break_on_hyphens=False,
        )
    lines: list[str] = []
    indent, room = first, WIDTH - len(first)
    words: list[str] = []
    used = 0
    for word in line.split(" "):
        if words and used + 1 + len(word) <= room:
            words.append(word)
            used += 1 + len(word)
            continue
        if words:
            lines.append(indent + " ".join(words))
            indent, room = follow, WIDTH - len(follow)
        words, used = [word], len(word)
    if words:
        lines.append(indent + " ".join(words))
    return lines


def html_to_text(html: str) -> str:
    """Readable plain text for `html`; always ends with one newline (empty input gives "")."""
    return tree_to_text(LexborHTMLParser(html))


def tree_to_text(tree: LexborHTMLParser) -> str:
    """As html_to_text, for a document already parsed (the checks parse it once for both)."""
    return text_from(segment_text(paragraphs_in(tree.body)) if tree.body is not None else None)


Paragraphs = list[tuple[str, int]]  # (text, list key): items of one list are joined by one newline


def paragraphs_in(node: LexborNode) -> Paragraphs:
    """The paragraphs the children of `node` make."""
    if TEXT_WALK is not None:
        paragraphs: Paragraphs = TEXT_WALK.paragraphs(node.mem_id, False)
        return paragraphs
    writer = _Writer()
    _walk(node, writer, list_stack=[])
    writer.end_block()
    return writer.paragraphs


def block_paragraphs_in(node: LexborNode) -> Paragraphs | None:
    """As paragraphs_in, or None when the children leave something pending that would change
    how text after them is written (an empty list item's marker): a caller that writes the text
    after them apart (frame_facts.py) cannot, then."""
    if TEXT_WALK is not None:
        paragraphs: Paragraphs | None = TEXT_WALK.paragraphs(node.mem_id, True)
        return paragraphs
    writer = _Writer()
    _walk(node, writer, list_stack=[])
    if writer.block.has_text:
        writer.end_block()
    return writer.paragraphs if writer.pristine() else None


def segment_text(paragraphs: Paragraphs) -> str | None:
    """A segment's part of text_from(): its paragraphs joined, invisible characters taken out;
    None for no paragraphs (a frame keeps its segments' parts, to join them to each email's)."""
    joined = _joined(paragraphs)
    if not joined:
        return None
    return joined.translate(_INVISIBLE) if _HAS_INVISIBLE.search(joined) else joined


def text_from(*parts: str | None) -> str:
    """The plain text of paragraphs written one segment after another, from the segments'
    parts (segment_text). Paragraphs of two segments never join as items of one list (a list
    does not span segments), so the parts are joined by a blank line."""
    text = "\n\n".join(part for part in parts if part is not None).strip()
    return text + "\n" if text else ""


def _link_text(node: LexborNode, attrs: dict[str, str | None]) -> str:
    child = node.child
    if child is not None and child.next is None and child.tag == "-text":
        # most links hold one text: the walk below would give its words joined by spaces
        label = " ".join((child.text_content or "").split())
    else:
        inner = _Writer()
        _walk(node, inner, list_stack=[])
        inner.end_block()
        label = " ".join(inner.joined().split())
    if not label:
        image = node.css_first("img[alt]")
        label = (image.attributes.get("alt") or "").strip() if image is not None else ""
    href = (attrs.get("href") or "").strip()
    if not href or href.startswith("#") or href.lower().startswith("javascript:"):
        return label
    shown = href[7:] if href.lower().startswith("mailto:") else href
    if not label or label.rstrip("/") == shown.rstrip("/"):
        return shown
    return f"{label} ({shown})"


def _walk(parent: LexborNode, writer: _Writer, list_stack: list[list[int]]) -> None:
    for node in parent.iter(include_text=True):
        tag = node.tag
        if tag == "-text":  # writer.text, inlined: most nodes are text, half of it whitespace
            text = node.text_content or ""
            block = writer.block
            if not text.isspace():
                block.has_text = True
                block.lines[-1].append(text)
            elif block.has_text:
                block.lines[-1].append(" ")
            continue
        if tag in _SKIP or tag is None or tag.startswith("-"):
            continue
        attrs = node.attributes  # a plain dict: a third of the cost of node.attrs lookups
        style = attrs.get("style")
        if style is not None:
            lowered = style.lower()  # inlined styles are long: a substring test before the regex
            if ("none" in lowered or "mso-hide" in lowered) and _HIDDEN.search(lowered) is not None:
                continue
        if "hidden" in attrs:
            continue
        if tag == "br":
            writer.line_break()
        elif tag == "a":
            writer.text(_link_text(node, attrs))
        elif tag == "hr":
            writer.end_block()
            writer.text("-" * 20)
            writer.end_block()
        elif tag in ("ul", "ol"):
            writer.end_block()
            writer.lists += 1
            list_stack.append([0 if tag == "ol" else -1, writer.lists])
            _walk(node, writer, list_stack)
            list_stack.pop()
            writer.end_block()
        elif tag == "li":
            counter = list_stack[-1] if list_stack else [-1, 0]
            indent = "  " * max(len(list_stack) - 1, 0)
            if counter[0] >= 0:
                counter[0] += 1
                marker = f"{counter[0]}. "
            else:
                marker = "- "
            key = counter[1]
            writer.end_block(prefix=indent + marker, follow=indent + " " * len(marker), item=key)
            _walk(node, writer, list_stack)
            writer.end_block(item=key)
        elif tag == "blockquote":
            writer.end_block()
            writer.quote_depth += 1
            _walk(node, writer, list_stack)
            writer.end_block()
            writer.quote_depth -= 1
        elif tag in ("td", "th"):
            writer.text(" ")
            _walk(node, writer, list_stack)
            writer.text(" ")
        elif tag in _BLOCK:
            writer.end_block()
            _walk(node, writer, list_stack)
            writer.end_block()
        else:
            _walk(node, writer, list_stack)


def _load_text_walk() -> ModuleType | None:
    """The walk above in C (_textwalk.c), or None where it is not built or cannot read the tree."""
    kernel = load_kernel("seqstudio.core.render", "_textwalk")
    if kernel is None:
        return None
    try:
        kernel.init(selectolax.lexbor.__file__, _HIDDEN, wrap)
    except ImportError as error:  # a selectolax that does not export what the walk calls
        log.warning("the plain-text walk runs in Python: %s", error)
        return None
    return kernel


TEXT_WALK = _load_text_walk()
