"""The start screen: pick a preset, read its cues and notes, adjust sets, reps and rest, press enter."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.validation import ValidationResult, Validator
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tempo_coach.core.model import Preset
from tempo_coach.core.overrides import (
    FieldError,
    Overrides,
    parse_reps,
    parse_rest,
    parse_sets,
)
from tempo_coach.core.tempo import format_seconds
from tempo_coach.core.text import printable
from tempo_coach.presets import catalog
from tempo_coach.presets.loader import PresetError, load_preset
from tempo_coach.runtime.options import RunOptions
from tempo_coach.tui.widgets.display import one_line, preset_title, summary_line


class FieldValidator(Validator):
    """A start-screen input checked by the same parse function as its command-line flag."""

    def __init__(self, parse: Callable[[str], object]) -> None:
        super().__init__()
        self.parse = parse

    def validate(self, value: str) -> ValidationResult:
        try:
            self.parse(value)
        except FieldError as error:
            return self.failure(str(error))
        return self.success()


def preset_details(preset: Preset) -> Text:
    """The chosen preset's cues and notes, as the lifter reads them before starting (all plain text:
    brackets in a cue are brackets)."""
    text = Text()
    text.append(printable(preset_title(preset)), style="bold")
    text.append(f"\n{summary_line(preset)}")
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

    def __init__(self, preset: Preset, options: RunOptions) -> None:
        super().__init__()
        self.first = preset
        self.options = options
        self.entries = catalog.entries()
        self.loaded: dict[str, Preset | PresetError | FieldError] = {preset.id: preset}

    def compose(self) -> ComposeResult:
        yield Label("tempo-coach · pick a preset, check the cues, press enter to start", id="start-title")
        yield OptionList(*self._options(), id="presets")
        with VerticalScroll(id="about"):
            yield Static("", id="details")
        with Horizontal(id="overrides"):
            yield Label("Sets", classes="override-label")
            yield Input(id="sets", validators=[FieldValidator(parse_sets)], compact=True, max_length=2)
            yield Label("Reps", classes="override-label")
            yield Input(id="reps", validators=[FieldValidator(parse_reps)], compact=True, max_length=5)
            yield Label("Rest s", classes="override-label")
            yield Input(id="rest", validators=[FieldValidator(parse_rest)], compact=True, max_length=6)
        yield Footer(show_command_palette=False)

    def _load(self, entry: catalog.Entry) -> Preset | PresetError | FieldError:
        """A preset by entry, with the command line's overrides applied; cached."""
        if entry.id not in self.loaded:
            try:
                preset = self.options.overrides.apply(load_preset(entry.path))
                self.loaded[entry.id] = dataclasses.replace(preset, id=entry.id)
            except (PresetError, FieldError) as error:
                self.loaded[entry.id] = error
        return self.loaded[entry.id]

    def _options(self) -> list[Option]:
        options = []
        for entry in self.entries:
            preset = self._load(entry)
            label = Text(f"{printable(entry.id):<20} ", style="bold")
            if isinstance(preset, (PresetError, FieldError)):
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

        self.app.push_screen(HistoryScreen(self.options.history))

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries[event.option_index]
        preset = self._load(entry)
        details = self.query_one("#details", Static)
        if isinstance(preset, (PresetError, FieldError)):
            self.chosen = None
            details.update(Text(f"This preset cannot be used:\n{printable(str(preset))}", style="bold"))
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
        inputs = {name: self.query_one(f"#{name}", Input).value for name in ("sets", "reps", "rest")}
        try:
            typed = Overrides(sets=parse_sets(inputs["sets"]), reps=parse_reps(inputs["reps"]), rest_ms=parse_rest(inputs["rest"]))
            return typed.apply(self.chosen)
        except FieldError as error:
            self.notify(str(error), severity="error", markup=False)
            return None
