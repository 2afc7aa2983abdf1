"""CSS inlining for delivery, with css-inline (Rust, html5ever).

Chosen by measurement over premailer (see benchmarks/render_speed.py): same output where it
matters, far faster. @media and other at-rules stay in a <style> block (phones need them), and
the source's own doctype is put back because the HTML5 serialiser writes `<!DOCTYPE html>`.
"""

from __future__ import annotations

import re
from typing import Protocol

import css_inline

from seqstudio.core.errors import StudioError

_DOCTYPE = re.compile(r"^\s*(<!DOCTYPE[^>]*>)", re.IGNORECASE)


class InlineError(StudioError):
    """The HTML could not be inlined (broken CSS the inliner refuses)."""


class HtmlInliner(Protocol):
    def inline(self, html: str) -> str:
        """The document with its <style> rules in style="" attributes, @-rules kept."""
        ...


class Inliner:
    """Holds one configured css-inline instance; thread-safe, reuse it."""

    def __init__(self) -> None:
        self._inliner = css_inline.CSSInliner(
            keep_style_tags=False,
            keep_link_tags=False,
            keep_at_rules=True,
            load_remote_stylesheets=False,
        )

    def inline(self, html: str) -> str:
        """The document with every <style> rule moved into style="" attributes, except @-rules."""
        try:
            inlined: str = self._inliner.inline(html)
        except (css_inline.InlineError, ValueError) as error:
            raise InlineError(f"The CSS of this email could not be inlined: {error}", repr(error)) from error
        return restore_doctype(html, inlined)


def restore_doctype(source: str, inlined: str) -> str:
    """`inlined` with the doctype of `source` (or none, if the source had none)."""
    original = _DOCTYPE.match(source)
    produced = _DOCTYPE.match(inlined)
    body = inlined[produced.end() :].lstrip("\n") if produced else inlined
    return f"{original.group(1)}\n{body}" if original else body
