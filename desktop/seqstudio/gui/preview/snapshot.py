"""Emails drawn by QtWebEngine (Chromium) into PNGs, on screen or offscreen, JavaScript off.

`PageSnapshotter` is a `seqstudio.core.render.preview.PageShooter`: the CLI `preview` job gets
it from the launcher, the window's preview pane can own one. It must be called on the thread
that owns the QApplication (the GUI thread), never from a worker. Every http(s) request is
blocked unless the caller allows remote images for that shot.
"""

from __future__ import annotations

import atexit
import json
import os
import sys

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEventLoop,
    QIODevice,
    QObject,
    Qt,
    QTimer,
    QUrl,
)
from PySide6.QtGui import QImage
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

from seqstudio.core.render.preview import PageShot, PreviewError
from seqstudio.gui.preview.sandbox import (
    MAX_HTML_CHARS,
    SandboxedPage,
    allow_running_as_root,
    sandboxed_profile,
)

LOAD_TIMEOUT_MS = 20_000
MAX_HEIGHT = 16_000  # Chromium's texture limit is 16384 px; an email longer than that is cut
_MEASURE = (
    "JSON.stringify([Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0),"
    " Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)])"
)


# Counts animation frames from now on (in the application world, so with page JavaScript off).
_COUNT_FRAMES = (
    "window.__seqFrames = 0; window.__seqStop = false;"
    " (function tick() { window.__seqFrames++; if (!window.__seqStop) requestAnimationFrame(tick); })(); 0"
)
_STOP_COUNTING = "window.__seqStop = true; 0"
_FRAME_STATE = "JSON.stringify([[window.innerWidth, window.innerHeight], window.__seqFrames])"


def prepare_environment() -> None:
    """Set what Chromium needs before the QApplication exists: the offscreen platform when
    there is no display, and no sandbox when running as root (Chromium refuses otherwise)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    allow_running_as_root()


def ensure_application() -> QCoreApplication:
    """The running QApplication, or a new one set up for QtWebEngine (for the CLI)."""
    app = QApplication.instance()
    if app is None:
        prepare_environment()
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(["seqstudio"])
    return app


class PageSnapshotter:
    """Draws HTML at a given width and returns the PNG and the page's measured size."""

    def __init__(self) -> None:
        ensure_application()
        self._profile, self._blocker = sandboxed_profile()
        self._view = QWebEngineView()
        self._page = SandboxedPage(self._profile, self._view)  # no scrollbars: the PNG is the page
        self._view.setPage(self._page)
        self._view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self._view.show()

    def close(self) -> None:
        """Free the engine: the page goes before its profile, as QtWebEngine requires."""
        if not Shiboken.isValid(self._page):
            return
        Shiboken.delete(self._page)
        Shiboken.delete(self._view)
        Shiboken.delete(self._profile)

    def __call__(
        self,
        html: str,
        *,
        width: int,
        allow_remote_images: bool = False,
        dark: bool = False,
        base_url: str = "",
    ) -> PageShot:
        if width < 100 or width > 4000:
            raise PreviewError(f"A preview width of {width} px is out of range; use 100 to 4000.")
        if len(html) > MAX_HTML_CHARS:
            raise PreviewError(
                "This email is too large to preview (over 1.5 MB); no inbox would show it either."
            )
        self._blocker.allow_remote = allow_remote_images
        self._page.set_remote_allowed(allow_remote_images)
        self._page.set_dark(dark)
        # A short viewport: scrollHeight is at least the viewport, and we want the page's own height.
        self._view.resize(width, 40)
        loaded = self._wait_for_load(html, QUrl(base_url) if base_url else QUrl("about:blank"))
        if not loaded:
            raise PreviewError("The preview page did not load; try again.", "loadFinished(false) or timeout")
        scroll_width, scroll_height = self._measure()
        height = max(1, min(scroll_height, MAX_HEIGHT))
        self._view.resize(width, height)
        self._wait_for_frames_at(width, height)
        image = self._settled_image()
        self._run_js(_STOP_COUNTING)
        return PageShot(
            png=_png_bytes(image),
            width=width,
            height=image.height(),
            scroll_width=scroll_width,
            scroll_height=scroll_height,
        )

    def _wait_for_load(self, html: str, base: QUrl) -> bool:
        loop = QEventLoop()
        result = {"ok": False}

        def finished(ok: bool) -> None:
            result["ok"] = ok
            loop.quit()

        # QObject.disconnect(connection), not signal.disconnect(slot): in PySide6 6.12 on Python
        # 3.11 the latter drops a reference to True on every call until the interpreter aborts.
        connection = self._page.loadFinished.connect(finished)
        QTimer.singleShot(LOAD_TIMEOUT_MS, loop.quit)
        self._page.setHtml(html, base)
        loop.exec()
        QObject.disconnect(connection)
        return result["ok"]

    def _run_js(self, code: str) -> str:
        """Run `code` in the application world (it runs even with the page's JavaScript off;
        page scripts never do) and return its value as a string."""
        loop = QEventLoop()
        result: dict[str, str] = {}

        def finished(value: object) -> None:
            result["value"] = str(value)
            loop.quit()

        self._page.runJavaScript(code, QWebEngineScript.ScriptWorldId.ApplicationWorld, finished)
        QTimer.singleShot(LOAD_TIMEOUT_MS, loop.quit)
        loop.exec()
        if "value" not in result:
            raise PreviewError("The preview engine stopped answering; try again.", code)
        return result["value"]

    def _measure(self) -> tuple[int, int]:
        try:
            width, height = json.loads(self._run_js(_MEASURE))
        except (ValueError, TypeError) as error:
            raise PreviewError("The preview could not measure the page; try again.") from error
        return int(width), int(height)

    def _wait_for_frames_at(self, width: int, height: int) -> None:
        """Wait until Blink lays out at the new size and has drawn a few frames there: before
        that, a grab shows the old frame (seen under CPU load), and it looks perfectly stable."""
        self._run_js(_COUNT_FRAMES)
        for _ in range(100):
            size, frames = json.loads(self._run_js(_FRAME_STATE))
            if size == [width, height] and frames >= 3:
                return
            _pause(20)
        raise PreviewError("The preview engine did not redraw the page; try again.", f"{width}x{height}")

    def _settled_image(self) -> QImage:
        """Grab until three grabs in a row are the same: the frame Blink drew still has to
        reach the view."""
        previous, same = QImage(), 0
        for _ in range(80):
            _pause(60)
            image = self._view.grab().toImage()
            same = same + 1 if image == previous and not image.isNull() else 0
            if same == 2:
                return image
            previous = image
        return previous


def _pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide 6.12 wants str
    buffer.close()
    return bytes(data.data())


def headless_shooter() -> PageSnapshotter:
    """A snapshotter for the CLI: starts a QApplication (offscreen without a display) if none
    runs, and frees the engine at exit in the order QtWebEngine needs."""
    shooter = PageSnapshotter()
    atexit.register(shooter.close)
    return shooter
