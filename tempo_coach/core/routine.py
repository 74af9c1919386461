"""A training session as values: routines of exercises and supersets, and the plan of each set. Pure.

A routine is a list of blocks; a block is one exercise, or a superset of two or more whose sets
alternate. The coach runs one block at a time (its summary leads to the next block), and a block
runs as a sequence of `SetPlan`s: warm-ups first, then the working sets, each with the rest after it.

    routine:  [leg press]  [superset: goblet squat, push-up]  [romanian deadlift]
    block 2:  squat 1, push-up 1, (rest), squat 2, push-up 2, (rest), squat 3, push-up 3
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tempo_coach.core.load import Load, Unit, increment_for
from tempo_coach.core.model import Preset


@dataclass(frozen=True)
class WarmupSet:
    reps: int
    load: Load | None = None


@dataclass(frozen=True)
class Exercise:
    """One item of a routine: a preset (with the routine's sets, reps, rest and tempo applied)
    and what the routine adds to it."""

    preset: Preset
    load: Load | None = None
    """The working sets' load; None: what the preset says, or what the lifter last used."""
    warmup: tuple[WarmupSet, ...] = ()
    rest_after_ms: int | None = None
    """The rest before the next exercise; None: the preset's rest between sets."""

    @property
    def name(self) -> str:
        return exercise_name(self.preset)

    @property
    def unit(self) -> Unit | None:
        """The unit of a load typed for this exercise without one (None: the lifter's default)."""
        return self.load.unit if self.load else self.preset.unit


@dataclass(frozen=True)
class Block:
    """What runs between two summaries: one exercise, or a superset (`superset` True)."""

    exercises: tuple[Exercise, ...]
    superset: bool = False
    rest_ms: int | None = None
    """A superset's rest after each round; None: the last exercise's rest."""
    rest_after_ms: int | None = None

    @property
    def name(self) -> str:
        return " + ".join(exercise.name for exercise in self.exercises)


@dataclass(frozen=True)
class Routine:
    """A routine file: `id` is the file's stem ('leg-day')."""

    id: str
    name: str
    blocks: tuple[Block, ...]
    source: Path | None = None

    @property
    def title(self) -> str:
        return self.name or self.id


def exercise_name(preset: Preset) -> str:
    """What the history groups by: the preset's `exercise:`, else its name, else its id."""
    return preset.exercise or preset.name or preset.id


def single(preset: Preset, load: Load | None = None) -> Block:
    """The block `tempo-coach run PRESET` runs."""
    return Block((Exercise(preset, load),))


@dataclass(frozen=True)
class SetPlan:
    """One set as it will run: which preset paces it, the reps and load, and the rest after it."""

    preset: Preset
    exercise: str
    number: int
    """1-based among this exercise's working sets (or, for a warm-up, among its warm-ups)."""
    of: int
    reps: int | None
    load: Load | None
    warmup: bool
    rest_after_ms: int
    """The rest after this set; 0 in a superset round goes straight to the next exercise."""
    order: int
    """1-based among all of this exercise's sets in the block, warm-ups first: its place in the history."""

    @property
    def label(self) -> str:
        """'Set 2/3', 'Warm-up 1/2'."""
        return f"{'Warm-up' if self.warmup else 'Set'} {self.number}/{self.of}"

    @property
    def unit(self) -> Unit | None:
        """The unit of a load typed for this set without one (None: the lifter's default)."""
        return self.load.unit if self.load else self.preset.unit

    @property
    def increment(self) -> float:
        return increment_for(self.unit or Unit.KG, self.preset.increment)


def block_plans(block: Block, loads: dict[str, Load] | None = None) -> tuple[SetPlan, ...]:
    """Every set of `block` in the order it runs. `loads` (by exercise name) fills in a load
    where neither the routine nor the preset gives one: the last one the lifter used."""
    loads = loads or {}
    warmups = [plan for exercise in block.exercises for plan in _warmups(exercise)]
    rounds = max(exercise.preset.sets for exercise in block.exercises)
    working = [
        _working(block, exercise, number, loads)
        for number in range(1, rounds + 1)
        for exercise in block.exercises
        if number <= exercise.preset.sets
    ]
    plans = warmups + working
    if plans:
        plans[-1] = replace(plans[-1], rest_after_ms=0)  # after the block's last set comes its summary
    return tuple(plans)


def _warmups(exercise: Exercise) -> list[SetPlan]:
    preset, count = exercise.preset, len(exercise.warmup)
    return [
        SetPlan(preset, exercise.name, n, count, w.reps, w.load, True, preset.rest_ms, n)
        for n, w in enumerate(exercise.warmup, start=1)
    ]


def _working(block: Block, exercise: Exercise, number: int, loads: dict[str, Load]) -> SetPlan:
    preset = exercise.preset
    load = exercise.load or preset.load or loads.get(exercise.name)
    rest = preset.rest_ms
    if block.superset:
        last_in_round = exercise is _last_in_round(block, number)
        rest = (block.rest_ms if block.rest_ms is not None else rest) if last_in_round else 0
    order = len(exercise.warmup) + number
    return SetPlan(preset, exercise.name, number, preset.sets, preset.reps, load, False, rest, order)


def _last_in_round(block: Block, number: int) -> Exercise:
    return [exercise for exercise in block.exercises if number <= exercise.preset.sets][-1]


def rest_before_next(block: Block) -> int:
    """The pause between this block's summary and the next block's first set (`rest_after`)."""
    if block.rest_after_ms is not None:
        return block.rest_after_ms
    last = block.exercises[-1]
    return last.rest_after_ms if last.rest_after_ms is not None else last.preset.rest_ms
