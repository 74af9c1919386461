"""A one-line question with a typed answer (the next set's load, a note): Enter keeps it, Esc drops it."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tempo_coach.core.fields import FieldError
from tempo_coach.tui.widgets.plain import plain


class AskScreen(ModalScreen[str | None]):
    """Dismissed with the typed text once `check` accepts it (its FieldError is shown in place),
    or None on Esc. Nothing running waits for it: the rest counts down behind it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", check: Callable[[str], object] | None = None, max_length: int = 200) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.check = check
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(id="ask-box"):
            yield Label(plain(self.question), id="ask-question")
            yield Input(self.value, max_length=self.max_length, id="ask-input")
            yield Label("enter: keep     esc: cancel", id="ask-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.check is not None:
            try:
                self.check(event.value)
            except FieldError as error:
                self.query_one("#ask-error", Label).update(plain(str(error)))
                return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
