"""`CueLog`: one JSON line per sound (`--cue-log FILE`), written from the cue thread.

A log that cannot be written (a full disk, a closed file) is dropped with one notice: the sounds
and the workout go on without it.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

from tempo_coach.core.cues import Cue


def reason(error: BaseException) -> str:
    """An error as a lifter reads it: 'No space left on device', not '[Errno 28] ...'."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


class CueLog:
    """Where each dispatched cue is written down; a path it opens (and closes), or an open file."""

    def __init__(self, target: Path | IO[str] | None, notice: Callable[[str], None]) -> None:
        self._notice = notice
        self._lock = threading.Lock()
        self._owned = isinstance(target, Path)
        self._file: IO[str] | None = target.open("a", encoding="utf-8", buffering=1) if isinstance(target, Path) else target

    def write(self, cue: Cue, dispatched: float, backend: str, offset_s: float) -> None:
        """One line: `phase`, `set`, `rep`, `cue`, `deadline`, `dispatched`, `backend`, `offset_ms`
        (and `skipped` with the reason, for a voice clip that did not fit)."""
        with self._lock:
            if self._file is None:
                return
            record: dict[str, object] = {
                "phase": cue.phase,
                "set": cue.set,
                "rep": cue.rep,
                "cue": cue.name,
                "deadline": cue.at,
                "dispatched": dispatched,
                "backend": backend,
                "offset_ms": round(offset_s * 1000, 3),
            }
            if cue.skipped:
                record["skipped"] = cue.skipped
            try:
                self._file.write(json.dumps(record) + "\n")
                self._file.flush()
            except (OSError, ValueError) as error:  # a full disk, a closed file: sound goes on
                self._drop()
                self._notice(f"The cue log could not be written ({reason(error)}); going on without it.")

    def close(self) -> None:
        """Write no more; close the file if this log opened it. Safe twice."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        file, self._file = self._file, None
        if file is not None and self._owned:
            with contextlib.suppress(OSError, ValueError):
                file.close()
