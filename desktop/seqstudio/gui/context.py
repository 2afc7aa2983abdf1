"""What the window's parts share, built once by gui/app.py and passed down (no singletons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings

from seqstudio.core.blueprints import BlueprintCatalog
from seqstudio.core.paths import user_config_dir
from seqstudio.core.preferences import Preferences, save_preferences
from seqstudio.core.secrets import SecretStore
from seqstudio.core.storage import Library
from seqstudio.gui.tasks import TaskRunner


@dataclass
class AppContext:
    library: Library
    blueprints: BlueprintCatalog
    runner: TaskRunner
    ui_state: QSettings  # window geometry and splitters, kept apart from preferences
    preferences: Preferences = field(default_factory=Preferences)  # current; change via save_preferences
    secrets: SecretStore = field(default_factory=SecretStore)  # the OS keyring; tests pass their own
    preferences_path: Path | None = None  # None: the user config folder

    def save_preferences(self, preferences: Preferences) -> None:
        """Write `preferences` atomically, then make them current; on an OSError nothing changes."""
        save_preferences(preferences, self.preferences_path)
        self.preferences = preferences


def ui_state_settings() -> QSettings:
    return QSettings(str(user_config_dir() / "ui-state.ini"), QSettings.Format.IniFormat)
