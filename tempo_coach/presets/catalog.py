"""Finding presets by name: the lifter's own first, then the shipped ones, or a path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from tempo_coach import paths
from tempo_coach.core.model import Preset
from tempo_coach.presets.loader import load_preset

DEFAULT_PRESET = "leg-press"
SUFFIXES = (".yaml", ".yml")


class UnknownPreset(LookupError):
    """No preset has that name; the message lists those that do exist."""


@dataclass(frozen=True)
class Entry:
    id: str
    path: Path
    source: str  # "user" or "shipped"


def entries() -> list[Entry]:
    """Every preset by name, user presets shadowing shipped ones, sorted by name."""
    found: dict[str, Entry] = {}
    for source, folder in (("shipped", paths.shipped_presets_dir()), ("user", paths.user_presets_dir())):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in SUFFIXES:
                found[path.stem] = Entry(path.stem, path, source)
    return sorted(found.values(), key=lambda e: (e.id != DEFAULT_PRESET, e.id))


def shipped_default() -> Preset:
    """The shipped default preset, whatever the lifter's own folder holds."""
    return load_preset(paths.shipped_presets_dir() / f"{DEFAULT_PRESET}.yaml")


def looks_like_path(name: str) -> bool:
    return name.endswith(SUFFIXES) or "/" in name or "\\" in name


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except OSError:  # a name too long to be a path, say
        return False


def find(name: str) -> Preset:
    """The preset called `name`, or the file at that path. Raises PresetError or UnknownPreset."""
    if looks_like_path(name) or _is_file(name):
        return load_preset(Path(name))
    for entry in entries():
        if entry.id == name:
            return load_preset(entry.path)
    known = [e.id for e in entries()]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UnknownPreset(f"no preset named {name!r}; {hint}available: {', '.join(known)} (or give a path to a .yaml file)")
