"""Where shipped data and user data live.

Shipped folders (resources/, prompts/, sequences/) sit inside the wheel as seqstudio/_data/…,
or beside desktop/ in a checkout; user data goes to the platform's directories (platformdirs),
and SEQSTUDIO_DB or --db choose another library file.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "seqstudio"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def shipped_dir(name: str) -> Path:
    """The shipped folder `name` (resources, prompts or sequences), installed or in a checkout."""
    installed = _PACKAGE_ROOT / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_ROOT.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"Sequence Studio's '{name}' folder is missing from {installed} and {checkout}")


def resource_path(*parts: str) -> Path:
    return shipped_dir("resources").joinpath(*parts)


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """SEQSTUDIO_DB if set, else library.sqlite3 in the user data directory."""
    override = os.environ.get("SEQSTUDIO_DB")
    return Path(override) if override else user_data_dir() / "library.sqlite3"


def user_blueprint_dir() -> Path:
    """Where a user's own blueprint files go; they sit beside the shipped ones in every list."""
    return user_data_dir() / "blueprints"
