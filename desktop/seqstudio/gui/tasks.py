"""The one background runner of the GUI (after Anki's TaskManager).

Slow core work runs on a thread pool and gets a CancelToken and a progress callback; every
callback comes back on the GUI thread through one signal, and is dropped when the widget that
asked for it is gone. Work that yields results as it goes (`run_streaming`) also gets an `emit`
function: each value it emits reaches `on_partial` on the GUI thread, in order, before `on_done`. Workers compute from immutable values and never touch widgets or the
library; the GUI thread saves what they return.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import CancelledError, StudioError

log = logging.getLogger(__name__)
# Seconds; Python's default is 0.005. benchmarks/draft_gui_stall.py, worst stall of three drafts,
# three runs each: 0.001 gave 33-58 ms, 0.0005 gave 35-43 ms (0.0002 no better: 27-44 ms).
GIL_SWITCH_INTERVAL = 0.0005
T = TypeVar("T")
P = TypeVar("P")
Work = Callable[[CancelToken, ProgressFn], T]
EmitFn = Callable[[P], None]  # thread-safe: hands one partial result to the GUI thread
StreamingWork = Callable[[CancelToken, ProgressFn, EmitFn[P]], T]  # StreamingWork[P, T]: P first


def favour_the_gui_thread() -> None:
    """Let the GUI thread take the GIL back sooner while workers compute (call once, at start).

    Every Qt call releases the GIL and must wait for it again; with a busy worker each wait can
    last a whole switch interval, and a slot making many Qt calls adds them up (measured in
    benchmarks/draft_gui_stall.py). A shorter interval costs workers a little throughput.
    """
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)


def freeze_long_lived_objects() -> None:
    """Put every object alive now out of the cyclic garbage collector's reach. Called on the GUI
    thread when a start-up load ends (the warm-up imports, a compiled rule pack), after which
    most objects alive live as long as the app; cheap, so calling it more than once is fine.

    A full collection holds the GIL until it has walked every tracked object: after start-up
    (Qt wrappers, the openai SDK's types, the rule packs) about 200,000 of them, 0.15-0.2 s. It
    usually struck in the middle of the first draft, in a worker, and the GUI thread waited for
    the GIL all that time (found with perf sched_switch stacks; benchmarks/draft_gui_stall.py:
    first draft 145-205 ms before, 32-50 ms after). Frozen objects are never freed, which costs
    only the little garbage that was alive at that moment.
    """
    gc.freeze()


class TaskHandle:
    """What the caller keeps of a started task: a way to cancel it and to ask if it is done."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.token = CancelToken()
        self.finished = threading.Event()

    def cancel(self) -> None:
        self.token.cancel()


class _Job(QRunnable, Generic[T, P]):
    def __init__(
        self,
        runner: TaskRunner,
        handle: TaskHandle,
        work: StreamingWork[P, T],
        deliver: Callable[..., None],
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner, self._handle, self._work, self._deliver = runner, handle, work, deliver

    def run(self) -> None:
        def progress(done: int, total: int, message: str) -> None:
            self._deliver("progress", (done, total, message))

        def emit(value: P) -> None:
            self._deliver("partial", value)

        try:
            self._handle.token.raise_if_cancelled()
            result = self._work(self._handle.token, progress, emit)
        except CancelledError:
            self._deliver("cancelled", None)
        except StudioError as error:
            self._deliver("error", error)
        except Exception as error:  # a bug: report it, never kill the app or lose the user's text
            log.exception("task %s failed", self._handle.name)
            self._deliver(
                "error", StudioError(f"{self._handle.name} failed unexpectedly: {error}", repr(error))
            )
        else:
            self._deliver("done", result)
        finally:
            self._handle.finished.set()


class TaskRunner(QObject):
    """Runs core work off the GUI thread; `error_raised` is the GUI's one error path."""

    _delivered = Signal(object)
    error_raised = Signal(object)  # StudioError, for tasks started without their own on_error

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._handles: list[TaskHandle] = []
        self._delivered.connect(self._on_delivered)

    @Slot(object)
    def _on_delivered(self, call: Callable[[], None]) -> None:
        call()

    def run(
        self,
        name: str,
        work: Work[T],
        *,
        owner: QObject,
        on_done: Callable[[T], None],
        on_error: Callable[[StudioError], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> TaskHandle:
        """Start `work(cancel, progress)` on the pool; exactly one of on_done, on_error or
        on_cancelled follows on the GUI thread, unless `owner` is gone by then."""
        return self.run_streaming(
            name,
            lambda cancel, progress, _emit: work(cancel, progress),
            owner=owner,
            on_partial=None,
            on_done=on_done,
            on_error=on_error,
            on_progress=on_progress,
            on_cancelled=on_cancelled,
        )

    def run_streaming(
        self,
        name: str,
        work: StreamingWork[P, T],
        *,
        owner: QObject,
        on_partial: Callable[[P], None] | None,
        on_done: Callable[[T], None],
        on_error: Callable[[StudioError], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> TaskHandle:
        """Like `run`, and `work(cancel, progress, emit)` may call `emit(value)` from its thread
        any number of times: each value reaches `on_partial` on the GUI thread, in emit order and
        before the final callback. Values emitted before a cancel or an error are still delivered."""
        handle = TaskHandle(name)
        self._handles = [h for h in self._handles if not h.finished.is_set()] + [handle]
        callbacks: dict[str, Callable[..., None] | None] = {
            "done": on_done,
            "error": on_error or self.error_raised.emit,
            "progress": (lambda args: on_progress(*args)) if on_progress else None,
            "partial": on_partial,
            "cancelled": (lambda _none: on_cancelled()) if on_cancelled else None,
        }

        def deliver(kind: str, payload: Any) -> None:
            callback = callbacks[kind]
            if callback is None:
                return

            def call() -> None:
                if shiboken6.isValid(owner):  # the widget may have closed while we worked
                    callback(payload)

            self._delivered.emit(call)

        self._pool.start(_Job(self, handle, work, deliver))
        return handle

    def active(self) -> list[TaskHandle]:
        return [h for h in self._handles if not h.finished.is_set()]

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait (bounded) for the workers; True when all have stopped."""
        for handle in self._handles:
            handle.cancel()
        return bool(self._pool.waitForDone(timeout_ms))
