"""The name of every sound the coach can make, with what it means (preset `sounds:` keys). Pure."""

CUE_NAMES: dict[str, str] = {
    "negative": "the lowering phase starts (falling tone)",
    "bottom_hold": "hold at the bottom (low double pulse)",
    "positive": "the pushing phase starts (rising tone)",
    "top_hold": "hold at the top (single high pulse)",
    "explosive": "an explosive phase starts: move fast (sharp rising chirp)",
    "tick": "a soft tick on each whole second inside a phase",
    "countdown": "3-2-1 before a set starts and before the rest ends (short beep)",
    "go": "the set starts now: begin the first rep (long high beep after the 3-2-1)",
    "set_done": "the set is over, rest starts (falling three notes)",
    "rest_over": "the rest is over: get into position (rising two notes)",
    "fallback": "the fallback tempo is now on (two low buzzes)",
    "done": "the workout is done (rising four-note arpeggio)",
    "click": "calibration click for the audio offset",
}
