"""`seqstudio preview` and `seqstudio check` end to end: a real process through the launcher,
which hands the CLI the web engine (the CLI itself never imports Qt)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from seqstudio.core.paths import shipped_dir
from tests.gui.preview.conftest import red_png
from tests.support.messages import related_message
from tests.support.shared import shared_path

REPO_ROOT = Path(__file__).resolve().parents[3]


def seqstudio(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "desktop"), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_LOGGING_RULES", None)  # the CLI's own default is under test
    return subprocess.run(
        [sys.executable, "-m", "seqstudio", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_preview_of_an_html_file(tmp_path: Path) -> None:
    out = tmp_path / "phone.png"
    result = seqstudio(
        "preview",
        str(shared_path("eval", "templates", "leemunroe/email.html")),
        "--width",
        "375",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no GPU, OpenGL or sandbox warnings from a headless engine
    picture = QImage(str(out))
    assert picture.width() == 375 and picture.height() > 300
    assert f"{out}: 375 x {picture.height()} px" in result.stdout


def test_preview_of_a_flow_step_at_desktop_width(tmp_path: Path) -> None:
    out = tmp_path / "desktop.png"
    flow = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
    result = seqstudio(
        "preview", str(flow), "--step", "3", "--width", "600", "--layout", "letter", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 600


def test_preview_of_a_missing_step(tmp_path: Path) -> None:
    flow = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
    result = seqstudio("preview", str(flow), "--step", "9", "-o", str(tmp_path / "x.png"))
    assert result.returncode == 2 and "has no step 9" in result.stderr


def test_check_measures_mobile_overflow_through_the_launcher(tmp_path: Path) -> None:
    source = shared_path("eval", "templates", "leemunroe/email.html").read_text()
    wide = tmp_path / "wide.html"
    wide.write_text(
        source.replace(
            "<p>Hi there</p>", '<table width="700" style="width:700px"><tr><td>x</td></tr></table>'
        )
    )
    result = seqstudio(
        "check", "--json", str(shared_path("eval", "templates", "leemunroe/email.html")), str(wide)
    )
    assert result.returncode == 0, result.stderr
    clean, overflowing = json.loads(result.stdout)
    assert clean["checks"] == []
    assert [(c["id"], c["level"]) for c in overflowing["checks"]] == [("mobile-overflow", "warning")]


def test_render_measures_each_step_through_the_launcher(tmp_path: Path) -> None:
    flow = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"
    result = seqstudio("render", str(flow), "-o", str(tmp_path), "--today", "2026-11-30")
    assert result.returncode == 0, result.stderr
    for position in range(1, 7):
        report = json.loads((tmp_path / f"step-{position}.checks.json").read_text())
        assert "mobile-overflow" not in {c["id"] for c in report["checks"]}  # measured, and it fits


def test_preview_of_a_saved_message_draws_its_inline_images(tmp_path: Path) -> None:
    saved = tmp_path / "related.eml"
    saved.write_bytes(related_message(red_png()).as_bytes())
    out = tmp_path / "message.png"
    result = seqstudio("preview", str(saved), "--width", "375", "-o", str(out))
    assert result.returncode == 0, result.stderr
    picture = QImage(str(out))
    red = [
        (x, y)
        for x in range(0, 120, 4)
        for y in range(0, 80, 4)
        if picture.pixelColor(x, y).name() == "#ff0000"
    ]
    assert red, "the cid: image was drawn from the message's own part"
