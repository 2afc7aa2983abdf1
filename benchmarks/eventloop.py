"""Measuring the Qt event loop from inside it, for the GUI benchmarks (needs a QApplication)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer

TICK_MS = 5


class StallMeter:
    """Records the gaps between ticks of a TICK_MS timer on the GUI thread: the longest gap is the
    longest time the window could not react to the user."""

    def __init__(self, tick_ms: int = TICK_MS) -> None:
        self.timer = QTimer()
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self._on_tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        """The longest gap in ms, counting the wait up to now."""
        self._on_tick()
        self.timer.stop()
        return max(self.gaps) * 1000

    def _on_tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


def run_until(quit_when: Callable[[Callable[[], None]], None]) -> None:
    """Run the event loop until `quit_when` calls the function it is given."""
    loop = QEventLoop()
    # Called from inside the loop: a quit() before exec() would be lost and the loop never end
    QTimer.singleShot(0, lambda: quit_when(loop.quit))
    loop.exec()
