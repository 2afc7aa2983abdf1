"""Framed inlining leaves out the style rules that cannot reach an email's block (sheet_rules.py),
and still gives what inlining the whole email gives, byte for byte: on sheets and blocks chosen
to break a naive pruning (elements the parser makes without their tag, class names in another
case under a quirks doctype, selector lists that half match, !important on both sides of the
cut, braces in strings and comments, attribute selectors, formatting elements the parser
copies) and on every tag the Markdown of a body writes."""

from __future__ import annotations

from pathlib import Path

import css_inline
import pytest
from selectolax.lexbor import LexborHTMLParser

from seqstudio.core.model import Brand
from seqstudio.core.paths import resource_path
from seqstudio.core.render.frames import EmailFields
from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.layouts import LayoutRenderer
from seqstudio.core.render.markdown_body import markdown_to_html
from seqstudio.core.render.sheet_rules import _KEPT_AT_RULES, SheetRules

BODIES = {
    "plain": "Just words, nothing marked up.",
    "empty": "",
    "headings": "# One\n\n## Two *em*\n\n### Three `code`\n\n---\n\nAfter the rule.",
    "lists": "- one\n- two **strong**\n  - nested\n\n1. a\n2. b\n\n   loose paragraph in b\n3. c",
    "quote": "> quoted\n> > nested **strong** ~~gone~~",
    "code": "```Py\nprint('<b>')\n```\n\n```\nplain fence\n```\n\nInline `x` code.",
    "links": '[a](https://a.example) <https://auto.example> ![img](https://i.example/a.png "title")',
    "inline": "*em* **strong** ***both*** ~~del~~ and a hard  \nbreak",
}
CTAS = (("", ""), ("Go", "https://go.example/?a=1&b=2"))
# Each rule is on the block's side of a trap; the comments say which.
TRAPS = """
/* braces in comments and strings must not end a rule: } { */
tbody { color: #010101; }                      /* made by the parser around a bare <tr> */
.content tbody td { padding: 1px; }
colgroup { width: 3px; }                       /* made around a bare <col> */
tr { height: 2px; }
br { line-height: 3px; }                       /* </br> makes a <br> */
img { border: 1px solid #020202; }             /* <image> makes an <img> */
code.language-py { color: #030303; }           /* the fence says Py: quirks mode may ignore case */
.never-there, .content em { font-style: normal; }
.content strong { color: #050505 !important; }
.content strong.never-there { color: #060606 !important; }
strong { color: #070707; }
[title] { outline: 1px solid #080808; }
a[href^="https"] { color: #090909; }
.content del { color: #0a0a0a; }
.content li p { margin: 1px; }
ol li, ul.never-there li { padding: 2px; }
.content pre code { background-color: #0b0b0b; }
blockquote blockquote p { color: #0c0c0c; }
h1, .never-there h2, h3.never-there { letter-spacing: 1px; }
hr { color: #0d0d0d !important; }
.never-there hr { color: #0e0e0e; }
.entity { color: #0f0f0f; }                    /* class="ent&#105;ty" */
.under_score { color: #101010; }               /* class="under&lowbar;score" */
.fjord { color: #181818; }                     /* class="&fjlig;ord" */
.Shouty { color: #111111; }                    /* class="SHOUTY" */
@media screen { .x[title="{"] { color: #171717; } }
.content em { color: #121212; }                /* a naive brace count puts this in @media */
@media print { /* { */ .y { color: #131313; } }
.content del { background-color: #141414; }
@supports (display: grid) { @media print { .content p { color: "}"; } } }
@font-face { font-family: "X}"; src: url(x.woff); }
@import url(print.css);
.content p { border-color: #151515; }
td p { text-indent: 1px; }                     /* the <td> is the block's ancestor, not in it */
html p { word-spacing: 1px; }
"""
# Written into the block around the body: bare table parts, odd spellings of tags, names.
AROUND_BODY = (
    '<table class="grid"><col><tr><td>cell</td></tr></table>'
    '<p class="SHOUTY">x</br>y<image src="https://i.example/b.png"></p>'
)
# Names spelled with character references: no block with them leaves a rule out.
REFERENCES = (
    '<span class="ent&#105;ty">e</span>',
    '<i class="under&lowbar;score">u</i>',
    '<b class="&fjlig;ord">f</b>',
)
QUIRKS = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">'
BRAND = Brand(name="Pruned", postal_address="1 Main Street")


def _layouts(tmp_path: Path, *, css: str, doctype: str = "<!DOCTYPE html>", around_body: str = "",
             wrap: tuple[str, str] = ("", "")) -> LayoutRenderer:  # fmt: skip
    """The shipped layouts with `css` added to the sheet, another doctype, HTML written in the
    block before the body, and the block wrapped in `wrap`."""
    for source in resource_path("layouts").glob("*"):
        text = source.read_text(encoding="utf-8")
        if source.name == "_base.html.j2":
            text = text.replace("<!DOCTYPE html>", doctype, 1).replace(
                "{% block styles %}", css + "{% block styles %}", 1
            )
        elif source.name == "branded.html.j2":
            text = text.replace("{{ email.body_html }}", around_body + "{{ email.body_html }}", 1)
            text = text.replace("{% call email_content() %}", wrap[0] + "{% call email_content() %}", 1)
            text = text.replace("{% endcall %}", "{% endcall %}" + wrap[1], 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    return LayoutRenderer(tmp_path)


def _assert_framed_as_whole(layouts: LayoutRenderer, *, prunes: bool = True) -> None:
    """Every body and button, inlined in parts (the fast path, not refused) and whole: same text."""
    inliner, pruned = Inliner(), 0
    for body in BODIES.values():
        for label, url in CTAS:
            fields = EmailFields("Subject", "Preheader", markdown_to_html(body), label, url)
            frame = layouts.frame(
                "branded", brand=BRAND, language="en", unsubscribe_url="https://u.example", fields=fields
            )
            values = fields.escaped()
            framed = inliner.inline_framed(frame, values, fields.subject, fields.preheader)
            assert framed is not None, "the frame was inlined whole: nothing was pruned"
            assert framed.html == inliner.inline(frame.source(values)), body
            assert framed.size == len(framed.html.encode("utf-8"))
            pruned += len(_rules_left_out(inliner, frame.key, frame.content.join(values)))
    assert pruned or not prunes, "no rule was left out"


def _rules_left_out(inliner: Inliner, key: tuple[object, ...], block: str) -> list[str]:
    rules = inliner._frames[key].rules  # type: ignore[union-attr]  # the inliner's own cut
    assert rules is not None, "the sheets were not cut: nothing was pruned"
    return [rule for rule in rules.rules if rule not in rules.styles_for(block)]


def _sheet_rules(layouts: LayoutRenderer) -> SheetRules:
    fields = EmailFields("S", "P", "", "", "")
    frame = layouts.frame("branded", brand=BRAND, language="en", unsubscribe_url="u", fields=fields)
    sheets = [node.text() for node in LexborHTMLParser(frame.source(fields.escaped())).tags("style")]
    rules = SheetRules.split(sheets, cloned=frozenset(), around=frozenset(), known="")
    assert rules is not None, "the sheets were not cut: nothing was pruned"
    return rules


@pytest.mark.parametrize("doctype", ["<!DOCTYPE html>", QUIRKS, ""])
@pytest.mark.parametrize("around_body", ["", AROUND_BODY, *(AROUND_BODY + ref for ref in REFERENCES)])
def test_pruned_rules_give_what_the_whole_sheet_gives(tmp_path: Path, doctype: str, around_body: str) -> None:
    layouts = _layouts(tmp_path, css=TRAPS, doctype=doctype, around_body=around_body)
    _assert_framed_as_whole(layouts, prunes="&" not in around_body)
    rules = _sheet_rules(layouts)
    assert len(rules.styles_for("<p>x</p>")) < len(rules.styles_for(markdown_to_html(BODIES["headings"])))


def test_the_traps_are_armed_under_a_quirks_doctype(tmp_path: Path) -> None:
    """The rules a naive pruning would drop do reach the block when inlined whole. (Not
    code.language-py or .Shouty: css-inline matches class names case-sensitively, even in quirks
    mode; pruning compares them lower-cased, which keeps more.)"""
    layouts = _layouts(tmp_path, css=TRAPS, doctype=QUIRKS, around_body=AROUND_BODY + "".join(REFERENCES))
    fields = EmailFields("S", "P", markdown_to_html(BODIES["code"] + "\n\n" + BODIES["inline"]), "", "")
    frame = layouts.frame("branded", brand=BRAND, language="en", unsubscribe_url="u", fields=fields)
    html = Inliner().inline(frame.source(fields.escaped()))
    for declaration in ("color: #010101", "width: 3px", "line-height: 3px", "border: 1px solid #020202",
                        "color: #0f0f0f", "color: #101010", "color: #181818", "color: #121212", "background-color: #141414"):  # fmt: skip
        assert declaration in html


def test_a_formatting_element_the_parser_may_copy_into_the_block_keeps_its_rules() -> None:
    """`</b>` inside a <div> makes the parser copy an enclosing <b class="cloned"> (attributes and
    all) into the block, where no text names it: the ancestors' words count as present."""
    css = "b.cloned { color: red; } .cloned { margin: 0; } b.other { padding: 0; }"
    rules = SheetRules.split([css], cloned=frozenset({"b", "class", "cloned"}), around=frozenset(), known="")
    assert rules is not None
    assert (
        rules.styles_for("<div>in</b>out</div>")
        == "<style>b.cloned { color: red; } .cloned { margin: 0; }</style>"
    )


def test_every_rule_left_out(tmp_path: Path) -> None:
    """A block no rule reaches is inlined in a small document with no <style> at all."""
    layouts = _layouts(tmp_path, css="")
    rules = _sheet_rules(layouts)
    assert rules.styles_for("<span>x</span>").count("{") < len(rules.rules)
    _assert_framed_as_whole(layouts)


@pytest.mark.parametrize("name", sorted(_KEPT_AT_RULES))
@pytest.mark.parametrize("upper", [False, True])
def test_css_inline_never_inlines_the_at_rules_left_out(name: str, upper: bool) -> None:
    """What makes leaving them out exact; a css-inline that starts inlining one fails here."""
    inliner = css_inline.CSSInliner(keep_style_tags=False, keep_at_rules=True, load_remote_stylesheets=False)
    at = "@" + (name.upper() if upper else name)
    body = '<body><p class="a">x<span>y</span></p></body>'
    plain = "p { color: lime; } .a span { margin: 1px; }"
    expected = inliner.inline(f"<html><head><style>{plain}</style></head>{body}").split("<body>")[1]
    for rule in (
        f"{at} x {{ p {{ color: red; }} span {{ margin: 0; }} }}",
        f"{at} x;",
        f"{at} {{ color: red; }}",
    ):
        got = inliner.inline(f"<html><head><style>{rule} {plain}</style></head>{body}").split("<body>")[1]
        assert got == expected, rule


@pytest.mark.parametrize(
    "css",
    [
        "p { color: red; } /* unclosed",
        'p { font-family: "unclosed\n; }',
        "p { color: red; }}",
        "p { color: red; ",
        ".a\\:b { color: red; }",
        "@layer base { p { color: red; } }",  # css-inline inlines the rules inside @layer
        "@unknown-rule { p { color: red; } }",
        "<!-- p { color: red; } -->",
        "p; q { color: red; }",
        "p { background: url(a}b.png); }",
        "p { color: red; } @media screen { q { color: (}) } }",
    ],
)
def test_sheets_not_cut_with_certainty_are_kept_whole(css: str) -> None:
    assert SheetRules.split([css], cloned=frozenset(), around=frozenset(), known="") is None


def test_a_rule_stays_whole_when_any_of_its_selectors_may_match() -> None:
    css = (
        "body { a: 1; } .x, .y p { b: 2; } .z { c: 3; } [title] { d: 4; } * { e: 5; } em .w { f: 6; }"
        " p { g: 7; } td > .x.q#v { h: 8; } .u { g { i: 9; } } @media screen { .z { j: 10; } }"
        " li { background: url(i.png); } X-Tag { k: 11; } html body p { l: 12; } html { m: 13; }"
    )
    rules = SheetRules.split([css], cloned=frozenset(), around=frozenset(), known="")
    assert rules is not None
    kept = rules.styles_for('<p class="Y">t</p>')
    assert kept == (
        "<style> .x, .y p { b: 2; } [title] { d: 4; } * { e: 5; } p { g: 7; } .u { g { i: 9; } }"
        " html body p { l: 12; }</style>"
    )
    kept = rules.styles_for('<x-tag class="z W X"><td class="q" id="V">t</td><li>')
    assert kept == (
        "<style> .x, .y p { b: 2; } .z { c: 3; } [title] { d: 4; } * { e: 5; } p { g: 7; }"
        " td > .x.q#v { h: 8; } .u { g { i: 9; } } li { background: url(i.png); } X-Tag { k: 11; }"
        " html body p { l: 12; }</style>"
    )
