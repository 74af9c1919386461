"""StreamClock: monotonic time <-> stream frames, on a fake sound card whose clock runs 100 ppm fast.

A null sink runs on the system clock and shows no drift, so the correction is tested here: a fake
stream whose frames reach the speaker at `start + frame / (rate * (1 + ppm))`, observed once per
callback with the jitter of a real DAC timestamp."""

from __future__ import annotations

import random

from tempo_coach.audio.clock import MAX_STEP_S, OUTLIER_S, PERSIST, StreamClock
from tempo_coach.audio.stream import BLOCK as STREAM_BLOCK

RATE = 44_100
BLOCK = STREAM_BLOCK  # the open stream's callbacks


class FakeCard:
    """A sound card clock `ppm` fast: frame f reaches the speaker at start + f / (RATE * (1 + ppm / 1e6))."""

    def __init__(self, ppm: float, start: float = 5000.0, jitter_s: float = 0.000_1, seed: int = 1) -> None:
        self.rate = RATE * (1 + ppm / 1e6)
        self.start = start
        self.jitter_s = jitter_s
        self.random = random.Random(seed)

    def true_time(self, frame: float) -> float:
        return self.start + frame / self.rate

    def observed(self, frame: int) -> float:
        return self.true_time(frame) + self.random.uniform(-self.jitter_s, self.jitter_s)


def run(clock: StreamClock, card: FakeCard, seconds: float, first_block: int = 0) -> list[float]:
    """Observe every callback for `seconds`; returns the error (s) of placing a cue 1 s ahead, per callback."""
    errors = []
    blocks = int(seconds * RATE / BLOCK)
    for block in range(first_block, first_block + blocks):
        frame = block * BLOCK
        clock.observe(frame, card.observed(frame))
        target = card.true_time(frame) + 1.0  # a cue due one second from now
        errors.append(card.true_time(clock.frame_at(target)) - target)
    return errors


def test_a_card_100_ppm_fast_stays_on_the_sample_for_an_hour() -> None:
    card, clock = FakeCard(ppm=100), StreamClock(RATE)
    errors = run(clock, card, 3600)
    learning = int(60 * RATE / BLOCK)  # the first minute: the rate is not trusted before WINDOW callbacks
    assert max(abs(e) for e in errors[:learning]) < 0.003
    assert max(abs(e) for e in errors[learning:]) < 0.000_1  # then on the sample (2.3 samples = 0.05 ms)


def test_without_the_correction_the_same_card_drifts_360_ms_an_hour() -> None:
    """The control: frames counted at the nominal rate from the first callback (no re-measuring)
    are 0.36 s off after an hour on this card, so the test above means something."""
    card = FakeCard(ppm=100, jitter_s=0.0)
    hour = card.start + 3600
    nominal_frame = round((hour - card.observed(0)) * RATE)
    assert card.true_time(nominal_frame) - hour < -0.35


def test_corrections_come_in_small_steps() -> None:
    """From one callback to the next, the frame a cue one second ahead is placed at moves by at most
    MAX_STEP_S (and a little for the rate estimate): a cue is never jolted."""
    card, clock = FakeCard(ppm=100, jitter_s=0.000_5), StreamClock(RATE)
    run(clock, card, 5)
    largest = 0.0
    for block in range(int(5 * RATE / BLOCK), int(600 * RATE / BLOCK)):
        frame = block * BLOCK
        target = card.true_time(frame) + 1.0
        before = clock.time_of(clock.frame_at(target))
        clock.observe(frame, card.observed(frame))
        largest = max(largest, abs(clock.time_of(clock.frame_at(target)) - before))
    assert largest <= 1.5 * MAX_STEP_S + 1 / RATE, largest


def test_the_first_callbacks_of_a_filling_buffer_do_not_lock_it() -> None:
    """While the buffer fills, callbacks report times that do not fit; the clock waits for agreement."""
    card, clock = FakeCard(ppm=0, jitter_s=0.0), StreamClock(RATE)
    for block, skew in enumerate((-0.05, -0.03, -0.01)):
        clock.observe(block * BLOCK, card.observed(block * BLOCK) + skew)
    assert not clock.locked
    errors = run(clock, card, 2, first_block=3)
    assert clock.locked and abs(errors[-1]) < 0.000_05


def test_a_stalled_stream_re_locks_at_once_on_the_later_timing() -> None:
    """An underrun of 80 ms (PortAudio reports the underflow): everything after it plays 80 ms
    later; the clock follows within a few callbacks."""
    card, clock = FakeCard(ppm=0), StreamClock(RATE)
    run(clock, card, 10)
    card.start += 0.080
    frame = (int(10 * RATE / BLOCK) + 1) * BLOCK
    clock.observe(frame, card.observed(frame), gap=True)
    errors = run(clock, card, 1, first_block=frame // BLOCK + 1)
    assert clock.relocks == 1
    assert max(abs(e) for e in errors[5:]) < 0.000_3


def test_reported_timing_that_wanders_for_seconds_does_not_move_the_cues() -> None:
    """Under load a sound server's reports wandered by 40 ms for seconds while the sound went on
    evenly: those reports are left out, and cues stay on their samples."""
    card, clock = FakeCard(ppm=0), StreamClock(RATE)
    run(clock, card, 10)
    first = int(10 * RATE / BLOCK)
    errors = []
    for block in range(first, first + int(8 * RATE / BLOCK)):
        frame = block * BLOCK
        wander = -0.040 * (block - first) / 40 if block - first < 40 else -0.040 + 0.005 * ((block - first) % 7)
        clock.observe(frame, card.observed(frame) + wander)
        target = card.true_time(frame) + 1.0
        errors.append(card.true_time(clock.frame_at(target)) - target)
    assert clock.relocks == 0 and max(abs(e) for e in errors) < 0.000_5


def test_a_shift_that_persists_is_followed_in_the_end() -> None:
    card, clock = FakeCard(ppm=0), StreamClock(RATE)
    run(clock, card, 10)
    card.start += 0.010  # the sound server added 10 ms of latency for good, without an underflow
    errors = run(clock, card, 30, first_block=int(10 * RATE / BLOCK) + 1)
    assert clock.relocks == 1
    assert max(abs(e) for e in errors[PERSIST + 5 :]) < 0.000_3


def test_one_late_timestamp_is_not_a_jump() -> None:
    card, clock = FakeCard(ppm=0), StreamClock(RATE)
    run(clock, card, 5)
    frame = int(5 * RATE / BLOCK) * BLOCK + BLOCK
    clock.observe(frame, card.observed(frame) + 3 * OUTLIER_S)
    errors = run(clock, card, 1, first_block=frame // BLOCK + 1)
    assert clock.relocks == 0 and max(abs(e) for e in errors) < 0.000_3
