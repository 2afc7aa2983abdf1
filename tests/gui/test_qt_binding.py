"""Guards against a Qt binding that corrupts the interpreter: PySide6 6.12.0 on CPython 3.11 loses a
reference to True on every signal emit, and the process aborts after some hundreds. The app emits
once per background result, so a long session would crash. Run in a child process: an abort would
otherwise take the test run with it."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    fired = Signal(object)
emitter = Emitter()
received = []
emitter.fired.connect(received.append)
before = sys.getrefcount(True)
for index in range(5000):
    emitter.fired.emit(index)
assert len(received) == 5000
print(before - sys.getrefcount(True))
"""


def test_signal_emits_do_not_leak_interpreter_references() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, f"the Qt binding crashed the interpreter: {result.stderr[-500:]}"
    assert abs(int(result.stdout.strip())) < 50
