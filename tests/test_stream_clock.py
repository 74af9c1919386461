"""StreamClock: monotonic time <-> stream frames, on a fake sound card whose clock runs 100 ppm fast.

A null sink runs on the system clock and shows no drift, so the correction is tested here: a fake
stream whose frames reach the speaker at `start + frame / (rate * (1 + ppm))`, observed once per
callback with the jitter of a real DAC timestamp."""

from __future__ import annotations

import random

from tempo_coach.audio.clock import MAX_STEP_S, OUTLIER_S, PERSIST, WANDER_WINDOW, Reports, StreamClock
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


# ---- what a callback's report is worth -----------------------------------------------------------

LATENCY_S = 0.1855


def callbacks(count: int, late_s: list[float], reported: list[float]) -> list[tuple[int, float, float]]:
    """(frame, when the callback started, the DAC time it reported) for `count` callbacks of a stream
    whose frames are heard at 1000 + frame / RATE + LATENCY_S, each callback `late_s[i]` late and
    reporting a latency of `reported[i]`."""
    out = []
    for i in range(count):
        frame = i * BLOCK
        called = 1000 + frame / RATE + late_s[i]
        out.append((frame, called, called + reported[i]))
    return out


def heard_times(reports: Reports, stream: list[tuple[int, float, float]]) -> list[float]:
    return [reports.heard(frame, called, dac)[0] for frame, called, dac in stream]


def test_a_sound_cards_reports_are_taken_as_they_are_even_when_its_callbacks_are_late() -> None:
    """A late callback finds that much less buffered: the DAC time stays right, and is used."""
    rng = random.Random(3)
    late = [rng.uniform(0, 0.008) for _ in range(400)]
    stream = callbacks(400, late, [LATENCY_S - lateness for lateness in late])
    reports = Reports(RATE)
    assert heard_times(reports, stream) == [dac for _, _, dac in stream]
    assert not reports.wanders


def test_pipewires_wandering_reports_give_way_to_the_callbacks_pace_and_the_first_latency() -> None:
    """pipewire-pulse: two prefill callbacks, the right latency for ten, then a report that runs
    1.7 ms later a callback and jumps back every 16, while the callbacks keep time (bench/RESULTS.md)."""
    rng = random.Random(4)
    count = 400
    late = [0.185, 0.0925] + [rng.uniform(0, 0.0003) for _ in range(count - 2)]
    reported = [0.0, 0.0925] + [LATENCY_S - late[i] for i in range(2, 12)]
    reported += [LATENCY_S + 0.0017 * ((i - 12) % 16) * (1 + (i // 16) % 3) for i in range(12, count)]
    stream = callbacks(count, late, reported)
    reports = Reports(RATE)
    heard = heard_times(reports, stream)
    assert reports.wanders
    switched = next(i for i, (_, _, dac) in enumerate(stream) if heard[i] != dac)
    assert switched <= 2 * WANDER_WINDOW  # found within 3 s
    truth = [1000 + frame / RATE + LATENCY_S for frame, _, _ in stream]
    errors = [abs(h - t) for h, t in zip(heard[switched:], truth[switched:])]
    assert max(errors) < 0.0006, max(errors)  # the callbacks' own lateness, at most


def test_finding_the_wander_asks_the_clock_to_lock_again_once() -> None:
    rng = random.Random(5)
    count = 200
    late = [rng.uniform(0, 0.0003) for _ in range(count)]
    reported = [LATENCY_S + 0.002 * (i % 20) for i in range(count)]
    reports = Reports(RATE)
    relocks = [reports.heard(frame, called, dac)[1] for frame, called, dac in callbacks(count, late, reported)]
    assert relocks.count(True) == 1

