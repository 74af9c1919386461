"""What the screens print, as pure functions of engine values: easy to test, no Textual."""

from __future__ import annotations

import math

from tempo_coach.core.events import View
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import SetPlan
from tempo_coach.core.tempo import REP_PHASES, Phase, Tempo, format_seconds
from tempo_coach.core.text import plural

EPSILON = 1e-6


def seconds_left(remaining: float) -> int:
    """Whole seconds left, rounded up: a phase of 2 s shows 2, then 1, and never 0 while it runs."""
    return max(0, math.ceil(remaining - EPSILON))


def clock(seconds: float) -> str:
    """75 -> '1:15'; under a minute just the seconds: 9 -> '9'."""
    whole = int(seconds)
    if whole < 60:
        return str(whole)
    minutes, rest = divmod(whole, 60)
    return f"{minutes}:{rest:02d}"


def long_clock(seconds: float) -> str:
    """Always minutes and seconds: 34 -> '0:34' (time under tension)."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def phase_title(phase: Phase | None, paused: bool = False, explosive: bool = False) -> str:
    """The banner text: 'POSITIVE · EXPLOSIVE', 'PAUSED · NEGATIVE'."""
    if phase is None:
        return ""
    name = "WORKOUT DONE" if phase is Phase.DONE else phase.label.upper()
    if explosive:
        name += " · EXPLOSIVE"
    return f"PAUSED · {name}" if paused else name


def banner_word(phase: Phase | None, paused: bool = False, explosive: bool = False) -> str:
    """The one word the band shows big: the instruction ('EXPLOSIVE', 'PAUSED'), else the phase."""
    if phase is None:
        return ""
    if paused:
        return "PAUSED"
    if phase is Phase.DONE:
        return "DONE"
    return "EXPLOSIVE" if explosive else phase.label.upper()


def tempo_parts(tempo: Tempo, phase: Phase | None) -> list[tuple[str, bool]]:
    """Each phase of the tempo with whether it is the one running now."""
    return [(part, p is phase) for part, p in zip(tempo.parts(), REP_PHASES)]


def rep_text(view: View) -> str:
    """'Rep 7/12', 'Rep 7 (amrap)', or before the first rep 'Rep –/12'."""
    rep = "–" if view.rep is None else str(view.rep)
    return f"Rep {rep}/{view.reps_target}" if view.reps_target else f"Rep {rep} (amrap)"


def rep_count(view: View) -> str:
    """The big rep count: the rep under way of the target, '7/12' ('7' for amrap); before the
    set, the target: '12 REPS' ('AMRAP')."""
    if view.rep is None or view.phase not in REP_PHASES:
        return f"{view.reps_target} REPS" if view.reps_target else "AMRAP"
    return f"{view.rep}/{view.reps_target}" if view.reps_target else str(view.rep)


def set_text(view: View) -> str:
    """'Set 2/3', 'Warm-up 1/2'."""
    return view.plan.label


def plan_title(plan: SetPlan) -> str:
    """The title line: the preset's title, and the load on the bar: 'Leg press, normal · 100 kg'."""
    title = preset_title(plan.preset)
    return f"{title} · {plan.load}" if plan.load else title


def fallback_text(preset: Preset, view: View) -> str:
    """'Fallback ON: positive 2 s → 1 s since rep 8', or what `f` would do while it is off."""
    fallback = preset.fallback
    if fallback is None:
        return "No fallback in this preset"
    change = fallback.describe(preset.tempo)
    if view.fallback_on:
        since = "since" if view.fallback_rep else "from"
        return f"Fallback ON: {change} {since} rep {view.fallback_from}"
    auto_from = fallback.auto_from(view.reps_target)  # this set's reps: a warm-up has fewer
    auto = f", automatic from rep {auto_from}" if auto_from else ""
    return f"Fallback off (f: {change}{auto})"


def one_line(text: str) -> str:
    """Prose from a preset on one line: a YAML block's newlines and tabs become single spaces."""
    return " ".join(text.split())


def preset_title(preset: Preset) -> str:
    """The preset's name, else its file name."""
    return one_line(preset.name) or preset.id


def cue_text(preset: Preset, phase: Phase | None) -> str:
    """The form cue for a phase; the get-ready countdown adds the general set-up cues."""
    if phase is None:
        return ""
    texts = list(preset.cues.get(phase.value, ()))
    if phase is Phase.GET_READY:
        texts = list(preset.cues.get("general", ())) + texts
    return one_line(" ".join(texts))


def reps_goal(reps: int | None) -> str:
    return "as many reps as you can" if reps is None else plural(reps, "rep")


def next_up(view: View) -> str:
    """What follows the rest: 'Next: set 2/3 · 100 kg · 12 reps at 2-1-2-1' (the fallback's tempo
    while it stays on), or another exercise's: 'Next: Push-up · set 1/3 · as many reps as you can at 2-0-1-1'."""
    plan = view.next_plan
    if plan is None:
        return "Next: the summary"
    same = plan.preset is view.plan.preset
    exercise = "" if same else f"{plan.exercise} · "
    load = f" · {plan.load}" if plan.load else ""
    tempo = view.tempo if same else plan.preset.tempo
    return f"Next: {exercise}{plan.label[0].lower()}{plan.label[1:]}{load} · {reps_goal(plan.reps)} at {tempo}"


def summary_line(preset: Preset) -> str:
    """'2-1-2-1 · 3×12 · rest 120 s' for the preset picker and headers."""
    return f"{preset.tempo} · {preset.sets}×{preset.reps_text} · rest {format_seconds(preset.rest_ms)} s"
