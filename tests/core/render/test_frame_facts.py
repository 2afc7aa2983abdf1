"""Checking a framed email by its block alone gives exactly what checking the whole email
gives: checks, their order, and the plain text, for every shipped layout and for layouts made to
break it. The fast path must also be taken where it can be, or the speed is gone unnoticed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from seqstudio.core.model import Cta, Email
from seqstudio.core.paths import resource_path
from seqstudio.core.render.checks import EmailChecker, Level
from seqstudio.core.render.frame_facts import BlockReader
from seqstudio.core.render.layouts import LAYOUTS, LayoutRenderer
from seqstudio.core.render.pipeline import RenderedEmail, Renderer
from tests.core.render.test_frames import BODIES, BRANDS, FIELDS

# Bodies whose text meets the frame's at the block's edges, or that end in a pending list item.
EDGE_BODIES = {
    "list-first-and-last": "- first\n- second\n\nmiddle\n\n1. one\n2. two",
    "empty-last-item": "- a\n-",
    "empty-items": "-\n-\n\n1.\n",
    "quote-last": "text\n\n> quoted **bold**\n> > deeper",
    "image-only": "![only](https://i.example/o.png)",
    "link-only": "[https://l.example/x](https://l.example/x)",
    "rule-first": "---\n\nafter the rule",
    "spaces": "\u00a0\u00a0 lead\u200b  \n\n   \n\ntrail\u00a0",
    "long-words": "x" * 90 + " " + "y " * 50 + "https://very.example/" + "p" * 80,
    "unsubscribe-in-body": "[Unsubscribe](https://fernweh.example/unsubscribe) or [opt out](#)",
    "css-in-body": "text with `display: flex` and position: absolute and var(--x) as words",
    "unicode-lines": "Tab\there and\u2028line\u2029separators and \x0bvertical",
    "clipped": "Grüße " * 16_000 + "\n\n" + "lang " * 2_000,  # over 90 KB: the size is counted in parts
}
EDGE_FIELDS = {
    "filler-preheader": ("Subject", "\u200b\u200c\u00ad", Cta("Go", "https://g.example")),
    "space-preheader": ("Subject", "   ", Cta("Go", "https://g.example")),
    "marker-like": ("zqxslot1xqz zqxblockxqz", "zqxslot0xqz and zqxblockxqz here", Cta("zqxslot2xqz", "")),
    "emoji-subject": (
        "\U0001f469\u200d\U0001f469\u200d\U0001f467 family \U0001f1e9\U0001f1ea",
        "P" * 45,
        Cta("", ""),
    ),
}


_REASON = re.compile(r"could not be read \((.*)\); it is shown as typed\.$", re.DOTALL)


@pytest.fixture
def block_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Records each framed check: True where the block alone was read."""
    reads: list[bool] = []
    real = BlockReader.facts

    def spy(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        reads.append(found is not None)
        return found

    monkeypatch.setattr(BlockReader, "facts", spy)
    yield reads


def _checked_whole(email: RenderedEmail, postal_address: str | None, language: str) -> tuple[object, str]:
    """The email's checks as the whole email gives them; the merge-tag errors the render found
    are passed on as the pipeline passes them."""
    broken = [c for c in email.checks if c.id == "template-tags" and c.level == Level.ERROR]
    got = EmailChecker().check(
        email.html,
        subject=email.subject,
        postal_address=postal_address,
        language=language,
        tag_problems=[_REASON.search(c.message).group(1) for c in broken],  # type: ignore[union-attr]
    )
    return got.checks, got.text


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("language", ["en", "de"])
def test_framed_checks_are_the_whole_emails_checks(
    layout: str, language: str, block_reads: list[bool]
) -> None:
    renderer = Renderer()
    bodies = {**BODIES, **EDGE_BODIES}
    fields = {**FIELDS, **EDGE_FIELDS}
    for brand in BRANDS:
        for body in bodies.values():
            for subject, preheader, cta in fields.values():
                email = Email(subject=subject, preheader=preheader, body=body, cta=cta)
                got = renderer.render_email(email, brand=brand, layout=layout, language=language)
                whole = _checked_whole(got, brand.postal_address or None, language)
                assert (got.checks, got.text) == whole, (body, subject, preheader)
    # most emails are read by their block alone; the rest fell back to the whole email
    assert sum(block_reads) > 0.6 * len(block_reads), (sum(block_reads), len(block_reads))


def test_the_block_alone_is_read_for_an_ordinary_email_of_each_layout(block_reads: list[bool]) -> None:
    renderer = Renderer()
    email = Email(
        subject="Hello", preheader="A preheader of a proper length for the inbox", body="Hi **there**."
    )
    for layout in LAYOUTS:
        renderer.render_email(email, brand=BRANDS[1], layout=layout)
    assert block_reads == [True] * len(LAYOUTS)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the subject shown as a heading: the frame's own text changes with every email
        ("<body", '<body><h1 class="x">{{ email.subject }}</h1'),
        # the block inside a list item: its text joins the frame's item
        ("{% call email_content() %}", "<ul><li>item {% call email_content() %}"),
        # a phone rule without !important: media-important compares it with the block's styles
        ("{% block styles %}", "@media (max-width: 600px) { p { margin: 0; } }\n{% block styles %}"),
        # a link whose text is the preheader
        ("<body", '<body><a href="https://x.example/{{ email.preheader }}">{{ email.preheader }}</a'),
    ],
)
def test_a_frame_that_cannot_be_read_apart_is_read_whole(
    tmp_path: Path, old: str, new: str, block_reads: list[bool]
) -> None:
    changed = False
    for source in resource_path("layouts").glob("*.j2"):
        text = source.read_text(encoding="utf-8")
        if old in text:
            text, changed = text.replace(old, new, 1), True
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    assert changed
    renderer = Renderer(layouts=LayoutRenderer(tmp_path))
    for body in (*BODIES.values(), *EDGE_BODIES.values()):
        email = Email(
            subject="Sub & <ject>", preheader="A preheader of a proper length for the inbox", body=body
        )
        for layout in LAYOUTS:
            got = renderer.render_email(email, brand=BRANDS[1], layout=layout)
            assert (got.checks, got.text) == _checked_whole(got, BRANDS[1].postal_address, "en"), body
    assert not any(block_reads)


def test_a_block_reader_makes_a_new_document_as_it_should(
    monkeypatch: pytest.MonkeyPatch, block_reads: list[bool]
) -> None:
    """Blocks parsed into a kept document, and into the documents that replace it, read as
    each whole email does."""
    monkeypatch.setattr(BlockReader, "USES", 2)
    renderer = Renderer()
    for body in (*BODIES.values(), *EDGE_BODIES.values()):
        email = Email(subject="S", preheader="A preheader of a proper length for the inbox", body=body)
        got = renderer.render_email(email, brand=BRANDS[1])
        assert (got.checks, got.text) == _checked_whole(got, BRANDS[1].postal_address, "en"), body
    assert sum(block_reads) > len(block_reads) // 2


def test_a_css_support_hit_in_the_block_names_its_element(tmp_path: Path, block_reads: list[bool]) -> None:
    """A rule that gives the block's paragraphs a dropped property: the warning names the
    paragraph the whole email names, found after the block was read."""
    for source in resource_path("layouts").glob("*.j2"):
        text = source.read_text(encoding="utf-8").replace(
            "{% block styles %}", ".content blockquote p { display: flex; }\n{% block styles %}", 1
        )
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    renderer = Renderer(layouts=LayoutRenderer(tmp_path))
    email = Email(
        subject="S",
        preheader="A preheader of a proper length for the inbox",
        body="a\n\n> [q](https://q.example)",
    )
    got = renderer.render_email(email, brand=BRANDS[1])
    assert [c.where for c in got.checks if c.id == "css-support"] == ["<p> display: flex"]
    assert (got.checks, got.text) == _checked_whole(got, BRANDS[1].postal_address, "en")
    assert block_reads == [True]
