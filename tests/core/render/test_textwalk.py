"""The plain-text walk in C (_textwalk.c) gives exactly the paragraphs of the Python walk in
plaintext.py: on the public templates, the example sequences, the frame tests' bodies and
thousands of generated documents made to reach every branch (lists, quotes, links, hidden
elements, tables, odd white space, lines too long to fit)."""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from selectolax.lexbor import LexborCSSSelector, LexborHTMLParser

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Email
from seqstudio.core.paths import shipped_dir
from seqstudio.core.render import plaintext
from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.layouts import LAYOUTS
from seqstudio.core.render.pipeline import Renderer
from tests.core.render.test_frames import BODIES, BRANDS

_TODAY = date(2026, 11, 30)
TEMPLATES = Path(__file__).resolve().parents[4] / "shared" / "eval" / "templates"


@pytest.fixture(scope="module")
def kernel() -> ModuleType:
    if plaintext.TEXT_WALK is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "the plain-text walk's C kernel is not built; CI must test it (bash .ci/setup builds it)"
            )
        pytest.skip(
            "the plain-text walk's C kernel is not built here (no C compiler?) or is turned off (SEQSTUDIO_PURE_PYTHON)"
        )
    return plaintext.TEXT_WALK


def _same(kernel: ModuleType, html: str) -> None:
    tree = LexborHTMLParser(html)
    nodes = [tree.body] if tree.body is not None else []
    nodes += tree.tags("td")[:3] + tree.tags("div")[:3] + tree.tags("li")[:2]
    selector = LexborCSSSelector()  # type: ignore[no-untyped-call]
    for node in nodes:
        below = [n for n in selector.find("[style]", node) if n.mem_id != node.mem_id]
        assert kernel.styles(node.mem_id) == [n.attributes.get("style") or "" for n in below]
        for block in (False, True):
            got = kernel.paragraphs(node.mem_id, block)
            plaintext.TEXT_WALK = None
            try:
                want = plaintext.block_paragraphs_in(node) if block else plaintext.paragraphs_in(node)
            finally:
                plaintext.TEXT_WALK = kernel
            assert got == want, (html[:300], node.tag, block)


def _shared_templates() -> list[Path]:
    if not TEMPLATES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{TEMPLATES} is missing; CI has ../shared beside the clone")
        pytest.skip("../shared/eval/templates is not here (a user's clone)")
    return sorted(TEMPLATES.glob("*/*.html"))


def test_the_public_templates_walk_the_same(kernel: ModuleType) -> None:
    inliner = Inliner()
    for path in _shared_templates():
        html = path.read_text(encoding="utf-8", errors="replace")
        _same(kernel, html)
        _same(kernel, inliner.inline(html))


def test_rendered_emails_walk_the_same(kernel: ModuleType) -> None:
    renderer = Renderer()
    for path in sorted((shipped_dir("sequences") / "examples").glob("fernweh-*.yaml")):
        sequence = read_flow_file(path).sequence
        for layout in LAYOUTS:
            for email in renderer.render_sequence(sequence, today=_TODAY, layout=layout).emails:
                _same(kernel, email.html)
    for brand in BRANDS:
        for body in BODIES.values():
            email = renderer.render_email(Email(subject="S", preheader="P", body=body), brand=brand)
            _same(kernel, email.html)


_WORDS = ["word", "longerword", "x", "https://a.example/" + "p" * 70, "a\u00a0b", "tab\there", "\u200b",
          "line\u2028sep", "\u3000", "&amp;", "&lt;b&gt;", "é", "😀", "\x0b", "unsubscribe", " ", "  ", "\n"]  # fmt: skip
_STYLES = ["", "display:none", "DISPLAY : NONE", "mso-hide:all", "color:none", "display: noneish", "x:1",
           "MSO-HIDE:ALL", "mso-hİde:all", "diſplay:none", "display:\u2003none", "display:nOnE", "a:&quot;b&quot;",
           "display\x0b:\x1fnone", "text-decoration: none", "mso-hide :all", "mso-hide: alpha", "display:"]  # fmt: skip
_HREFS = ["", "#", "#top", "javascript:x()", "JavaScript:y", "mailto:a@b.example", "MAILTO:c@d.example",
          "https://l.example/", "https://l.example", "  https://s.example/ ", "word"]  # fmt: skip


def _random_html(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(0, 5 if depth < 3 else 1)):
        kind = rng.random()
        if kind < 0.35 or depth > 3:
            parts.append(" ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 30))))
            continue
        tag = rng.choice(["p", "div", "ul", "ol", "li", "a", "img", "br", "hr", "blockquote", "span", "strong",
                          "table", "td", "th", "tr", "h2", "style", "title", "center", "em"])  # fmt: skip
        attrs = ""
        if rng.random() < 0.3:
            attrs += f' style="{rng.choice(_STYLES)}"'
        if rng.random() < 0.05:
            attrs += " hidden"
        if tag == "a" and rng.random() < 0.9:
            attrs += f' href="{rng.choice(_HREFS)}"'
        if tag == "img":
            if rng.random() < 0.6:
                attrs += f' alt="{rng.choice(["", " alt text ", "https://l.example"])}"'
            parts.append(f"<img{attrs}>")
            continue
        if tag in ("br", "hr"):
            parts.append(f"<{tag}{attrs}>")
            continue
        parts.append(f"<{tag}{attrs}>{_random_html(rng, depth + 1)}</{tag}>")
    return "".join(parts)


def test_generated_documents_walk_the_same(kernel: ModuleType) -> None:
    rng = random.Random(7)
    for _ in range(3_000):
        _same(kernel, "<!DOCTYPE html><html><body>" + _random_html(rng) + "</body></html>")


def test_an_init_that_finds_no_lexbor_keeps_the_walk_working(kernel: ModuleType) -> None:
    with pytest.raises(ImportError, match="does not export"):
        kernel.init(kernel.__file__, plaintext._HIDDEN, plaintext.wrap)
    _same(kernel, "<p>still <a href='https://x.example'>works</a></p>")


def test_bad_arguments_raise(kernel: ModuleType) -> None:
    with pytest.raises(ValueError, match="no node"):
        kernel.paragraphs(0, False)
    with pytest.raises(TypeError):
        kernel.paragraphs("node", False)
