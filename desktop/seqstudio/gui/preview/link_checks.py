"""Check links: the preview's button that opens the shown email's link and image addresses on
the runner, and the checks those answers give, kept for the session so they stay in the list
while the user goes on typing (an address typed later needs another click)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.render.findings import Check
from seqstudio.core.render.linkcheck import (
    LinkChecker,
    LinkStatus,
    LinkTarget,
    link_checks,
    link_targets,
    to_open,
)
from seqstudio.gui.tasks import TaskHandle, TaskRunner


class LinkCheckButton(QPushButton):
    """Click: open every address of the email last given to `set_email`; click while running:
    stop. `checks_for(html)` gives the checks of what has been opened so far."""

    checked_links = Signal()  # new answers arrived; the checks of an email may have changed
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Check links"), parent)
        self.setToolTip(
            self.tr(
                "Open every link and image address of this email, once each, and report dead ones, "
                "refusals and redirects. Unsubscribe links and addresses with merge tags are never opened."
            )
        )
        self._runner = runner
        self._checker = LinkChecker()
        self._statuses: dict[str, LinkStatus] = {}
        self._used = False  # a check has finished: from then on the list shows link checks
        self._html = ""
        self._targets: list[LinkTarget] | None = None  # of self._html
        self._job: TaskHandle | None = None
        self.clicked.connect(self._on_clicked)

    @property
    def running(self) -> bool:
        return self._job is not None

    def set_email(self, html: str) -> None:
        """The email a click checks (the preview's newest render)."""
        if html != self._html:
            self._html, self._targets = html, None

    def checks_for(self, html: str) -> list[Check]:
        """Link checks of `html` from the answers so far; none before the first click."""
        if not self._used:
            return []
        return link_checks(self._targets_of(html), self._statuses)

    def _targets_of(self, html: str) -> list[LinkTarget]:
        """The addresses of `html`, parsed once per render (the checks list asks twice: once
        rendered, once the phone width is measured), on the GUI thread."""
        if html != self._html:
            return link_targets(html)
        if self._targets is None:
            self._targets = link_targets(html)
        return self._targets

    def stop(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _on_clicked(self) -> None:
        if self._job is not None:
            self.stop()
            return
        urls = [target.url for target in self._targets_of(self._html) if to_open(target)]
        checker = self._checker

        def work(cancel: CancelToken, progress: ProgressFn) -> dict[str, LinkStatus]:
            return checker.statuses(urls, cancel=cancel, on_progress=progress)

        self._job = self._runner.run(
            "Check links",
            work,
            owner=self,
            on_done=self._on_done,
            on_error=self._on_error,
            on_progress=self._on_progress,
            on_cancelled=self._on_cancelled,
        )
        self.setText(self.tr("Stop checking"))

    def _on_progress(self, done: int, total: int, _message: str) -> None:
        if self._job is not None:
            self.setText(self.tr("Stop checking ({done}/{total})").format(done=done, total=total))

    def _on_done(self, statuses: dict[str, LinkStatus]) -> None:
        self._finish()
        self._statuses.update(statuses)
        self._used = True
        self.checked_links.emit()

    def _on_error(self, error: StudioError) -> None:
        self._finish()
        self.failed.emit(error.user_message)

    def _on_cancelled(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self._job = None
        self.setText(self.tr("Check links"))
