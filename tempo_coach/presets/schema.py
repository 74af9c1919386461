"""JSON Schema for preset files, so editors can validate and complete them (`tempo-coach schema`)."""

from __future__ import annotations

from typing import Any

from tempo_coach.core.cue_names import CUE_NAMES
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

_SECONDS = {"type": "number", "minimum": 0, "maximum": MAX_PHASE_S}
_TEXTS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_PHASE_OR_X = {"oneOf": [_SECONDS, {"type": "string", "pattern": "^[xX]$|^[0-9]*\\.?[0-9]+$"}]}


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
            "name": {"type": "string", "description": "Title shown in the picker."},
            "exercise": {"type": "string"},
            "tempo": {
                "description": "negative-bottom_hold-positive-top_hold in seconds: 2-1-1-1, 2.5-0.5-1-0, 3-1-X-0, 31X0, or a mapping.",
                "oneOf": [
                    {"type": "string", "pattern": "^\\s*([0-9.]+|[xX])(\\s*-\\s*([0-9.]+|[xX])){3}\\s*$|^[0-9xX]{4}$"},
                    {"type": "integer", "minimum": 0, "maximum": 9999},
                    {"type": "object", "additionalProperties": False, "required": phases, "properties": {p: _PHASE_OR_X for p in phases}},
                ],
            },
            "explosive": {"type": "number", "minimum": EXPLOSIVE_RANGE_S[0], "maximum": EXPLOSIVE_RANGE_S[1], "default": 0.5, "description": "Seconds an X phase lasts."},
            "sets": {"type": "integer", "minimum": 1, "maximum": MAX_SETS, "default": 3},
            "reps": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": MAX_REPS}, {"type": "string", "pattern": "^[aA][mM][rR][aA][pP]$"}], "default": 10},
            "rest": {"type": "number", "minimum": 0, "maximum": MAX_REST_S, "default": 90, "description": "Seconds between sets."},
            "get_ready": {"type": "number", "minimum": 0, "maximum": MAX_GET_READY_S, "default": 5},
            "fallback": {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {
                    **{p: _SECONDS for p in phases},
                    "after_rep": {"type": "integer", "minimum": 1, "maximum": MAX_REPS},
                    "lasts": {"enum": list(FALLBACK_LASTS), "default": "set"},
                },
            },
            "ticks": {"type": "boolean", "default": False},
            "volume": {"type": "number", "minimum": 0, "maximum": 1, "default": 1},
            "cues": {"type": "object", "additionalProperties": False, "properties": {k: _TEXTS for k in CUE_PHASES}},
            "notes": _TEXTS,
            "voice": {"enum": list(VOICES), "default": "counts", "description": "What is said aloud: counts (the rep number), phases (and the phase names), full (and the set, countdown, rest, what comes next), or off."},
            "sounds": {
                "type": "object",
                "additionalProperties": False,
                "properties": {cue: {"type": "string", "description": f"WAV for: {why}"} for cue, why in CUE_NAMES.items()},
            },
        },
    }
