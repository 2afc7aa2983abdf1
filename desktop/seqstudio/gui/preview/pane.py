"""The preview beside the editor: the selected email at phone and desktop width, its plain-text
part, and the checks for it and for the sequence, updated as the user pauses typing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from seqstudio.core.errors import StudioError
from seqstudio.core.render.checks import mobile_overflow
from seqstudio.core.render.findings import Check
from seqstudio.core.render.layouts import load_sample_contacts
from seqstudio.core.render.preview import DESKTOP_WIDTH, PHONE_WIDTH
from seqstudio.gui.preview.checks_panel import ChecksPanel
from seqstudio.gui.preview.email_view import EmailView, side_by_side
from seqstudio.gui.preview.link_checks import LinkCheckButton
from seqstudio.gui.preview.live import LiveRenderer, PreviewRequest, PreviewResult
from seqstudio.gui.preview.options import PreviewOptions
from seqstudio.gui.preview.sandbox import MAX_HTML_CHARS, sandboxed_profile
from seqstudio.gui.sequence.workspace import SequenceWorkspace, savable_step
from seqstudio.gui.tasks import TaskRunner

VIEWS_MIN_WIDTH = 260


class PreviewPane(QWidget):
    """Follows the workspace's current step. Call `shutdown` before the window goes away: it
    stops rendering and frees the web engine pages before their profile."""

    preview_updated = Signal()  # both views show the newest render and the phone width is measured

    def __init__(
        self, runner: TaskRunner, workspace: SequenceWorkspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._result: PreviewResult | None = None
        self._overflow: list[Check] = []
        self._waiting: set[str] = set()
        self._stale = False
        self._closed = False
        self._desktop_next: tuple[str, bool] | None = None

        self.options = PreviewOptions(load_sample_contacts(), self)
        self.note = QLabel(
            self.tr(
                "Shown as WebKit/Blink clients draw it (Apple Mail, iOS Mail, the Gmail apps, most webmail), "
                "not Outlook on Windows: send a test there."
            ),
            self,
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #57606a;")
        self.inbox_line = QLabel(self)
        self.inbox_line.setTextFormat(Qt.TextFormat.RichText)
        self.inbox_line.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b42318;")
        self.status.hide()

        profile, self._blocker = sandboxed_profile()
        self._profile = profile
        self.phone = EmailView(profile, PHONE_WIDTH, self)
        self.desktop = EmailView(profile, DESKTOP_WIDTH, self)
        self.checks = ChecksPanel(self)
        self.plain_text = QPlainTextEdit(self)
        self.plain_text.setReadOnly(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.checks, self.tr("Checks"))
        self.tabs.addTab(self.plain_text, self.tr("Plain text"))
        self.link_check = LinkCheckButton(runner, self)
        self.tabs.setCornerWidget(self.link_check)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self._views_area())
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 220])  # the emails first; the checks below need a few lines

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.options)
        layout.addWidget(self.note)
        layout.addWidget(self.inbox_line)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        profile.setParent(self)  # last child, so it is deleted after the pages even without shutdown()

        self.live = LiveRenderer(runner, self._current_request, self)
        self.live.rendered.connect(self._on_live_rendered)
        self.live.failed.connect(self._on_live_failed)
        self.phone.shown.connect(self._on_phone_shown)
        self.desktop.shown.connect(self._on_desktop_shown)
        self.checks.step_activated.connect(workspace.select_step)
        self.link_check.checked_links.connect(self._show_checks)
        self.link_check.failed.connect(self._on_link_check_failed)
        self.options.content_changed.connect(self._on_options_content_changed)
        self.options.look_changed.connect(self._on_options_look_changed)
        workspace.current_step_changed.connect(self._on_workspace_current_step_changed)
        workspace.editor.edited.connect(self._on_editor_edited)
        workspace.settings_saved.connect(self._on_editor_edited)

    def _views_area(self) -> QScrollArea:
        area = side_by_side(self.phone, self.desktop, self)
        area.setMinimumWidth(VIEWS_MIN_WIDTH)  # narrower than the phone view: it scrolls, the editor stays
        return area

    def sizeHint(self) -> QSize:
        # The phone width at least; the desktop view scrolls into sight as the pane gets wider.
        return QSize(PHONE_WIDTH + 80, 700)

    def views(self) -> tuple[EmailView, EmailView]:
        return self.phone, self.desktop

    # Following the workspace

    def _current_request(self) -> PreviewRequest | None:
        """The current step as typed (fields that do not validate yet keep their saved value)."""
        sequence = self._workspace.sequence
        if sequence is None or self._closed:
            return None
        stored = sequence.step(self._workspace.position)
        typed, _problems = savable_step(self._workspace.editor.step_from_fields(stored), stored)
        steps = tuple(typed if step.id == typed.id else step for step in sequence.steps)
        return PreviewRequest(
            sequence=replace(sequence, steps=steps),
            position=typed.position,
            contact=self.options.chosen_contact,
            layout=self.options.chosen_layout,
            today=date.today(),
        )

    def _refresh(self, *, now: bool) -> None:
        if self._closed:
            return
        if not self.isVisible():  # hidden: render when shown again, not on every keystroke
            self._stale = True
            self.live.stop()
            return
        if self._workspace.sequence is None:
            self.live.stop()
            self._clear()
        elif now:
            self.live.render_now()
        else:
            self.live.schedule()

    def _on_workspace_current_step_changed(self) -> None:
        self._refresh(now=True)

    def _on_editor_edited(self, *_args: object) -> None:
        self._refresh(now=False)

    def _on_options_content_changed(self) -> None:
        self._refresh(now=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._refresh(now=True)

    # Showing a render

    def _on_live_rendered(self, result: PreviewResult) -> None:
        before, self._result = self._result, result
        same_email = before is not None and (before.request.sequence.id, before.request.position) == (
            result.request.sequence.id,
            result.request.position,
        )
        self._overflow = []
        self.status.hide()
        email = result.email
        preheader = (
            f" <span style='color:#57606a'>— {escape(email.preheader)}</span>" if email.preheader else ""
        )
        self.inbox_line.setText(f"<b>{escape(email.subject)}</b>{preheader}")
        scroll = self.plain_text.verticalScrollBar().value()
        self.plain_text.setPlainText(email.text)
        self.plain_text.verticalScrollBar().setValue(scroll)
        self.link_check.set_email(email.html)
        self._show_checks()
        html = email.html if len(email.html) <= MAX_HTML_CHARS else self._too_large_page()
        self._load_views(html, keep_scroll=same_email)

    def _on_live_failed(self, error: StudioError) -> None:
        self.status.setText(
            self.tr("The preview could not be made: {message}").format(message=error.user_message)
        )
        self.status.show()

    def _on_link_check_failed(self, message: str) -> None:
        self.status.setText(self.tr("The links could not be checked: {message}").format(message=message))
        self.status.show()

    def _load_views(self, html: str, *, keep_scroll: bool = True) -> None:
        self._waiting = {"phone", "desktop", "measure"}
        # One view at a time: two pages drawing their first frames together stall the GUI thread
        # about twice as long (benchmarks/preview_latency.py); the phone goes first, it is measured.
        self._desktop_next = (html, keep_scroll)
        self.phone.show_html(html, keep_scroll=keep_scroll)

    def _on_options_look_changed(self) -> None:
        if self._closed:
            return
        options = self.options
        dark, images = options.dark.isChecked(), not options.images_off.isChecked()
        self._blocker.allow_remote = options.remote_images.isChecked()
        for view in self.views():
            view.sandboxed_page.set_dark(dark)
            view.sandboxed_page.set_images(images)
            view.sandboxed_page.set_remote_allowed(self._blocker.allow_remote)
        if self._result is not None:
            self._load_views(self.phone.html)

    def _on_phone_shown(self, ok: bool) -> None:
        self._waiting.discard("phone")
        if self._desktop_next is not None:
            html, keep = self._desktop_next
            self._desktop_next = None
            self.desktop.show_html(html, keep_scroll=keep)
        if ok:
            self.phone.measure(self._on_phone_measured)
        else:
            self._on_phone_measured(None)
        self._emit_if_done()

    def _on_desktop_shown(self, _ok: bool) -> None:
        self._waiting.discard("desktop")
        self._emit_if_done()

    def _on_phone_measured(self, measured: tuple[int, int, int] | None) -> None:
        if self._closed or self.phone.loading:
            return  # newer HTML is on its way; it is measured when it is shown
        viewport, scroll_width = (measured[0], measured[1]) if measured else (0, 0)
        # A view never shown has no viewport yet: say the width is unmeasured rather than guess.
        self._overflow = mobile_overflow(scroll_width if viewport == PHONE_WIDTH else None)
        self._waiting.discard("measure")
        self._show_checks()
        self._emit_if_done()

    def _show_checks(self) -> None:
        if self._result is None:
            self.checks.show_checks(None, (), ())
            return
        email = self._result.email
        links = self.link_check.checks_for(email.html)
        self.checks.show_checks(
            email.position, (*email.checks, *self._overflow, *links), self._result.sequence_checks
        )

    def _emit_if_done(self) -> None:
        if not self._waiting and self._result is not None:
            self.preview_updated.emit()

    def _clear(self) -> None:
        self._result = None
        self.inbox_line.clear()
        self.plain_text.clear()
        self.checks.show_checks(None, (), ())
        note = escape(self.tr("No sequence is open: open one from the library, or create one."))
        for view in self.views():  # words, not an empty page (forced dark mode draws that black)
            view.show_html(
                f"<html><body><p style='color:#57606a;font-family:sans-serif'>{note}</p></body></html>",
                keep_scroll=False,
            )

    def _too_large_page(self) -> str:
        message = self.tr("This email is over 1.5 MB: too large to preview, and Gmail would clip it.")
        return f"<html><body><p>{escape(message)}</p></body></html>"

    # State and closing

    def save_state(self, state: QSettings) -> None:
        """Remember the pane's layout and choices (UI state, beside the window's)."""
        state.setValue("preview/splitter", self.splitter.saveState())
        self.options.save_state(state)

    def restore_state(self, state: QSettings) -> None:
        splitter = state.value("preview/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        self.options.restore_state(state)

    def shutdown(self) -> None:
        """Stop rendering and free the web engine: pages first, then their profile."""
        if self._closed:
            return
        self._closed = True
        self.live.stop()
        self.link_check.stop()
        for view in self.views():
            Shiboken.delete(view.sandboxed_page)
            Shiboken.delete(view)
        Shiboken.delete(self._profile)
