"""The page every preview draws in: no script, no navigation away from the email, and no
request to the network unless remote images are allowed (and then only for resources)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEngineProfile, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from seqstudio.gui.preview.email_view import EmailView
from seqstudio.gui.preview.sandbox import RemoteBlocker, SandboxedPage, sandboxed_profile

LoadStatus = QWebEngineLoadingInfo.LoadStatus


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[tuple[SandboxedPage, RemoteBlocker]]:
    profile, blocker = sandboxed_profile()
    view = QWebEngineView()
    sandboxed = SandboxedPage(profile, view)
    view.setPage(sandboxed)
    view.resize(375, 300)
    view.show()
    yield sandboxed, blocker
    Shiboken.delete(sandboxed)  # the page before its profile, as QtWebEngine requires
    Shiboken.delete(view)
    Shiboken.delete(profile)


def load(qtbot: QtBot, page: SandboxedPage, html: str) -> None:
    with qtbot.waitSignal(page.loadFinished, timeout=10_000) as finished:
        page.setHtml(html)
    assert finished.args == [True]


def evaluate(qtbot: QtBot, page: SandboxedPage, script: str) -> object:
    with qtbot.waitCallback(timeout=5000) as callback:
        page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback)
    return callback.args[0]


def test_the_profile_keeps_nothing_on_disk(page: tuple[SandboxedPage, RemoteBlocker]) -> None:
    profile = page[0].profile()
    assert profile.isOffTheRecord()
    assert profile.httpCacheType() == QWebEngineProfile.HttpCacheType.NoCache


def test_scripts_in_the_email_never_run(qtbot: QtBot, page: tuple[SandboxedPage, RemoteBlocker]) -> None:
    sandboxed, _blocker = page
    load(
        qtbot,
        sandboxed,
        "<p id='t'>as written</p><script>document.getElementById('t').textContent='changed'</script>",
    )
    assert evaluate(qtbot, sandboxed, "document.getElementById('t').textContent") == "as written"


def refused(base: str) -> Callable[[QWebEngineLoadingInfo], bool]:
    """Matches the stop the page reports for a navigation to `base` that it refused."""
    return lambda info: (
        info.url().toString().startswith(base) and info.status() != LoadStatus.LoadStartedStatus
    )


def test_a_redirect_in_the_email_does_not_leave_it_even_with_remote_images_allowed(
    qtbot: QtBot, page: tuple[SandboxedPage, RemoteBlocker], image_server: tuple[str, list[str]]
) -> None:
    sandboxed, blocker = page
    base, requests = image_server
    blocker.allow_remote = True
    with qtbot.waitSignal(sandboxed.loadingChanged, timeout=10_000, check_params_cb=refused(base)):
        sandboxed.setHtml(f'<meta http-equiv="refresh" content="0;url={base}/away"><p>stay</p>')
    load(qtbot, sandboxed, f'<p>again</p><img src="{base}/pixel.png" alt="">')  # later loads still work
    assert "/away" not in requests and requests == ["/pixel.png"]
    assert sandboxed.url().scheme() == "data"


def test_an_email_view_reports_its_own_load_once_despite_a_refused_redirect(
    qtbot: QtBot, image_server: tuple[str, list[str]]
) -> None:
    base, _requests = image_server
    profile, _blocker = sandboxed_profile()
    view = EmailView(profile, 375)
    qtbot.addWidget(view)
    view.show()
    shown: list[bool] = []
    view.shown.connect(shown.append)
    with qtbot.waitSignal(view.sandboxed_page.loadingChanged, timeout=10_000, check_params_cb=refused(base)):
        view.show_html(f'<meta http-equiv="refresh" content="0;url={base}/away"><p>stay</p>')
    assert shown == [True] and not view.loading
    Shiboken.delete(view.sandboxed_page)
    Shiboken.delete(profile)


def test_remote_requests_are_blocked_and_counted_by_default(
    qtbot: QtBot, page: tuple[SandboxedPage, RemoteBlocker], image_server: tuple[str, list[str]]
) -> None:
    sandboxed, blocker = page
    base, requests = image_server
    load(qtbot, sandboxed, f'<img src="{base}/a.png" alt=""><link rel="stylesheet" href="{base}/b.css">')
    assert requests == [] and blocker.blocked >= 2
