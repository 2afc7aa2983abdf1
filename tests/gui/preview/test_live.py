"""LiveRenderer on its own: renders in the runner's worker threads with one Renderer per
thread, waits for a pause, and delivers only the newest request's result."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from seqstudio.core.errors import StudioError
from seqstudio.core.model import Sequence
from seqstudio.core.render.layouts import load_sample_contacts
from seqstudio.core.render.pipeline import Renderer
from seqstudio.gui.preview import live
from seqstudio.gui.preview.live import LiveRenderer, PreviewRequest, PreviewResult
from seqstudio.gui.tasks import TaskRunner


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    assert tasks.shutdown(5000)


def request(sequence: Sequence, subject: str, layout: str = "branded") -> PreviewRequest:
    step = sequence.step(1)
    typed = replace(step, email=replace(step.email, subject=subject))
    steps = tuple(typed if s.position == 1 else s for s in sequence.steps)
    return PreviewRequest(
        replace(sequence, steps=steps), 1, load_sample_contacts()[0], layout, date(2026, 11, 30)
    )


def settle(qtbot: QtBot, runner: TaskRunner) -> None:
    """Wait until no job runs and every callback has been delivered to the GUI thread."""
    qtbot.waitUntil(lambda: not runner.active(), timeout=10_000)
    QApplication.processEvents()


def test_only_the_newest_request_is_delivered(qtbot: QtBot, runner: TaskRunner, fernweh: Sequence) -> None:
    queue = [request(fernweh, "First"), request(fernweh, "Second")]
    renderer = LiveRenderer(runner, lambda: queue.pop(0))
    got: list[PreviewResult] = []
    renderer.rendered.connect(got.append)
    with qtbot.waitSignal(renderer.rendered, timeout=10_000):
        renderer.render_now()
        renderer.render_now()
    settle(qtbot, runner)
    assert [result.email.subject for result in got] == ["Second"]
    assert "step-not-approved" in [check.id for check in got[0].sequence_checks]


def test_a_burst_of_schedules_renders_once_after_the_pause(
    qtbot: QtBot, runner: TaskRunner, fernweh: Sequence
) -> None:
    asked: list[int] = []

    def source() -> PreviewRequest:
        asked.append(1)
        return request(fernweh, f"Take {len(asked)}")

    renderer = LiveRenderer(runner, source, pause_ms=50)
    with qtbot.waitSignal(renderer.rendered, timeout=10_000) as blocker:
        for _ in range(10):
            renderer.schedule()
        assert asked == [], "nothing is rendered before the pause"
    settle(qtbot, runner)
    assert len(asked) == 1
    assert isinstance(blocker.args[0], PreviewResult) and blocker.args[0].email.subject == "Take 1"


def test_renders_in_worker_threads_with_one_renderer_each(
    qtbot: QtBot, runner: TaskRunner, fernweh: Sequence, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int]] = []
    real = live.render_preview

    def recording(renderer: Renderer, asked: PreviewRequest) -> PreviewResult:
        seen.append((threading.get_ident(), id(renderer)))
        return real(renderer, asked)

    monkeypatch.setattr(live, "render_preview", recording)
    renderer = LiveRenderer(runner, lambda: request(fernweh, "Hello"))
    for _ in range(6):
        with qtbot.waitSignal(renderer.rendered, timeout=10_000):
            renderer.render_now()
    gui_thread = threading.get_ident()
    assert len(seen) == 6 and all(thread != gui_thread for thread, _ in seen)
    renderers_per_thread: dict[int, set[int]] = {}
    for thread, made in seen:
        renderers_per_thread.setdefault(thread, set()).add(made)
    assert all(len(made) == 1 for made in renderers_per_thread.values()), "each thread keeps its Renderer"


def test_a_failed_render_is_reported_not_raised(qtbot: QtBot, runner: TaskRunner, fernweh: Sequence) -> None:
    renderer = LiveRenderer(runner, lambda: request(fernweh, "Hello", layout="no-such-layout"))
    with qtbot.waitSignal(renderer.failed, timeout=10_000) as blocker:
        renderer.render_now()
    assert isinstance(blocker.args[0], StudioError) and blocker.args[0].user_message


def test_stop_drops_a_render_in_flight(qtbot: QtBot, runner: TaskRunner, fernweh: Sequence) -> None:
    renderer = LiveRenderer(runner, lambda: request(fernweh, "Hello"))
    got: list[PreviewResult] = []
    renderer.rendered.connect(got.append)
    renderer.render_now()
    renderer.stop()
    settle(qtbot, runner)
    assert got == []
