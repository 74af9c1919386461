"""The start screen: pick a preset, read its cues and notes, adjust sets, reps and rest, press enter."""

from __future__ import annotations

import argparse
import dataclasses

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.validation import Function, Integer
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tempo_coach.core.model import MAX_REPS, MAX_REST_S, MAX_SETS, Preset
from tempo_coach.core.tempo import format_seconds, seconds_to_ms
from tempo_coach.presets import catalog
from tempo_coach.presets.loader import PresetError
from tempo_coach.tui.widgets.display import summary_line


def _is_reps(text: str) -> bool:
    return text.strip().lower() == "amrap" or (text.strip().isdigit() and 1 <= int(text) <= MAX_REPS)


def _is_seconds(text: str) -> bool:
    try:
        return 0 <= float(text) <= MAX_REST_S
    except ValueError:
        return False


def preset_details(preset: Preset) -> Text:
    """The chosen preset's cues and notes, as the lifter reads them before starting."""
    text = Text()
    text.append(preset.name or preset.id, style="bold")
    text.append(f"\n{summary_line(preset)}")
    if preset.fallback:
        after = f", automatic from rep {preset.fallback.after_rep + 1}" if preset.fallback.after_rep else ""
        text.append(f" · fallback {preset.fallback.describe(preset.tempo)}{after}")
    for key in ("general", "get_ready", "negative", "bottom_hold", "positive", "top_hold", "rest"):
        for cue in preset.cues.get(key, ()):
            label = "" if key == "general" else f"{key.replace('_', ' ')}: "
            text.append(f"\n• {label}", style="bold")
            text.append(cue)
    if preset.notes:
        text.append("\n\nNotes", style="bold underline")
        for note in preset.notes:
            text.append(f"\n• {' '.join(note.split())}")
    return text


class StartScreen(Screen[None]):
    """Preset picker with details and overrides; enter starts the highlighted preset."""

    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        Binding("h", "history", "History"),
        Binding("c", "app.calibrate", "Click test"),
        Binding("question_mark,f1", "app.help", "Help", key_display="?"),
        Binding("q", "app.quit_workout", "Quit"),
    ]

    class StartRequested(Message):
        """The lifter pressed start; the app begins the workout with this preset."""

        def __init__(self, preset: Preset) -> None:
            super().__init__()
            self.preset = preset

    chosen: var[Preset | None] = var(None, init=False)

    def __init__(self, preset: Preset, args: argparse.Namespace) -> None:
        super().__init__()
        self.first = preset
        self.args = args
        self.entries = catalog.entries()
        self.loaded: dict[str, Preset | PresetError] = {preset.id: preset}

    def compose(self) -> ComposeResult:
        yield Label("tempo-coach · pick a preset, check the cues, press enter to start", id="start-title")
        yield OptionList(*self._options(), id="presets")
        with VerticalScroll(id="about"):
            yield Static("", id="details")
        with Horizontal(id="overrides"):
            yield Label("Sets", classes="override-label")
            yield Input(id="sets", validators=[Integer(1, MAX_SETS)], compact=True, max_length=2)
            yield Label("Reps", classes="override-label")
            yield Input(id="reps", validators=[Function(_is_reps, f"1-{MAX_REPS} or amrap")], compact=True, max_length=5)
            yield Label("Rest s", classes="override-label")
            yield Input(id="rest", validators=[Function(_is_seconds, f"0-{MAX_REST_S:g} s")], compact=True, max_length=6)
        yield Footer(show_command_palette=False)

    def _load(self, entry: catalog.Entry) -> Preset | PresetError:
        """A preset by entry, with the command line's overrides applied; cached."""
        if entry.id not in self.loaded:
            from tempo_coach.cli.commands import load_with_overrides

            args = argparse.Namespace(**vars(self.args))
            args.preset = str(entry.path)
            try:
                preset = load_with_overrides(args)
                self.loaded[entry.id] = dataclasses.replace(preset, id=entry.id)
            except PresetError as error:
                self.loaded[entry.id] = error
        return self.loaded[entry.id]

    def _options(self) -> list[Option]:
        options = []
        for entry in self.entries:
            preset = self._load(entry)
            label = Text(f"{entry.id:<20} ", style="bold")
            if isinstance(preset, PresetError):
                label.append("invalid: see details", style="italic")
            else:
                label.append(summary_line(preset))
            if entry.source == "user":
                label.append("  (yours)", style="italic")
            options.append(Option(label, id=entry.id))
        return options

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = False
        presets = self.query_one(OptionList)
        ids = [entry.id for entry in self.entries]
        presets.highlighted = ids.index(self.first.id) if self.first.id in ids else 0
        presets.focus()

    def action_history(self) -> None:
        """Past workouts and trends (the history screen loads them on a thread of its own)."""
        from tempo_coach.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries[event.option_index]
        preset = self._load(entry)
        details = self.query_one("#details", Static)
        if isinstance(preset, PresetError):
            self.chosen = None
            details.update(Text(f"This preset cannot be used:\n{preset}", style="bold"))
            return
        self.chosen = preset
        details.update(preset_details(preset))

    def watch_chosen(self, preset: Preset | None) -> None:
        if preset is None:
            return
        self.query_one("#sets", Input).value = str(preset.sets)
        self.query_one("#reps", Input).value = preset.reps_text
        self.query_one("#rest", Input).value = format_seconds(preset.rest_ms)

    @on(OptionList.OptionSelected)
    @on(Input.Submitted)
    def action_start(self) -> None:
        """Start the chosen preset with the overrides typed below it."""
        preset = self.with_overrides()
        if preset is not None:
            self.post_message(self.StartRequested(preset))

    def with_overrides(self) -> Preset | None:
        """The chosen preset with sets, reps and rest from the inputs; None (and a notice) if invalid."""
        if self.chosen is None:
            self.notify("Pick a valid preset first.", severity="error")
            return None
        inputs = {name: self.query_one(f"#{name}", Input) for name in ("sets", "reps", "rest")}
        bad = [name for name, widget in inputs.items() if not widget.validate(widget.value).is_valid]
        if bad:
            self.notify(f"Check {', '.join(bad)}: sets 1-{MAX_SETS}, reps 1-{MAX_REPS} or amrap, rest 0-{MAX_REST_S:g} s.", severity="error")
            return None
        reps = inputs["reps"].value.strip().lower()
        return dataclasses.replace(
            self.chosen,
            sets=int(inputs["sets"].value),
            reps=None if reps == "amrap" else int(reps),
            rest_ms=seconds_to_ms(float(inputs["rest"].value)),
        )
