"""The cue vocabulary: the name of every sound the coach can make. Pure."""

from __future__ import annotations

CUE_NAMES: dict[str, str] = {
    "negative": "the lowering phase starts (falling tone)",
    "bottom_hold": "hold at the bottom (low double pulse)",
    "positive": "the pushing phase starts (rising tone)",
    "top_hold": "hold at the top (high short pulse)",
    "explosive": "an explosive phase starts: move fast (sharp rising chirp)",
    "tick": "a soft tick on each whole second inside a phase",
    "countdown": "3-2-1 before a set starts",
    "go": "the set starts now",
    "set_done": "the set is over",
    "rest": "rest starts",
    "fallback": "the fallback tempo is now on",
    "done": "the workout is done",
    "click": "calibration click for the audio offset",
}
