"""Finding presets and routines by name (the lifter's own first, then the shipped ones) or by path.

A name is looked up among files of its kind: `find` never returns a routine as a preset, nor
`find_routine` a preset as a routine; `find_workout` takes either (what `run NAME` runs).
"""

from __future__ import annotations

from pathlib import Path

from tempo_coach import paths
from tempo_coach.core.load import Unit
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import Routine
from tempo_coach.presets.folders import DEFAULT_PRESET as DEFAULT_PRESET
from tempo_coach.presets.folders import Entry as Entry
from tempo_coach.presets.folders import UnknownPreset as UnknownPreset
from tempo_coach.presets.folders import all_entries, entry_named, is_file, is_routine, kind, looks_like_path, unknown
from tempo_coach.presets.loader import check_file as check_preset_file
from tempo_coach.presets.loader import load_preset
from tempo_coach.presets.routine_loader import check_routine, load_routine
from tempo_coach.presets.yaml_nodes import PresetError, PresetWarning


def entries() -> list[Entry]:
    """Every preset (not routine) by name, user presets shadowing shipped ones, the default first."""
    return [entry for entry in all_entries() if not entry.is_routine]


def routines() -> list[Entry]:
    """Every routine by name, the lifter's shadowing shipped ones."""
    return [entry for entry in all_entries() if entry.is_routine]


def shipped_default() -> Preset:
    """The shipped default preset, whatever the lifter's own folder holds."""
    return load_preset(paths.shipped_presets_dir() / f"{DEFAULT_PRESET}.yaml")


def find(name: str, default_unit: Unit = Unit.KG) -> Preset:
    """The preset called `name`, or the preset file at that path. Raises PresetError or
    UnknownPreset (also when `name` is a routine)."""
    return load_preset(_path(name, routine=False), default_unit=default_unit)


def find_routine(name: str, default_unit: Unit = Unit.KG) -> Routine:
    """The routine called `name`, or the routine file at that path, with every preset it lists.
    Raises PresetError or UnknownPreset (also when `name` is a preset)."""
    return load_routine(_path(name, routine=True), default_unit=default_unit)


def find_workout(name: str, default_unit: Unit = Unit.KG) -> Preset | Routine:
    """The preset or the routine called `name` (or at that path), whichever it is."""
    return find_routine(name, default_unit) if names_routine(name) else find(name, default_unit)


def names_routine(name: str) -> bool:
    """Whether `name` is a routine's name or the path of a routine file."""
    if _is_path(name):
        return is_routine(Path(name))
    entry = entry_named(name)
    return entry is not None and entry.is_routine


def check_file(path: Path) -> tuple[PresetError | None, list[PresetWarning]]:
    """What `tempo-coach check` says about one file, a preset or a routine."""
    return check_routine(path) if is_routine(path) else check_preset_file(path)


def _is_path(name: str) -> bool:
    return looks_like_path(name) or is_file(Path(name))


def _path(name: str, routine: bool) -> Path:
    """The file `name` stands for, if it is of the kind wanted. A path that cannot be read is left
    to the loader, whose error names it."""
    if _is_path(name):
        path = Path(name)
        if not is_file(path):
            return path
    else:
        entry = entry_named(name)
        if entry is None:
            raise unknown(name, routine)
        path = entry.path
    if is_routine(path) != routine:
        raise UnknownPreset(f"{name!r} is a {kind(not routine)}, not a {kind(routine)}")
    return path
