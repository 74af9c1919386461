"""The bell fallback tells the phases apart as far as a bell can, and the sound line says plainly
what the lifter gets, in one line that fits an 80-column terminal."""

from __future__ import annotations

import threading
import time

import pytest

from tempo_coach.audio.backend import NullBackend
from tempo_coach.audio.bell import BELL_CODE, BELLS, BellBackend
from tempo_coach.runtime.session import sound_line

WIDTH = 78
"""An 80-column terminal less the workout screen's padding."""


def rings_for(cue: str, volume: float = 1.0) -> int:
    rang = threading.Semaphore(0)
    bell = BellBackend(rang.release, gap_s=0.001)
    bell.play(cue, volume)
    count = 0
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and rang.acquire(timeout=0.05):
        count += 1
    bell.close()
    return count


def test_the_phases_ring_different_counts_of_bells() -> None:
    """Every cue was one and the same bell: down, hold and push could not be told apart."""
    counts = {cue: rings_for(cue) for cue in ("negative", "bottom_hold", "positive", "top_hold", "explosive", "set_done", "countdown", "tick")}
    assert counts == {"negative": 1, "bottom_hold": 2, "positive": 3, "top_hold": 2, "explosive": 3, "set_done": 4, "countdown": 1, "tick": 0}
    assert rings_for("positive", volume=0.0) == 0


def test_the_first_bell_rings_at_once_and_the_others_never_hold_up_the_cue_thread() -> None:
    rings: list[float] = []
    bell = BellBackend(lambda: rings.append(time.monotonic()), gap_s=0.2)
    start = time.monotonic()
    bell.play("positive", 1.0)
    assert len(rings) == 1 and time.monotonic() - start < 0.1
    bell.close()  # closing stops the bells still to come
    time.sleep(0.3)
    assert len(rings) == 1


def test_the_code_in_the_sound_line_is_the_code_the_bells_ring() -> None:
    assert BELL_CODE == f"{BELLS['negative']} down, {BELLS['bottom_hold']} hold, {BELLS['positive']} push" == "1 down, 2 hold, 3 push"


@pytest.mark.parametrize("why", ["no sound card found", "sound card stopped", "simpleaudio missing", "no sound files"])
@pytest.mark.parametrize("muted", [False, True])
@pytest.mark.parametrize("flash", [False, True])
def test_the_bell_line_is_plain_and_fits_80_columns(why: str, muted: bool, flash: bool) -> None:
    line = sound_line(BellBackend(lambda: None, notice="no audio device (Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory)", why=why), muted, 1.0, flash)
    assert len(line) <= WIDTH, line
    assert line.startswith(f"sound: {why}: terminal bell")
    assert "Error" not in line and "CODE" not in line and "No such file" not in line  # never a raw errno text
    assert ("muted" in line) == muted and line.endswith(" + flash") == flash


def test_the_bell_line_reads_as_the_lifter_would_say_it() -> None:
    line = sound_line(BellBackend(lambda: None, why="no sound card found"), False, 1.0)
    assert line == "sound: no sound card found: terminal bell (1 down, 2 hold, 3 push)"


def test_the_muted_line_and_the_flash() -> None:
    assert sound_line(NullBackend("muted: visual cues only"), False, 1.0, flash=True) == "sound: none — muted: visual cues only + flash"
