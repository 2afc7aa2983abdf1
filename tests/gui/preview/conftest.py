"""Qt set-up for the web engine tests: offscreen, no Chromium sandbox as root, and QtWebEngine
initialised before any QApplication exists (it refuses to start later)."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (initialises QtWebEngine)

if QCoreApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from seqstudio.core.flowfile import read_flow_file
from seqstudio.core.model import Sequence
from seqstudio.core.paths import shipped_dir
from seqstudio.core.storage import Library
from seqstudio.gui.mainwindow import MainWindow
from seqstudio.gui.preview.snapshot import PageSnapshotter
from tests.gui.conftest import WindowFactory

EXAMPLE = shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml"


@pytest.fixture(scope="session")
def shooter(qapp: object) -> Iterator[PageSnapshotter]:
    snapshotter = PageSnapshotter()
    yield snapshotter
    snapshotter.close()


def image(png: bytes) -> QImage:
    loaded = QImage()
    assert loaded.loadFromData(png, "PNG")
    return loaded


def red_png() -> bytes:
    red = QImage(40, 40, QImage.Format.Format_RGB32)
    red.fill(QColor("#ff0000"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    red.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide wants str
    return bytes(data.data())


@pytest.fixture
def image_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on loopback serving one red PNG; records every path asked for."""
    body, requests = red_png(), []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def fernweh() -> Sequence:
    """The shipped example: six written emails, a logo on a remote server (never fetched)."""
    return read_flow_file(EXAMPLE).sequence


PreviewWindowFactory = Callable[..., MainWindow]


@pytest.fixture
def open_in_window(
    qtbot: QtBot, make_window: WindowFactory, library: Library
) -> Iterator[PreviewWindowFactory]:
    """Adds a sequence to the library and opens it in a real window, returning once the
    preview shows its first step. Teardown: closing the window leaves no web engine page
    alive and no render running."""
    opened: list[MainWindow] = []

    def open_sequence(sequence: Sequence, position: int = 1) -> MainWindow:
        library.add_sequence(sequence)
        window = make_window()
        opened.append(window)
        with qtbot.waitSignal(window.preview.preview_updated, timeout=20_000):
            window.open_sequence(sequence.id, position)
        return window

    yield open_sequence
    for window in opened:
        pages = [view.sandboxed_page for view in window.preview.views()]
        window.close()
        assert window.context.runner.shutdown(2000), "a render was still running"
        assert not any(Shiboken.isValid(page) for page in pages), "web engine pages outlived the window"
