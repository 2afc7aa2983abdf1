"""Inlined output draws exactly like its source at phone and desktop width, pixel for pixel,
for the real public templates and for our own layouts. Where it cannot (a phone rule an
inline style overrides), the media-important check says so."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QImage

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.paths import shipped_dir
from seqstudio.core.render.checks import EmailChecker
from seqstudio.core.render.inline import Inliner
from seqstudio.core.render.pipeline import Renderer
from seqstudio.gui.preview.snapshot import PageSnapshotter
from tests.gui.preview.conftest import image
from tests.support.shared import shared_path

WIDTHS = (375, 600)
TEMPLATES = [
    "leemunroe/email.html",
    "postmark/basic-full-welcome.html",
    "postmark/basic-full-receipt.html",
    "sendwithus/cerberus-responsive.html",
    "sendwithus/cerberus-hybrid.html",
    "sendwithus/meow-welcome.html",
    "sendwithus/neopolitan-invoice.html",
    "sendwithus/oxygen-welcome.html",
]


def differing_rows(a: QImage, b: QImage) -> int:
    assert a.size() == b.size(), (a.size(), b.size())
    a, b = a.convertToFormat(QImage.Format.Format_ARGB32), b.convertToFormat(QImage.Format.Format_ARGB32)
    stride = a.bytesPerLine()
    raw_a, raw_b = bytes(a.constBits()), bytes(b.constBits())
    return sum(
        1
        for y in range(a.height())
        if raw_a[y * stride : (y + 1) * stride] != raw_b[y * stride : (y + 1) * stride]
    )


@pytest.mark.parametrize("name", TEMPLATES)
def test_inlined_template_draws_like_its_source(shooter: PageSnapshotter, name: str) -> None:
    source = shared_path("eval", "templates", name).read_text(encoding="utf-8")
    inlined = Inliner().inline(source)
    for width in WIDTHS:
        before, after = image(shooter(source, width=width).png), image(shooter(inlined, width=width).png)
        assert differing_rows(before, after) == 0, f"{name} at {width} px"


def test_our_layouts_draw_the_same_inlined(shooter: PageSnapshotter) -> None:
    flow = read_flow_file(shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml").sequence
    renderer = Renderer()
    for layout in ("branded", "letter"):
        email = renderer.render_sequence(flow, today=date(2026, 11, 30), layout=layout).emails[0]
        for width in WIDTHS:
            before = image(shooter(email.source_html, width=width).png)
            after = image(shooter(email.html, width=width).png)
            assert differing_rows(before, after) == 0, f"{layout} at {width} px"


def test_where_inlining_changes_the_phone_view_the_check_says_so(shooter: PageSnapshotter) -> None:
    source = shared_path("eval", "templates", "sendwithus/airmail-invoice.html").read_text(encoding="utf-8")
    inlined = Inliner().inline(source)
    # at 600 px its @media (max-width: 650px) rule right-aligns a price cell; inlined, it stays left
    changed = differing_rows(image(shooter(source, width=600).png), image(shooter(inlined, width=600).png))
    assert changed > 0
    assert [c.id for c in EmailChecker().check(inlined).checks if c.id == "media-important"] == [
        "media-important"
    ]
