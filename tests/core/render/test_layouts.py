"""Layouts, merge tags and the sandbox; golden files pin the rendered HTML and text.

Regenerate the golden files after an intended layout change with
UPDATE_GOLDEN=1 python -m pytest tests/core/render/test_layouts.py, and read the diff.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path

import pytest
from jinja2 import TemplateError
from selectolax.lexbor import LexborHTMLParser

from seqstudio.core.model import Brand, BrandColors, Cta, Email, Sequence
from seqstudio.core.render.layouts import LAYOUTS, LayoutError, LayoutRenderer, palette
from seqstudio.core.render.pipeline import Renderer

GOLDEN = Path(__file__).parent / "golden"


def render(renderer: Renderer, email: Email, brand: Brand, **kwargs: object) -> tuple[str, list[str]]:
    result = renderer.render_email(email, brand=brand, **kwargs)  # type: ignore[arg-type]
    return result.html, [f"{c.id}:{c.level.value}" for c in result.checks]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_golden_render(renderer: Renderer, tea_sequence: Sequence, layout: str) -> None:
    step = tea_sequence.step(1)
    result = renderer.render_email(step.email, brand=tea_sequence.brand, layout=layout, position=1)
    for suffix, produced in ((".html", result.html), (".txt", result.text)):
        golden = GOLDEN / f"{layout}-step1{suffix}"
        if os.environ.get("UPDATE_GOLDEN") == "1":
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(produced, encoding="utf-8")
        assert produced == golden.read_text(encoding="utf-8"), (
            f"{golden.name} changed (UPDATE_GOLDEN=1 to accept)"
        )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_is_responsive_themed_and_has_the_footer(
    renderer: Renderer, tea_sequence: Sequence, layout: str
) -> None:
    step = tea_sequence.step(1)
    result = renderer.render_email(step.email, brand=tea_sequence.brand, layout=layout)
    tree = LexborHTMLParser(result.html)
    assert result.html.startswith("<!DOCTYPE html>\n")
    assert tree.css_first("html").attributes["lang"] == "en"
    assert tree.css_first('meta[name="viewport"]') is not None
    assert "@media only screen and (max-width: 620px)" in result.html  # kept for phones
    assert "<!--[if mso]>" in result.html  # the 600 px ghost table for Outlook on Windows
    column = tree.css_first("table.column")
    assert "max-width: 600px" in column.attributes["style"] and column.attributes["width"] == "100%"
    footer = tree.css_first("td.footer").text()
    assert "Fernwood Tea Ltd, 12 Harbour Street, Bristol BS1 4RW, UK" in footer
    unsubscribe = [a for a in tree.css("td.footer a") if a.text() == "Unsubscribe"]
    assert unsubscribe and unsubscribe[0].attributes["href"] == "https://example.com/unsubscribe?c=sample-ana"
    assert result.checks == ()


def test_branded_layout_uses_the_brand_colours_logo_and_a_bulletproof_button(
    renderer: Renderer, tea_sequence: Sequence
) -> None:
    step = tea_sequence.step(1)
    tree = LexborHTMLParser(renderer.render_email(step.email, brand=tea_sequence.brand).html)
    logo = tree.css_first("td.header img")
    assert (logo.attributes["src"], logo.attributes["alt"]) == (
        "https://fernwood-tea.com/logo.png",
        "Fernwood Tea",
    )
    cell = tree.css_first("td.button-cell")
    assert cell.attributes["bgcolor"] == "#2f6b4f"  # Outlook draws bgcolor even where it ignores CSS
    button = cell.css_first("a")
    assert "color: #ffffff" in button.attributes["style"] and button.text() == "Shop the teas"
    assert "background-color: #f3efe6" in tree.body.attributes["style"]  # accent as the page colour


def test_branded_layout_without_a_logo_shows_the_name(renderer: Renderer, tea_sequence: Sequence) -> None:
    brand = replace(tea_sequence.brand, logo_url="")
    tree = LexborHTMLParser(renderer.render_email(tea_sequence.step(1).email, brand=brand).html)
    assert tree.css_first("td.header img") is None and tree.css_first(".brand-name").text() == "Fernwood Tea"


def test_letter_layout_puts_the_call_to_action_in_the_text(
    renderer: Renderer, tea_sequence: Sequence
) -> None:
    tree = LexborHTMLParser(
        renderer.render_email(tea_sequence.step(1).email, brand=tea_sequence.brand, layout="letter").html
    )
    assert tree.css_first("img") is None and tree.css_first(".button-cell") is None
    link = tree.css_first("p.cta a")
    assert (
        link.attributes["href"] == "https://fernwood-tea.com/shop"
        and "Georgia" in tree.css_first("td.content").attributes["style"]
    )


def test_button_text_stays_readable_on_a_light_primary() -> None:
    assert palette(BrandColors(primary="#ffd33d"), "branded")["on_primary"] == "#111111"
    assert palette(BrandColors(primary="#1f6feb"), "branded")["on_primary"] == "#ffffff"
    assert palette(BrandColors(primary="red;}</style>"), "branded")["primary"] == BrandColors().primary


def test_unknown_layout(renderer: Renderer, tea_sequence: Sequence) -> None:
    with pytest.raises(LayoutError, match="no layout called 'fancy'"):
        renderer.render_email(tea_sequence.step(1).email, brand=tea_sequence.brand, layout="fancy")


def test_merge_tags_fill_from_the_sample_contact(renderer: Renderer, tea_sequence: Sequence) -> None:
    email = tea_sequence.step(1).email
    ana, nameless, _ = renderer.sample_contacts
    assert renderer.render_email(email, brand=tea_sequence.brand, contact=ana).text.startswith("Hi Ana,")
    result = renderer.render_email(email, brand=tea_sequence.brand, contact=nameless)
    assert result.text.startswith("Hi there,") and result.subject == "Welcome to Fernwood, friend"


def test_an_unknown_merge_tag_stays_visible_and_is_reported(renderer: Renderer, tea_brand: Brand) -> None:
    email = Email(
        subject="Hello",
        preheader="A note on your loyalty tier and what it gets you",
        body="Your tier: {{ loyalty_tier }}.",
    )
    html, checks = render(renderer, email, tea_brand)
    assert "Your tier: {{ loyalty_tier }}." in html
    assert "template-tags:warning" in checks


def test_a_broken_tag_is_left_as_typed_and_reported_as_an_error(renderer: Renderer, tea_brand: Brand) -> None:
    email = Email(
        subject="Hello",
        preheader="A note on your loyalty tier and what it gets you",
        body="Hi {{ first_name ,",
    )
    result = renderer.render_email(email, brand=tea_brand)
    assert "Hi {{ first_name ," in result.text
    broken = [c for c in result.checks if c.id == "template-tags" and c.level.value == "error"]
    assert len(broken) == 1 and "could not be read" in broken[0].message


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ self.__init__.__globals__ }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_text_a_user_or_model_wrote_cannot_reach_python(
    renderer: Renderer, tea_brand: Brand, attack: str
) -> None:
    email = Email(subject="Hi", preheader="x" * 50, body=f"Hello {attack}")
    result = renderer.render_email(email, brand=tea_brand)
    assert "<class" not in result.html and "uid=" not in result.html and "builtins" not in result.html
    assert any(c.id == "template-tags" for c in result.checks)


def test_markdown_cannot_inject_markup_or_script_links(renderer: Renderer, tea_brand: Brand) -> None:
    body = "Hi <script>alert(1)</script><img src=x onerror=alert(1)> [click](javascript:alert(1)) [ok](https://a.example)"
    email = Email(subject="Hi", preheader="x" * 50, body=body, cta=Cta("Go", "https://a.example"))
    result = renderer.render_email(email, brand=tea_brand)
    tree = LexborHTMLParser(result.html)
    assert tree.css("script") == [] and "onerror" not in result.html
    assert [a.attributes.get("href") for a in tree.css("td.content p a")] == ["", "https://a.example"]
    assert any(c.id == "link-invalid" for c in result.checks)  # the emptied javascript: link


def test_subject_and_preheader_are_escaped_in_the_page(renderer: Renderer, tea_brand: Brand) -> None:
    email = Email(
        subject="<b>Bold</b> & more", preheader="</div><script>x</script> and some more words here", body="Hi"
    )
    result = renderer.render_email(email, brand=tea_brand)
    assert "<title>&lt;b&gt;Bold&lt;/b&gt; &amp; more</title>" in result.html
    assert "<script>" not in result.html


def test_exports_can_keep_merge_tags_verbatim_for_the_email_platform(
    renderer: Renderer, tea_brand: Brand
) -> None:
    email = Email(
        subject='Hi {{ first_name | default("there") }}',
        preheader="Your code {{ code }} inside, and a note from the roastery team",
        body='Hi {{ first_name | default("there") }},\n\n[Your order]({{ order_url }})\n\n{% if vip %}Thanks!{% endif %}',
        cta=Cta("Shop", "{{ shop_url }}"),
    )
    result = renderer.render_email(
        email, brand=tea_brand, keep_tags=True, unsubscribe_url="{% unsubscribe_url %}"
    )
    assert result.subject == 'Hi {{ first_name | default("there") }}'
    assert '<p style="margin: 0 0 16px 0;">Hi {{ first_name | default("there") }},</p>' in result.html
    assert 'href="{{ order_url }}"' in result.html and 'href="{{ shop_url }}"' in result.html
    assert 'href="{% unsubscribe_url %}"' in result.html and "{% if vip %}Thanks!{% endif %}" in result.html
    assert "Your code {{ code }} inside" in result.html and "zqxtag" not in result.html + result.text
    assert "Your order ({{ order_url }})" in result.text
    assert {c.id for c in result.checks} == {
        "template-tags"
    }  # the platform fills them; no link is "relative"
    filled = renderer.render_email(email, brand=tea_brand)  # previews fill what the contact has
    assert filled.subject == "Hi Ana" and filled.text.startswith("Hi Ana,")
    assert "{{ order_url }}" in filled.text  # no value for it: left visible for the check


def test_simple_merge_tags_fill_exactly_as_jinja_does() -> None:
    """fill_tags skips Jinja2 for simple tags; random texts of tags, names and literals must come
    out as Jinja2 renders them (or fall back to it)."""
    layouts = LayoutRenderer()
    data = {"first_name": "Ana", "city": "Lisbon", "empty": "", "brace": "{{ x }}", "none": "n"}
    names = ["first_name", "city", "empty", "brace", "last_name", "none", "None", "true", "range",
             "self", "for", "if", "loop", "x1", "_u", "namespace", "lipsum"]  # fmt: skip
    literals = ["", "Hi ", "\n", "a\n\n", "{", "}", "}}", "{ {", "{%", "{#", "%}", "\t", "é —", "\r\n", "{{{"]
    rnd = random.Random(6)

    def tag(plain: bool) -> str:
        if plain:  # only what the fast path takes, so that most of these texts exercise it
            name = rnd.choice([*names[:5], "last_name", "x1", "_u"])
            pad, end = rnd.choice(["", " ", "  ", "\t"]), rnd.choice(["", " "])
            default = rnd.choice(
                ["", "|default('there')", ' | default("you")', "| default('')", " | default ( 'sp' ) "]
            )
        else:
            name, pad, end = rnd.choice(names), rnd.choice(["", " ", "\n"]), rnd.choice(["", " ", "-"])
            default = rnd.choice(["", "|d('x')", "|upper", "| default('a\\'b')", '| default("{b}")'])
        return "{{" + pad + name + default + end + "}}"

    plain_literals = [lit for lit in literals if not any(c in lit for c in ("{%", "{#", "\r", "{{{"))]
    for n in range(6000):
        plain = n % 2 == 0
        pool = plain_literals if plain else literals
        text = "".join(rnd.choice([rnd.choice(pool), tag(plain)]) for _ in range(rnd.randint(1, 6)))
        if "{{" not in text and "{%" not in text:
            continue  # never given to Jinja2: returned as typed
        try:
            expected = (layouts._text_env.from_string(text).render(dict(data)), "")
        except TemplateError:
            continue  # fill_tags reports these through Jinja2, checked elsewhere
        assert layouts.fill_tags(text, data) == expected, text


@pytest.mark.parametrize(
    ("voice", "sentence"),
    [
        ("Freundlich, direkt, duzt die Leser.", "Du erhältst diese E-Mail, weil du dich bei"),
        ("Wir sind per du mit unseren Kunden.", "Du erhältst diese E-Mail"),
        ("Sachlich; wir siezen unsere Kundschaft.", "Sie erhalten diese E-Mail, weil Sie sich bei"),
        ("", "Sie erhalten diese E-Mail"),
    ],
)
def test_the_german_footer_addresses_readers_as_the_brand_voice_does(
    renderer: Renderer, tea_sequence: Sequence, voice: str, sentence: str
) -> None:
    brand = replace(tea_sequence.brand, voice_notes=voice)
    step = tea_sequence.steps[0]
    email = renderer.render_email(step.email, brand=brand, language="de", layout="letter")
    assert sentence in email.text and "Abmelden" in email.text
