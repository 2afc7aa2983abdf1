"""A frame's style sheets cut into rules, so that the small document each email's block is
inlined in (see inline.py) carries only the rules that can reach that block.

Exact by construction. At-rules are left out: css-inline never inlines them (it keeps them in a
<style> in <head>, which the small document throws away). A plain rule puts declarations only on
the elements its subject (rightmost compound) selector matches, and only the block's elements are
kept, so a rule is left out when none of its selectors can match an element of the block: the
subject's tag, classes and id are not all in the block's text (or made by the parser), or those
of a compound before it are neither there nor on the block's ancestors. Anything not parsed
simply may match, and sheets that cannot be cut with certainty are not cut at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# At-rules whose content css-inline keeps in <style> and never inlines (pinned by
# tests/core/render/test_inline_prune.py). Not @layer: css-inline inlines the rules inside it.
_KEPT_AT_RULES = frozenset(
    {
        "media", "supports", "font-face", "import", "charset", "namespace", "page", "keyframes",
        "-webkit-keyframes", "container", "font-feature-values", "counter-style", "property",
        "-moz-document", "starting-style", "viewport", "-ms-viewport",
    }
)  # fmt: skip
# What a sheet is cut at: comments, strings, unquoted url() (which may hold braces), blocks, `;`.
# An escape, a bad string or url, an unclosed comment or a CDO/CDC makes the cut unsure.
_TOKEN = re.compile(
    r"""(?P<skip>/\*.*?\*/|"(?:[^"\\\r\n\f]|\\[\s\S])*"|'(?:[^'\\\r\n\f]|\\[\s\S])*'"""
    r"""|url\(\s*[^"'()\\\s{}\[\];]*\s*\))"""
    r"""|(?P<open>[{(\[])|(?P<close>[})\]])|(?P<end>;)"""
    r"""|(?P<unsure>\\|/\*|["']|url\((?!\s*["'])|<!--|-->)""",
    re.DOTALL | re.IGNORECASE,
)
_CLOSER = {"{": "}", "(": ")", "[": "]"}
_LEADING = re.compile(r"(?:[ \t\n\r\f]|/\*.*?\*/)*", re.DOTALL)  # space and comments before a rule
_AT_NAME = re.compile(r"@([A-Za-z0-9_-]+)(?![^\s{;(\"'])")
# A selector list made only of tags, classes, ids and descendant or child combinators.
_PLAIN_PRELUDE = re.compile(r"[A-Za-z0-9_.#,> \t\n\r\f-]+")
_COMBINATORS = re.compile(r"[ \t\n\r\f>]+")
_COMPOUND = re.compile(r"([A-Za-z][A-Za-z0-9-]*)?((?:[.#][A-Za-z0-9_-]+)*)")
_NAMES = re.compile(r"[.#]([A-Za-z0-9_-]+)")
# Elements the HTML parser makes in the block without their tag written: tbody and tr around a
# cell or row, colgroup around a <col>, and an empty p for a stray </p>.
_IMPLIED_TAGS = frozenset({"tbody", "tr", "colgroup", "p"})
# Elements made once, before the block (a <body> or <head> tag in it only adds attributes), and
# ancestors of every block.
_OUTSIDE_TAGS = frozenset({"html", "head", "body"})
# Other ways a block's text makes a tag: <image> is read as <img>, and </br> as <br>.
_TAG_SPELLINGS = {"img": ("<img", "<image"), "br": ("<br", "</br")}
_TAG_NAME = re.compile(r"<(/?[a-z][a-z0-9-]*)")  # in lower-cased HTML; a prefix of the name at worst
# Character references that could spell part of a class or id: numeric ones, and the named ones
# that give ASCII letters, digits, `_` or `-` (html.entities.html5). Jinja2's &#34; and &#39;
# cannot: a quote is no part of a name.
_NAME_REFERENCE = re.compile(r"&(?:#(?!3[49];)|lowbar;|UnderBar;|fjlig;)")

Probes = tuple[str, ...]  # any of these, in the lower-cased block, meets the requirement
Selector = tuple[Probes, ...]  # all of its requirements met: the subject may be in the block
_Found = tuple[frozenset[str], tuple[bool, ...]]  # the tags in a block, and which names


@dataclass(frozen=True)
class SheetRules:
    """The plain rules of a frame's sheets in source order, at-rules left out, and for each rule
    the selectors that may match (None: always kept)."""

    rules: tuple[str, ...]
    selectors: tuple[tuple[Selector, ...] | None, ...]
    tags: frozenset[str]  # tag names the selectors need ("<h1" probes without "<")
    names: tuple[str, ...]  # classes and ids they need
    _styles: dict[_Found | None, str] = field(default_factory=dict, compare=False)

    @classmethod
    def split(
        cls, sheets: list[str], *, cloned: frozenset[str], around: frozenset[str], known: str
    ) -> SheetRules | None:
        """The sheets' rules, or None when they cannot be cut with certainty. `cloned` holds the
        lower-cased words of ancestors the parser may copy into the block; `around` those of all
        the block's ancestors; `known` lower-cased text that every block holds (what the frame
        writes around the email's fields)."""
        around = around | _OUTSIDE_TAGS
        rules: list[str] = []
        selectors: list[tuple[Selector, ...] | None] = []
        for sheet in sheets:
            cut = _cut(sheet)
            if cut is None:
                return None
            for text, block_at in cut:
                head = text[_rule_start(text) : block_at]
                if head.startswith("@"):
                    name = _AT_NAME.match(head)
                    if name is None or name.group(1).lower() not in _KEPT_AT_RULES:
                        return None
                    continue
                nested = any(match.group("open") == "{" for match in _TOKEN.finditer(text, block_at + 1))
                rules.append(text)
                selectors.append(None if nested else _selectors(head, cloned, around, known))
        probes = sorted({probe for rule in selectors for sel in rule or () for need in sel for probe in need})
        tags = frozenset(p[1:] for p in probes if p.startswith("<"))
        return cls(tuple(rules), tuple(selectors), tags, tuple(p for p in probes if not p.startswith("<")))

    def styles_for(self, block: str) -> str:
        """<style> text with every rule that may match an element of `block` (HTML), in order;
        built once per set of tags and names found."""
        found = None  # a name spelled with character references: keep every rule
        if not _NAME_REFERENCE.search(block):
            text = block.lower()
            found = (self.tags.intersection(_TAG_NAME.findall(text)), tuple([n in text for n in self.names]))
        styles = self._styles.get(found)
        if styles is None:
            if len(self._styles) >= 256:
                self._styles.clear()
            styles = self._build(found)
            self._styles[found] = styles
        return styles

    def _build(self, found: _Found | None) -> str:
        if found is None:
            probes = {"<" + tag for tag in self.tags}.union(self.names)
        else:
            probes = {"<" + tag for tag in found[0]}.union(
                n for n, hit in zip(self.names, found[1], strict=True) if hit
            )
        kept = [
            rule
            for rule, selectors in zip(self.rules, self.selectors, strict=True)
            if selectors is None or any(all(probes.intersection(need) for need in sel) for sel in selectors)
        ]
        return f"<style>{''.join(kept)}</style>" if kept else ""


def _cut(css: str) -> list[tuple[str, int]] | None:
    """Top-level rules as (text with the comments and space before it, where its block opens or
    its length), or None when not sure to cut where a CSS parser does."""
    cut: list[tuple[str, int]] = []
    stack: list[str] = []
    start, block_at = 0, -1
    for match in _TOKEN.finditer(css):
        kind, token = match.lastgroup, match.group()
        if kind == "unsure":
            return None
        if kind == "open":
            if not stack and token == "{":
                block_at = match.start() - start
            stack.append(_CLOSER[token])
        elif kind == "close":
            if not stack or stack.pop() != token:
                return None
            if not stack and token == "}":
                if block_at < 0:
                    return None
                cut.append((css[start : match.end()], block_at))
                start, block_at = match.end(), -1
        elif kind == "end" and not stack:
            text = css[start : match.end()]
            if not text.startswith("@", _rule_start(text)):
                return None  # a `;` in a rule's selectors
            cut.append((text, len(text)))
            start = match.end()
    if stack or _rule_start(css[start:]) < len(css) - start:
        return None
    return cut


def _rule_start(text: str) -> int:
    """Where the text starts after space and comments."""
    match = _LEADING.match(text)
    return match.end() if match else 0


def _selectors(
    prelude: str, cloned: frozenset[str], around: frozenset[str], known: str
) -> tuple[Selector, ...] | None:
    """What each selector needs of the block's text, or None when one may match whatever the
    block. A selector that cannot match an element of the block is left out."""
    if _PLAIN_PRELUDE.fullmatch(prelude) is None:
        return None
    out: list[Selector] = []
    for selector in prelude.split(","):
        compounds = _COMBINATORS.split(selector.strip())
        needs: list[Probes] = []
        for position, compound in enumerate(compounds, start=1 - len(compounds)):
            match = _COMPOUND.fullmatch(compound)
            if not compound or match is None:
                return None
            subject = position == 0  # the others may match the block's ancestors too
            tag = (match.group(1) or "").lower()
            if subject and tag in _OUTSIDE_TAGS:
                break
            if tag and tag not in _IMPLIED_TAGS and tag not in (cloned if subject else around):
                needs.append(_TAG_SPELLINGS.get(tag, ("<" + tag,)))
            for name in _NAMES.findall(match.group(2)):
                if name.lower() not in (cloned if subject else around):
                    needs.append((name.lower(),))
        else:
            needs = [need for need in needs if not any(probe in known for probe in need)]
            if not needs:
                return None
            out.append(tuple(dict.fromkeys(needs)))
    return tuple(out)
