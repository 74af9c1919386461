"""What the history holds, as values: sets (and how a finished set becomes one) and workouts; and its
one time format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tempo_coach.core.events import SetCompleted


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Fixed-width UTC ISO 8601 ('2026-11-25T12:40:28.123+00:00'), so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the lifter's local time
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


ENDED_RANK = {"cut short": 0, "ended": 1, "completed": 2}
"""How a set ended, from least to most complete: the order "keep the fuller record" follows."""


@dataclass(frozen=True)
class SetRecord:
    """One set as the history keeps it (`set` is its place among its exercise's sets)."""

    set: int
    reps_done: int
    reps_target: int | None
    tut_s: float
    fallback_rep: int | None
    ended: str
    """'completed', 'ended' (with Enter, before the target) or 'cut short' (a quit or a signal)."""
    load: float | None = None
    unit: str | None = None
    bodyweight: bool = False
    warmup: bool = False
    rir: int | None = None
    """Reps in reserve, 0-4 (4: four or more); None: not told."""
    note: str = ""

    @property
    def completed(self) -> bool:
        return self.ended == "completed"

    def as_json(self) -> dict[str, object]:
        """The keys of `tempo-coach history --json` (and of the unsaved-sets file)."""
        return {
            "set": self.set,
            "reps_done": self.reps_done,
            "reps_target": self.reps_target,
            "tut_s": round(self.tut_s, 3),
            "fallback_rep": self.fallback_rep,
            "completed": self.completed,
            "ended": self.ended,
            "load": self.load,
            "unit": self.unit,
            "bodyweight": self.bodyweight,
            "warmup": self.warmup,
            "rir": self.rir,
            "note": self.note,
        }


def set_number(result: SetCompleted) -> int:
    """A set's number in the history: its place among its exercise's sets (warm-ups first)."""
    return result.plan.order if result.plan is not None else result.set


def set_record(result: SetCompleted, rir: int | None = None, note: str | None = None) -> SetRecord:
    """A finished set as the history keeps it (what `HistoryStore.save_set` writes)."""
    load = result.plan.load if result.plan else None
    return SetRecord(
        set=set_number(result),
        reps_done=result.reps_done,
        reps_target=result.reps_target,
        tut_s=result.tut,
        fallback_rep=result.fallback_rep,
        ended=result.ended,
        load=load.amount if load else None,
        unit=load.unit.value if load else None,
        bodyweight=load.bodyweight if load else False,
        warmup=result.plan.warmup if result.plan else False,
        rir=rir,
        note=note or "",
    )


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
    routine: str = ""

    @property
    def reps_done(self) -> int:
        return sum(s.reps_done for s in self.sets)

    @property
    def tut_s(self) -> float:
        return sum(s.tut_s for s in self.sets)
