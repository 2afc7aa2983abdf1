"""GUI tests drive real widgets offscreen. The platform is chosen before any Qt import."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from seqstudio.core.blueprints import BlueprintCatalog
from seqstudio.core.preferences import Preferences
from seqstudio.core.secrets import SecretStore
from seqstudio.core.storage import Library
from seqstudio.gui.context import AppContext, ui_state_settings
from seqstudio.gui.mainwindow import MainWindow
from seqstudio.gui.tasks import TaskRunner
from tests.support.memory_keyring import MemoryKeyring

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def secrets(memory_keyring: MemoryKeyring) -> SecretStore:
    """Keys go to a keyring in memory, and no OPENAI_API_KEY of the developer's is seen."""
    return SecretStore(backend=memory_keyring, environ={})


@pytest.fixture
def make_window(qtbot: QtBot, db_path: Path, secrets: SecretStore) -> Iterator[WindowFactory]:
    """Opens windows on one library file, as reopening the app would; closes them all after.
    Keyword arguments go to the AppContext (e.g. preferences=...)."""
    opened: list[tuple[MainWindow, Library]] = []

    def factory(**context_fields: Any) -> MainWindow:
        library = Library(db_path)
        fields: dict[str, Any] = {"preferences": Preferences(), "secrets": secrets, **context_fields}
        context = AppContext(library, BlueprintCatalog(), TaskRunner(), ui_state_settings(), **fields)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append((window, library))
        return window

    yield factory
    for window, library in opened:
        window.close()
        assert window.context.runner.shutdown(2000)
        library.close()


@pytest.fixture(autouse=True)
def no_stray_threads() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    stray = [t for t in threading.enumerate() if t.ident not in before and t.is_alive() and not t.daemon]
    assert not stray, f"worker threads still alive after the test: {stray}"


@pytest.fixture(autouse=True)
def heap_unfrozen_after() -> Iterator[None]:
    # A window freezes the heap once its tell rules compile (gui/tasks.py); the app does that
    # once, the suite builds hundreds of windows: thaw after each test so garbage is still freed.
    yield
    gc.unfreeze()
