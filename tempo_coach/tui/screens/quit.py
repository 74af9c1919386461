"""Asks before a running workout is thrown away: a slip of the hand should not end a set."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label


class QuitScreen(ModalScreen[bool]):
    """'End the workout?' y quits, anything listed under No keeps going."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes, quit", key_display="y"),
        Binding("n,escape,space", "answer(False)", "No, keep going", key_display="n"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box"):
            yield Label("End the workout now? The sets so far are saved.", id="quit-question")
            yield Label("y: yes, quit     n / esc: no, keep going", id="quit-keys")
        yield Footer(show_command_palette=False)

    def action_answer(self, quit: bool) -> None:
        self.dismiss(quit)
