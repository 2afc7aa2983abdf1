"""What the window's parts share, built once by gui/app.py and passed down (no singletons)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

from seqstudio.core.blueprints import BlueprintCatalog
from seqstudio.core.paths import user_config_dir
from seqstudio.core.storage import Library
from seqstudio.gui.tasks import TaskRunner


@dataclass
class AppContext:
    library: Library
    blueprints: BlueprintCatalog
    runner: TaskRunner
    ui_state: QSettings  # window geometry and splitters, kept apart from preferences


def ui_state_settings() -> QSettings:
    return QSettings(str(user_config_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
