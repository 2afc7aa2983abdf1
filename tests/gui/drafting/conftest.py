"""Drafting in the real window against the local OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from seqstudio.core.drafting import ProviderSettings
from seqstudio.core.model import Sequence
from seqstudio.core.preferences import Preferences
from seqstudio.gui.drafting import DraftState
from seqstudio.gui.mainwindow import MainWindow
from tests.gui.conftest import WindowFactory
from tests.support.openai_server import OpenAICompatibleServer, RecordedRequest

MODEL = "test-model"


def for_step(position: int) -> Callable[[RecordedRequest], bool]:
    return lambda request: f"Write email {position} of 6" in request.prompt


@pytest.fixture
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer() as running:
        yield running


def provider_for(server: OpenAICompatibleServer, **changes: Any) -> ProviderSettings:
    # One attempt per request: a scripted failure fails the step at once instead of backing off
    return ProviderSettings(
        base_url=server.base_url, model=MODEL, read_timeout=20.0, max_attempts=1, **changes
    )


DraftWindowFactory = Callable[..., MainWindow]


@pytest.fixture
def draft_window(
    make_window: WindowFactory, server: OpenAICompatibleServer, welcome: Sequence
) -> DraftWindowFactory:
    """A window drafting through the local server, with a fresh six-step sequence open."""

    def build(**provider_changes: Any) -> MainWindow:
        window = make_window(preferences=Preferences(provider=provider_for(server, **provider_changes)))
        window.context.library.add_sequence(welcome)
        window.refresh_library(welcome.id)
        window.open_sequence(welcome.id)
        return window

    return build


def states(window: MainWindow) -> dict[int, DraftState | None]:
    """Each step's draft state in the open sequence."""
    sequence = window.workspace.sequence
    assert sequence is not None
    found = {p: window.drafting.controller.draft((sequence.id, p)) for p in range(1, 7)}
    return {p: d.state if d is not None else None for p, d in found.items()}


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 20000) -> None:
    qtbot.waitUntil(lambda: not window.drafting.controller.busy, timeout=timeout)
