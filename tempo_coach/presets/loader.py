"""YAML preset -> Preset: every field read from its node, checked, with did-you-mean for typos.

Pure apart from reading the files it is given (the preset, and the headers of its WAV files). Every
fault becomes one `PresetError`, `PATH:LINE:COL: message`, at the node at fault; what is legal but
will not do what it seems to say is a `PresetWarning` that `tempo-coach check` prints.
The YAML side (composing under limits, typed values) is in `yaml_nodes` and `node_reader`.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from tempo_coach.audio.wav import WavError, inspect_wav
from tempo_coach.core.cue_names import CUE_NAMES
from tempo_coach.core.load import MAX_INCREMENT, Load, Unit, parse_load, parse_unit
from tempo_coach.core.model import (
    CUE_PHASES,
    EXPLOSIVE_RANGE_S,
    FALLBACK_LASTS,
    Lasts,
    MAX_GET_READY_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    VOICES,
    Fallback,
    Preset,
    Voice,
)
from tempo_coach.core.tempo import (
    DEFAULT_EXPLOSIVE_S,
    NEVER_ENDS,
    REP_PHASES,
    Phase,
    Tempo,
    TempoError,
    parse_seconds,
    parse_tempo,
    seconds_to_ms,
)
from tempo_coach.core.text import excerpt
from tempo_coach.presets.node_reader import MAX_TEXT_CHARS, NodeReader
from tempo_coach.presets.yaml_nodes import MAX_FILE_BYTES, YAML, PresetError, PresetWarning, compose, read_text

__all__ = [
    "FALLBACK_KEYS", "MAX_FILE_BYTES", "MAX_TEXT_CHARS", "PRESET_KEYS", "PresetError", "PresetWarning",
    "check_file", "load_preset", "parse_preset", "read_preset",
]

PHASE_NAMES = tuple(p.value for p in REP_PHASES)


def load_preset(path: Path, preset_id: str | None = None, default_unit: Unit = Unit.KG) -> Preset:
    """Read and validate one preset file. `default_unit` (config.yaml's `unit`) is the unit of a
    `load:` that names none in a preset without `unit:`."""
    return parse_preset(read_text(path), path, preset_id, default_unit)


def parse_preset(text: str, path: Path, preset_id: str | None = None, default_unit: Unit = Unit.KG) -> Preset:
    """Validate preset text; `path` names it in errors and anchors relative sound paths."""
    return read_preset(text, path, preset_id, default_unit)[0]


def read_preset(
    text: str, path: Path, preset_id: str | None = None, default_unit: Unit = Unit.KG
) -> tuple[Preset, list[PresetWarning]]:
    """The preset in `text` and the warnings met on the way."""
    root = compose(text, path)
    if root is None:
        raise PresetError(path, 1, 1, "the preset is empty; it needs at least a tempo")
    reader = PresetReader(path, text, default_unit)
    if not isinstance(root, MappingNode):
        raise reader.fail(root, "a preset is a mapping of keys (tempo: 2-1-1-1, sets: 3, ...)")
    return reader.preset(root, preset_id or path.stem), reader.warnings


def check_file(path: Path) -> tuple[PresetError | None, list[PresetWarning]]:
    """What `tempo-coach check` says about one file: its error, or the warnings of a valid preset."""
    try:
        return None, read_preset(read_text(path), path)[1]
    except PresetError as error:
        return error, []


class PresetReader(NodeReader):
    """The preset's own fields, on top of the typed values of `NodeReader`. `load_unit` is the
    unit of a `load:` that names none: the preset's `unit:`, else config.yaml's."""

    def __init__(self, path: Path, source: str, default_unit: Unit = Unit.KG) -> None:
        super().__init__(path, source)
        self.load_unit = default_unit

    def preset(self, root: MappingNode, preset_id: str) -> Preset:
        keys = self.mapping(root, "preset", PRESET_KEYS)
        if "tempo" not in keys:
            raise self.fail(root, "missing required key 'tempo' (for example tempo: 2-1-1-1)")
        explosive = keys.pop("explosive", None)
        explosive_s = self.seconds(explosive, "explosive", EXPLOSIVE_RANGE_S[1], EXPLOSIVE_RANGE_S[0]) if explosive else DEFAULT_EXPLOSIVE_S
        values: dict[str, Any] = {"explosive_ms": seconds_to_ms(explosive_s), "tempo": self.tempo(keys.pop("tempo"), explosive_s)}
        if "unit" in keys:
            values["unit"] = self.load_unit = read_unit(self, keys.pop("unit"))
        for key, node in keys.items():
            attribute, read = _FIELD_READERS[key]
            values[attribute] = read(self, node)
        preset = Preset(id=preset_id, source=self.path, **values)
        if "fallback" in keys:
            self.check_fallback(preset, keys["fallback"])
        return preset

    def tempo(self, node: Node, explosive_s: float) -> Tempo:
        """The dashed or compact text, or a mapping of phases: each phase read by the one grammar of
        `parse_phase`, from the text as written (YAML's reading of `1_0` or `.inf` plays no part)."""
        if isinstance(node, MappingNode):
            phases = self.mapping(node, "tempo", PHASE_NAMES)
            written = {key: self.written(value, f"tempo.{key}", "seconds or 'X'") for key, value in phases.items()}
            return self.tempo_from(written, explosive_s, node, phases)
        if isinstance(node, ScalarNode) and node.tag in (YAML + "str", YAML + "int"):
            self.check_tag(node, "tempo")
            return self.tempo_from(node.value, explosive_s, node, {})
        raise self.fail(node, f"tempo: expected text such as 2-1-1-1 or a mapping, got {self.describe(node, 'tempo')}")

    def tempo_from(self, written: str | dict[str, str], explosive_s: float, node: Node, phases: dict[str, Node]) -> Tempo:
        """parse_tempo, its error at the phase at fault when it has its own node: the same message,
        whatever the form."""
        try:
            return parse_tempo(written, explosive_s)
        except TempoError as error:
            if error.phase is None:
                raise self.fail(node, f"tempo: {error}") from None
            raise self.fail(phases.get(error.phase.value, node), f"tempo.{error.phase.value}: {error.reason}") from None

    def reps(self, node: Node) -> int | None:
        value = self.scalar(node, "reps")
        if isinstance(value, str):
            if value.strip().lower() == "amrap":
                return None
            raise self.fail(node, f"reps: expected a whole number or 'amrap', got {excerpt(value)!r}")
        return self.integer(node, "reps", 1, MAX_REPS)

    def fallback(self, node: Node) -> Fallback:
        keys = self.mapping(node, "fallback", FALLBACK_KEYS)
        overrides = {phase: self.fallback_ms(phase, keys[phase.value]) for phase in REP_PHASES if phase.value in keys}
        if not overrides:
            raise self.fail(node, "fallback: name at least one phase to change, e.g. positive: 1")
        after = keys.get("after_rep")
        lasts = self.text(keys["lasts"], "fallback.lasts") if "lasts" in keys else "set"
        if lasts not in FALLBACK_LASTS:
            raise self.fail(keys["lasts"], f"fallback.lasts: expected 'set' or 'workout', got {excerpt(lasts)!r}")
        return Fallback(overrides, None if after is None else self.integer(after, "fallback.after_rep", 1, MAX_REPS), Lasts(lasts))

    def fallback_ms(self, phase: Phase, node: Node) -> int:
        """A fallback phase: seconds by the tempo's own grammar (no 'X')."""
        what = f"fallback.{phase.value}"
        try:
            return seconds_to_ms(parse_seconds(phase, self.written(node, what, "seconds")))
        except TempoError as error:
            raise self.fail(node, f"{what}: {error.reason}") from None

    def check_fallback(self, preset: Preset, node: Node) -> None:
        """A fallback tempo of zero seconds is an error; one that can never switch on by itself, a warning."""
        fallback, zero = preset.fallback, preset.zero_rep_tempo()  # the preset's own tempo is checked already
        if zero is not None:
            raise self.fail(node, f"fallback: tempo {zero} {NEVER_ENDS}")
        if fallback and fallback.after_rep is not None and fallback.auto_from(preset.reps) is None:
            after = fallback.after_rep
            self.warn(
                self.mapping(node, "fallback", FALLBACK_KEYS)["after_rep"],
                f"fallback.after_rep: {after} means reps 1-{after} at the tempo and the fallback from rep {after + 1} on, "
                f"but a set has {preset.reps} reps, so it never switches on by itself (only with the f key)",
            )

    def cues(self, node: Node) -> dict[str, tuple[str, ...]]:
        keys = self.mapping(node, "cues", CUE_PHASES)
        return {key: self.texts(value, f"cues.{key}") for key, value in keys.items()}

    def sounds(self, node: Node) -> dict[str, Path]:
        keys = self.mapping(node, "sounds", tuple(name.value for name in CUE_NAMES))
        return {cue: self.wav(value, f"sounds.{cue}") for cue, value in keys.items()}

    def wav(self, node: Node, what: str) -> Path:
        """A WAV file, relative to the preset, that the audio backend can play (`audio.wav`'s check)."""
        relative = self.text(node, what)
        if not relative:
            raise self.fail(node, f"{what}: expected the path of a WAV file, got empty text")
        path = self.path.parent / relative
        try:
            path = path.resolve()  # a symlink loop: RuntimeError before Python 3.13, the path itself since
            is_dir = stat.S_ISDIR(path.stat().st_mode)  # the loop's ELOOP, on every Python
        except (FileNotFoundError, NotADirectoryError):
            raise self.fail(node, f"{what}: no sound file at {excerpt(str(path), 200)}") from None
        except OSError as error:
            raise self.fail(node, f"{what}: cannot use it as a sound file: {error.strerror or error}") from None
        except RuntimeError as error:
            raise self.fail(node, f"{what}: cannot use it as a sound file: {error}") from None
        if is_dir:
            raise self.fail(node, f"{what}: {excerpt(relative, 80)} is a folder; expected a WAV file")
        try:
            inspect_wav(path)
        except WavError as error:
            raise self.fail(node, f"{what}: {excerpt(relative, 80)} {error}") from None
        return path


Read = Callable[[PresetReader, Node], Any]
LOAD_EXPECTED = "a load such as 100, 102.5 kg, 225 lb, bw or bw+10"

_FIELD_READERS: dict[str, tuple[str, Read]] = {
    "name": ("name", lambda r, n: r.text(n, "name")),
    "exercise": ("exercise", lambda r, n: r.text(n, "exercise")),
    "sets": ("sets", lambda r, n: r.integer(n, "sets", 1, MAX_SETS)),
    "reps": ("reps", PresetReader.reps),
    "rest": ("rest_ms", lambda r, n: seconds_to_ms(r.seconds(n, "rest", MAX_REST_S))),
    "get_ready": ("get_ready_ms", lambda r, n: seconds_to_ms(r.seconds(n, "get_ready", MAX_GET_READY_S))),
    "fallback": ("fallback", PresetReader.fallback),
    "ticks": ("ticks", lambda r, n: r.boolean(n, "ticks")),
    "volume": ("volume", lambda r, n: _volume(r, n)),
    "cues": ("cues", PresetReader.cues),
    "notes": ("notes", lambda r, n: r.texts(n, "notes", lines=True)),
    "sounds": ("sounds", PresetReader.sounds),
    "voice": ("voice", lambda r, n: read_voice(r, n)),
    "load": ("load", lambda r, n: read_load(r, n, r.load_unit)),
    "increment": ("increment", lambda r, n: _increment(r, n)),
    "get_ready_after_rest": ("get_ready_after_rest", lambda r, n: r.boolean(n, "get_ready_after_rest")),
}


def _volume(reader: NodeReader, node: Node) -> float:
    value = reader.number(node, "volume")
    if not 0 <= value <= 1:
        raise reader.fail(node, f"volume: {value:g} is out of range (0 to 1)")
    return value


def _increment(reader: NodeReader, node: Node) -> float:
    value = reader.number(node, "increment")
    if not 0 < value <= MAX_INCREMENT:
        raise reader.fail(node, f"increment: {value:g} is out of range (more than 0, at most {MAX_INCREMENT:g})")
    return value


def read_load(reader: NodeReader, node: Node, unit: Unit, what: str = "load") -> Load:
    """A `load:` by `core.load.parse_load`, the parser of --load and the screens' load field; a
    number without a unit is in `unit`."""
    return reader.parsed(node, what, lambda text: parse_load(text, unit), LOAD_EXPECTED)


def read_unit(reader: NodeReader, node: Node) -> Unit:
    """A `unit:` (kg or lb) in a preset, a routine or config.yaml."""
    return reader.parsed(node, "unit", parse_unit, "kg or lb")


def read_voice(reader: NodeReader, node: Node) -> Voice:
    """A `voice:` value, in a preset or config.yaml: one of VOICES. A plain `off` is YAML 1.1's
    boolean false; here it means what it says."""
    if isinstance(node, ScalarNode) and node.tag in (YAML + "str", YAML + "bool") and node.value in VOICES:
        return Voice(node.value)
    value = reader.text(node, "voice")
    if value not in VOICES:
        raise reader.fail(node, f"voice: expected one of {', '.join(VOICES)}, got {excerpt(value)!r}")
    return Voice(value)


PRESET_KEYS: tuple[str, ...] = ("tempo", "explosive", *_FIELD_READERS, "unit")
FALLBACK_KEYS: tuple[str, ...] = (*PHASE_NAMES, "after_rep", "lasts")
