"""What the start screen says of a preset or a routine: its line in the list and its details panel.

All of it is plain `Text` built from values (a bracket in a cue or a routine's name is a bracket,
never markup), and every user-written string goes through `printable`.
"""

from __future__ import annotations

from rich.text import Text

from tempo_coach.core.load import Load
from tempo_coach.core.model import Preset
from tempo_coach.core.plan import TooManyReps, Unplannable, routine_seconds
from tempo_coach.core.routine import Block, Exercise, Routine, rest_before_next
from tempo_coach.history.at_start import Past
from tempo_coach.core.tempo import format_seconds
from tempo_coach.core.text import plural, printable
from tempo_coach.tui.widgets.display import one_line, preset_title, summary_line


def preset_details(preset: Preset, load: Load | None = None) -> Text:
    """The chosen preset's load, cues and notes, as the lifter reads them before starting."""
    text = Text()
    text.append(printable(preset_title(preset)), style="bold")
    text.append(f"\n{summary_line(preset)}")
    if load is not None:
        text.append(f" · {load}")
    if preset.fallback:
        auto_from = preset.fallback.auto_from(preset.reps)
        after = f", automatic from rep {auto_from}" if auto_from else ""
        text.append(f" · fallback {preset.fallback.describe(preset.tempo)}{after}")
    for key in ("general", "get_ready", "negative", "bottom_hold", "positive", "top_hold", "rest"):
        for cue in preset.cues.get(key, ()):
            label = "" if key == "general" else f"{key.replace('_', ' ')}: "
            text.append(f"\n• {label}", style="bold")
            text.append(printable(one_line(cue)))
    if preset.notes:
        text.append("\n\nNotes", style="bold underline")
        for note in preset.notes:
            text.append(f"\n• {printable(one_line(note))}")
    return text


def routine_time(routine: Routine) -> str:
    """'31 min', or why it has no time: 'time depends on amrap sets'."""
    try:
        seconds = routine_seconds(routine)
    except TooManyReps as error:
        return str(error)
    except Unplannable:
        return "time depends on amrap sets"
    return f"{max(1, round(seconds / 60))} min"


def exercise_count(routine: Routine) -> int:
    return sum(len(block.exercises) for block in routine.blocks)


def routine_line(routine: Routine, time: str) -> str:
    """'Leg day · 3 exercises · 31 min' (the list's line for a routine)."""
    return printable(f"{one_line(routine.title)} · {plural(exercise_count(routine), 'exercise')} · {time}")


def routine_details(routine: Routine, blocks: tuple[Block, ...], time: str) -> Text:
    """The routine's exercises in order, as `blocks` (the routine's, with the load typed on the
    start screen) will run them: warm-ups, sets × reps, load, tempo, rest, supersets marked."""
    text = Text()
    text.append(printable(one_line(routine.title)), style="bold")
    text.append(f"\n{plural(exercise_count(routine), 'exercise')} · {time}")
    for number, block in enumerate(blocks, start=1):
        text.append(f"\n{number}. ", style="bold")
        if block.superset:
            rest = f", rest {format_seconds(block.rest_ms)} s after each round" if block.rest_ms is not None else ""
            text.append(f"superset, sets alternate{rest}:", style="bold")
            for exercise in block.exercises:
                text.append("\n   + ")
                _exercise(text, exercise, superset=True)
        else:
            _exercise(text, block.exercises[0])
        if number < len(blocks):
            text.append(f"\n   then {format_seconds(rest_before_next(block))} s before the next exercise")
    return text


def _exercise(text: Text, exercise: Exercise, superset: bool = False) -> None:
    """'Leg press, normal · 2-1-2-1 · 3×12 · rest 120 s · 100 kg', then its warm-ups (in a
    superset without the rest: the round's rest is the superset's)."""
    preset = exercise.preset
    load = exercise.load or preset.load
    numbers = f"{preset.tempo} · {preset.sets}×{preset.reps_text}" if superset else summary_line(preset)
    text.append(printable(preset_title(preset)), style="bold")
    text.append(f" · {numbers}{f' · {load}' if load else ''}")
    if exercise.warmup:
        sets = ", ".join(f"{w.reps}{f' @ {w.load}' if w.load else ''}" for w in exercise.warmup)
        text.append(f"\n   warm-up: {sets}")


def past_text(past: Past, name_it: bool, offered: Load | None) -> Text:
    """'last: 100 kg × 12, 12, 10 · …' and 'today: add 2.5 kg (102.5 kg): …', the exercise named
    for a routine; nothing with no session yet."""
    if past.last_line is None:
        return Text()
    text = Text(f"{printable(one_line(past.exercise))} · " if name_it else "", style="bold")
    text.append(printable(past.last_line))
    if past.suggestion is not None:
        reason = printable(past.suggestion.reason).rstrip(".")
        text.append("\ntoday: ", style="bold")
        text.append(f"{reason[:1].lower()}{reason[1:]}")
        if offered is not None:
            text.append(" — offered in the Load field", style="italic")
    return text
