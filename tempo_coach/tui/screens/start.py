"""The start screen: pick a preset, read its cues and notes, adjust sets, reps, rest and tempo, press
enter.

Its keys never surprise: the fields are one Tab from the list (the details panel takes no focus),
Esc leaves a field, a field takes only what it can hold (no `q` typed into Sets), the details show
the preset as the fields now make it, and an error names its field. Enter is not a priority key:
it reaches the list or the field through the same queue as the keys typed before it, so a fast
burst (down, enter; or 5, enter) starts exactly what the screen shows.
"""

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
from tempo_coach.core.fields import FieldError
from tempo_coach.core.overrides import (
    Overrides,
    parse_reps,
    parse_rest,
    parse_sets,
    parse_tempo_text,
)
from tempo_coach.core.tempo import format_seconds
from tempo_coach.core.text import printable
from tempo_coach.presets import catalog
from tempo_coach.presets.loader import PresetError, load_preset
from tempo_coach.runtime.options import RunOptions
from tempo_coach.tui.widgets.display import one_line, preset_title, summary_line
from tempo_coach.tui.widgets.ordered_keys import FieldInput, PresetList


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


FIELDS: tuple[tuple[str, str, Callable[[str], object], str, int], ...] = (
    ("sets", "Sets", parse_sets, r"[0-9]*", 2),
    ("reps", "Reps", parse_reps, r"[0-9]*|(?i:a(m(r(a(p)?)?)?)?)", 5),
    ("rest", "Rest s", parse_rest, r"[0-9]*\.?[0-9]*", 6),
    ("tempo", "Tempo", parse_tempo_text, r"[^a-wyzA-WYZ]*", 24),
)
"""Each field: id, label, the parse function its command-line flag uses too, the characters it
takes (no letters but amrap's and X: `q` and `h` are never typed into one), and its length."""


class StartScreen(Screen[None]):
    """Preset picker with details and overrides; enter starts the highlighted preset."""

    BINDINGS = [
        # Tab is a priority key here: focus moves as the key arrives, so the digits typed just after
        # it go to the field (Textual routes a key to whatever has focus when the key arrives).
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        Binding("enter", "start", "Start", tooltip="Start the highlighted preset with the sets, reps, rest and tempo below"),
        Binding("escape", "leave_field", "Back to the list", key_display="esc", tooltip="Leave the field"),
        Binding("h", "history", "History", tooltip="Past workouts and trends"),
        Binding("c", "app.calibrate", "Click test", tooltip="A click, then the title flashes: to set the audio offset"),
        Binding("shift+down", "scroll_details(1)", "Scroll details", show=False, tooltip="Scroll the cues and notes down"),
        Binding("shift+up", "scroll_details(-1)", "Scroll details up", show=False, tooltip="Scroll the cues and notes up"),
        Binding("question_mark,f1", "app.help", "Help", key_display="?", tooltip="Keys, tempo and leg-press technique"),
        Binding("q", "quit", "Quit", tooltip="End tempo-coach"),
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
        yield PresetList(*self._options(), id="presets")
        with VerticalScroll(id="about", can_focus=False):
            yield Static("", id="details")
        with Horizontal(id="overrides"):
            for name, label, parse, allowed, length in FIELDS:
                yield Label(label, classes="override-label")
                yield FieldInput(id=name, validators=[FieldValidator(parse)], restrict=allowed, compact=True, max_length=length)
        yield Static("", id="field-error")
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
        if isinstance(preset, (PresetError, FieldError)):
            self.chosen = None
            self.query_one("#details", Static).update(Text(f"This preset cannot be used:\n{printable(str(preset))}", style="bold"))
            return
        self.chosen = preset
        self._show_typed()

    def watch_chosen(self, preset: Preset | None) -> None:
        """The chosen preset's own numbers in the fields."""
        if preset is None:
            return
        values = {"sets": str(preset.sets), "reps": preset.reps_text, "rest": format_seconds(preset.rest_ms), "tempo": str(preset.tempo)}
        for name, value in values.items():
            self.query_one(f"#{name}", Input).value = value

    @on(Input.Changed)
    def _show_typed(self) -> None:
        """The details show the preset as the fields make it now; an error line names a bad field."""
        typed = self.typed()
        error = self.query_one("#field-error", Static)
        if isinstance(typed, FieldError):
            error.update(Text(printable(str(typed))))
        elif typed is not None:
            error.update("")
            self.query_one("#details", Static).update(preset_details(typed))
        error.display = isinstance(typed, FieldError)

    def typed(self) -> Preset | FieldError | None:
        """The chosen preset with the fields as they read at this moment (None: no valid preset)."""
        if self.chosen is None:
            return None
        values = {name: self.query_one(f"#{name}", Input).value for name, *_ in FIELDS}
        try:
            tempo = parse_tempo_text(values["tempo"]) if values["tempo"].strip() != str(self.chosen.tempo) else None
            typed = Overrides(sets=parse_sets(values["sets"]), reps=parse_reps(values["reps"]), rest_ms=parse_rest(values["rest"]), tempo=tempo)
            return typed.apply(self.chosen)
        except FieldError as error:
            return error

    @on(OptionList.OptionSelected)
    @on(Input.Submitted)  # reached now that enter is not a priority key: the field sees it first
    def action_start(self) -> None:
        """Start the chosen preset with the fields as they read now."""
        typed = self.typed()
        if isinstance(typed, Preset):
            self.post_message(self.StartRequested(typed))
        else:
            self.notify(str(typed) if typed is not None else "Pick a valid preset first.", severity="error", markup=False)

    def action_leave_field(self) -> None:
        self.query_one(OptionList).focus()

    def action_scroll_details(self, step: int) -> None:
        about = self.query_one("#about", VerticalScroll)
        about.scroll_relative(y=step * max(1, about.size.height - 1))

    def action_quit(self) -> None:
        self.app.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a field, Esc leads back to the list and q is not offered (nor typed: see FIELDS)."""
        in_field = isinstance(self.focused, Input)
        if action == "leave_field":
            return in_field
        if action == "quit":
            return not in_field
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()
