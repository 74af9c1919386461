"""The open stream's probe, run in a child process (`python -m tempo_coach.audio.stream_probe`):
load PortAudio, open a stream on the default device, play a tenth of a second of silence, close it.
A crash or a hang here is the child's: the coach then plays with the next backend."""

from __future__ import annotations

import time

from tempo_coach.audio.backend import AudioError
from tempo_coach.audio.child import ERROR, READY, die_with_parent, say
from tempo_coach.audio.stream import load_library, reason

PROBE_S = 0.1


def main() -> None:
    die_with_parent()
    try:
        sounddevice = load_library()
        with sounddevice.RawOutputStream(samplerate=44_100, channels=1, dtype="int16"):
            time.sleep(PROBE_S)
    except AudioError as error:  # no device, or no PortAudio
        say(ERROR + str(error).encode())
        return
    except Exception as error:  # PortAudio's own
        say(ERROR + reason(error).encode())
        return
    say(READY)


if __name__ == "__main__":
    main()
