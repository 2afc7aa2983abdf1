"""CSS inlining for delivery, with css-inline (Rust, html5ever).

Chosen by measurement over premailer (see benchmarks/render_speed.py): same output where it
matters, far faster. @media and other at-rules stay in a <style> block (phones need them), and
the source's own doctype is put back because the HTML5 serialiser writes `<!DOCTYPE html>`.

An email rendered from a frame (see frames.py) is inlined in two parts: the frame once, and per
email only its own block, inside a small document with the same doctype, styles and ancestors,
whose output is spliced into the inlined frame. Three quarters of the work of inlining a whole
email is parsing and writing out the frame. The small document carries only the style rules
that may reach the block (sheet_rules.py): parsing the frame's whole CSS per email cost as much
again as the block. The button after the body is inlined once per frame too (block_tail.py).
The result is the same text as inlining the whole document (tests/core/render/test_frames.py,
test_inline_prune.py, test_block_tail.py); a frame where that cannot be shown is inlined whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

import css_inline
from markupsafe import escape
from selectolax.lexbor import LexborHTMLParser, LexborNode

from seqstudio.core.errors import StudioError
from seqstudio.core.render.block_tail import BODY, TailTemplate, as_text, split_at_body
from seqstudio.core.render.frames import (
    CONTENT_END,
    CONTENT_START,
    DOCTYPE,
    SLOT_FIELDS,
    SLOT_MARKERS,
    Frame,
    FramedEmail,
    Parts,
)
from seqstudio.core.render.sheet_rules import SheetRules

_TEXT_SLOTS = frozenset({SLOT_FIELDS.index("subject"), SLOT_FIELDS.index("preheader")})
# Elements whose text is written out raw, not escaped: a slot there cannot be spliced in.
_RAW_TEXT = frozenset({"style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript"})
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SELECTOR = re.compile(r"([^{}]*)\{[^{}]*\}")
# What a selector may use for the email's block to be inlined apart: the block keeps its
# ancestors and everything inside, but not its ancestors' siblings, so no sibling combinators
# and no pseudo-classes (:first-child, :has(), … could look at those).
_SIBLING_OR_PSEUDO = re.compile(r"[:+~]")
# Formatting elements: the parser may clone an open one, with its attributes, into the block.
_FORMATTING = frozenset(
    {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}
)
_WORD = re.compile(r"[\w-]+")


class InlineError(StudioError):
    """The HTML could not be inlined (broken CSS the inliner refuses)."""


class HtmlInliner(Protocol):
    def inline(self, html: str) -> str:
        """The document with its <style> rules in style="" attributes, @-rules kept."""
        ...


@dataclass(frozen=True)
class _InlinedFrame:
    """A frame inlined once: the text around the email's block, and the small document that
    inlines a block the same way the whole email would."""

    before: Parts  # subject and preheader slots only, in text
    after: Parts
    head: str  # doctype, <html>, <head>
    styles: str  # the frame's <style> elements, used when rules is None
    rules: SheetRules | None
    body: str  # </head>, the block's ancestors
    suffix: str
    outside_bytes: int = 0  # UTF-8 bytes of `before` and `after` without their slots
    # The block as its body and a tail inlined once (block_tail.py), when a probe proved it.
    lead: str = ""
    tail: TailTemplate | None = None


class Inliner:
    """Holds one configured css-inline instance and the frames inlined so far; thread-safe
    (two threads may both inline a new frame once), reuse it."""

    def __init__(self) -> None:
        self._inliner = css_inline.CSSInliner(
            keep_style_tags=False,
            keep_link_tags=False,
            keep_at_rules=True,
            load_remote_stylesheets=False,
        )
        self._frames: dict[tuple[object, ...], _InlinedFrame | None] = {}

    def inline(self, html: str) -> str:
        """The document with every <style> rule moved into style="" attributes, except @-rules."""
        try:
            inlined: str = self._inliner.inline(html)
        except (css_inline.InlineError, ValueError) as error:
            raise InlineError(f"The CSS of this email could not be inlined: {error}", repr(error)) from error
        return restore_doctype(html, inlined)

    def inline_framed(
        self,
        frame: Frame,
        values: tuple[str, ...],
        subject: str,
        preheader: str,
        cta: tuple[str, str] | None = None,
    ) -> FramedEmail | None:
        """`frame.source(values)` inlined, with its parts, or None when this email must be
        inlined whole.

        `subject`, `preheader` and `cta` (label, address) are the fields unescaped (values holds
        them escaped); without `cta` the button is inlined with the body every time.
        """
        if _rewritten(subject) or _rewritten(preheader):
            return None  # the HTML parser rewrites these: only a whole parse gives the same text
        inlined = self._frames.get(frame.key, _UNSEEN)
        if inlined is _UNSEEN:
            inlined = self._inline_frame(frame)
            if len(self._frames) >= 64:
                self._frames.pop(next(iter(self._frames)), None)  # another thread may have popped it
            self._frames[frame.key] = inlined
        if inlined is None:
            return None
        if inlined.tail is not None and cta is not None and not any(map(_rewritten, cta)):
            block = self._inline_block(inlined, inlined.lead + values[BODY])  # the button was inlined once
            block = None if block is None else block + inlined.tail.fill(*cta)
        else:
            block = self._inline_block(inlined, frame.content.join(values))
        if block is None:
            return None
        spliced = (as_text(subject), as_text(preheader), "", "", "")  # only these occur outside the block
        sizes = [len(text.encode("utf-8")) for text in spliced[:2]]
        size = inlined.outside_bytes + len(block.encode("utf-8"))
        size += sum(sizes[slot] for slot in inlined.before.slots + inlined.after.slots)
        return FramedEmail(
            html=inlined.before.join(spliced) + block + inlined.after.join(spliced),
            frame_before=inlined.before,
            frame_after=inlined.after,
            block=block,
            size=size,
        )

    def _inline_block(self, inlined: _InlinedFrame, block: str) -> str | None:
        """`block` inlined in the frame's small document, or None (see inline_framed)."""
        styles = inlined.styles if inlined.rules is None else inlined.rules.styles_for(block)
        document = inlined.head + styles + inlined.body + CONTENT_START + block + CONTENT_END + inlined.suffix
        try:
            out: str = self._inliner.inline(document)
        except (css_inline.InlineError, ValueError):
            return None  # the whole email gets the same error, with its message
        _, start, rest = out.partition(CONTENT_START)
        block, end, _ = rest.partition(CONTENT_END)
        if not start or not end or CONTENT_START in block:
            return None
        return block

    def _with_tail(self, frame: Frame, inlined: _InlinedFrame) -> _InlinedFrame:
        """`inlined` with the block's tail inlined once, if a probe email gives the same block
        that way as inlined whole (block_tail.py)."""
        split = split_at_body(frame.content)
        if split is None:
            return inlined
        lead, tail = split
        whole_styles = replace(inlined, rules=None)  # the tail is inlined once: every rule
        out = self._inline_block(whole_styles, tail.join(SLOT_MARKERS))
        template = TailTemplate.read(out) if out is not None else None
        if template is None:
            return inlined
        candidate = replace(inlined, lead=lead, tail=template)
        for body, label, url in _PROBES:
            values = ("", "", body, str(escape(label)), str(escape(url)))  # in SLOT_FIELDS order
            whole = self._inline_block(inlined, frame.content.join(values))
            apart = self._inline_block(candidate, lead + body)
            if whole is None or apart is None or whole != apart + template.fill(label, url):
                return inlined
        return candidate

    def _inline_frame(self, frame: Frame) -> _InlinedFrame | None:
        """The frame inlined with an empty block, or None when inlining it apart is not sure to
        give what inlining each whole email gives."""
        if not frame.has_content_block:
            return None
        outside = frame.before.slots + frame.after.slots
        if not set(outside) <= _TEXT_SLOTS:
            return None
        shell = frame.before.join(SLOT_MARKERS) + CONTENT_START + CONTENT_END + frame.after.join(SLOT_MARKERS)
        tree = LexborHTMLParser(shell)
        if tree.css_first("link") is not None or _text_slot_count(tree) != len(outside):
            return None
        style_nodes = tree.tags("style")
        if any(node.attributes for node in style_nodes):
            return None  # media="…" or data-css-inline="ignore" would be lost in the small document
        sheets = [node.text() for node in style_nodes]
        if any(_SIBLING_OR_PSEUDO.search(sel) for sheet in sheets for sel in _selectors(sheet)):
            return None
        start = _comment(tree, CONTENT_START)
        if start is None or start.parent is None:
            return None
        try:
            inlined = self.inline(shell)
        except InlineError:
            return None
        head, found, rest = inlined.partition(CONTENT_START)
        between, found_end, tail = rest.partition(CONTENT_END)
        before, after = Parts.split(head), Parts.split(tail)
        if not found or not found_end or between or sorted(before.slots + after.slots) != sorted(outside):
            return None
        ancestors = []
        node: LexborNode | None = start.parent
        while node is not None and node.tag not in (None, "-document"):
            ancestors.append(node)
            node = node.parent
        ancestors.reverse()
        if not ancestors or ancestors[0].tag != "html":
            return None
        doctype = DOCTYPE.match(shell)
        words = [(n.tag, {w.lower() for w in _WORD.findall(_open_tag(n))}) for n in ancestors]
        cloned = frozenset(w for tag, found in words if tag in _FORMATTING for w in found)
        around = frozenset().union(*(found for _, found in words))
        return self._with_tail(
            frame,
            _InlinedFrame(
                before=before,
                after=after,
                head=(doctype.group(1) if doctype else "") + _open_tag(ancestors[0]) + "<head>",
                styles="".join(f"<style>{sheet}</style>" for sheet in sheets),
                rules=SheetRules.split(
                    sheets, cloned=cloned, around=around, known="\x00".join(frame.content.literals).lower()
                ),
                body="</head>" + "".join(_open_tag(n) for n in ancestors[1:]),
                suffix="".join(f"</{n.tag}>" for n in reversed(ancestors)),
                outside_bytes=sum(len(text.encode("utf-8")) for text in before.literals + after.literals),
            ),
        )


_UNSEEN = _InlinedFrame(Parts(("",), ()), Parts(("",), ()), "", "", None, "", "")


def _rewritten(text: str) -> bool:
    """Whether the HTML parser changes `text` (carriage returns, NUL): it then reads differently
    spliced in than parsed with the whole email."""
    return "\r" in text or "\x00" in text


# Probe emails for _with_tail: (body HTML, button label, button address), with what escaping touches.
_PROBES = (
    ("<p>probe</p>\n", "Go & <go> \"now\" 'x'\u00a0y", "https://p.example/?a=1&b=\"2\"&c='3'<>\u00a0"),
    ("", "", "https://p.example/"),
)


def _comment(tree: LexborHTMLParser, html: str) -> LexborNode | None:
    """The first comment node written as `html`, or None."""
    for node in tree.root.traverse(include_text=True) if tree.root is not None else ():
        if node.tag == "-comment" and node.html == html:
            return node
    return None


def _text_slot_count(tree: LexborHTMLParser) -> int:
    """Slot markers in text that is written out escaped (not in attributes or raw text)."""
    count = 0
    for node in tree.root.traverse(include_text=True) if tree.root is not None else ():
        if node.tag == "-text" and "zqxslot" in (node.text_content or ""):
            parent = node.parent
            if parent is None or parent.tag in _RAW_TEXT:
                return -1
            count += len(Parts.split(node.text_content or "").slots)
    return count


def _selectors(css: str) -> list[str]:
    """Every selector list in `css`, inside @media blocks too (the at-rule preludes are not)."""
    return [match.group(1) for match in _SELECTOR.finditer(_CSS_COMMENT.sub("", css))]


def _open_tag(node: LexborNode) -> str:
    attrs = "".join(
        f" {name}" if value is None else f' {name}="{value.replace("&", "&amp;").replace(chr(34), "&quot;")}"'
        for name, value in node.attributes.items()
    )
    return f"<{node.tag}{attrs}>"


def restore_doctype(source: str, inlined: str) -> str:
    """`inlined` with the doctype of `source` (or none, if the source had none)."""
    original = DOCTYPE.match(source)
    produced = DOCTYPE.match(inlined)
    body = inlined[produced.end() :].lstrip("\n") if produced else inlined
    return f"{original.group(1)}\n{body}" if original else body
