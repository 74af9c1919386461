"""Where presets, sounds, config and data live: the package's own data and platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "tempo-coach"
_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """Shipped data: inside the installed package (wheel) or beside it in a source checkout."""
    packaged = _PACKAGE / "data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


def shipped_presets_dir() -> Path:
    return _shipped("presets")


def shipped_sounds_dir() -> Path:
    return _shipped("sounds")


def user_config_dir() -> Path:
    return platformdirs.user_config_path(APP)


def user_presets_dir() -> Path:
    """The lifter's own presets; they shadow shipped ones of the same name."""
    return user_config_dir() / "presets"


def default_history_path() -> Path:
    return platformdirs.user_data_path(APP) / "history.sqlite3"


def history_path() -> Path:
    """The workout history database: $TEMPO_COACH_HISTORY, else the user data dir."""
    override = os.environ.get("TEMPO_COACH_HISTORY")
    return Path(override) if override else default_history_path()
