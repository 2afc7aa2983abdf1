"""What the AI-tell highlighter costs while typing, in the real main window (offscreen).

A 300-word email (the sample of benchmarks/tells_speed.py and one more paragraph) is open in step 1; a sentence is typed
into its third paragraph, one key every KEY_MS, with a pause after every PAUSE_EVERY keys so the
debounced panel review runs too. A 5 ms QTimer records the gaps between its ticks: the longest gap
is the longest the writer could not type. Per keystroke: the time QTest takes to deliver one key
(the edit, the highlighter on the edited block, the layout).

Named baseline in the same run, same window and text: re-lint the whole email and rehighlight
every block on each keystroke, on the GUI thread (what per-block matching and the debounced
worker review avoid). The noise floor is the timer alone, with nothing typed: on a shared machine
the longest gaps come and go with other processes, so compare the keystroke figures first.

    python -m benchmarks.tells_typing [--keys 160] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

# Measure this checkout's code in a private home: never the user's library, preferences or keyring.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))
_HOME = tempfile.mkdtemp(prefix="seqstudio-bench-")
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(Path(_HOME) / _name.lower())
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)

import keyring  # noqa: E402
from keyring.backends import fail  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.eventloop import StallMeter, run_until  # noqa: E402
from benchmarks.tells_speed import SAMPLE_EMAIL  # noqa: E402
from seqstudio.core.blueprints import BlueprintCatalog, new_sequence  # noqa: E402
from seqstudio.core.model import Brand, OfferFacts  # noqa: E402
from seqstudio.core.storage import Library  # noqa: E402
from seqstudio.core.tells import lint_email  # noqa: E402
from seqstudio.gui.context import AppContext, ui_state_settings  # noqa: E402
from seqstudio.gui.mainwindow import MainWindow  # noqa: E402
from seqstudio.gui.tasks import TaskRunner, favour_the_gui_thread  # noqa: E402

KEY_MS = 30  # a quick typist: about 33 keys a second
PAUSE_EVERY = 40
PAUSE_MS = 700  # longer than the panel's debounce, so its review lands during the run
# The tells_speed sample is 254 words; one more plain paragraph makes it a 300-word email.
EMAIL = SAMPLE_EMAIL.replace(
    "Happy brewing,",
    "A last practical note: keep the bag closed with the clip, away from the window and the stove. "
    "Beans do not need the fridge; it makes them taste of whatever else is in there. Grind just before "
    "you brew, and buy a bag you can finish in three weeks.\n\nHappy brewing,",
)
TYPED = "We roast on Tuesdays and I hope this email finds you well, so the beans reach you fresh. "


def wait(ms: int) -> None:
    run_until(lambda done: QTimer.singleShot(ms, done))


def open_window() -> MainWindow:
    library = Library(Path(_HOME) / "library.sqlite3")
    keyring.set_keyring(fail.Keyring())
    context = AppContext(library, BlueprintCatalog(), TaskRunner(), ui_state_settings())
    window = MainWindow(context)
    window.show()
    sequence = new_sequence(
        BlueprintCatalog().get("welcome"), "Typing benchmark", Brand(name="Fernweh Coffee"), OfferFacts()
    )
    first = sequence.step(1)
    sequence = replace(
        sequence,
        steps=tuple(
            replace(s, email=replace(s.email, body=EMAIL)) if s.id == first.id else s for s in sequence.steps
        ),
    )
    library.add_sequence(sequence)
    window.refresh_library(sequence.id)
    window.open_sequence(sequence.id)
    run_until(lambda done: _when(lambda: window.tells.highlighter.detector is not None, done))
    return window


def _when(condition: Callable[[], bool], then: Callable[[], None]) -> None:
    if condition():
        then()
    else:
        QTimer.singleShot(10, lambda: _when(condition, then))


def type_session(window: MainWindow, keys: int) -> tuple[list[float], float, list[float]]:
    """Type `keys` characters into the third paragraph; (ms per keystroke, longest stall in ms,
    every tick gap in ms)."""
    body = window.workspace.editor.body
    body.setPlainText(EMAIL)
    cursor = QTextCursor(body.document().findBlockByNumber(4))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    body.setTextCursor(cursor)
    wait(PAUSE_MS)  # let the load's own review settle first
    text = (TYPED * (keys // len(TYPED) + 1))[:keys]
    costs: list[float] = []
    meter = StallMeter()

    def session(done: Callable[[], None]) -> None:
        def next_key(index: int) -> None:
            if index == len(text):
                QTimer.singleShot(PAUSE_MS, done)
                return
            started = time.perf_counter()
            QTest.keyClicks(body, text[index])
            costs.append((time.perf_counter() - started) * 1000)
            delay = PAUSE_MS if (index + 1) % PAUSE_EVERY == 0 else KEY_MS
            QTimer.singleShot(delay, lambda: next_key(index + 1))

        QTimer.singleShot(0, lambda: next_key(0))

    meter.start()
    run_until(session)
    longest = meter.stop()
    return costs, longest, [gap * 1000 for gap in meter.gaps]


def relint_everything(window: MainWindow) -> Callable[[], None]:
    """The baseline: on each change, lint the whole email and rehighlight every block, here."""
    editor, tells = window.workspace.editor, window.tells
    busy = False

    def on_change() -> None:
        nonlocal busy
        if busy:
            return
        busy = True
        try:
            sequence = window.workspace.sequence
            detector = tells.highlighter.detector
            assert sequence is not None and detector is not None
            step = editor.step_from_fields(sequence.step(window.workspace.position))
            lint_email(step.email, detector, target_grade=8.0, allow=tells.highlighter.allow)
            tells.highlighter.rehighlight()
        finally:
            busy = False

    editor.body.textChanged.connect(on_change)
    return lambda: editor.body.textChanged.disconnect(on_change)


def panel_update_ms(window: MainWindow, rounds: int = 30) -> float:
    """What a finished review costs the GUI thread: the panel, both tabs, the long-sentence marks."""
    tells = window.tells
    review = tells.review
    assert review is not None
    email = review.email(window.workspace.position)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        tells.panel.show_review(email, review)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=160)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    favour_the_gui_thread()  # as gui/app.py does
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = open_window()
    words = len(EMAIL.split())
    print(f"{words}-word email, {args.keys} keys at {KEY_MS} ms, a {PAUSE_MS} ms pause every {PAUSE_EVERY}")
    floor = StallMeter()
    floor.start()
    wait(2000)
    print(f"noise floor (timer alone): longest gap {floor.stop():.1f} ms")
    results: dict[str, tuple[list[float], list[float], list[float]]] = {
        "ours": ([], [], []),
        "baseline": ([], [], []),
    }
    for _ in range(args.repeat):
        for name in ("ours", "baseline"):  # taking turns, so a busy spell hits both alike
            undo = relint_everything(window) if name == "baseline" else None
            costs, stall, gaps = type_session(window, args.keys)
            if undo is not None:
                undo()
            results[name][0].extend(costs)
            results[name][1].append(stall)
            results[name][2].extend(gaps)
    labels = {
        "ours": "per-block highlighter + debounced worker review",
        "baseline": "baseline: re-lint + rehighlight whole email per key",
    }
    for name, (costs, stalls, gaps) in results.items():
        costs.sort()
        gaps.sort()
        p95 = costs[int(len(costs) * 0.95) - 1]
        p99_gap = gaps[int(len(gaps) * 0.99) - 1]
        print(
            f"{labels[name]:<52} keystroke median {statistics.median(costs):6.2f} ms, "
            f"p95 {p95:6.2f} ms, max {costs[-1]:6.2f} ms; longest stall {max(stalls):6.1f} ms, "
            f"median of runs {statistics.median(stalls):.1f} ms, p99 gap {p99_gap:.1f} ms"
        )
    ours, base = statistics.median(results["ours"][0]), statistics.median(results["baseline"][0])
    print(f"median keystroke: baseline / ours = {base / ours:.1f}x")
    print(
        f"showing a review in the panel (GUI thread, once per pause): {panel_update_ms(window):.2f} ms median"
    )
    window.close()
    window.context.runner.shutdown()
    window.context.library.close()
    app.processEvents()


if __name__ == "__main__":
    main()
