"""Check links in the real window: the shown email's addresses opened on the runner against a
real server on 127.0.0.1, the answers kept in the checks list while the user types, and Stop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Sequence
from seqstudio.gui.mainwindow import MainWindow
from tests.gui.preview.conftest import EXAMPLE, PreviewWindowFactory
from tests.gui.preview.test_preview_pane import UPDATE_MS, type_at_end
from tests.support.web_server import WebServer, web_server


@pytest.fixture
def server() -> Iterator[WebServer]:
    with web_server() as running:
        yield running


def example_served_by(base: str, tmp_path: Path, *, shop: str = "/shop") -> Sequence:
    """The shipped example with its addresses on `base` (none of its shop pages exist there,
    the logo does), the shop's address moved to `shop`."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("https://fernweh.example/shop", base + shop)
    path = tmp_path / "served.yaml"
    path.write_text(text.replace("https://fernweh.example", base), encoding="utf-8")
    return read_flow_file(path).sequence


def link_checks(window: MainWindow) -> list[tuple[str, str]]:
    panel = window.preview.checks
    return [(c.id, c.where) for c in panel.checks(panel.email_group) if c.id.startswith(("link-", "image-"))]


def test_check_links_reports_dead_addresses_and_keeps_them_while_typing(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, server: WebServer, tmp_path: Path
) -> None:
    window = open_in_window(example_served_by(server.base, tmp_path))
    button = window.preview.link_check
    assert link_checks(window) == [] and server.requests == [], "nothing is opened before the click"
    with qtbot.waitSignal(button.checked_links, timeout=UPDATE_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dead = [f'<a href="{server.base}/shop?code=HELLO10">']
    assert link_checks(window) == [("link-broken", where) for where in dead]  # the logo is a real PNG
    assert "/logo.png" in server.paths("HEAD")
    assert not any("unsubscribe" in path for path in server.paths())

    with qtbot.waitSignal(window.preview.preview_updated, timeout=UPDATE_MS):
        type_at_end(qtbot, window, " One more line.")
    assert link_checks(window) == [("link-broken", where) for where in dead], "kept while typing"
    assert button.text() == "Check links" and not window.context.runner.active()


def test_a_second_click_stops_the_check(
    qtbot: QtBot, open_in_window: PreviewWindowFactory, server: WebServer, tmp_path: Path
) -> None:
    server.stall_seconds = 60
    window = open_in_window(example_served_by(server.base, tmp_path, shop="/stall"))
    button = window.preview.link_check
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.running and button.text().startswith("Stop checking")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not button.running, timeout=UPDATE_MS)
    assert button.text() == "Check links"
    assert link_checks(window) == [], "a stopped check reports nothing"
