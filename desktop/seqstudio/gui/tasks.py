"""The one background runner of the GUI (after Anki's TaskManager).

Slow core work runs on a thread pool and gets a CancelToken and a progress callback; every
callback comes back on the GUI thread through one signal, and is dropped when the widget that
asked for it is gone. Workers compute from immutable values and never touch widgets or the
library; the GUI thread saves what they return.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import CancelledError, StudioError

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[CancelToken, ProgressFn], T]


class TaskHandle:
    """What the caller keeps of a started task: a way to cancel it and to ask if it is done."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.token = CancelToken()
        self.finished = threading.Event()

    def cancel(self) -> None:
        self.token.cancel()


class _Job(QRunnable, Generic[T]):
    def __init__(
        self, runner: TaskRunner, handle: TaskHandle, work: Work[T], deliver: Callable[..., None]
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._runner, self._handle, self._work, self._deliver = runner, handle, work, deliver

    def run(self) -> None:
        def progress(done: int, total: int, message: str) -> None:
            self._deliver("progress", (done, total, message))

        try:
            self._handle.token.raise_if_cancelled()
            result = self._work(self._handle.token, progress)
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
        handle = TaskHandle(name)
        self._handles = [h for h in self._handles if not h.finished.is_set()] + [handle]
        callbacks: dict[str, Callable[..., None] | None] = {
            "done": on_done,
            "error": on_error or self.error_raised.emit,
            "progress": (lambda args: on_progress(*args)) if on_progress else None,
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
