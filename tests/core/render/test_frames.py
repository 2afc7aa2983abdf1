"""Frames give exactly what a direct render gives, and inlining a frame once plus each email's
block apart gives exactly what inlining the whole email gives: every shipped layout, example
sequence and a set of bodies and fields chosen to break it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from markupsafe import Markup, escape

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Brand, BrandColors, Cta, Email, Sequence
from seqstudio.core.paths import resource_path, shipped_dir
from seqstudio.core.render.frames import CONTENT_START, EmailFields
from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.layouts import LAYOUTS, LayoutRenderer
from seqstudio.core.render.markdown_body import markdown_to_html
from seqstudio.core.render.pipeline import Renderer

BODIES = {
    "links": "See [our site](https://x.example/a?b=1&c=2), <https://auto.example/l>, www.bare.example, "
    "[rel](/relative), [js](javascript:alert(1)), [empty](), [hash](#), [mail](mailto:a@b.example)",
    "lists": "- one\n- two\n  - nested **bold**\n  - nested [link](https://n.example)\n\n1. a\n2. b\n   1. c",
    "headings": "# H1\n\n## H2 *em*\n\n### H3 `code`\n\n---\n\n> quote\n> > nested\n\n```footer\ncode <b>\n```",
    "images": "![alt](https://i.example/a.png) ![](https://i.example/b.png) [![in](https://i.example/c.png)](https://l.example)",
    "merge": "Hi {{ first_name | default('there') }} {{ last_name }} {{ unknown }} {% if first_name %}y{% endif %}",
    "broken": "Hi {{ first_name | default('there' }} and {% if %}",
    "raw": '<div style="display:flex">raw</div><script>x()</script></td></table><!--c--> &amp; &lt;b&gt; ~~s~~',
    "empty": "",
    "unicode": "Grüße — “quotes” … ☕ 日本語 \u200b\u00a0 zqxslot0xqz <!--seqstudio-content-->",
}
FIELDS = {
    "plain": ("Subject", "A preheader long enough to pass the check, surely", Cta("Shop", "https://s.example/?a=1&b=2")),
    "escapes": ('A & B < C > "D" \'E\'\u00a0F', "Pre & <pre> \"x\" 'y'\u00a0\u00a0", Cta("<Go> & \"go\"", "https://s.example/?a=\"1\"&b='2'")),
    "empty": ("", "", Cta("", "")),
    "label-only": ("S", "", Cta("Label", "")),
    "url-only": ("S {{ first_name }}", "P {{ city }}", Cta("", "https://u.example")),
    "controls": ("Tab\there\x0cff", "line\nbreak", Cta("x", "https://x.example")),
}  # fmt: skip
_TODAY = date(2026, 11, 30)
BRANDS = (
    Brand(name="Plain"),
    Brand(
        name="A & B <Co>",
        postal_address="1 Main Street, Springfield",
        logo_url="https://b.example/logo.png?x=1&y=2",
        colors=BrandColors(primary="#ffee00", background="#000", text="#fff", accent="#123456"),
    ),
)


def _examples() -> list[Sequence]:
    folder = shipped_dir("sequences") / "examples"
    return [read_flow_file(path).sequence for path in sorted(folder.glob("fernweh-*.yaml"))]


def _reference(renderer: Renderer, email: Email, brand: Brand, **kwargs: object) -> tuple[str, str]:
    """What the pipeline gave before frames: the whole template rendered, the whole email inlined."""
    layouts, inliner = LayoutRenderer(), Inliner()
    data = {"brand_name": brand.name, "from_name": brand.from_name or brand.name}
    contact = renderer.sample_contacts[0]
    fill = lambda text: layouts.fill_tags(text, {**data, **contact.fields})[0]  # noqa: E731
    source = layouts.render(
        str(kwargs.get("layout", "branded")),
        brand=brand,
        subject=fill(email.subject),
        preheader=fill(email.preheader),
        body_html=markdown_to_html(fill(email.body)),
        cta_label=fill(email.cta.label),
        cta_url=fill(email.cta.url),
        language=str(kwargs.get("language", "en")),
        unsubscribe_url=contact.unsubscribe_url,
    )
    return source, inliner.inline(source)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("language", ["en", "de", "xx"])
def test_frames_give_what_a_whole_render_and_inline_give(layout: str, language: str) -> None:
    renderer = Renderer()
    for brand in BRANDS:
        for body in BODIES.values():
            for subject, preheader, cta in FIELDS.values():
                email = Email(subject=subject, preheader=preheader, body=body, cta=cta)
                got = renderer.render_email(email, brand=brand, layout=layout, language=language)
                source, html = _reference(renderer, email, brand, layout=layout, language=language)
                assert got.source_html == source
                assert got.html == html


@pytest.mark.parametrize("layout", LAYOUTS)
def test_example_sequences_inline_the_same_in_parts(layout: str) -> None:
    framed, whole = Renderer(), Renderer(inliner=_WholeInliner())
    for sequence in _examples():
        for contact in framed.sample_contacts:
            a = framed.render_sequence(sequence, today=_TODAY, layout=layout, contact=contact)
            b = whole.render_sequence(sequence, today=_TODAY, layout=layout, contact=contact)
            assert a == b
        for step in sequence.steps:
            for keep in (True, False):
                a1, b1 = (
                    r.render_email(
                        step.email,
                        brand=sequence.brand,
                        language=sequence.language,
                        layout=layout,
                        keep_tags=keep,
                        unsubscribe_url="{{ unsubscribe_url }}",
                    )
                    for r in (framed, whole)
                )
                assert a1 == b1


def test_the_shipped_layouts_are_inlined_in_parts() -> None:
    """The fast path is taken for every shipped layout, not silently skipped."""
    layouts, inliner = LayoutRenderer(), Inliner()
    fields = EmailFields("S", "P", "<p>b</p>", "L", "https://u.example")
    for layout in LAYOUTS:
        frame = layouts.frame(
            layout, brand=BRANDS[0], language="en", unsubscribe_url="https://u", fields=fields
        )
        assert frame.has_content_block
        values = fields.escaped()
        framed = inliner.inline_framed(frame, values, "S", "P")
        assert framed is not None and framed.html == inliner.inline(frame.source(values))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # `tr + tr td` depends on the block's ancestors' siblings, which the small document lacks
        ("{% block styles %}", "tr + tr td p { color: red; }\n{% block styles %}"),
        ("{% block styles %}", "td:first-child p { color: red; }\n{% block styles %}"),
        # a <style> attribute (media, data-css-inline) would be lost in the small document
        ("<style>\nbody {", '<style media="all">\np { color: red; }\nbody {'),
    ],
)
def test_a_frame_inlining_apart_cannot_prove_is_inlined_whole(tmp_path: Path, old: str, new: str) -> None:
    for source in resource_path("layouts").glob("*.j2"):
        text = source.read_text(encoding="utf-8")
        if source.name == "_base.html.j2":
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    layouts, inliner = LayoutRenderer(tmp_path), Inliner()
    fields = EmailFields("S", "P", "<p>b</p>", "L", "https://u.example")
    frame = layouts.frame("branded", brand=BRANDS[0], language="en", unsubscribe_url="u", fields=fields)
    assert inliner.inline_framed(frame, fields.escaped(), "S", "P") is None
    renderer = Renderer(layouts=layouts)
    got = renderer.render_email(Email(subject="S", preheader="P", body="b"), brand=BRANDS[0])
    assert got.html == inliner.inline(got.source_html)
    assert "color: red" in got.html


def test_carriage_returns_in_a_subject_inline_the_whole_email() -> None:
    layouts, inliner = LayoutRenderer(), Inliner()
    fields = EmailFields("Line\r\nbreak", "P", "<p>b</p>", "", "")
    frame = layouts.frame("letter", brand=BRANDS[0], language="en", unsubscribe_url="u", fields=fields)
    assert inliner.inline_framed(frame, fields.escaped(), fields.subject, fields.preheader) is None
    email = Email(subject="Line\r\nbreak", preheader="P", body="b")
    got = Renderer().render_email(email, brand=BRANDS[0], layout="letter")
    assert got.html == inliner.inline(got.source_html)
    assert CONTENT_START not in got.html


class _WholeInliner(Inliner):
    """css-inline on the whole document every time (not an Inliner to the pipeline's fast path)."""

    def inline_framed(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        return None


@pytest.mark.parametrize(
    "text",
    ["", "plain words", "Tom & Jerry", "<b>", "a > b", "it's", 'say "hi"', "ünï ✓", Markup("<i>kept</i>")],
)
def test_escaped_fields_are_what_markupsafe_escape_gives(text: str) -> None:
    fields = EmailFields(subject=text, preheader=text, body_html=text, cta_label=text, cta_url=text)
    wanted = str(escape(text))
    assert fields.escaped() == (wanted, wanted, text, wanted, wanted)
    assert all(type(value) is str for value in fields.escaped()[:2])
