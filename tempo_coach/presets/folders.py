"""The presets folders (shipped, then the lifter's own) and which of their files are routines.

Presets and routines live side by side, as `.yaml` files named by their stem; a routine is the one
whose top-level mapping has an `exercises:` key. The catalog (finding a preset or a routine by
name) and the routine loader (finding the presets a routine lists) both read the folders here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode

from tempo_coach import paths
from tempo_coach.presets.yaml_nodes import PresetError, compose, read_text

DEFAULT_PRESET = "leg-press"
SUFFIXES = (".yaml", ".yml")
ROUTINE_KEY = "exercises"
_ROUTINE_LINE = re.compile(rf"^{ROUTINE_KEY}[ \t]*:", re.MULTILINE)


class UnknownPreset(LookupError):
    """No preset (or routine) has that name; the message lists those that do exist."""


@dataclass(frozen=True)
class Entry:
    id: str
    path: Path
    source: str  # "user" or "shipped"

    @property
    def is_routine(self) -> bool:
        return is_routine(self.path)


def all_entries() -> list[Entry]:
    """Every preset and routine file by name, the lifter's shadowing shipped ones; the default
    preset first, then by name."""
    found: dict[str, Entry] = {}
    for source, folder in (("shipped", paths.shipped_presets_dir()), ("user", paths.user_presets_dir())):
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in SUFFIXES:
                found[path.stem] = Entry(path.stem, path, source)
    return sorted(found.values(), key=lambda e: (e.id != DEFAULT_PRESET, e.id))


def is_routine(path: Path) -> bool:
    """Whether the file at `path` is a routine: its top-level mapping has `exercises:`, or, with no
    `tempo:`, a misspelling of it (`excercises:`, which the routine reader then names). A file YAML
    cannot read is a routine when a line starts with `exercises:`. So a broken routine is reported
    as a routine, not as a preset with an unknown key."""
    try:
        text = read_text(path)
    except PresetError:
        return False
    try:
        root = compose(text, path)
    except PresetError:
        return _ROUTINE_LINE.search(text) is not None
    if not isinstance(root, MappingNode):
        return False
    keys = {key.value for key, _ in root.value if isinstance(key, ScalarNode)}
    return ROUTINE_KEY in keys or ("tempo" not in keys and any(_misspelt(key) for key in keys))


def _misspelt(key: str) -> bool:
    """A near miss of `exercises` that is not the preset key `exercise`."""
    return key != "exercise" and len(key) < 40 and difflib.SequenceMatcher(None, key, ROUTINE_KEY).ratio() >= 0.8


def looks_like_path(name: str) -> bool:
    return name.endswith(SUFFIXES) or "/" in name or "\\" in name


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long to be a path, say
        return False


def entry_named(name: str) -> Entry | None:
    return next((entry for entry in all_entries() if entry.id == name), None)


def kind(routine: bool) -> str:
    return "routine" if routine else "preset"


def unknown(name: str, routines: bool) -> UnknownPreset:
    """No file is called `name`: the closest name of either kind, and those of the kind wanted."""
    entries = all_entries()
    close = difflib.get_close_matches(name, [e.id for e in entries], n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    available = ", ".join(e.id for e in entries if e.is_routine == routines) or "none"
    return UnknownPreset(f"no {kind(routines)} named {name!r}; {hint}available: {available} (or give a path to a .yaml file)")
