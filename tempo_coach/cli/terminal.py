"""The terminal the full-screen coach runs in: refuse what cannot work, and keep the screen on it."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator


class NoTerminal(Exception):
    """The coach cannot run here: its keys or its screen would not reach a person."""


def check_terminal() -> None:
    """Refuse (NoTerminal) to start the TUI where it cannot work: with a keyboard that is not a
    terminal the coach would never see a key and never end; with no terminal to draw on, nobody
    would see it. Called before anything is opened or created."""
    if not sys.stdin.isatty():
        raise NoTerminal("the coach needs a terminal to read keys from; stdin is not one (run it without < or |)")
    if not (sys.stderr.isatty() or sys.stdout.isatty()):
        raise NoTerminal("the coach needs a terminal to draw on; neither stdout nor stderr is one")


def run_in_terminal(run: Callable[[], int]) -> int:
    """Run the TUI (after `check_terminal`). Textual draws on stderr: with `2>file` the screen
    goes to the terminal on stdout instead, and the file keeps only what is written after the app ends."""
    if sys.stderr.isatty():
        return run()
    with _stderr_on_stdout():
        return run()


@contextlib.contextmanager
def _stderr_on_stdout() -> Iterator[None]:
    """Point file descriptor 2 at the terminal on stdout for the duration, then put it back."""
    saved = os.dup(2)
    try:
        sys.stderr.flush()
        os.dup2(1, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
