"""`Training`: a whole training session, its blocks run one after another. No threads, no Textual.

A routine's blocks run in order, each as its own `WorkoutSession` (so a block's sets are committed
when its summary shows, and quitting later loses none of them); `tempo-coach run PRESET` is a
training of one block. The loads carry over: the last load used for an exercise is what its next
sets start from when neither the routine nor the preset names one.
"""

from __future__ import annotations

from dataclasses import replace

from tempo_coach.core.events import SetCompleted
from tempo_coach.core.load import Load
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import Block, Routine, SetPlan, block_plans, rest_before_next, single


class Training:
    def __init__(self, blocks: tuple[Block, ...], routine: str = "", loads: dict[str, Load] | None = None) -> None:
        if not blocks:
            raise ValueError("a training session needs at least one exercise")
        self.blocks = blocks
        self.routine = routine
        """The routine's id ('' for one preset): kept with every set in the history."""
        self.loads = dict(loads or {})
        self.index = 0

    @classmethod
    def of_preset(cls, preset: Preset, load: Load | None = None, loads: dict[str, Load] | None = None) -> Training:
        return cls((single(preset, load),), loads=loads)

    @classmethod
    def of_routine(cls, routine: Routine, first_load: Load | None = None, loads: dict[str, Load] | None = None) -> Training:
        """`first_load` (run ROUTINE --load) is the first exercise's working load."""
        blocks = routine.blocks
        if first_load is not None:
            first = blocks[0]
            loaded = replace(first.exercises[0], load=first_load)
            blocks = (replace(first, exercises=(loaded, *first.exercises[1:])), *blocks[1:])
        return cls(blocks, routine.id, loads)

    @property
    def exercises(self) -> tuple[str, ...]:
        """Every exercise of the session by name, in order (an exercise done twice, twice)."""
        return tuple(exercise.name for block in self.blocks for exercise in block.exercises)

    @property
    def block(self) -> Block:
        return self.blocks[self.index]

    @property
    def preset(self) -> Preset:
        """The preset that opens the current block (its sounds and volume serve the block)."""
        return self.block.exercises[0].preset

    @property
    def next_block(self) -> Block | None:
        return self.blocks[self.index + 1] if self.index + 1 < len(self.blocks) else None

    @property
    def rest_before_next_ms(self) -> int:
        return rest_before_next(self.block)

    def plans(self) -> tuple[SetPlan, ...]:
        """The current block's sets, the last loads used filling in where no load is given."""
        return block_plans(self.block, self.loads)

    def remember(self, results: tuple[SetCompleted, ...]) -> None:
        """Keep each exercise's last working load for its later sets and blocks."""
        for result in results:
            plan = result.plan
            if plan is not None and plan.load is not None and not plan.warmup:
                self.loads[plan.exercise] = plan.load

    def advance(self) -> bool:
        """On to the next block; False after the last."""
        if self.next_block is None:
            return False
        self.index += 1
        return True
