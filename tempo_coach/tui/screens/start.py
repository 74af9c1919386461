"""The start screen: pick a preset or a routine, read its cues or exercises and what the history
says of it, adjust sets, reps, rest, tempo and the load, press enter.

Its keys never surprise: the fields are one Tab from the list (the details panel takes no focus),
Esc leaves a field, a field takes only what it can hold (no `q` typed into Sets), the details show
the preset as the fields now make it, and an error names its field. Enter is not a priority key:
it reaches the list or the field through the same queue as the keys typed before it, so a fast
burst (down, enter; or 5, enter) starts exactly what the screen shows. The load keys `[` `]` and
`w` are priority keys for the same reason as Tab: they act as they arrive, before a later enter.

The history (the last session, today's suggestion, the last load) is read on a worker thread and
shown when it arrives, only if the same line is still highlighted.
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tempo_coach import paths
from tempo_coach.core.fields import FieldError
from tempo_coach.core.load import Load, Unit, increment_for, parse_load
from tempo_coach.core.model import Preset
from tempo_coach.core.routine import Routine
from tempo_coach.core.tempo import format_seconds
from tempo_coach.core.text import printable
from tempo_coach.history.at_start import Past, first_preset, read_past
from tempo_coach.presets import catalog
from tempo_coach.presets.catalog import UnknownPreset
from tempo_coach.presets.loader import PresetError, load_preset
from tempo_coach.runtime.options import RunOptions
from tempo_coach.runtime.training import Training
from tempo_coach.tui.widgets.choice_details import past_text, preset_details, routine_details, routine_line, routine_time
from tempo_coach.tui.widgets.display import summary_line
from tempo_coach.tui.widgets.ordered_keys import FieldInput, PresetList
from tempo_coach.tui.widgets.start_fields import FIELDS, LOAD_CHARACTERS, FieldValidator, typed_preset


ROUTINE_ID = "routine/"
"""A routine's option id is this plus its name (a file name holds no slash: no clash with a preset)."""

Choice = Preset | Routine


class StartScreen(Screen[None]):
    """Preset and routine picker with details, overrides and the load; enter starts the highlighted one."""

    BINDINGS = [
        # Tab is a priority key here: focus moves as the key arrives, so the digits typed just after
        # it go to the field (Textual routes a key to whatever has focus when the key arrives).
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        Binding("enter", "start", "Start", tooltip="Start the highlighted preset or routine with the numbers below"),
        Binding("escape", "leave_field", "Back to the list", key_display="esc", tooltip="Leave the field"),
        Binding("right_square_bracket", "load(1)", "Load", key_display="[ ]", priority=True, tooltip="The load one increment heavier ([: lighter)"),
        Binding("left_square_bracket", "load(-1)", "Load lighter", show=False, priority=True, tooltip="The load one increment lighter"),
        Binding("w", "type_load", "Type the load", show=False, priority=True, tooltip="Type the load: 100, 225 lb, bw+10"),
        Binding("h", "history", "History", tooltip="Past workouts and trends"),
        Binding("c", "app.calibrate", "Click test", tooltip="A click, then the title flashes: to set the audio offset"),
        Binding("shift+down", "scroll_details(1)", "Scroll details", show=False, tooltip="Scroll the details down"),
        Binding("shift+up", "scroll_details(-1)", "Scroll details up", show=False, tooltip="Scroll the details up"),
        Binding("question_mark,f1", "app.help", "Help", key_display="?", tooltip="Keys, tempo and leg-press technique"),
        Binding("q", "quit", "Quit", tooltip="End tempo-coach"),
    ]

    class StartRequested(Message):
        """The lifter pressed start; the app begins this training (a preset's sets or a routine)."""

        def __init__(self, training: Training) -> None:
            super().__init__()
            self.training = training

    class PastRead(Message):
        """The history of the choice with option id `option_id`, read on a worker."""

        def __init__(self, option_id: str, past: Past) -> None:
            super().__init__()
            self.option_id = option_id
            self.past = past

    chosen: var[Choice | None] = var(None, init=False)

    def __init__(self, preset: Preset, options: RunOptions) -> None:
        super().__init__()
        self.first = preset
        self.options = options
        self.entries = catalog.entries()
        self.routine_entries = catalog.routines()
        self.by_id = {entry.id: entry for entry in self.entries} | {ROUTINE_ID + e.id: e for e in self.routine_entries}
        """Each option's file by option id."""
        self.loaded: dict[str, Choice | PresetError | FieldError] = {preset.id: preset}
        self.times: dict[str, str] = {}
        """Each routine's total time ('31 min'), worked out once."""
        self.pasts: dict[str, Past] = {}
        """What the history says of each option, once read."""
        self.chosen_id = ""

    def compose(self) -> ComposeResult:
        yield Label("tempo-coach · pick a preset or a routine, check it, press enter to start", id="start-title")
        yield PresetList(*self._options(), id="presets")
        with VerticalScroll(id="about", can_focus=False):
            yield Static("", id="details")
        yield Static("", id="past")
        with Horizontal(id="overrides"):
            for name, label, parse, allowed, length in FIELDS:
                yield Label(label, classes="override-label preset-field")
                yield FieldInput(id=name, classes="preset-field", validators=[FieldValidator(parse)], restrict=allowed, compact=True, max_length=length)
            yield Label("Load", classes="override-label")
            yield FieldInput(id="load", validators=[FieldValidator(self._parse_load)], restrict=LOAD_CHARACTERS, compact=True, max_length=24, placeholder="none")
        yield Static("", id="field-error")
        yield Footer(show_command_palette=False)

    def _choice(self, option_id: str) -> Choice | PresetError | FieldError:
        """The preset (with the command line's overrides applied) or routine by option id; cached."""
        if option_id not in self.loaded:
            try:
                self.loaded[option_id] = self._read_choice(option_id)
            except (PresetError, FieldError) as error:
                self.loaded[option_id] = error
            except UnknownPreset as error:
                self.loaded[option_id] = FieldError("routine", str(error))
        return self.loaded[option_id]

    def _read_choice(self, option_id: str) -> Choice:
        path = self.by_id[option_id].path
        if option_id.startswith(ROUTINE_ID):
            routine = catalog.find_routine(str(path), self.options.unit)
            self.times[option_id] = routine_time(routine)
            return routine
        preset = self.options.overrides.apply(load_preset(path))
        return dataclasses.replace(preset, id=option_id)

    def _options(self) -> list[Option]:
        """The presets, then under their own heading the routines, each with its line."""
        options = [self._option(entry.id, entry) for entry in self.entries]
        if self.routine_entries:
            options.append(Option(Text("Routines", style="bold underline"), id="routines-heading", disabled=True))
            options += [self._option(ROUTINE_ID + entry.id, entry) for entry in self.routine_entries]
        return options

    def _option(self, option_id: str, entry: catalog.Entry) -> Option:
        choice = self._choice(option_id)
        label = Text(f"{printable(entry.id):<20} ", style="bold")
        if isinstance(choice, (PresetError, FieldError)):
            label.append("invalid: see details", style="italic")
        elif isinstance(choice, Routine):
            label.append(routine_line(choice, self.times[option_id]))
        else:
            label.append(summary_line(choice))
        if entry.source == "user":
            label.append("  (yours)", style="italic")
        return Option(label, id=option_id)

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
        self.chosen_id = option_id = event.option.id or ""
        choice = self._choice(option_id)
        if isinstance(choice, (PresetError, FieldError)):
            self.chosen = None
            self.query_one("#details", Static).update(Text(f"This {'routine' if option_id.startswith(ROUTINE_ID) else 'preset'} cannot be used:\n{printable(str(choice))}", style="bold"))
            self._show_past()
            return
        self.chosen = choice
        self._show_typed()

    def watch_chosen(self, choice: Choice | None) -> None:
        """The choice's own numbers in the fields (a routine sets them per exercise: hidden), its
        load, and what the history says of it (read now if not yet)."""
        self.set_class(isinstance(choice, Routine), "routine-chosen")
        if choice is None:
            return
        if isinstance(choice, Preset):
            values = {"sets": str(choice.sets), "reps": choice.reps_text, "rest": format_seconds(choice.rest_ms), "tempo": str(choice.tempo)}
            for name, value in values.items():
                self.query_one(f"#{name}", Input).value = value
        own = self._own_load(choice)
        self.load_field.value = str(own or "")
        if self.chosen_id in self.pasts:
            self._show_past()
        else:
            self.query_one("#past", Static).display = False
            self._read_past(self.chosen_id, choice)

    def _own_load(self, choice: Choice) -> Load | None:
        """--load, else the routine's or the preset's own load for its first exercise."""
        if isinstance(choice, Routine):
            exercise = choice.blocks[0].exercises[0]
            return self.options.load or exercise.load or exercise.preset.load
        return self.options.load or choice.load

    @work(thread=True, exclusive=True, group="start-history", exit_on_error=False)
    def _read_past(self, option_id: str, choice: Choice) -> None:
        self.post_message(self.PastRead(option_id, read_past(self.options.history or paths.history_path(), choice)))

    def on_start_screen_past_read(self, message: StartScreen.PastRead) -> None:
        self.pasts[message.option_id] = message.past
        if message.option_id == self.chosen_id:  # else the lifter has moved on: not a stale line
            self._show_past()

    def _show_past(self) -> None:
        """The last session and today's suggestion for the highlighted choice; the load offered
        when none is given (and the lifter is not typing one)."""
        past = self.pasts.get(self.chosen_id) if self.chosen is not None else None
        offered = None
        if past is not None and not self.load_field.value.strip() and not self.load_field.has_focus:
            offered = past.offered_load
            if offered is not None:
                self.load_field.value = str(offered)
        line = self.query_one("#past", Static)
        line.update(past_text(past, isinstance(self.chosen, Routine), offered) if past else "")
        line.display = past is not None and past.last_line is not None

    @property
    def load_field(self) -> Input:
        return self.query_one("#load", Input)

    def _unit(self) -> Unit:
        """What a load typed without a unit is in: the (first) exercise's unit, else --unit or config.yaml's."""
        choice = self.chosen
        if isinstance(choice, Routine):
            return choice.blocks[0].exercises[0].unit or self.options.unit
        return (choice.unit if choice else None) or self.options.unit

    def _parse_load(self, text: str) -> Load | None:
        return parse_load(text, self._unit()) if text.strip() else None

    @on(Input.Changed)
    def _show_typed(self) -> None:
        """The details show the choice as the fields make it now; an error line names a bad field."""
        typed = self.typed()
        error = self.query_one("#field-error", Static)
        if isinstance(typed, FieldError):
            error.update(Text(printable(str(typed))))
        elif typed is not None:
            error.update("")
            self.query_one("#details", Static).update(self._details(typed))
        error.display = isinstance(typed, FieldError)

    def _details(self, training: Training) -> Text:
        if isinstance(self.chosen, Routine):
            return routine_details(self.chosen, training.blocks, self.times[self.chosen_id])
        exercise = training.block.exercises[0]
        return preset_details(exercise.preset, exercise.load)

    def typed(self) -> Training | FieldError | None:
        """The chosen preset or routine with the fields as they read at this moment (None: no valid
        choice). A routine's first exercise takes the load; the others, their last load used."""
        choice = self.chosen
        if choice is None:
            return None
        try:
            if isinstance(choice, Routine):
                load = self._parse_load(self.load_field.value)
                return Training.of_routine(choice, load, self._other_loads())
            preset = self._typed_preset(choice)
            return Training.of_preset(preset, self._parse_load(self.load_field.value))
        except FieldError as error:
            return error

    def _typed_preset(self, preset: Preset) -> Preset:
        return typed_preset(preset, {name: self.query_one(f"#{name}", Input).value for name, *_ in FIELDS})

    def _other_loads(self) -> dict[str, Load]:
        """The last loads of a routine's exercises but its first (whose load is the field's, even empty)."""
        past = self.pasts.get(self.chosen_id, Past())
        return {name: load for name, load in past.loads.items() if name != past.exercise}

    @on(OptionList.OptionSelected)
    @on(Input.Submitted)  # reached now that enter is not a priority key: the field sees it first
    def action_start(self) -> None:
        """Start the chosen preset or routine with the fields as they read now."""
        typed = self.typed()
        if isinstance(typed, Training):
            self.post_message(self.StartRequested(typed))
        else:
            self.notify(str(typed) if typed is not None else "Pick a valid preset or routine first.", severity="error", markup=False)

    def action_load(self, step: int) -> None:
        """The load one increment heavier (1) or lighter (-1): the preset's, or the routine's first exercise's."""
        try:
            current = self._parse_load(self.load_field.value)
        except FieldError as error:
            self.notify(str(error), severity="error", timeout=3, markup=False)
            return
        base = current or Load(0.0, self._unit())
        increment = increment_for(base.unit, first_preset(self.chosen).increment if self.chosen else None)
        self.load_field.value = str(base.stepped(step, increment))

    def action_type_load(self) -> None:
        """Into the load field, its text selected: what is typed replaces it. Focus moves now (not
        after the keys already queued, as `focus()` would), so they are typed into the field."""
        self.set_focus(self.load_field)
        self.load_field.select_all()

    def action_leave_field(self) -> None:
        self.query_one(OptionList).focus()

    def action_scroll_details(self, step: int) -> None:
        about = self.query_one("#about", VerticalScroll)
        about.scroll_relative(y=step * max(1, about.size.height - 1))

    def action_quit(self) -> None:
        self.app.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a field, Esc leads back to the list and q is not offered (nor typed: see FIELDS); w
        (type the load) only from the list, as a field takes the letter; the load keys need a choice."""
        in_field = isinstance(self.focused, Input)
        if action == "leave_field":
            return in_field
        if action in ("quit", "type_load"):
            return not in_field and (action == "quit" or self.chosen is not None)
        if action == "load":
            return self.chosen is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()
