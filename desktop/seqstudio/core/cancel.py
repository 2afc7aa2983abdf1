"""Cancellation and progress for slow core work (drafting, rendering, export).

A worker checks `token.raise_if_cancelled()` between units of work and passes `token.event` to
anything that can wait on it; the GUI or CLI calls `cancel()` from any thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from seqstudio.core.errors import CancelledError

ProgressFn = Callable[[int, int, str], None]  # (done, total, message)


class CancelToken:
    def __init__(self) -> None:
        self.event = threading.Event()

    def cancel(self) -> None:
        self.event.set()

    @property
    def cancelled(self) -> bool:
        return self.event.is_set()

    def raise_if_cancelled(self) -> None:
        if self.event.is_set():
            raise CancelledError()


def no_progress(done: int, total: int, message: str) -> None:
    """A ProgressFn for callers that do not show progress."""
