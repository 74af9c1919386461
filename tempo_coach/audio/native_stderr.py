"""Keeping what C libraries write to file descriptor 2 off the TUI's screen."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """For the life of the TUI: Python's stderr (where Textual draws) goes on to the terminal through
    a duplicate of file descriptor 2, while fd 2 itself points at /dev/null, so what C libraries
    write there directly (PortAudio's "Expression ... failed" when a device goes away, JACK's probes)
    never lands on the screen."""
    sys.stderr.flush()
    saved_fd = os.dup(2)
    terminal = os.fdopen(os.dup(2), "w", buffering=1, encoding=sys.stderr.encoding, errors="backslashreplace")
    saved = sys.stderr, sys.__stderr__
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        sys.stderr = terminal
        setattr(sys, "__stderr__", terminal)  # Textual draws on sys.__stderr__
        yield
    finally:
        terminal.flush()
        sys.stderr = saved[0]
        setattr(sys, "__stderr__", saved[1])
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        terminal.close()


@contextlib.contextmanager
def stderr_to_devnull() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the duration (C libraries write there directly)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
