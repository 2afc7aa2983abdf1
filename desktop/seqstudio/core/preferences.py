"""The user's preferences: one dataclass with every default in one place, JSON in the user config
folder, written atomically. UI state (window geometry, splitters) lives apart, in QSettings.

A preferences file that cannot be read never stops the app: it is moved aside (kept, not deleted)
and the defaults are used, with a message saying so.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seqstudio.core.drafting.settings import OutputMode, ProviderSettings
from seqstudio.core.paths import user_config_dir
from seqstudio.core.tells.readability import LONG_SENTENCE_WORDS
from seqstudio.core.yamldoc import write_text_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TellPreferences:
    """How AI-tell flags and reading figures are shown; the language comes from each sequence."""

    target_grade: float = 8.0  # school grade the copy should not read above
    long_sentence_words: int = LONG_SENTENCE_WORDS  # longer sentences are marked


@dataclass(frozen=True)
class Preferences:
    provider: ProviderSettings = field(default_factory=ProviderSettings)
    tells: TellPreferences = field(default_factory=TellPreferences)


@dataclass(frozen=True)
class LoadedPreferences:
    preferences: Preferences
    problem: str = ""  # set when the file was unreadable and the defaults were used


def preferences_path() -> Path:
    return user_config_dir() / "preferences.json"


def _provider_from_dict(data: dict[str, Any]) -> ProviderSettings:
    known = {f.name for f in dataclasses.fields(ProviderSettings)}
    values = {key: value for key, value in data.items() if key in known}
    if "output_mode" in values:
        values["output_mode"] = OutputMode(values["output_mode"])
    return ProviderSettings(**values)


def _tells_from_dict(data: dict[str, Any]) -> TellPreferences:
    values = {f.name: data[f.name] for f in dataclasses.fields(TellPreferences) if f.name in data}
    if "target_grade" in values:
        values["target_grade"] = float(values["target_grade"])
    if "long_sentence_words" in values:
        values["long_sentence_words"] = int(values["long_sentence_words"])
    return TellPreferences(**values)


def load_preferences(path: Path | None = None) -> LoadedPreferences:
    path = path or preferences_path()
    if not path.exists():
        return LoadedPreferences(Preferences())
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        preferences = Preferences(
            provider=_provider_from_dict(dict(data.get("provider") or {})),
            tells=_tells_from_dict(dict(data.get("tells") or {})),
        )
    except (OSError, ValueError, TypeError, AttributeError) as error:
        aside = path.with_suffix(".json.unreadable")
        path.replace(aside)
        log.warning("preferences %s unreadable (%s); moved to %s", path, error, aside)
        message = f"Your preferences file could not be read ({error}); it was kept as {aside} and the defaults are in use."
        return LoadedPreferences(Preferences(), message)
    return LoadedPreferences(preferences)


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Write atomically. Secrets never live here: the API key is in the keyring (core/secrets.py)."""
    data = {
        "provider": dataclasses.asdict(preferences.provider),
        "tells": dataclasses.asdict(preferences.tells),
    }
    write_text_atomic(path or preferences_path(), json.dumps(data, indent=2, sort_keys=True) + "\n")
