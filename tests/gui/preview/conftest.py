"""Qt set-up for the web engine tests: offscreen, no Chromium sandbox as root, and QtWebEngine
initialised before any QApplication exists (it refuses to start later)."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: F401  (initialises QtWebEngine)

if QCoreApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

from seqstudio.gui.preview.snapshot import PageSnapshotter


@pytest.fixture(scope="session")
def shooter(qapp: object) -> Iterator[PageSnapshotter]:
    snapshotter = PageSnapshotter()
    yield snapshotter
    snapshotter.close()


def image(png: bytes) -> QImage:
    loaded = QImage()
    assert loaded.loadFromData(png, "PNG")
    return loaded
