"""The web engine set up as a mail client's safe view: JavaScript off, no network unless allowed.

Shared by the PNG snapshotter and the preview pane so both draw an email under the same rules.
Every page comes from an off-the-record profile whose request interceptor blocks http(s), ftp
and websocket fetches unless `RemoteBlocker.allow_remote` is set, and a `SandboxedPage` refuses
to navigate away from the HTML it was given (a clicked link must not open a website in it).
"""

from __future__ import annotations

import json
import os

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

REMOTE_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss"})
MAX_HTML_CHARS = 1_500_000  # setHtml goes through a data: URL, limited to 2 MB
# Run in the application world, which works with the page's own JavaScript off.
MEASURE_PAGE = (
    "JSON.stringify([window.innerWidth,"
    " Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0),"
    " Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)])"
)


def allow_running_as_root() -> None:
    """Set Chromium up before the first page: no sandbox as root (it refuses to start otherwise),
    and only its fatal messages on stderr (it complains about a missing D-Bus on every start).

    Qt's own warnings and infos go too, before the QApplication exists: without a GPU, Qt and
    QtWebEngine warn on every start about OpenGL, Vulkan and the sandbox, eight lines of noise
    around a CLI job's output. Criticals stay, and a QT_LOGGING_RULES of the user's own wins."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--log-level=3")
    os.environ.setdefault("QT_LOGGING_RULES", "*.warning=false;*.info=false")


class RemoteBlocker(QWebEngineUrlRequestInterceptor):
    """Blocks every network fetch unless `allow_remote` is set; counts what it blocked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.allow_remote = False
        self.blocked = 0

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        if not self.allow_remote and info.requestUrl().scheme().lower() in REMOTE_SCHEMES:
            self.blocked += 1
            info.block(True)


def sandboxed_profile(parent: QObject | None = None) -> tuple[QWebEngineProfile, RemoteBlocker]:
    """An off-the-record profile (nothing on disk, no HTTP cache) with its blocker installed.

    The caller must delete every page of the profile before the profile itself.
    """
    allow_running_as_root()
    profile = QWebEngineProfile(parent)  # no storage name: off the record
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.NoCache)
    blocker = RemoteBlocker(profile)
    profile.setUrlRequestInterceptor(blocker)
    return profile, blocker


class SandboxedPage(QWebEnginePage):
    """A page that shows only the HTML it is given: JavaScript, plugins and error pages off,
    and no navigation to anything but that HTML (links in a preview do not open)."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        settings = self.settings()
        attribute = QWebEngineSettings.WebAttribute
        settings.setAttribute(attribute.JavascriptEnabled, False)
        settings.setAttribute(attribute.AutoLoadImages, True)
        settings.setAttribute(attribute.LocalContentCanAccessRemoteUrls, False)
        settings.setAttribute(attribute.PluginsEnabled, False)
        settings.setAttribute(attribute.ErrorPageEnabled, False)
        # Phones draw overlay scrollbars, so a bar must not take width from the 375 px layout.
        settings.setAttribute(attribute.ShowScrollBars, False)

    def acceptNavigationRequest(
        self, url: QUrl | str, type: QWebEnginePage.NavigationType, isMainFrame: bool
    ) -> bool:
        # setHtml arrives as a data: URL (whatever the base URL); a click or a redirect is refused.
        scheme = QUrl(url).scheme().lower()
        return scheme in ("data", "about") and type == QWebEnginePage.NavigationType.NavigationTypeTyped

    def set_dark(self, dark: bool) -> None:
        """Chromium's forced dark rendering, as the Gmail apps and Outlook.com darken a light email."""
        force_dark = getattr(QWebEngineSettings.WebAttribute, "ForceDarkMode", None)
        if force_dark is not None:
            self.settings().setAttribute(force_dark, dark)

    def set_remote_allowed(self, allowed: bool) -> None:
        """With a file:// base URL (an HTML file's folder, for its relative images) the page is
        local content, which Chromium keeps from remote URLs besides the blocker: allowing
        remote images must lift that too. (The profile's RemoteBlocker decides the rest.)"""
        self.settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, allowed)

    def set_images(self, shown: bool) -> None:
        """Images off is what a client that blocks images shows: alt text and the layout without them."""
        self.settings().setAttribute(QWebEngineSettings.WebAttribute.AutoLoadImages, shown)


def parse_measure(value: object) -> tuple[int, int, int] | None:
    """(viewport width, scroll width, scroll height) from MEASURE_PAGE's answer, or None."""
    try:
        inner, width, height = json.loads(str(value))
        return int(inner), int(width), int(height)
    except (ValueError, TypeError):
        return None
