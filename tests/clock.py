"""The one fake clock of the test suite: monotonic time that moves only when the test says so."""

from typing import Protocol


class FakeClock:
    """Call it for the time; set `now` or `advance(seconds)` to move it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


class Steppable(Protocol):
    def next_wake(self) -> float | None: ...

    def step(self) -> None: ...


def step_until(coach: Steppable, clock: FakeClock, until: float) -> None:
    """Move the clock to `until` as the cue thread would: waking at each deadline on the way and
    stepping there, so no wake-up comes far past its deadline (which the coach treats as a stall)."""
    while (wake := coach.next_wake()) is not None and wake <= until:
        clock.now = max(clock.now, wake)
        coach.step()
    clock.now = max(clock.now, until)
    coach.step()
