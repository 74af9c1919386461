"""JSON Schema for preset and routine files, so editors can validate and complete them.

`tempo-coach schema` prints one schema for both (`file_schema`): they share the presets folders, so
an editor maps one schema to `*.yaml` there; it is a `oneOf` of the preset schema and the routine
schema, told apart by the routine's required `exercises` key.
"""

from __future__ import annotations

from typing import Any

from tempo_coach.core.cue_names import CUE_NAMES
from tempo_coach.core.load import MAX_INCREMENT, MAX_LOAD, UNITS
from tempo_coach.core.model import (
    CUE_PHASES,
    EXPLOSIVE_RANGE_S,
    FALLBACK_LASTS,
    MAX_GET_READY_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    VOICES,
)
from tempo_coach.core.tempo import MAX_PHASE_S, REP_PHASES
from tempo_coach.presets.node_reader import MAX_TEXT_CHARS
from tempo_coach.presets.yaml_nodes import MAX_ITEMS

_NUMBER = "[0-9]+(\\.[0-9]+)?|\\.[0-9]+"
"""The one grammar of a phase's seconds (core.tempo._SECONDS): YAML's 1_0, 0x1, .inf or 1e1 are not phases."""
_PHASE = f"({_NUMBER}|[xX])"
_SECONDS = {"oneOf": [{"type": "number", "minimum": 0, "maximum": MAX_PHASE_S}, {"type": "string", "pattern": f"^[ \\t]*({_NUMBER})[ \\t]*$"}]}
_PHASE_OR_X = {"oneOf": [{"type": "number", "minimum": 0, "maximum": MAX_PHASE_S}, {"type": "string", "pattern": f"^[ \\t]*{_PHASE}[ \\t]*$"}]}
_LINE = {"type": "string", "maxLength": MAX_TEXT_CHARS, "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"}
"""One line of text: no control characters (C0, DEL, C1), no line break."""
_LINES = {**_LINE, "pattern": "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$"}
"""Text that may span lines (notes)."""


def _one_or_list(text: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [text, {"type": "array", "maxItems": MAX_ITEMS, "items": text}]}


_TEXT_TEMPO = {"type": "string", "pattern": f"^[ \\t]*{_PHASE}([ \\t]*-[ \\t]*{_PHASE}){{3}}[ \\t]*$|^[ \\t]*[0-9xX]{{4}}[ \\t]*$"}
_TEMPO_DESCRIPTION = "negative-bottom_hold-positive-top_hold in seconds: 2-1-1-1, 2.5-0.5-1-0, 3-1-X-0, 31X0"
_SETS = {"type": "integer", "minimum": 1, "maximum": MAX_SETS}
_REPS = {"oneOf": [{"type": "integer", "minimum": 1, "maximum": MAX_REPS}, {"type": "string", "pattern": "^[aA][mM][rR][aA][pP]$"}]}
_REST = {"type": "number", "minimum": 0, "maximum": MAX_REST_S}
_AMOUNT = "([0-9]{1,6}(\\.[0-9]{1,3})?|\\.[0-9]{1,3})"
_UNIT = "([kK][gG]|[lL][bB])"
_LOAD = {
    "description": "A number in the unit (100), with a unit (102.5 kg, 225 lb), or bodyweight: bw, bw+10, bw-20 kg.",
    "oneOf": [
        {"type": "number", "minimum": 0, "maximum": MAX_LOAD},
        {
            "type": "string",
            "pattern": f"^\\s*({_AMOUNT}\\s*{_UNIT}?|([bB][wW]|[bB][oO][dD][yY][wW][eE][iI][gG][hH][tT])(\\s*[+-]\\s*{_AMOUNT}\\s*{_UNIT}?)?)\\s*$",
        },
    ],
}
"""The grammar of core.load.parse_load (which also caps a load at MAX_LOAD)."""
_UNIT_ENUM = {"enum": list(UNITS), "description": "kg or lb: the unit of a load that names none (default: config.yaml's, else kg)."}


def preset_schema() -> dict[str, Any]:
    phases = [p.value for p in REP_PHASES]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/tempo-coach/tempo-coach/preset.schema.json",
        "title": "tempo-coach preset",
        "type": "object",
        "additionalProperties": False,
        "required": ["tempo"],
        "properties": {
            "name": {**_LINE, "description": "Title shown in the picker."},
            "exercise": _LINE,
            "tempo": {
                "description": f"{_TEMPO_DESCRIPTION}, or a mapping.",
                "oneOf": [
                    _TEXT_TEMPO,
                    {"type": "integer", "minimum": 0, "maximum": 9999},
                    {"type": "object", "additionalProperties": False, "required": phases, "properties": {p: _PHASE_OR_X for p in phases}},
                ],
            },
            "explosive": {"type": "number", "minimum": EXPLOSIVE_RANGE_S[0], "maximum": EXPLOSIVE_RANGE_S[1], "default": 0.5, "description": "Seconds an X phase lasts."},
            "sets": {**_SETS, "default": 3},
            "reps": {**_REPS, "default": 10},
            "rest": {**_REST, "default": 90, "description": "Seconds between sets."},
            "get_ready": {"type": "number", "minimum": 0, "maximum": MAX_GET_READY_S, "default": 5},
            "fallback": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {
                    **{p: _SECONDS for p in phases},
                    "after_rep": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_REPS,
                        "description": "after_rep: N means reps 1..N at the tempo and the fallback from rep N+1 on; "
                        "at or above reps it never comes on by itself (check warns).",
                    },
                    "lasts": {"enum": list(FALLBACK_LASTS), "default": "set"},
                },
            },
            "ticks": {"type": "boolean", "default": False},
            "volume": {"type": "number", "minimum": 0, "maximum": 1, "default": 1},
            "cues": {"type": "object", "additionalProperties": False, "properties": {k: _one_or_list(_LINE) for k in CUE_PHASES}},
            "notes": _one_or_list(_LINES),
            "voice": {"enum": list(VOICES), "default": "counts", "description": "What is said aloud: counts (the rep number), phases (and the phase names), full (and the set, countdown, rest, what comes next), or off."},
            "sounds": {
                "type": "object",
                "additionalProperties": False,
                "properties": {cue: {**_LINE, "description": f"WAV for: {why}"} for cue, why in CUE_NAMES.items()},
            },
            "load": {**_LOAD, "description": f"The working sets' load. {_LOAD['description']}"},
            "unit": _UNIT_ENUM,
            "increment": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_INCREMENT, "description": "What one press of the load keys adds (default 2.5 kg or 5 lb)."},
            "get_ready_after_rest": {"type": "boolean", "default": False, "description": "Count down again after each rest."},
        },
    }


def routine_schema() -> dict[str, Any]:
    """A routine: its exercises in order, each a preset with what the routine changes, or a superset."""
    fields: dict[str, Any] = {
        "preset": {**_LINE, "minLength": 1, "description": "A preset's name, or the path to its file (relative to the routine)."},
        "sets": _SETS,
        "reps": _REPS,
        "rest": {**_REST, "description": "Seconds between sets."},
        "tempo": {"description": _TEMPO_DESCRIPTION, "oneOf": [_TEXT_TEMPO, {"type": "integer", "minimum": 0, "maximum": 9999}]},
        "load": _LOAD,
        "unit": _UNIT_ENUM,
        "warmup": {
            "type": "array",
            "maxItems": MAX_ITEMS,
            "description": "Warm-up sets before the working sets; they never count towards progress.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["reps"],
                "properties": {"reps": {"type": "integer", "minimum": 1, "maximum": MAX_REPS}, "load": _LOAD},
            },
        },
        "rest_after": {**_REST, "description": "Seconds before the next exercise."},
    }
    exercise = _exercise(fields)
    member = _exercise({k: v for k, v in fields.items() if k != "rest_after"})
    superset = {
        "type": "object",
        "additionalProperties": False,
        "required": ["superset"],
        "properties": {
            "superset": {"type": "array", "minItems": 2, "maxItems": MAX_ITEMS, "items": member, "description": "Exercises whose sets alternate."},
            "rest": {**_REST, "description": "Seconds after each round."},
            "rest_after": {**_REST, "description": "Seconds before the next exercise."},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/tempo-coach/tempo-coach/routine.schema.json",
        "title": "tempo-coach routine",
        "type": "object",
        "additionalProperties": False,
        "required": ["exercises"],
        "properties": {
            "name": {**_LINE, "description": "Title shown in the picker."},
            "exercises": {"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": {"oneOf": [exercise, superset]}},
        },
    }


def _exercise(fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": ["preset"], "properties": fields}


def file_schema() -> dict[str, Any]:
    """What `tempo-coach schema` prints: a file in the presets folders is a preset or a routine."""
    parts = {"preset": preset_schema(), "routine": routine_schema()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/tempo-coach/tempo-coach/tempo-coach.schema.json",
        "title": "tempo-coach preset or routine",
        "$defs": {name: {k: v for k, v in part.items() if k not in ("$schema", "$id")} for name, part in parts.items()},
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in parts],
    }
