"""File ▸ Check an email file…: any HTML email or saved message (.eml), drawn at phone and
desktop width with the checks `seqstudio check` runs, mobile-overflow measured: for emails this
app did not make (an ESP's template, last year's newsletter, a test send saved from a client)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.render.checks import mobile_overflow
from seqstudio.core.render.filecheck import CheckedFile, check_email_file
from seqstudio.core.render.htmlsource import MESSAGE_SUFFIXES
from seqstudio.core.render.preview import DESKTOP_WIDTH, PHONE_WIDTH
from seqstudio.gui.preview.checks_panel import ChecksPanel
from seqstudio.gui.preview.email_view import EmailView, side_by_side
from seqstudio.gui.preview.sandbox import MAX_HTML_CHARS, sandboxed_profile
from seqstudio.gui.tasks import TaskRunner

FILE_FILTER = "Emails (*.html *.htm *.eml);;All files (*)"


class EmailFileCheckDialog(QDialog):
    """Checks `path` on the runner, then draws it. Remote images stay blocked unless allowed."""

    finished_checking = Signal()  # checks listed, both views drawn, the phone width measured

    def __init__(self, path: Path, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check {name}").format(name=path.name))
        self.path = path
        # An HTML file's relative images sit beside it; a message's parts have no folder.
        self._base_url = (
            "" if path.suffix.lower() in MESSAGE_SUFFIXES else path.resolve().parent.as_uri() + "/"
        )
        self.checked: CheckedFile | None = None
        self._closed = False
        self.heading = QLabel(self.tr("Checking {path}…").format(path=path), self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        note = QLabel(
            self.tr(
                "Shown as WebKit/Blink clients draw it (Apple Mail, iOS Mail, the Gmail apps, most "
                "webmail), not Outlook on Windows."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #57606a;")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b42318;")
        self.status.hide()
        self._profile, self._blocker = sandboxed_profile()
        self.remote_images = QCheckBox(self.tr("Allow remote images"), self)
        self.remote_images.setToolTip(self.tr("Off: no request leaves this computer, as in the preview."))
        self.remote_images.toggled.connect(self._on_remote_images_toggled)
        self.phone = EmailView(self._profile, PHONE_WIDTH, self)
        self.desktop = EmailView(self._profile, DESKTOP_WIDTH, self)
        self.checks = ChecksPanel(self)
        self.checks.sequence_group.setHidden(True)  # one email, no sequence
        self.plain_text = QPlainTextEdit(self)
        self.plain_text.setReadOnly(True)
        tabs = QTabWidget(self)
        tabs.addTab(self.checks, self.tr("Checks"))
        tabs.addTab(self.plain_text, self.tr("Plain text"))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(side_by_side(self.phone, self.desktop, self))
        splitter.addWidget(tabs)
        splitter.setSizes([560, 220])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(note)
        layout.addWidget(self.remote_images)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(PHONE_WIDTH + DESKTOP_WIDTH + 80, 860)
        self._profile.setParent(self)  # last child: deleted after the pages even if never closed
        self.phone.shown.connect(self._on_phone_shown)
        self.finished.connect(lambda _result: self._free_engine())

        def work(_cancel: CancelToken, _progress: ProgressFn) -> CheckedFile:
            return check_email_file(path)

        runner.run(
            self.tr("Checking {name}").format(name=path.name),
            work,
            owner=self,
            on_done=self._on_checked,
            on_error=self._on_failed,
        )

    def _on_checked(self, checked: CheckedFile) -> None:
        if self._closed:
            return
        self.checked = checked
        subject = checked.subject if checked.subject is not None else self.tr("(an HTML file has no subject)")
        self.heading.setText(f"<b>{escape(subject)}</b> — {escape(str(checked.path))}")
        self.plain_text.setPlainText(checked.text)
        self.checks.show_checks(None, checked.checks, ())
        if len(checked.display_html) > MAX_HTML_CHARS:
            self.status.setText(self.tr("This email is over 1.5 MB: too large to draw here."))
            self.status.show()
            self.finished_checking.emit()
            return
        self.phone.show_html(checked.display_html, keep_scroll=False, base_url=self._base_url)

    def _on_remote_images_toggled(self, allowed: bool) -> None:
        self._blocker.allow_remote = allowed
        for view in (self.phone, self.desktop):
            view.sandboxed_page.set_remote_allowed(allowed)
        if self.checked is not None and not self._closed and len(self.checked.display_html) <= MAX_HTML_CHARS:
            self.phone.show_html(self.checked.display_html, base_url=self._base_url)  # desktop follows

    def _on_failed(self, error: StudioError) -> None:
        self.heading.setText(escape(str(self.path)))
        self.status.setText(error.user_message)
        self.status.show()
        self.finished_checking.emit()

    def _on_phone_shown(self, ok: bool) -> None:
        if self.checked is None or self._closed:
            return
        self.desktop.show_html(self.checked.display_html, keep_scroll=False, base_url=self._base_url)
        if ok:
            self.phone.measure(self._on_phone_measured)
        else:
            self._on_phone_measured(None)

    def _on_phone_measured(self, measured: tuple[int, int, int] | None) -> None:
        if self.checked is None or self._closed:
            return
        viewport, scroll_width = (measured[0], measured[1]) if measured else (0, 0)
        overflow = mobile_overflow(scroll_width if viewport == PHONE_WIDTH else None)
        self.checks.show_checks(None, (*self.checked.checks, *overflow), ())
        self.finished_checking.emit()

    def _free_engine(self) -> None:
        """Pages go before their profile, as QtWebEngine requires."""
        if self._closed:
            return
        self._closed = True
        for view in (self.phone, self.desktop):
            Shiboken.delete(view.sandboxed_page)
            Shiboken.delete(view)
        Shiboken.delete(self._profile)
