"""The name of every sound the coach can make, with what it means (preset `sounds:` keys). Pure."""

from enum import StrEnum


class CueName(StrEnum):
    """Every sound the coach can make: the WAV files' names and a preset's `sounds:` keys. A
    StrEnum, so a member is its name wherever a string is expected (a dict key, JSON, a file name)."""

    NEGATIVE = "negative"
    BOTTOM_HOLD = "bottom_hold"
    POSITIVE = "positive"
    TOP_HOLD = "top_hold"
    EXPLOSIVE = "explosive"
    TICK = "tick"
    COUNTDOWN = "countdown"
    GO = "go"
    SET_DONE = "set_done"
    REST_OVER = "rest_over"
    FALLBACK = "fallback"
    DONE = "done"
    CLICK = "click"


CUE_NAMES: dict[CueName, str] = {
    CueName.NEGATIVE: "the lowering phase starts (falling tone)",
    CueName.BOTTOM_HOLD: "hold at the bottom (low double pulse)",
    CueName.POSITIVE: "the pushing phase starts (rising tone)",
    CueName.TOP_HOLD: "hold at the top (single high pulse)",
    CueName.EXPLOSIVE: "an explosive phase starts: move fast (sharp rising chirp)",
    CueName.TICK: "a soft tick on each whole second inside a phase",
    CueName.COUNTDOWN: "3-2-1 before a set starts and before the rest ends (short beep)",
    CueName.GO: "the set starts now: begin the first rep (long high beep after the 3-2-1)",
    CueName.SET_DONE: "the set is over, rest starts (falling three notes)",
    CueName.REST_OVER: "the rest is over: get into position (rising two notes)",
    CueName.FALLBACK: "the fallback tempo is now on (two low buzzes)",
    CueName.DONE: "the workout is done (rising four-note arpeggio)",
    CueName.CLICK: "calibration click for the audio offset",
}
