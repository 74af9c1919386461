"""A call into a sound library that may never return (a frozen sound server), given up on in time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from tempo_coach.audio.backend import NotAnswering

T = TypeVar("T")


def call_with_deadline(function: Callable[[], T], seconds: float, what: str, late: Callable[[T], object] = lambda _: None) -> T:
    """`function()` run on a daemon thread: its result or its exception, or NotAnswering after
    `seconds`. A C call cannot be interrupted, so the thread is left to finish (or hang) on its own;
    a result that comes too late is handed to `late` (to close a device nobody will use)."""
    outcome: list[T] = []
    failure: list[BaseException] = []
    done = threading.Event()
    lock = threading.Lock()
    given_up = False

    def run() -> None:
        try:
            value = function()
        except BaseException as error:  # handed to the caller, who raises it
            failure.append(error)
            done.set()
            return
        with lock:
            too_late = given_up
            outcome.append(value)
            done.set()
        if too_late:
            late(value)

    threading.Thread(target=run, name=f"tempo-coach-{what}", daemon=True).start()
    if not done.wait(seconds):
        with lock:
            if not done.is_set():
                given_up = True
                raise NotAnswering(f"{what} did not answer in {seconds:g} s")
    if failure:
        raise failure[0]
    return outcome[0]
