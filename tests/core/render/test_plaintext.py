"""The plain-text part: readable links, lists, wrapping, hidden parts left out. Postmark ships a
hand-written text part beside each HTML template; ours must carry the same words and links."""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Callable

import pytest

from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.plaintext import WIDTH, html_to_text, wrap

Read = Callable[[str], str]
POSTMARK = ["welcome", "invoice", "receipt", "password-reset", "comment-notification"]


@pytest.mark.parametrize("name", POSTMARK)
def test_carries_the_words_and_links_of_postmarks_own_text_part(
    inliner: Inliner, template: Read, name: str
) -> None:
    ours = html_to_text(inliner.inline(template(f"postmark/basic-full-{name}.html")))
    theirs = template(f"postmark/basic-full-{name}.txt")
    squeeze = re.compile(r"\s+")
    links = [squeeze.sub("", link) for link in re.findall(r"\( (\S.*?) \)", theirs)]
    assert links, "the fixture has links"
    for link in links:
        assert f"({link})" in squeeze.sub("", ours), link
    # Their first paragraph repeats the hidden preheader; ours leaves hidden text out.
    body = theirs.split("\n\n", 1)[1]
    words = set(re.findall(r"[A-Za-z]{3,}", body))
    assert words <= set(re.findall(r"[A-Za-z]{3,}", ours))


def test_the_preheader_and_hidden_parts_stay_out(inliner: Inliner, template: Read) -> None:
    text = html_to_text(inliner.inline(template("leemunroe/email.html")))
    assert "This is preheader text" not in text
    assert text.startswith("Hi there\n\nSometimes you just want")
    assert "Call To Action (http://htmlemail.io)" in text
    assert "Unsubscribe (http://htmlemail.io/blog)" in text


@pytest.mark.parametrize(
    "name",
    ["sendwithus/cerberus-hybrid.html", "sendwithus/meow-welcome.html", "postmark/basic-full-receipt.html"],
)
def test_lines_wrap_at_72_except_unbreakable_urls(inliner: Inliner, template: Read, name: str) -> None:
    text = html_to_text(inliner.inline(template(name)))
    assert text.endswith("\n") and "\n\n\n" not in text
    for line in text.splitlines():
        assert len(line) <= WIDTH or " " not in line.strip() or "://" in line, line


def test_lists_quotes_and_links() -> None:
    html = (
        "<body><p>Start</p><ul><li>one</li><li>two <a href='https://a.example/x'>link</a></li></ul>"
        "<ol><li><p>first</p></li><li><p>second</p></li></ol><blockquote><p>quoted</p></blockquote>"
        "<p><a href='mailto:hi@a.example'>hi@a.example</a> <a href='https://b.example'>https://b.example</a>"
        " <a href='#'>top</a></p><hr><p>after<br>break</p></body>"
    )
    assert html_to_text(html) == (
        "Start\n\n- one\n- two link (https://a.example/x)\n\n1. first\n2. second\n\n> quoted\n\n"
        "hi@a.example https://b.example top\n\n--------------------\n\nafter\nbreak\n"
    )


def test_long_paragraphs_wrap_and_list_items_hang() -> None:
    words = " ".join(["steep"] * 30)
    text = html_to_text(f"<p>{words}</p><ul><li>{words}</li></ul>")
    para, item = text.strip().split("\n\n")
    assert all(len(line) <= WIDTH for line in text.splitlines())
    assert item.startswith("- steep") and all(line.startswith("  steep") for line in item.splitlines()[1:])
    assert len(para.splitlines()) == 3


def test_empty_input() -> None:
    assert html_to_text("") == "" and html_to_text("<html><body> </body></html>") == ""


def test_wrap_is_textwrap_to_the_letter() -> None:
    """plaintext.wrap replaces textwrap.wrap for speed; random lines and indents, same lines."""
    rnd = random.Random(6)
    pieces = ["a", "bb", "word", "x" * 30, "z" * 80, "https://example.com/" + "p" * 60, "-", "—", "é",
              "\u2003", "\x0b", "\u00a0", "\u200b", "\u3000", "\x1c", "\x85"]  # fmt: skip
    for _ in range(20_000):
        line = " ".join(rnd.choice(pieces) * rnd.randint(1, 3) for _ in range(rnd.randint(1, 30)))
        first = rnd.choice(["", "- ", "> ", "> > 10. ", " " * rnd.randint(0, 75)])
        follow = rnd.choice(["", "  ", "> ", " " * rnd.randint(0, 75)])
        expected = textwrap.wrap(
            line, width=WIDTH, initial_indent=first, subsequent_indent=follow,
            break_long_words=False, break_on_hyphens=False,
        )  # fmt: skip
        assert wrap(line, first, follow) == expected
