"""The web engine that draws previews: widths, full-page height, JavaScript off, remote images
blocked unless allowed, and the page width the mobile-overflow check needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqstudio.core.render.checks import mobile_overflow
from seqstudio.core.render.inline import Inliner
from seqstudio.gui.preview.snapshot import PageSnapshotter
from tests.gui.preview.conftest import image, red_png
from tests.support.shared import shared_path


@pytest.mark.parametrize("width", [375, 600, 1024])
def test_png_has_the_asked_width_and_the_whole_page_height(shooter: PageSnapshotter, width: int) -> None:
    html = '<html><body style="margin:0"><div style="height:1500px;background:#123456"></div></body></html>'
    shot = shooter(html, width=width)
    picture = image(shot.png)
    assert (picture.width(), picture.height()) == (width, 1500) == (shot.width, shot.scroll_height)
    assert picture.pixelColor(width // 2, 1400).name() == "#123456"


def test_javascript_never_runs(shooter: PageSnapshotter) -> None:
    html = (
        '<html><body style="margin:0"><div id="box" style="width:200px;height:200px;background:#00ff00"></div>'
        "<script>document.getElementById('box').style.background = '#ff0000';</script></body></html>"
    )
    assert image(shooter(html, width=375).png).pixelColor(50, 50).name() == "#00ff00"


def test_remote_images_are_blocked_unless_allowed(
    shooter: PageSnapshotter, image_server: tuple[str, list[str]]
) -> None:
    base, requests = image_server
    html = f'<html><body style="margin:0;background:#ffffff"><img src="{base}/red.png" width="40" height="40" alt=""></body></html>'
    blocked = image(shooter(html, width=375).png)
    assert requests == [] and blocked.pixelColor(20, 20).name() != "#ff0000"
    allowed = image(shooter(html, width=375, allow_remote_images=True).png)
    assert requests == ["/red.png"] and allowed.pixelColor(20, 20).name() == "#ff0000"


def test_remote_images_load_when_allowed_for_an_html_file_too(
    shooter: PageSnapshotter, image_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    """A file's folder as base URL makes the page local content, which Chromium keeps from remote
    URLs unless told otherwise (`seqstudio preview mail.html --allow-remote-images` drew none)."""
    base, requests = image_server
    html = (
        f'<html><body style="margin:0"><img src="{base}/red.png" width="40" height="40" alt=""></body></html>'
    )
    folder = tmp_path.as_uri() + "/"
    blocked = image(shooter(html, width=375, base_url=folder).png)
    assert requests == [] and blocked.pixelColor(20, 20).name() != "#ff0000"
    allowed = image(shooter(html, width=375, allow_remote_images=True, base_url=folder).png)
    assert requests == ["/red.png"] and allowed.pixelColor(20, 20).name() == "#ff0000"


def test_dark_mode_darkens_a_light_email(shooter: PageSnapshotter) -> None:
    html = '<html><body style="margin:0;background:#ffffff"><p style="color:#000000">Hello</p><div style="height:300px"></div></body></html>'
    assert image(shooter(html, width=375).png).pixelColor(300, 200).lightness() > 240
    assert image(shooter(html, width=375, dark=True).png).pixelColor(300, 200).lightness() < 80


def test_local_images_load_from_the_base_folder(shooter: PageSnapshotter, tmp_path: Path) -> None:
    (tmp_path / "red.png").write_bytes(red_png())
    html = '<html><body style="margin:0"><img src="red.png" width="40" height="40" alt=""></body></html>'
    shot = shooter(html, width=375, base_url=tmp_path.as_uri() + "/")
    assert image(shot.png).pixelColor(20, 20).name() == "#ff0000"


@pytest.mark.parametrize(
    "name",
    [
        "leemunroe/email.html",
        "sendwithus/cerberus-responsive.html",
        "sendwithus/goldstar-invoice.html",
        "postmark/basic-full-invoice.html",
    ],
)
def test_mobile_overflow_stays_silent_on_responsive_templates(shooter: PageSnapshotter, name: str) -> None:
    html = Inliner().inline(shared_path("eval", "templates", name).read_text())
    assert mobile_overflow(shooter(html, width=375).scroll_width) == []


def test_mobile_overflow_fires_on_a_fixed_width_table(shooter: PageSnapshotter) -> None:
    source = shared_path("eval", "templates", "leemunroe/email.html").read_text()
    wide = source.replace(
        "<p>Hi there</p>",
        '<table width="640" style="width:640px"><tr><td>Order summary</td></tr></table><p>Hi there</p>',
    )
    shot = shooter(Inliner().inline(wide), width=375)
    found = mobile_overflow(shot.scroll_width)
    assert shot.scroll_width > 640 and [c.id for c in found] == ["mobile-overflow"]
