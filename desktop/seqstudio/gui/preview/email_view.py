"""One email drawn at a fixed CSS width in a sandboxed page, keeping its scroll position."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEngineProfile, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from seqstudio.gui.preview.sandbox import MEASURE_PAGE, SandboxedPage, parse_measure

_APPLICATION_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld


class EmailView(QWebEngineView):
    """Shows HTML at exactly `width` CSS px (no scrollbar takes any of it).

    Only one load runs at a time: HTML given meanwhile waits, and only the newest waiting HTML
    is loaded next, so `shown` always speaks of the newest HTML. The owner must delete
    `sandboxed_page` before the profile it came from.
    """

    shown = Signal(bool)  # the newest HTML finished loading; False if the engine failed to

    def __init__(self, profile: QWebEngineProfile, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.width_px = width
        self.sandboxed_page = SandboxedPage(profile, self)
        self.setPage(self.sandboxed_page)
        self.setFixedWidth(width)
        self.html = ""
        self._base = QUrl()
        self._loading = False
        self._queued: str | None = None
        self._scroll = QPointF()
        self.sandboxed_page.loadingChanged.connect(self._on_page_loading_changed)
        self.sandboxed_page.scrollPositionChanged.connect(self._on_page_scroll_position_changed)

    @property
    def loading(self) -> bool:
        return self._loading

    def show_html(self, html: str, *, keep_scroll: bool = True, base_url: str = "") -> None:
        """Load `html`; the view scrolls back to where the reader was unless `keep_scroll` is off
        (another email: start at its top). `base_url` (a file's folder, as a file:// URL) lets its
        relative images load; without one, relative paths lead nowhere."""
        if not keep_scroll:
            self._scroll = QPointF()
        self.html, self._base = html, QUrl(base_url)
        if self._loading:
            self._queued = html
            return
        self._loading = True
        self.sandboxed_page.setHtml(html, self._base)

    def measure(self, done: Callable[[tuple[int, int, int] | None], None]) -> None:
        """Ask the page for (viewport width, scroll width, scroll height); `done` gets None if
        the engine gave no answer it could read."""
        self.sandboxed_page.runJavaScript(
            MEASURE_PAGE, _APPLICATION_WORLD, lambda value: done(parse_measure(value))
        )

    def _on_page_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        # A redirect or link the page refused reports its own start and stop under its own URL:
        # only the end of a setHtml load is ours (a data: URL, or the base URL when one is given).
        url = info.url()
        if info.status() == QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus or (
            url.scheme() != "data" and (self._base.isEmpty() or url != self._base)
        ):
            return
        self._on_html_loaded(info.status() == QWebEngineLoadingInfo.LoadStatus.LoadSucceededStatus)

    def _on_html_loaded(self, ok: bool) -> None:
        if self._queued is not None:
            html, self._queued = self._queued, None
            self.sandboxed_page.setHtml(html, self._base)
            return
        self._loading = False
        if self._scroll.x() or self._scroll.y():
            x, y = int(self._scroll.x()), int(self._scroll.y())
            # Application world: it runs with the page's own JavaScript off.
            self.sandboxed_page.runJavaScript(f"window.scrollTo({x}, {y}); 0", _APPLICATION_WORLD)
        self.shown.emit(ok)

    def _on_page_scroll_position_changed(self, position: QPointF) -> None:
        if not self._loading:  # a load resets the page to the top: keep where the user was
            self._scroll = QPointF(position)


def side_by_side(phone: EmailView, desktop: EmailView, parent: QWidget) -> QScrollArea:
    """The phone and desktop views in a row, each captioned with its width. Both widths are real
    CSS px: a narrow window scrolls sideways rather than squeezing them."""
    row = QWidget(parent)
    row_layout = QHBoxLayout(row)
    for view, caption in (
        (phone, parent.tr("Phone · {n} px").format(n=phone.width_px)),
        (desktop, parent.tr("Desktop · {n} px").format(n=desktop.width_px)),
    ):
        # The column joins the row before it holds anything: adding a layout that already holds
        # widgets makes PySide wrap their QWidgetItems, and a view deleted on shutdown would
        # leave its item's wrapper stale, to be handed out for a later object at that address.
        column = QVBoxLayout()
        row_layout.addLayout(column)
        column.addWidget(QLabel(caption, row))
        column.addWidget(view, 1)
    row_layout.addStretch(1)
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(row)
    return area
