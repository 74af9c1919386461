"""What the history holds, as values: sets and workouts; and its one time format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Fixed-width UTC ISO 8601 ('2026-11-25T12:40:28.123+00:00'), so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the lifter's local time
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class SetRecord:
    set: int
    reps_done: int
    reps_target: int | None
    tut_s: float
    fallback_rep: int | None
    completed: bool

    def as_json(self) -> dict[str, object]:
        return {
            "set": self.set,
            "reps_done": self.reps_done,
            "reps_target": self.reps_target,
            "tut_s": round(self.tut_s, 3),
            "fallback_rep": self.fallback_rep,
            "completed": self.completed,
        }


@dataclass(frozen=True)
class WorkoutRecord:
    id: int
    started_at: datetime
    preset: str
    name: str
    exercise: str
    tempo: str
    sets_planned: int
    reps_target: int | None
    sets: tuple[SetRecord, ...]

    @property
    def reps_done(self) -> int:
        return sum(s.reps_done for s in self.sets)

    @property
    def tut_s(self) -> float:
        return sum(s.tut_s for s in self.sets)
