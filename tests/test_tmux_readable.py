"""Readable from the machine, measured where the lifter looks: on the real terminal (tmux).

The glyphs are measured on the captured screen: a glyph's height is the run of rows holding block
characters in its part of the screen (the countdown in the left two fifths, the rep count to the
right), the last such run above the bar; the band's letters are a run of their own above. The bar
is sampled every 100 ms through 1-second phases and must be seen to move.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from markers import needs_tmux, realtime
from tmux_driver import Tmux

pytestmark = [needs_tmux, realtime]

GLYPH = set("█▀▄")
BAR = set("█▏▎▍▌▋▊▉─")
PHASES = ("GET READY", "NEGATIVE", "BOTTOM HOLD", "POSITIVE", "TOP HOLD", "REST")


def bar_row(rows: list[str], width: int) -> int:
    """The index of the bar: a row of bar characters only, most of the width."""
    for index, row in enumerate(rows):
        cells = row.strip()
        if len(cells) >= 0.8 * width and set(cells) <= BAR:
            return index
    raise AssertionError("no bar on screen:\n" + "\n".join(rows))


def glyph_height(rows: list[str], columns: range) -> int:
    """Rows in the last run of rows with block glyphs within `columns` (rows above the bar only)."""
    runs: list[int] = []
    run = 0
    for row in rows:
        if any(ch in GLYPH for ch in row[columns.start : columns.stop]):
            run += 1
        elif run:
            runs.append(run)
            run = 0
    if run:
        runs.append(run)
    return runs[-1] if runs else 0


def measure(screen: str, width: int) -> tuple[int, int]:
    """(countdown rows, rep count rows) on a captured coach screen."""
    rows = screen.splitlines()
    above = rows[: bar_row(rows, width)]
    split = 2 * width // 5
    return glyph_height(above, range(0, split)), glyph_height(above, range(split, width))


@pytest.mark.parametrize(("size", "countdown_rows", "rep_rows"), [((100, 30), 10, 5), ((200, 60), 20, 10)], ids=["100x30", "200x60"])
def test_the_countdown_and_the_rep_count_are_big_on_a_real_terminal(tmux: Tmux, tmp_path: Path, size, countdown_rows: int, rep_rows: int) -> None:
    tmux.start_coach("coach", tmp_path / "h.sqlite3", "leg-press", "--reps", "12", "--get-ready", "2", size=size)
    shown = tmux.wait_for("NEGATIVE")
    time.sleep(0.3)  # the first frame of the phase is drawn
    shown = tmux.screen("coach")
    countdown, rep = measure(shown, size[0])
    print(f"{size[0]}x{size[1]}: countdown {countdown} rows, rep count {rep} rows")
    assert countdown >= countdown_rows, f"countdown {countdown} rows:\n{shown}"
    assert rep >= rep_rows, f"rep count {rep} rows:\n{shown}"


def bar_fill(screen: str, width: int) -> tuple[str, int]:
    """(the phase named on the top line, eighths of the bar filled)."""
    rows = screen.splitlines()
    phase = next((name for name in PHASES if name in rows[0]), "?")
    cells = rows[bar_row(rows, width)].strip()
    full = cells.count("█")
    part = next((index for index, ch in enumerate(" ▏▎▍▌▋▊▉") if index and ch in cells), 0)
    return phase, 8 * full + part


def test_the_bar_moves_through_a_1_second_phase(tmux: Tmux, tmp_path: Path) -> None:
    """It used to be redrawn only when the whole second changed: in a 1 s phase it never moved."""
    tmux.start_coach("coach", tmp_path / "h.sqlite3", "leg-press", "--tempo", "1-1-1-1", "--get-ready", "1")
    tmux.wait_for("NEGATIVE")
    samples: list[tuple[str, int]] = []
    deadline = time.monotonic() + 4.0
    while time.monotonic() < deadline:
        samples.append(bar_fill(tmux.screen("coach"), 100))
        time.sleep(0.1)
    advances: dict[int, int] = {}
    phase_index = 0
    for (phase, fill), (next_phase, next_fill) in zip(samples, samples[1:]):
        if next_phase != phase:
            phase_index += 1
        elif next_fill > fill:
            advances[phase_index] = advances.get(phase_index, 0) + 1
    print(f"advances per phase over 100 ms samples: {advances}")
    assert max(advances.values(), default=0) >= 5, samples
