"""Fixtures for the AI-tells GUI: a local OpenAI-compatible server and preferences that use it,
sequences with known tells. With tests/gui/conftest.py keeping keys in memory, a window without
these preferences is really offline."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from seqstudio.core.drafting.settings import ProviderSettings
from seqstudio.core.model import Sequence
from seqstudio.core.preferences import Preferences
from seqstudio.gui.mainwindow import MainWindow
from seqstudio.gui.tells.review import FlagRef
from tests.support.openai_server import OpenAICompatibleServer

OPENER = "I hope this email finds you well"
OPENER_RULE = "en.opener.hope-finds-you-well"


@pytest.fixture(autouse=True)
def no_endpoint_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)  # the SDK's convention, read by make_client


@pytest.fixture
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer() as running:
        yield running


@pytest.fixture
def online(server: OpenAICompatibleServer) -> Preferences:
    """Preferences that send rewrites to the local server; pass them to make_window."""
    return Preferences(
        provider=ProviderSettings(base_url=server.base_url, model="test-model", read_timeout=10.0)
    )


def with_bodies(sequence: Sequence, bodies: dict[int, str], name: str = "") -> Sequence:
    steps = tuple(
        replace(s, email=replace(s.email, body=bodies[s.position])) if s.position in bodies else s
        for s in sequence.steps
    )
    return replace(sequence, steps=steps, name=name or sequence.name)


def open_in(window: MainWindow, sequence: Sequence) -> None:
    """Add `sequence` to the window's library (if new) and open it."""
    if sequence.id not in {s.id for s in window.context.library.list_sequences()}:
        window.context.library.add_sequence(sequence)
    window.refresh_library(sequence.id)
    window.open_sequence(sequence.id)


def wait_for_detector(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.tells.highlighter.detector is not None, timeout=15000)


def listed(window: MainWindow, rule_id: str) -> list[FlagRef]:
    """The panel's entries for `rule_id`, if the panel shows the open step's review."""
    tells = window.tells
    if tells.review is None or window.workspace.sequence is None:
        return []
    if tells.review.sequence_id != window.workspace.sequence.id:
        return []
    return [
        r
        for r in tells.panel.entries()
        if r.flag.rule_id == rule_id and r.position == window.workspace.position
    ]


def wait_listed(qtbot: QtBot, window: MainWindow, rule_id: str = OPENER_RULE) -> FlagRef:
    qtbot.waitUntil(lambda: bool(listed(window, rule_id)), timeout=15000)
    return listed(window, rule_id)[0]
