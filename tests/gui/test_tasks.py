"""The background runner: results on the GUI thread, progress, cancel, errors, gone owners."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.errors import StudioError
from seqstudio.gui.tasks import TaskRunner


@pytest.fixture
def runner() -> TaskRunner:
    task_runner = TaskRunner(max_threads=2)
    yield task_runner
    assert task_runner.shutdown(2000)


def test_results_and_progress_arrive_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QObject()
    seen: dict[str, object] = {}
    worker_threads: list[int] = []

    def work(cancel: CancelToken, progress: ProgressFn) -> int:
        worker_threads.append(threading.get_ident())
        for index in range(3):
            progress(index + 1, 3, f"part {index + 1}")
        return 42

    def on_done(value: int) -> None:
        seen["value"] = value
        seen["on_gui_thread"] = QThread.currentThread() is QApplication.instance().thread()  # type: ignore[union-attr]

    progress_seen: list[tuple[int, int, str]] = []
    runner.run("answer", work, owner=owner, on_done=on_done, on_progress=lambda *a: progress_seen.append(a))
    qtbot.waitUntil(lambda: "value" in seen, timeout=3000)
    assert seen == {"value": 42, "on_gui_thread": True}
    assert worker_threads[0] != threading.get_ident()
    assert progress_seen == [(1, 3, "part 1"), (2, 3, "part 2"), (3, 3, "part 3")]


def test_cancel_stops_work_and_reports_it(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QObject()
    started = threading.Event()
    outcome: list[str] = []

    def work(cancel: CancelToken, progress: ProgressFn) -> None:
        started.set()
        cancel.event.wait(10)
        cancel.raise_if_cancelled()

    handle = runner.run(
        "slow",
        work,
        owner=owner,
        on_done=lambda _: outcome.append("done"),
        on_cancelled=lambda: outcome.append("cancelled"),
    )
    assert started.wait(3)
    handle.cancel()
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=3000)
    assert handle.finished.wait(1)


def test_errors_take_the_one_error_path(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QObject()

    def work(cancel: CancelToken, progress: ProgressFn) -> None:
        raise StudioError("The provider said no (429). Try again in a minute.")

    with qtbot.waitSignal(runner.error_raised, timeout=3000) as signal:
        runner.run("failing", work, owner=owner, on_done=lambda _: None)
    assert signal.args[0].user_message.startswith("The provider said no")

    def buggy(cancel: CancelToken, progress: ProgressFn) -> None:
        raise ZeroDivisionError("division by zero")

    with qtbot.waitSignal(runner.error_raised, timeout=3000) as signal:
        runner.run("buggy", buggy, owner=owner, on_done=lambda _: None)
    assert "buggy failed unexpectedly" in signal.args[0].user_message


def test_callbacks_for_a_deleted_owner_are_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QObject()
    release = threading.Event()
    delivered: list[int] = []
    handle = runner.run("late", lambda c, p: release.wait(5) and 1, owner=owner, on_done=delivered.append)
    import shiboken6

    shiboken6.delete(owner)
    release.set()
    assert handle.finished.wait(3)
    probe = QObject()
    done: list[int] = []
    runner.run("probe", lambda c, p: 2, owner=probe, on_done=done.append)
    qtbot.waitUntil(lambda: done == [2], timeout=3000)  # later deliveries flow, the orphaned one did not
    assert delivered == []


def test_partial_results_arrive_in_order_on_the_gui_thread_before_done(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    owner = QObject()
    gui_thread = QApplication.instance().thread()  # type: ignore[union-attr]
    events: list[tuple[str, object, bool]] = []

    def work(cancel: CancelToken, progress: ProgressFn, emit: Callable[[str], None]) -> int:
        for name in ("one", "two", "three"):
            emit(name)
        return 3

    def record(kind: str) -> Callable[[object], None]:
        return lambda value: events.append((kind, value, QThread.currentThread() is gui_thread))

    runner.run_streaming("stream", work, owner=owner, on_partial=record("partial"), on_done=record("done"))
    qtbot.waitUntil(lambda: any(kind == "done" for kind, _, _ in events), timeout=3000)
    assert events == [
        ("partial", "one", True),
        ("partial", "two", True),
        ("partial", "three", True),
        ("done", 3, True),
    ]


def test_partials_emitted_before_a_cancel_still_arrive(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QObject()
    emitted = threading.Event()
    partials: list[int] = []
    outcome: list[str] = []

    def work(cancel: CancelToken, progress: ProgressFn, emit: Callable[[int], None]) -> None:
        emit(1)
        emitted.set()
        cancel.event.wait(10)
        cancel.raise_if_cancelled()

    handle = runner.run_streaming(
        "stream-then-cancel",
        work,
        owner=owner,
        on_partial=partials.append,
        on_done=lambda _: outcome.append("done"),
        on_cancelled=lambda: outcome.append("cancelled"),
    )
    assert emitted.wait(3)
    handle.cancel()
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=3000)
    assert partials == [1]


def test_partials_for_a_deleted_owner_are_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    import shiboken6

    owner = QObject()
    release = threading.Event()
    partials: list[int] = []

    def work(cancel: CancelToken, progress: ProgressFn, emit: Callable[[int], None]) -> None:
        release.wait(5)
        emit(7)

    handle = runner.run_streaming(
        "orphan", work, owner=owner, on_partial=partials.append, on_done=lambda _: None
    )
    shiboken6.delete(owner)
    release.set()
    assert handle.finished.wait(3)
    probe = QObject()
    done: list[int] = []
    runner.run("probe", lambda c, p: 2, owner=probe, on_done=done.append)
    qtbot.waitUntil(lambda: done == [2], timeout=3000)
    assert partials == []
