"""Typing with the preview on, in the real window offscreen: how long from the last keystroke of
a burst until the preview shows it (both views loaded, phone width measured), and the longest
event-loop stall while typing, against a named baseline in the same run.

Run: python -m benchmarks.preview_latency [--rounds N] [--body-repeat K]

Modes, taken in turns so other load on the machine hits them alike:
  preview off                        the floor: typing with the pane hidden
  baseline: render on the GUI thread the same pane and debounce, the render run inline
  ours: render in the runner         the pane as shipped: TaskRunner worker, newest result wins
A stall is the longest gap between ticks of a 4 ms timer, less those 4 ms; a user feels about
50 ms and more. Latency includes the 300 ms pause the pane waits for.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

TYPED = "then we roast"  # one burst of keys
KEY_MS = 60  # a fast typist: about 16 keys a second
PROBE_MS = 4


def _private_environment(home: Path) -> None:
    for name, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        os.environ[name] = str(home / sub)
    os.environ["HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


@dataclass
class Samples:
    latency_ms: list[float] = field(default_factory=list)
    typing_stall_ms: list[float] = field(default_factory=list)  # each burst's longest, keys still coming
    update_stall_ms: list[float] = field(default_factory=list)  # each burst's longest, after the last key


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=12, help="timed bursts per mode (default 12)")
    parser.add_argument(
        "--body-repeat",
        type=int,
        nargs="+",
        default=[1, 60],
        help="the step body repeated K times, one table per K (default: 1 and 60, a long email)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seqstudio-bench-") as home:
        _private_environment(Path(home))
        for repeat in args.body_repeat:
            run(args.rounds, repeat)
            print()


def run(rounds: int, body_repeat: int) -> None:
    from PySide6 import QtWebEngineWidgets  # noqa: F401  # before the QApplication
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from seqstudio.core.blueprints import BlueprintCatalog
    from seqstudio.core.cancel import no_progress
    from seqstudio.core.errors import StudioError
    from seqstudio.core.flowfile import read_flow_file
    from seqstudio.core.paths import shipped_dir
    from seqstudio.core.render.pipeline import Renderer
    from seqstudio.core.storage import Library
    from seqstudio.gui.context import AppContext, ui_state_settings
    from seqstudio.gui.mainwindow import MainWindow
    from seqstudio.gui.tasks import TaskHandle, TaskRunner, favour_the_gui_thread

    class InlineRunner(TaskRunner):
        """The baseline: the same calls as TaskRunner.run, but the work runs right here, on
        the GUI thread, and its callback follows at once."""

        def run(
            self, name: str, work: Any, *, owner: Any, on_done: Any, on_error: Any = None, **_: Any
        ) -> TaskHandle:
            handle = TaskHandle(name)
            try:
                result = work(handle.token, no_progress)
            except StudioError as error:
                (on_error or self.error_raised.emit)(error)
            else:
                on_done(result)
            finally:
                handle.finished.set()
            return handle

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    favour_the_gui_thread()  # as gui/app.py does: the figures are the app's
    sequence = read_flow_file(shipped_dir("sequences") / "examples" / "fernweh-welcome.yaml").sequence
    step = sequence.step(2)
    long_step = replace(step, email=replace(step.email, body="\n\n".join([step.email.body] * body_repeat)))
    sequence = replace(sequence, steps=tuple(long_step if s.position == 2 else s for s in sequence.steps))
    library = Library(Path(os.environ["XDG_DATA_HOME"]) / f"bench-{body_repeat}.sqlite3")
    library.add_sequence(sequence)

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def open_window(runner: TaskRunner, preview: bool) -> MainWindow:
        window = MainWindow(AppContext(library, BlueprintCatalog(), runner, ui_state_settings()))
        window.resize(1900, 1000)
        window.show()
        window.preview_action.setChecked(preview)
        window.open_sequence(sequence.id, 2)
        window.workspace.editor.body.moveCursor(window.workspace.editor.body.textCursor().MoveOperation.End)
        return window

    modes: list[tuple[str, MainWindow]] = [
        ("preview off", open_window(TaskRunner(), preview=False)),
        ("baseline: render on the GUI thread", open_window(InlineRunner(), preview=True)),
        ("ours: render in the runner", open_window(TaskRunner(), preview=True)),
    ]
    results = {name: Samples() for name, _ in modes}

    def burst(window: MainWindow, samples: Samples | None) -> None:
        """Type TYPED a key every KEY_MS, then wait for the preview (or, with it off, as long)."""
        clock, probe = QElapsedTimer(), QTimer()
        probe.setTimerType(Qt.TimerType.PreciseTimer)
        probe.setInterval(PROBE_MS)
        last_tick, worst = [0.0], [0.0, 0.0]  # while typing, after the last key

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            phase = 1 if not keys else 0
            worst[phase] = max(worst[phase], now - last_tick[0] - PROBE_MS)
            last_tick[0] = now

        probe.timeout.connect(tick)
        loop, done_at, last_key = QEventLoop(), [0.0], [0.0]
        keys = list(TYPED)
        editor_body = window.workspace.editor.body
        preview_on = window.preview.isVisible()

        def updated() -> None:
            if not keys and not done_at[0]:
                done_at[0] = clock.nsecsElapsed() / 1e6
                loop.quit()

        connection = window.preview.preview_updated.connect(updated)

        def type_next() -> None:
            QTest.keyClick(editor_body, keys.pop(0))
            if keys:
                QTimer.singleShot(KEY_MS, type_next)
            else:
                last_key[0] = clock.nsecsElapsed() / 1e6
                if not preview_on:
                    QTimer.singleShot(600, loop.quit)  # as long as ours takes, to see its stalls

        clock.start()
        probe.start()
        QTimer.singleShot(0, type_next)
        QTimer.singleShot(20_000, loop.quit)  # a stuck preview ends the burst, and shows in the figures
        loop.exec()
        probe.stop()
        window.preview.preview_updated.disconnect(connection)
        if samples is not None:
            samples.typing_stall_ms.append(worst[0])
            samples.update_stall_ms.append(worst[1])
            if preview_on:
                samples.latency_ms.append(done_at[0] - last_key[0] if done_at[0] else float("nan"))
        wait(800)  # the autosave (700 ms after the last key) lands before the next turn

    def take_turn(window: MainWindow, samples: Samples | None) -> None:
        window.show()  # one window on screen at a time: the others neither paint nor type
        wait(300)
        burst(window, samples)
        window.hide()

    for _name, window in modes:
        window.hide()
    for _name, window in modes:
        take_turn(window, None)  # warm-up: compiled templates, the web engine's first pages
    for _ in range(rounds):
        for name, window in modes:
            take_turn(window, results[name])

    size = Renderer().render_email(long_step.email, brand=sequence.brand).inlined_bytes / 1000
    print(f"Typing '{TYPED}' a key every {KEY_MS} ms into step 2 of '{sequence.name}' (body x{body_repeat}, "
          f"{size:.0f} KB inlined), {rounds} bursts per mode, in turns; real window, offscreen")  # fmt: skip
    print("Latency: last key to preview updated (includes the 300 ms pause). Stall: longest event-loop")
    print("gap of each burst, median and worst over the bursts, while typing and after the last key.\n")
    print(f"{'mode':36} {'latency median':>14} {'p90':>7} {'stall typing':>19} {'stall updating':>19}")
    for name, _window in modes:
        samples = results[name]
        stalls = "".join(
            f" {statistics.median(values):8.1f} /{max(values):6.1f} ms"
            for values in (samples.typing_stall_ms, samples.update_stall_ms)
        )
        if samples.latency_ms:
            ordered = sorted(samples.latency_ms)
            median, p90 = statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))]
            print(f"{name:36} {median:11.1f} ms {p90:4.0f} ms{stalls}")
        else:
            print(f"{name:36} {'-':>14} {'-':>7}{stalls}")
    ours, base = results["ours: render in the runner"], results["baseline: render on the GUI thread"]
    worst_ours = max(ours.typing_stall_ms + ours.update_stall_ms)
    worst_base = max(base.typing_stall_ms + base.update_stall_ms)
    print(f"\nLongest stall with the preview on: ours {worst_ours:.1f} ms, baseline {worst_base:.1f} ms "
          f"(preview off: {max(results['preview off'].typing_stall_ms + results['preview off'].update_stall_ms):.1f} ms)")  # fmt: skip
    for _name, window in modes:
        window.close()
    app.processEvents()
    library.close()


if __name__ == "__main__":
    main()
