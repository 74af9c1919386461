"""YAML preset -> Preset: safe loading with node marks, validation, did-you-mean.

Pure apart from reading the files it is given. Every fault becomes one `PresetError` whose text is
`PATH:LINE:COL: message`, the line and column taken from the YAML node at fault.
"""

from __future__ import annotations

import datetime
import difflib
import math
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tempo_coach.core.cue_names import CUE_NAMES
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
    MAX_PHASE_S,
    REP_PHASES,
    Tempo,
    TempoError,
    parse_tempo,
    seconds_to_ms,
)
from tempo_coach.core.text import printable

MAX_FILE_BYTES = 1_000_000
MAX_TEXT_CHARS = 2000
_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}


class PresetError(Exception):
    """A fault in a preset, shown to the lifter as `path:line:col: message`."""

    def __init__(self, path: Path | str, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.col, self.message = str(path), line, col, message

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.col}: {self.message}")


# ---- reading the file -------------------------------------------------------------------------


def load_preset(path: Path, preset_id: str | None = None) -> Preset:
    """Read and validate one preset file."""
    return parse_preset(read_text(path), path, preset_id)


def read_text(path: Path) -> str:
    """The file as UTF-8 text, refusing what is missing, huge or not UTF-8."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PresetError(path, 1, 1, "not a file")
        if size > MAX_FILE_BYTES:
            raise PresetError(path, 1, 1, f"file is {size:,} bytes; a preset may be at most {MAX_FILE_BYTES:,}")
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as error:
        raise PresetError(path, 1, 1, f"cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = _line_col(data[: error.start].decode("utf-8", "replace"), None)
        raise PresetError(path, line, col, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8") from None


def _line_col(text: str, position: int | None) -> tuple[int, int]:
    before = text if position is None else text[:position]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def parse_preset(text: str, path: Path, preset_id: str | None = None) -> Preset:
    """Validate preset text; `path` names it in errors and anchors relative sound paths."""
    root = compose(text, path)
    if root is None:
        raise PresetError(path, 1, 1, "the preset is empty; it needs at least a tempo")
    if not isinstance(root, MappingNode):
        raise PresetError(path, *_mark(root), "a preset is a mapping of keys (tempo: 2-1-1-1, sets: 3, ...)")
    return NodeReader(path).preset(root, preset_id or path.stem)


def compose(text: str, path: Path) -> Node | None:
    """The one YAML document in `text` as nodes (None when empty), refusing anything but plain data."""
    try:
        root = yaml.SafeLoader(text).get_single_node()
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, path) from None
    except yaml.reader.ReaderError as error:
        line, col = _line_col(text, error.position)
        raise PresetError(path, line, col, _bad_character(error.character)) from None
    except yaml.YAMLError as error:
        raise PresetError(path, 1, 1, f"YAML: {error}") from None
    except RecursionError:
        raise PresetError(path, 1, 1, "nested too deeply to be read") from None
    if root is not None:
        _check_plain_yaml(root, path)
    return root


def _syntax_error(error: yaml.MarkedYAMLError, path: Path) -> PresetError:
    """One line from PyYAML's error: where it was found, plus where the unfinished part began."""
    mark, start = error.problem_mark or error.context_mark, error.context_mark
    message = " ".join(str(part) for part in (error.context, error.problem) if part)
    if str(error.context).startswith("while") and start and mark and start.line != mark.line:
        message += f" (it started at line {start.line + 1}, column {start.column + 1})"
    if "'\\t'" in message:
        message += "; indent with spaces, not tabs"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return PresetError(path, line, col, f"YAML syntax: {message}")


def _bad_character(code: int | str) -> str:
    code = ord(code) if isinstance(code, str) else code
    if code == 0:
        return "NUL character (U+0000) is not allowed; is the file UTF-16? save it as UTF-8"
    return f"character U+{code:04X} is not allowed in YAML (control or special character)"


def _check_plain_yaml(root: Node, path: Path) -> None:
    """Refuse aliases (shared nodes), custom tags and merge keys: a preset is plain data."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise PresetError(path, *_mark(node), "anchors and aliases (&, *) are not supported in presets")
        seen.add(id(node))
        if node.tag == _YAML + "merge":
            raise PresetError(path, *_mark(node), "merge keys (<<) are not supported in presets")
        if node.tag not in _ALLOWED_TAGS and not node.tag.startswith(_YAML + "timestamp"):
            raise PresetError(path, *_mark(node), f"tag {node.tag!r} is not allowed in presets")
        if isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# ---- validating ---------------------------------------------------------------------------------

_KINDS = {
    bool: "a boolean (true/false)",
    int: "an integer",
    float: "a number",
    str: "text",
    type(None): "nothing (null)",
    datetime.date: "a date",
    datetime.datetime: "a date and time",
}


def _kind(value: object) -> str:
    if isinstance(value, _Structure):
        return value.kind
    return _KINDS.get(type(value), type(value).__name__)


def _found(value: object) -> str:
    """What was found, for a message: 'text 'three'', 'a number 8.5', 'a list'."""
    if isinstance(value, (_Structure, type(None), bool)):
        return _kind(value)
    shown = repr(value) if isinstance(value, str) else str(value)
    return f"{_kind(value)} {shown[:40]}{'...' if len(shown) > 40 else ''}"


class NodeReader:
    """Turns YAML nodes into checked values, raising PresetError at the node at fault."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._constructor = yaml.SafeLoader("")

    def fail(self, node: Node, message: str) -> PresetError:
        return PresetError(self.path, *_mark(node), message)

    def preset(self, root: MappingNode, preset_id: str) -> Preset:
        keys = self.mapping(root, "preset", PRESET_KEYS)
        if "tempo" not in keys:
            raise self.fail(root, "missing required key 'tempo' (for example tempo: 2-1-1-1)")
        values: dict[str, Any] = {}
        explosive_node = keys.pop("explosive", None)
        explosive_s = self.seconds(explosive_node, "explosive", EXPLOSIVE_RANGE_S[1], minimum=EXPLOSIVE_RANGE_S[0]) if explosive_node else DEFAULT_EXPLOSIVE_S
        values["explosive_ms"] = seconds_to_ms(explosive_s)
        values["tempo"] = self.tempo(keys.pop("tempo"), explosive_s)
        for key, node in keys.items():
            attribute, read = _FIELD_READERS[key]
            values[attribute] = read(self, node)
        preset = Preset(id=preset_id, source=self.path, **values)
        self.check_fallback(preset, root)
        return preset

    # -- structure

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node]:
        """A mapping's value nodes by key; duplicate or unknown keys are errors."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what}: expected a mapping of {', '.join(allowed)}, got {self.describe(node)}")
        found: dict[str, Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str):
                raise self.fail(key_node, f"{what}: keys must be text, got {_found(key)}")
            if key in found:
                raise self.fail(key_node, f"{what}: duplicate key {key!r} (first given on line {first_line[key]})")
            if key not in allowed:
                raise self.fail(key_node, f"{what}: unknown key {key!r}{_did_you_mean(key, allowed)}")
            found[key], first_line[key] = value_node, _mark(key_node)[0]
        return found

    def describe(self, node: Node) -> str:
        if isinstance(node, MappingNode):
            return "a mapping"
        if isinstance(node, SequenceNode):
            return "a list"
        return _kind(self.scalar(node))

    def scalar(self, node: Node) -> object:
        """A scalar's value; a mapping or list comes back as a `_Structure` naming what it is."""
        if not isinstance(node, ScalarNode):
            return _Structure(self.describe(node))
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            raise self.fail(node, f"cannot read value {node.value!r}: {error}") from None

    # -- typed values

    def text(self, node: Node, what: str) -> str:
        value = self.scalar(node)
        if not isinstance(value, str):
            hint = f" (quote it: '{node.value}')" if isinstance(node, ScalarNode) and node.value else ""
            raise self.fail(node, f"{what}: expected text, got {_kind(value)}{hint}")
        if len(value) > MAX_TEXT_CHARS:
            raise self.fail(node, f"{what}: text is {len(value)} characters; at most {MAX_TEXT_CHARS}")
        bad = next((c for c in value if ord(c) < 32 and c not in "\n\t" or ord(c) == 127), None)
        if bad is not None:
            raise self.fail(node, f"{what}: control character {bad!r} is not allowed")
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise self.fail(node, f"{what}: a lone surrogate (\\ud800-\\udfff) is not a valid character")
        return value.strip()

    def texts(self, node: Node, what: str) -> tuple[str, ...]:
        """Text, or a list of texts."""
        if isinstance(node, SequenceNode):
            return tuple(self.text(item, what) for item in node.value)
        return (self.text(node, what),)

    def number(self, node: Node, what: str) -> float:
        value = self.scalar(node)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(node, f"{what}: expected a number, got {_found(value)}")
        if not math.isfinite(value):
            raise self.fail(node, f"{what}: {value} is not a finite number")
        return float(value)

    def seconds(self, node: Node, what: str, maximum: float, minimum: float = 0.0) -> float:
        value = self.number(node, what)
        if not minimum <= value <= maximum:
            raise self.fail(node, f"{what}: {value:g} s is out of range ({minimum:g} to {maximum:g} s)")
        return value

    def integer(self, node: Node, what: str, minimum: int, maximum: int) -> int:
        value = self.scalar(node)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(node, f"{what}: expected a whole number, got {_found(value)}")
        if not minimum <= value <= maximum:
            raise self.fail(node, f"{what}: {value} is out of range ({minimum} to {maximum})")
        return value

    def boolean(self, node: Node, what: str) -> bool:
        value = self.scalar(node)
        if not isinstance(value, bool):
            raise self.fail(node, f"{what}: expected true or false, got {_found(value)}")
        return value

    # -- preset fields

    def tempo(self, node: Node, explosive_s: float) -> Tempo:
        try:
            if isinstance(node, ScalarNode):
                return parse_tempo(node.value, explosive_s)
            if isinstance(node, MappingNode):
                phases = self.mapping(node, "tempo", tuple(p.value for p in REP_PHASES))
                for key, value in phases.items():
                    self.tempo_phase(key, value)
                return parse_tempo({key: n.value for key, n in phases.items()}, explosive_s)
        except TempoError as error:
            raise self.fail(node, f"tempo: {error}") from None
        raise self.fail(node, f"tempo: expected text such as 2-1-1-1 or a mapping, got {self.describe(node)}")

    def tempo_phase(self, key: str, node: Node) -> None:
        """Check one phase of a tempo mapping, so an error points at its value, not the mapping."""
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"tempo.{key}: expected seconds or 'X', got {self.describe(node)}")
        try:
            parse_tempo({p.value: node.value if p.value == key else "1" for p in REP_PHASES})
        except TempoError as error:
            raise self.fail(node, f"tempo.{error}") from None

    def reps(self, node: Node) -> int | None:
        if isinstance(node, ScalarNode) and str(node.value).lower() == "amrap":
            return None
        value = self.scalar(node)
        if isinstance(value, str):
            raise self.fail(node, f"reps: expected a whole number or 'amrap', got {value!r}")
        return self.integer(node, "reps", 1, MAX_REPS)

    def fallback(self, node: Node) -> Fallback:
        keys = self.mapping(node, "fallback", FALLBACK_KEYS)
        overrides = {
            phase: seconds_to_ms(self.seconds(keys[phase.value], f"fallback.{phase.value}", MAX_PHASE_S))
            for phase in REP_PHASES
            if phase.value in keys
        }
        if not overrides:
            raise self.fail(node, "fallback: name at least one phase to change, e.g. positive: 1")
        after = keys.get("after_rep")
        lasts = self.text(keys["lasts"], "fallback.lasts") if "lasts" in keys else "set"
        if lasts not in FALLBACK_LASTS:
            raise self.fail(keys["lasts"], f"fallback.lasts: expected 'set' or 'workout', got {lasts!r}")
        return Fallback(overrides, self.integer(after, "fallback.after_rep", 1, MAX_REPS) if after else None, Lasts(lasts))

    def check_fallback(self, preset: Preset, root: MappingNode) -> None:
        fallback_tempo = preset.fallback_tempo
        if fallback_tempo is not None and fallback_tempo.rep_ms == 0:
            node = next(v for k, v in root.value if k.value == "fallback")
            raise self.fail(node, f"fallback: tempo {fallback_tempo} adds up to zero seconds, so a rep would never advance")

    def cues(self, node: Node) -> dict[str, tuple[str, ...]]:
        keys = self.mapping(node, "cues", CUE_PHASES)
        return {key: self.texts(value, f"cues.{key}") for key, value in keys.items()}

    def sounds(self, node: Node) -> dict[str, Path]:
        keys = self.mapping(node, "sounds", tuple(CUE_NAMES))
        return {cue: self.wav(value, f"sounds.{cue}") for cue, value in keys.items()}

    def wav(self, node: Node, what: str) -> Path:
        relative = self.text(node, what)
        if not relative:
            raise self.fail(node, f"{what}: expected the path of a WAV file, got empty text")
        try:
            path = (self.path.parent / relative).resolve()
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as error:
            raise self.fail(node, f"{what}: cannot use it as a sound file: {error.strerror or error}") from None
        except RuntimeError as error:  # a symlink loop, before Python 3.13
            raise self.fail(node, f"{what}: cannot use it as a sound file: {error}") from None
        if is_dir:
            raise self.fail(node, f"{what}: {path} is a folder; expected a WAV file")
        if not is_file:
            raise self.fail(node, f"{what}: no sound file at {path}")
        try:
            with wave.open(str(path), "rb") as wav:
                usable = wav.getnframes() > 0 and wav.getsampwidth() in (1, 2, 3, 4) and wav.getnchannels() in (1, 2)
        except (wave.Error, EOFError, OSError) as error:
            raise self.fail(node, f"{what}: {relative} is not a readable PCM WAV file ({error})") from None
        if not usable:
            raise self.fail(node, f"{what}: {relative} is empty or not 8/16/24/32-bit mono or stereo")
        return path


@dataclass(frozen=True)
class _Structure:
    """Stands in for a mapping or list where a single value was expected, so type errors read well."""

    kind: str


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    """The closest allowed key, or the two closest when they are equally close ('rets': sets or rest)."""
    close = difflib.get_close_matches(key, allowed, n=2, cutoff=0.6)
    if not close:
        return f"; expected one of: {', '.join(allowed)}"
    ratios = [difflib.SequenceMatcher(None, key, match).ratio() for match in close]
    if len(close) == 2 and ratios[0] == ratios[1]:
        return f"; did you mean {close[0]!r} or {close[1]!r}?"
    return f"; did you mean {close[0]!r}?"


Read = Callable[["NodeReader", Node], Any]

_FIELD_READERS: dict[str, tuple[str, Read]] = {
    "name": ("name", lambda r, n: r.text(n, "name")),
    "exercise": ("exercise", lambda r, n: r.text(n, "exercise")),
    "sets": ("sets", lambda r, n: r.integer(n, "sets", 1, MAX_SETS)),
    "reps": ("reps", NodeReader.reps),
    "rest": ("rest_ms", lambda r, n: seconds_to_ms(r.seconds(n, "rest", MAX_REST_S))),
    "get_ready": ("get_ready_ms", lambda r, n: seconds_to_ms(r.seconds(n, "get_ready", MAX_GET_READY_S))),
    "fallback": ("fallback", NodeReader.fallback),
    "ticks": ("ticks", lambda r, n: r.boolean(n, "ticks")),
    "volume": ("volume", lambda r, n: _volume(r, n)),
    "cues": ("cues", NodeReader.cues),
    "notes": ("notes", lambda r, n: r.texts(n, "notes")),
    "sounds": ("sounds", NodeReader.sounds),
    "voice": ("voice", lambda r, n: read_voice(r, n)),
}


def _volume(reader: NodeReader, node: Node) -> float:
    value = reader.number(node, "volume")
    if not 0 <= value <= 1:
        raise reader.fail(node, f"volume: {value:g} is out of range (0 to 1)")
    return value


def read_voice(reader: NodeReader, node: Node) -> Voice:
    """A `voice:` value, in a preset or config.yaml: one of VOICES. A plain `off` is YAML 1.1's
    boolean false; here it means what it says."""
    if isinstance(node, ScalarNode) and node.tag in (_YAML + "str", _YAML + "bool") and node.value in VOICES:
        return Voice(node.value)
    value = reader.text(node, "voice")
    if value not in VOICES:
        raise reader.fail(node, f"voice: expected one of {', '.join(VOICES)}, got {value!r}")
    return Voice(value)


PRESET_KEYS: tuple[str, ...] = ("tempo", "explosive", *_FIELD_READERS)
FALLBACK_KEYS: tuple[str, ...] = (*(p.value for p in REP_PHASES), "after_rep", "lasts")


def iter_errors(paths: list[Path]) -> Iterator[tuple[Path, PresetError | None]]:
    """Each path with its error, or None when it is a valid preset."""
    for path in paths:
        try:
            load_preset(path)
        except PresetError as error:
            yield path, error
        else:
            yield path, None
