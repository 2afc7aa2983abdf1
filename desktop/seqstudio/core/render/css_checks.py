"""The checks that read an email's CSS: css-support (what major clients drop, from caniemail's
data) and media-important (phone rules that an inline style overrides once inlined)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from seqstudio.core.render.css_support import CSS_HINTS, CssFeature
from seqstudio.core.render.findings import Check, Level, describe, snippet
from seqstudio.core.render.messages import message

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_MEDIA = re.compile(r"@media\b[^{]*\{", re.IGNORECASE)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_BRACE = re.compile(r"[{}]")

# An element's inline style and where it is: a description, the node to describe on a hit, or
# a function that finds that node (describing or even finding every styled element of every
# email would cost more than the search).
Styled = tuple[str, str | LexborNode | Callable[[], LexborNode]]
StyleRun = tuple[str, frozenset[str], int]  # see style_run


# Between two elements' styles when they are searched together: a ";" no feature's pattern
# crosses, so a use is found only within one element's style ("display:" then "flex" is none).
_BETWEEN = "\n;\n"


def style_run(styled: Sequence[Styled]) -> StyleRun:
    """The styles of `styled` joined by _BETWEEN and lower-cased, the CSS_HINTS in that text,
    and how many styles it joins."""
    css = _BETWEEN.join(style for style, _owner in styled).lower()
    return css, frozenset(hint for hint in CSS_HINTS if hint in css), len(styled)


def css_support(
    features: tuple[CssFeature, ...],
    sheets: str,
    styled: Sequence[Styled],
    runs: Sequence[StyleRun] = (),
) -> list[Check]:
    """One css-support warning per feature the email uses that major clients drop.

    `sheets`: the CSS of its <style> elements, lower-cased; `styled`: its elements' inline
    styles in document order; `runs`: style_run() of consecutive parts of `styled`, in order
    (a frame's parts are read once, so only the email's own part is new), or () to read `styled`.
    """
    # _BETWEEN is neither cased nor case-ignorable, so lower() of the whole join is the join of
    # the runs'; and no hint holds a part of it, so a hint in the join is in one of the runs.
    whole = sum(count for _css, _hints, count in runs) == len(styled) and bool(runs)
    inline = None
    checks = []
    for feature in features:
        match = feature.search(sheets)
        where = "<style>"
        if match is None:
            if (
                whole
                and feature.hint in CSS_HINTS
                and not any(feature.hint in hints for _css, hints, _n in runs)
            ):
                continue
            if inline is None:
                inline = (
                    _BETWEEN.join(css for css, _hints, _count in runs)
                    if whole
                    else _BETWEEN.join(style for style, _owner in styled).lower()
                )
            match = feature.search(inline)
            if match is None:
                continue
            # find the element only for a hit: most emails have none
            owner = next(owner for style, owner in styled if feature.search(style.lower()))
            if isinstance(owner, str):
                where = owner
            else:
                where = describe(owner if isinstance(owner, LexborNode) else owner())
        text = message(
            "css-support", title=feature.title, clients=feature.clients_phrase(), tested=feature.tested
        )
        checks.append(Check("css-support", Level.WARNING, text, snippet(f"{where} {match.group(0)}")))
    return checks


def _media_blocks(css: str) -> list[str]:
    """The bodies of the @media blocks in `css` (comments removed), braces matched."""
    css = _COMMENT.sub("", css)
    blocks = []
    for match in _MEDIA.finditer(css):
        depth = 1
        for brace in _BRACE.finditer(css, match.end()):
            depth += 1 if brace.group() == "{" else -1
            if depth == 0:
                blocks.append(css[match.end() : brace.start()])
                break
    return blocks


def media_important(tree: LexborHTMLParser, styles: list[LexborNode] | None = None) -> list[Check]:
    """A phone-only @media declaration without !important loses to an inline style for the same
    property, so once the email is inlined for sending, phones never see it. Flags only the
    declarations that an element's inline style actually overrides."""
    for style in tree.tags("style") if styles is None else styles:
        for selectors, prop, declaration in _loose_media_declarations(style.text()):
            if _overridden(tree, selectors, prop):
                where = snippet(f"{selectors.strip()} {{ {declaration.strip()} }}")
                return [Check("media-important", Level.WARNING, message("media-important"), where)]
    return []


def has_loose_media(styles: list[LexborNode]) -> bool:
    """Whether any phone-only declaration lacks !important (media-important reads the elements)."""
    return any(_loose_media_declarations(style.text()) for style in styles)


@lru_cache(maxsize=64)  # a parse of the sheet alone: every email of a layout has the same
def _loose_media_declarations(css: str) -> tuple[tuple[str, str, str], ...]:
    """(selectors, property, declaration) of each @media declaration without !important."""
    if "@media" not in css.lower():
        return ()
    found = []
    for block in _media_blocks(css):
        for selectors, body in _RULE.findall(block):
            for declaration in body.split(";"):
                prop, colon, _value = declaration.partition(":")
                if colon and "!important" not in declaration.replace(" ", "").lower():
                    found.append((selectors, prop.strip().lower(), declaration))
    return tuple(found)


def _overridden(tree: LexborHTMLParser, selectors: str, prop: str) -> bool:
    declares = re.compile(rf"(?:^|;)\s*{re.escape(prop)}\s*:", re.IGNORECASE)
    for selector in selectors.split(","):
        try:
            nodes = tree.css(selector.strip())
        except (ValueError, RuntimeError):
            continue  # a selector Lexbor cannot read (client hacks): nothing to compare
        if any(declares.search(node.attributes.get("style") or "") for node in nodes):
            return True
    return False
