"""Live rendering for the preview: the step as typed, rendered off the GUI thread, latest wins.

`LiveRenderer` waits for a pause (a single-shot timer restarted by every edit), then asks its
source for an immutable `PreviewRequest` and renders it through the app's one TaskRunner. Each
worker thread keeps its own `Renderer` (it is not thread-safe, and building one per job would
throw away its compiled templates). A result is delivered only if no newer request started
since; the GUI thread never waits for a render.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.core.model import Sequence
from seqstudio.core.render.findings import Check
from seqstudio.core.render.layouts import Contact
from seqstudio.core.render.pipeline import RenderedEmail, Renderer
from seqstudio.core.render.sequence_checks import check_sequence
from seqstudio.gui.tasks import TaskHandle, TaskRunner

PAUSE_MS = 300  # a pause in typing this long re-renders; shorter would render half-typed words
KEPT_RENDERERS = 8  # more than the runner's threads; an evicted one is only rebuilt, never shared


@dataclass(frozen=True)
class PreviewRequest:
    """What to render: a sequence holding the step as typed, which step, and how to show it."""

    sequence: Sequence
    position: int
    contact: Contact
    layout: str
    today: date


@dataclass(frozen=True)
class PreviewResult:
    request: PreviewRequest
    email: RenderedEmail
    sequence_checks: tuple[Check, ...]


def render_preview(renderer: Renderer, request: PreviewRequest) -> PreviewResult:
    """Render the requested step and run the sequence checks. Plain Python: safe in a worker
    as long as `renderer` is used by this thread only."""
    sequence = request.sequence
    step = sequence.step(request.position)
    email = renderer.render_email(
        step.email,
        brand=sequence.brand,
        language=sequence.language,
        layout=request.layout,
        contact=request.contact,
        position=step.position,
    )
    return PreviewResult(request, email, tuple(check_sequence(sequence, today=request.today)))


class RendererPerThread:
    """One Renderer for each worker thread, kept across jobs; safe to call from any thread.

    Not threading.local: its values did not survive from one job to the next in Qt's pool
    threads (tests/gui/preview/test_live.py saw a new Renderer per job), and the compiled
    templates would be rebuilt every time. A thread id is reused only after its thread ended,
    so a Renderer is never used by two threads at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_thread: dict[int, Renderer] = {}

    def get(self) -> Renderer:
        ident = threading.get_ident()
        with self._lock:
            renderer = self._by_thread.get(ident)
            if renderer is None:
                renderer = self._by_thread[ident] = Renderer()
                if len(self._by_thread) > KEPT_RENDERERS:  # pool threads come and go over a session
                    del self._by_thread[next(iter(self._by_thread))]
            return renderer


class LiveRenderer(QObject):
    """Debounces render requests and delivers only the newest result, on the GUI thread."""

    rendered = Signal(object)  # PreviewResult of the newest request
    failed = Signal(object)  # StudioError of the newest request

    def __init__(
        self,
        runner: TaskRunner,
        source: Callable[[], PreviewRequest | None],
        parent: QObject | None = None,
        pause_ms: int = PAUSE_MS,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._source = source
        self._serial = 0
        self._handle: TaskHandle | None = None
        self._renderers = RendererPerThread()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(pause_ms)
        self._timer.timeout.connect(self.render_now)

    def schedule(self) -> None:
        """Render after the pause; every call restarts the wait."""
        self._timer.start()

    def render_now(self) -> None:
        """Render the source's current request now; an older job still running is cancelled
        and its result dropped."""
        self._timer.stop()
        request = self._source()
        if request is None:
            return
        self._serial += 1
        serial = self._serial
        if self._handle is not None:
            self._handle.cancel()  # a queued job then never starts; a running one is ignored
        renderers = self._renderers

        def work(cancel: CancelToken, _progress: ProgressFn) -> PreviewResult:
            renderer = renderers.get()
            cancel.raise_if_cancelled()
            return render_preview(renderer, request)

        def done(result: PreviewResult) -> None:
            if serial == self._serial:
                self.rendered.emit(result)

        def failed(error: StudioError) -> None:
            if serial == self._serial:
                self.failed.emit(error)

        self._handle = self._runner.run("Render the preview", work, owner=self, on_done=done, on_error=failed)

    def stop(self) -> None:
        """Forget pending work: nothing is delivered after this."""
        self._timer.stop()
        self._serial += 1
        if self._handle is not None:
            self._handle.cancel()
