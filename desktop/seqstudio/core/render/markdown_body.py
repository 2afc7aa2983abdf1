"""Step bodies are Markdown; this turns them into the HTML fragment a layout wraps.

cmark-gfm (C, the CommonMark reference parser; what PyPI renders READMEs with) in its default
safe mode: raw HTML in a body is dropped and javascript:, vbscript:, file: and data: links are
emptied, so text a user or a model wrote cannot inject markup. The link check flags the
emptied link. Chosen over markdown-it-py by measurement: about 25x faster on a step body.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

_OMITTED = "<!-- raw HTML omitted -->"
_EXTENSIONS = ("strikethrough", "autolink")
_OPTIONS = Options.CMARK_OPT_VALIDATE_UTF8


def markdown_to_html(text: str) -> str:
    """HTML for a Markdown body; never raises, never passes raw HTML or script links through.

    The C calls of cmarkgfm's markdown_to_html_with_extensions (tests/core/render/
    test_markdown_body.py compares the two), with the extensions looked up once, not by name
    on every call.
    """
    lib = _cmark.lib
    parser = lib.cmark_parser_new(_OPTIONS)
    try:
        for extension in _extensions():
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        encoded = text.encode("utf-8")
        lib.cmark_parser_feed(parser, encoded, len(encoded))
        root = lib.cmark_parser_finish(parser)
        if lib.cmark_node_get_type(root) == lib.CMARK_NODE_NONE:
            raise ValueError("Error parsing markdown!")
        rendered = lib.cmark_render_html(root, _OPTIONS, lib.cmark_parser_get_syntax_extensions(parser))
        html: str = _cmark.ffi.string(rendered).decode("utf-8")
    finally:
        lib.cmark_parser_free(parser)
    return html.replace(_OMITTED, "")


@cache
def _extensions() -> tuple[Any, ...]:
    """The extensions' handles in cmark's registry, which lives as long as the process."""
    lib = _cmark.lib
    lib.cmark_gfm_core_extensions_ensure_registered()
    found = tuple(lib.cmark_find_syntax_extension(name.encode("utf-8")) for name in _EXTENSIONS)
    if any(extension == _cmark.ffi.NULL for extension in found):
        raise ValueError(f"Unknown extension among {_EXTENSIONS}")
    return found
