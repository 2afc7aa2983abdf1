"""The drafting warm-up loads what a first draft would load mid-way, and stops when cancelled."""

from __future__ import annotations

import gc
import sys

import pytest
from pytestqt.qtbot import QtBot

from seqstudio.core.cancel import CancelToken, no_progress
from seqstudio.core.errors import CancelledError
from seqstudio.gui.drafting.warmup import FIRST_REQUEST_MODULES, start_warm_up, warm_up_drafting
from seqstudio.gui.tasks import TaskRunner


def test_the_warm_up_loads_the_first_request_modules_in_the_pool(qtbot: QtBot) -> None:
    runner = TaskRunner()
    handle = start_warm_up(runner)
    qtbot.waitUntil(handle.finished.is_set, timeout=20000)
    assert runner.shutdown(2000)
    assert "openai.resources.chat.completions" in sys.modules and "h11" in sys.modules


def test_a_cancelled_warm_up_stops(qtbot: QtBot) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        warm_up_drafting(token, no_progress)
    assert FIRST_REQUEST_MODULES, "something to load"


def test_the_end_of_the_warm_up_freezes_the_start_up_heap(qtbot: QtBot) -> None:
    # The objects alive after start-up stay out of full collections, whose GIL hold stalled
    # the first draft (gui/tasks.py freeze_long_lived_objects).
    gc.unfreeze()
    runner = TaskRunner()
    try:
        handle = start_warm_up(runner)
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=20000)
        assert handle.finished.is_set()
    finally:
        assert runner.shutdown(2000)
        gc.unfreeze()
