"""Sound libraries run in child processes where they could take the coach down: a native crash
there (simpleaudio 1.0.4 on Python 3.12) or a call that never returns while holding the GIL (a
frozen sound server) costs the sound, never the workout, the screen or the exit.

The parent's side starts the child, waits (with a deadline) for its first line, `ready` once it
has played and ended a short silence, and reads why it failed otherwise: its `error ...` line, the
signal that killed it, or its silence. The child's side (`serve_ready`, `die_with_parent`) is
imported by the children, so this module imports nothing heavy.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import os
import select
import signal
import subprocess
import sys
import time
from typing import IO

from tempo_coach.audio.backend import AudioError, NotAnswering

READY_S = 3.0
"""How long a child may take to start, open the device and play its silence (Python starts in
about 30 ms, a sound library loads in 50-300 ms): past this, the sound server is not answering."""
READY = b"ready"
ERROR = b"error "
_PR_SET_PDEATHSIG = 1


class Crashed(AudioError):
    """The child died (a native crash) before it was ready."""


_SPAWNER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="tempo-coach-spawner")
"""Every child is started from this one long-lived thread: Linux sends the parent-death signal
(`die_with_parent`) when the *thread* that started a child ends, and the threads that open sound
end as soon as the sound is open."""


def start_child(module: str) -> subprocess.Popen[bytes]:
    """`python -m module` with pipes to talk to it; what its libraries write to stderr is dropped."""
    return _SPAWNER.submit(
        subprocess.Popen,
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        close_fds=True,
    ).result()


def await_ready(child: subprocess.Popen[bytes], library: str) -> None:
    """Return once `child` says it is ready (within READY_S); AudioError names what failed
    (NotAnswering: the device or server never answered, and the child is killed)."""
    assert child.stdout is not None
    seconds = READY_S
    line = _first_line(child.stdout, seconds)
    if line is not None and line.startswith(READY):
        return
    child.kill()
    returncode = child.wait()
    for pipe in (child.stdin, child.stdout):
        if pipe is not None:
            pipe.close()
    if line is None:
        raise NotAnswering(f"{library} did not answer in {seconds:g} s")
    if line.startswith(ERROR):
        raise AudioError(line.removeprefix(ERROR).decode(errors="replace").strip())
    raise Crashed(f"{library} {ended(returncode)}")


def _first_line(stream: IO[bytes], seconds: float) -> bytes | None:
    """The first line `stream` gives within `seconds` (b'' at its end), or None when it gives none."""
    deadline = time.monotonic() + seconds
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            return None
        chunk = os.read(stream.fileno(), 1)
        if not chunk:
            return line
        line += chunk
    return line


def ended(returncode: int) -> str:
    """How a child ended, in words: 'crashed (SIGSEGV)', 'stopped with exit status 3'."""
    if returncode < 0:
        try:
            return f"crashed ({signal.Signals(-returncode).name})"
        except ValueError:
            return f"crashed (signal {-returncode})"
    return f"stopped with exit status {returncode}"


# ---- the child's side ---------------------------------------------------------------------------


def die_with_parent() -> None:
    """Linux: this process is killed when its parent dies (even by SIGKILL), so a child stuck in a
    frozen sound server never outlives the coach (strictly: when the parent's thread that started it
    ends, hence `_SPAWNER`). Ctrl+C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        if os.getppid() == 1:  # the parent was gone before the request
            os._exit(1)


def say(line: bytes) -> None:
    """One line to the parent, at once."""
    os.write(1, line + b"\n")
