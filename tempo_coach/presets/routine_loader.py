"""YAML routine -> `core.routine.Routine`: the exercises of a session in order, with supersets.

    name: Leg day
    exercises:
      - preset: leg-press          # a preset's name, or a path relative to this file
        load: 100
        warmup: [{reps: 10, load: 40}]
        rest_after: 180            # seconds before the next exercise
      - superset:                  # sets alternate; `rest` after each round
          - {preset: goblet-squat, sets: 3}
          - {preset: push-up, reps: 10}
        rest: 120

Read by the same machinery as presets (`yaml_nodes`, `NodeReader`): every fault is one
`PresetError` at its node. An exercise's `sets`, `reps`, `rest` and `tempo` are read by the command
line's parsers and applied by `Overrides.apply`, exactly as `--sets` and the others are. A preset
the routine names that is missing or broken is an error at the routine's line for it, carrying the
preset's own message; a routine never lists a routine, so routines have no cycles.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tempo_coach.core.fields import FieldError
from tempo_coach.core.load import Load, Unit
from tempo_coach.core.model import Preset
from tempo_coach.core.overrides import (
    Overrides,
    parse_reps,
    parse_rest,
    parse_rest_after,
    parse_sets,
    parse_tempo_text,
    parse_warmup_reps,
)
from tempo_coach.core.routine import Block, Exercise, Routine, WarmupSet
from tempo_coach.core.text import excerpt
from tempo_coach.presets.folders import ROUTINE_KEY, entry_named, is_file, is_routine, looks_like_path, unknown
from tempo_coach.presets.loader import read_load, read_unit, load_preset
from tempo_coach.presets.node_reader import NodeReader
from tempo_coach.presets.yaml_nodes import PresetError, PresetWarning, compose, read_text

ROUTINE_KEYS = ("name", ROUTINE_KEY)
EXERCISE_KEYS = ("preset", "sets", "reps", "rest", "tempo", "load", "unit", "warmup", "rest_after")
SUPERSET_KEYS = ("superset", "rest", "rest_after")
WARMUP_KEYS = ("reps", "load")
KIND = "routine"


def load_routine(path: Path, routine_id: str | None = None, default_unit: Unit = Unit.KG) -> Routine:
    """Read and validate one routine file, and every preset it lists. `default_unit` (config.yaml's
    `unit`) is the unit of a load that names none, where neither routine nor preset has `unit:`."""
    return parse_routine(read_text(path, KIND), path, routine_id, default_unit)


def parse_routine(text: str, path: Path, routine_id: str | None = None, default_unit: Unit = Unit.KG) -> Routine:
    """Validate routine text; `path` names it in errors and anchors relative preset paths."""
    root = compose(text, path, KIND)
    if root is None:
        raise PresetError(path, 1, 1, "the routine is empty; it needs exercises: a list of presets")
    reader = RoutineReader(path, text, default_unit)
    if not isinstance(root, MappingNode):
        raise reader.fail(root, "a routine is a mapping of keys (name: ..., exercises: [...])")
    return reader.routine(root, routine_id or path.stem)


def check_routine(path: Path) -> tuple[PresetError | None, list[PresetWarning]]:
    """What `tempo-coach check` says about a routine file (as `loader.check_file` about a preset)."""
    try:
        load_routine(path)
    except PresetError as error:
        return error, []
    return None, []


class RoutineReader(NodeReader):
    """The routine's items, on top of the typed values of `NodeReader`; each preset file is read
    once however often (and however spelt: `a.yaml`, `./a.yaml`) the routine lists it."""

    def __init__(self, path: Path, source: str, default_unit: Unit) -> None:
        super().__init__(path, source)
        self.default_unit = default_unit
        self.presets: dict[str, Preset] = {}

    def routine(self, root: MappingNode, routine_id: str) -> Routine:
        keys = self.mapping(root, KIND, ROUTINE_KEYS)
        if ROUTINE_KEY not in keys:
            raise self.fail(root, "missing required key 'exercises' (a list such as - preset: leg-press)")
        name = self.text(keys["name"], "name") if "name" in keys else ""
        blocks = tuple(self.block(item) for item in self.items(keys[ROUTINE_KEY], ROUTINE_KEY, 1))
        return Routine(routine_id, name, blocks, source=self.path)

    def items(self, node: Node, what: str, minimum: int) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what}: expected a list (each item on a line of its own, starting with '- '), got {self.describe(node, what)}")
        if len(node.value) < minimum:
            needed = "at least one exercise" if minimum == 1 else "two or more exercises (their sets alternate)"
            raise self.fail(node, f"{what}: needs {needed}, got {len(node.value)}")
        return list(node.value)

    def block(self, node: Node) -> Block:
        if _key(node, "superset") is not None:
            return self.superset(node)
        return Block((self.exercise(node, (*EXERCISE_KEYS, "superset")),))

    def superset(self, node: Node) -> Block:
        if (preset := _key(node, "preset")) is not None:
            raise self.fail(preset, "preset: an item is an exercise (preset:) or a superset (superset:), not both")
        keys = self.mapping(node, "superset", SUPERSET_KEYS)
        members = self.items(keys["superset"], "superset", 2)
        exercises = [self.exercise(member, EXERCISE_KEYS, in_superset=True) for member in members]
        self.refuse_repeats(members, exercises)
        return Block(
            tuple(exercises),
            superset=True,
            rest_ms=self.parsed(keys["rest"], "rest", parse_rest, "seconds") if "rest" in keys else None,
            rest_after_ms=self.rest_after(keys),
        )

    def exercise(self, node: Node, allowed: tuple[str, ...], in_superset: bool = False) -> Exercise:
        if isinstance(node, ScalarNode) and node.tag.endswith(":str"):
            raise self.fail(node, f"exercise: write it as a mapping: - preset: {excerpt(node.value)}")
        if in_superset:
            self.refuse_in_superset(node)
        keys = self.mapping(node, "exercise", allowed)
        if "preset" not in keys:
            raise self.fail(node, "exercise: missing required key 'preset' (a preset's name or the path to its file)")
        preset = self.changed(self.preset(keys["preset"]), keys)
        unit = preset.unit or self.default_unit
        return Exercise(
            preset,
            read_load(self, keys["load"], unit) if "load" in keys else None,
            tuple(self.warmup(item, unit) for item in self.items(keys["warmup"], "warmup", 0)) if "warmup" in keys else (),
            self.rest_after(keys),
        )

    def refuse_in_superset(self, node: Node) -> None:
        """What belongs to the superset as a whole, said at the member's key."""
        if (inner := _key(node, "superset")) is not None:
            raise self.fail(inner, "superset: a superset cannot hold a superset; list its exercises in one")
        if (after := _key(node, "rest_after")) is not None:
            raise self.fail(after, "rest_after: give it to the superset, after its list of exercises")

    def refuse_repeats(self, members: list[Node], exercises: list[Exercise]) -> None:
        """One preset twice in a superset: the history knows a set by its preset and its number
        in the exercise, so the two would overwrite each other's sets."""
        seen: set[str] = set()
        for member, exercise in zip(members, exercises):
            if exercise.preset.id in seen:
                raise self.fail(
                    self.mapping(member, "exercise", EXERCISE_KEYS)["preset"],  # read before: it is valid
                    f"preset: {excerpt(exercise.preset.id)!r} is already in this superset; its sets would be recorded as one exercise's: list it once",
                )
            seen.add(exercise.preset.id)

    def changed(self, preset: Preset, keys: dict[str, Node]) -> Preset:
        """`preset` with the routine's sets, reps, rest and tempo (as `Overrides.apply` makes them
        for --sets and the others) and its unit."""
        overrides = Overrides(
            sets=self.parsed(keys["sets"], "sets", parse_sets, "a whole number") if "sets" in keys else None,
            reps=self.parsed(keys["reps"], "reps", parse_reps, "a whole number or amrap") if "reps" in keys else None,
            rest_ms=self.parsed(keys["rest"], "rest", parse_rest, "seconds") if "rest" in keys else None,
            tempo=self.parsed(keys["tempo"], "tempo", parse_tempo_text, "text such as 2-1-1-1 or 31X0") if "tempo" in keys else None,
        )
        try:
            preset = overrides.apply(preset)
        except FieldError as error:  # a tempo that, with the preset's fallback, never ends
            raise self.fail(keys["tempo"], str(error)) from None
        if "unit" in keys:
            preset = dataclasses.replace(preset, unit=read_unit(self, keys["unit"]))
        return preset

    def rest_after(self, keys: dict[str, Node]) -> int | None:
        return self.parsed(keys["rest_after"], "rest_after", parse_rest_after, "seconds") if "rest_after" in keys else None

    def warmup(self, node: Node, unit: Unit) -> WarmupSet:
        keys = self.mapping(node, "warmup", WARMUP_KEYS)
        if "reps" not in keys:
            raise self.fail(node, "warmup: a warm-up set needs reps, e.g. {reps: 10, load: 40}")
        load: Load | None = read_load(self, keys["load"], unit, "warmup.load") if "load" in keys else None
        return WarmupSet(self.parsed(keys["reps"], "warmup.reps", parse_warmup_reps, "a whole number"), load)

    def preset(self, node: Node) -> Preset:
        """The preset `node` names, read once; a missing, broken or routine file is an error here."""
        reference = self.text(node, "preset")
        if not reference:
            raise self.fail(node, "preset: expected a preset's name or the path to its file, got empty text")
        path = self.preset_path(node, reference)
        key = os.path.abspath(path)
        if key not in self.presets:
            if is_routine(path):
                raise self.fail(node, f"preset: {excerpt(reference)!r} is a routine; a routine lists presets, not other routines")
            try:
                self.presets[key] = load_preset(path, default_unit=self.default_unit)
            except PresetError as error:
                raise self.fail(node, f"preset {excerpt(reference)!r}: {error}{_name_hint(reference, path)}") from None
        return self.presets[key]

    def preset_path(self, node: Node, reference: str) -> Path:
        """A path relative to this routine's folder, or a name in the presets folders."""
        if looks_like_path(reference):
            return self.path.parent / reference
        entry = entry_named(reference)
        if entry is None:
            raise self.fail(node, f"preset: {unknown(reference, routines=False)}")
        return entry.path


def _name_hint(reference: str, path: Path) -> str:
    """`preset: leg-press.yaml` is a path beside the routine; if no such file is there but a preset
    has that name, say how to write the name."""
    stem = Path(reference).stem
    if Path(reference).name != reference or is_file(path) or entry_named(stem) is None:
        return ""
    return f"; for the preset named {stem!r}, write preset: {stem}"


def _key(node: Node, key: str) -> Node | None:
    """The node of `key` in a mapping, if it has that key."""
    if not isinstance(node, MappingNode):
        return None
    return next((k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key), None)
