"""markdown_to_html calls cmark-gfm directly: the same HTML as cmarkgfm's own wrapper gives."""

from __future__ import annotations

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from seqstudio.core.render.markdown_body import markdown_to_html

_BODIES = [
    "",
    "Hi {{ first_name }},\n\nThanks for *signing up*.\n\n- one\n- two\n\n> quoted",
    "~~gone~~ and www.example.com and https://fernweh.example/a?b=1 and me@example.org",
    "<script>alert(1)</script> <b>raw</b>\n\n<div>block</div>",
    "[x](javascript:alert(1)) [y](data:text/html,z) ![i](https://x.example/i.png)",
    "Ümläute ✓ 🇩🇪 \u200b\u00a0 \u017f",
    "# Title\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nline  \nbreak",
    "a lone surrogate \udcff raises as before",
]


@pytest.mark.parametrize("body", _BODIES)
def test_markdown_to_html_matches_the_cmarkgfm_wrapper(body: str) -> None:
    try:
        expected = cmarkgfm.markdown_to_html_with_extensions(
            body, options=Options.CMARK_OPT_VALIDATE_UTF8, extensions=["strikethrough", "autolink"]
        ).replace("<!-- raw HTML omitted -->", "")
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            markdown_to_html(body)
        return
    assert markdown_to_html(body) == expected
    assert markdown_to_html(body) == expected  # the handles looked up once serve every call
