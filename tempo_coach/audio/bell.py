"""The terminal bell as a backend: rung a cue's number of times, as far as a bell can tell phases apart."""

from __future__ import annotations

import threading

from tempo_coach.audio.backend import Backend, Ring, volume_step
from tempo_coach.core.cue_names import CueName

BELLS: dict[str, int] = {
    CueName.NEGATIVE: 1,
    CueName.GO: 1,
    CueName.BOTTOM_HOLD: 2,
    CueName.TOP_HOLD: 2,
    CueName.POSITIVE: 3,
    CueName.EXPLOSIVE: 3,
    CueName.SET_DONE: 4,
    CueName.DONE: 4,
    CueName.TICK: 0,
}
"""How many bells a cue rings (1 if not listed): as far as a bell can tell phases apart — 1 down,
2 hold, 3 push, 4 the set is over. The countdown's 3-2-1 stays one bell a second."""
BELL_CODE = f"{BELLS[CueName.NEGATIVE]} down, {BELLS[CueName.BOTTOM_HOLD]} hold, {BELLS[CueName.POSITIVE]} push"
"""The code in the lifter's words, for the sound line."""
BELL_GAP_S = 0.15
"""Between the bells of one cue: far enough apart that a terminal rings each."""


class BellBackend(Backend):
    """The terminal bell, rung a cue's number of times (`BELLS`). `ring` is the app's (e.g. App.bell,
    hopped onto its loop with a message): writing BEL to the terminal behind Textual's back is
    wrong. The first bell rings at once; the others from a short-lived thread, so the cue thread
    never waits."""

    name = "bell"
    has_volume = False

    def __init__(self, ring: Ring, notice: str = "terminal bell", why: str = "no sound", gap_s: float = BELL_GAP_S) -> None:
        self.ring = ring
        self.notice = notice
        self.why = why
        """Why there is no real sound, in the lifter's words: 'no sound card found'."""
        self.gap_s = gap_s
        self._closed = threading.Event()

    def play(self, cue: str, volume: float) -> None:
        count = BELLS.get(cue, 1) if volume_step(volume) > 0 and not self._closed.is_set() else 0
        if count:
            self.ring()
        if count > 1:
            threading.Thread(target=self._ring_more, args=(count - 1,), name="tempo-coach-bell", daemon=True).start()

    def _ring_more(self, count: int) -> None:
        for _ in range(count):
            if self._closed.wait(self.gap_s):
                return
            self.ring()

    def line(self, muted: bool, volume: float, also: str = "") -> str:
        return f"{self.why}: terminal bell {'muted' if muted else f'({BELL_CODE})'}{also}"

    def close(self) -> None:
        self._closed.set()


def bell_because(reason: str) -> str:
    """The bell backend's notice: why there is no real sound."""
    return f"{reason}; the terminal bell instead"
