"""The button after an email's body is inlined once per frame and filled per email; it gives
what inlining the whole block gives, and a tail it cannot fill safely is inlined every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqstudio.core.model import Cta, Email
from seqstudio.core.paths import resource_path
from seqstudio.core.render.block_tail import TailTemplate, split_at_body
from seqstudio.core.render.frames import Parts
from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.layouts import LAYOUTS, LayoutRenderer
from seqstudio.core.render.pipeline import Renderer
from tests.core.render.test_frames import BODIES, BRANDS

CTAS = [
    Cta("Shop", "https://s.example/?a=1&b=2"),
    Cta("<Go> & \"go\" 'x'\u00a0y", "https://s.example/?a=\"1\"&b='2'<>\u00a0"),
    Cta("Tab\there\x0cff", "https://u.example/\tx"),
    Cta("zqxslot3xqz zqxslot8xqz", "https://zqxslot9xqz.example/"),
    Cta("Line\r\nbreak", "https://cr.example/\r"),  # rewritten by the parser: inlined with the body
]


def test_the_shipped_layouts_inline_their_button_once() -> None:
    renderer = Renderer()
    for layout in LAYOUTS:
        renderer.render_email(
            Email(subject="S", preheader="P", body="b", cta=CTAS[0]), brand=BRANDS[0], layout=layout
        )
    frames = [frame for frame in renderer._inliner._frames.values() if frame is not None]
    assert len(frames) == len(LAYOUTS) and all(frame.tail is not None for frame in frames)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_button_filled_in_is_the_button_inlined(layout: str) -> None:
    renderer, whole = Renderer(), Inliner()
    for brand in BRANDS:
        for body in BODIES.values():
            for cta in CTAS:
                got = renderer.render_email(
                    Email(subject="S", preheader="P", body=body, cta=cta), brand=brand, layout=layout
                )
                assert got.html == whole.inline(got.source_html), (body, cta)


@pytest.mark.parametrize(
    "button",
    [
        '<!--[if mso]><a href="{{ email.cta_url }}">{{ email.cta_label }}</a><![endif]-->',  # in a comment
        "<script>var u = '{{ email.cta_url }}';</script>",  # in raw text
        "<textarea>{{ email.cta_label }}</textarea>",  # in text a parser reads apart
    ],
)
def test_a_tail_that_cannot_be_filled_is_inlined_every_time(tmp_path: Path, button: str) -> None:
    for source in resource_path("layouts").glob("*.j2"):
        text = source.read_text(encoding="utf-8").replace("{% endcall %}", button + "{% endcall %}")
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    renderer, whole = Renderer(layouts=LayoutRenderer(tmp_path)), Inliner()
    for cta in CTAS:
        email = Email(subject="S", preheader="P", body="Hi [there](https://t.example)", cta=cta)
        got = renderer.render_email(email, brand=BRANDS[1])
        assert got.html == whole.inline(got.source_html), cta
    assert all(frame is None or frame.tail is None for frame in renderer._inliner._frames.values())


def test_a_tail_template_knows_text_from_attribute_values() -> None:
    template = TailTemplate.read('<a href="zqxslot4xqz" title="x">zqxslot3xqz</a>\n')
    assert template is not None
    assert template.fill('A & "B" <c>', 'https://x.example/?a=1&b="2"<>') == (
        '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;<>" title="x">A &amp; "B" &lt;c&gt;</a>\n'
    )
    assert TailTemplate.read("<!-- zqxslot3xqz -->") is None
    assert TailTemplate.read("<a zqxslot3xqz>x</a>") is None
    assert TailTemplate.read("<style>zqxslot3xqz</style>") is None
    assert split_at_body(Parts(("a", "b"), (0,))) is None  # something before the body
    assert split_at_body(Parts(("", "b", "c"), (2, 1))) is None  # a slot after it that is not the button's
    assert split_at_body(Parts(("x", "y", "z"), (2, 3))) == ("x", Parts(("y", "z"), (3,)))
