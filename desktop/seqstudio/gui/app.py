"""The composition root: builds the one AppContext and the main window, then runs Qt."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from seqstudio.cli.sources import db_path


def _prepare_environment(headless: bool) -> None:
    """Offscreen when asked for a screenshot without a display; Chromium's own settings."""
    from seqstudio.gui.preview.sandbox import allow_running_as_root

    if headless and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    allow_running_as_root()


def run_app(args: argparse.Namespace) -> int:
    _prepare_environment(headless=bool(getattr(args, "screenshot", None)))
    from PySide6 import QtWebEngineWidgets  # noqa: F401  # must load before the QApplication exists
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from seqstudio.core.blueprints import BlueprintCatalog
    from seqstudio.core.errors import StudioError
    from seqstudio.core.preferences import load_preferences
    from seqstudio.core.secrets import SecretStore
    from seqstudio.core.storage import Library
    from seqstudio.gui.context import AppContext, ui_state_settings
    from seqstudio.gui.drafting.warmup import start_warm_up
    from seqstudio.gui.mainwindow import MainWindow
    from seqstudio.gui.tasks import TaskRunner, favour_the_gui_thread

    favour_the_gui_thread()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)  # QtWebEngine previews
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Sequence Studio")
    app.setOrganizationName("seqstudio")
    try:
        library = Library(db_path(args))
    except StudioError as error:
        if args.screenshot:
            print(f"seqstudio: error: {error.user_message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "Sequence Studio", error.user_message)
        return 2
    loaded = load_preferences()
    runner = TaskRunner()
    start_warm_up(runner)  # before the window exists: its GIL holds would stall a visible window
    context = AppContext(
        library=library,
        blueprints=BlueprintCatalog(),
        runner=runner,
        ui_state=ui_state_settings(),
        preferences=loaded.preferences,
        secrets=SecretStore(),
    )
    window = MainWindow(context)
    if getattr(args, "open", None):
        window.import_flow_file(args.open)
    window.show()
    if loaded.problem and not args.screenshot:
        window.show_error(StudioError(loaded.problem))
    try:
        if args.screenshot:
            return _screenshot(app, window, Path(args.screenshot))
        return int(app.exec())
    finally:
        library.close()


def _screenshot(app: object, window: object, path: Path) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from seqstudio.gui.mainwindow import MainWindow

    assert isinstance(app, QApplication) and isinstance(window, MainWindow)
    window.resize(1680, 940)  # room for library, timeline, editor and both preview widths
    if window.workspace.sequence is not None and window.preview.isVisible():
        # Wait (bounded) for the preview's first render, so the picture shows what a user sees.
        loop = QEventLoop()
        window.preview.preview_updated.connect(loop.quit)
        QTimer.singleShot(15000, loop.quit)
        loop.exec()
    for _ in range(5):  # let layouts settle before grabbing
        app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG"):
        print(f"seqstudio: error: could not write {path}", file=sys.stderr)
        return 2
    window.close()
    print(f"Wrote {path}")
    return 0
