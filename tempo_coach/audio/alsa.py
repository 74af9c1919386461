"""ALSA error silencing, and a quick look at whether ALSA's default playback device opens.

ALSA writes its errors ("ALSA lib confmisc.c:855:(parse_card) cannot find card '0'") straight to the
process's stderr, which under a TUI lands on top of the screen. `silence_alsa_errors()` installs a
no-op ALSA error handler through ctypes (kept for the life of the process). The sound libraries'
child processes drop their stderr instead (`child.start_child`).
"""

from __future__ import annotations

import collections
import ctypes
import ctypes.util
import sys
from typing import Any

_HANDLER: Any = None
ALSA_MESSAGES: collections.deque[str] = collections.deque(maxlen=20)
"""The last ALSA errors swallowed (their format strings, unexpanded): for diagnostics."""


def _on_alsa_error(file: bytes | None, line: int, function: bytes | None, err: int, fmt: bytes | None) -> None:
    try:
        ALSA_MESSAGES.append(f"{(function or b'?').decode(errors='replace')}: {(fmt or b'').decode(errors='replace')}")
    except Exception:
        pass


def _libasound() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    for name in ("libasound.so.2", ctypes.util.find_library("asound")):
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
    return None


def silence_alsa_errors() -> bool:
    """Route ALSA's error messages to ALSA_MESSAGES instead of stderr; True when installed."""
    global _HANDLER
    if _HANDLER is not None:
        return True
    lib = _libasound()
    if lib is None:
        return False
    # snd_lib_error_handler_t: void (*)(const char *file, int line, const char *function, int err, const char *fmt, ...)
    handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
    handler = handler_type(_on_alsa_error)
    lib.snd_lib_error_set_handler(handler)
    _HANDLER = handler  # kept alive for the life of the process: ALSA may call it at any time
    return True


SND_PCM_STREAM_PLAYBACK = 0
SND_PCM_NONBLOCK = 1


def alsa_default_output_problem() -> str | None:
    """Why ALSA's default playback device does not open, or None when it opens (or where ALSA is
    not how this system plays sound). A quick look before loading a sound library that would probe
    every device; the plugins it loads are let go again (`release_alsa_plugins`)."""
    lib = _libasound()
    if lib is None:
        return None
    silence_alsa_errors()
    lib.snd_strerror.restype = ctypes.c_char_p
    pcm = ctypes.c_void_p()
    code = lib.snd_pcm_open(ctypes.byref(pcm), b"default", SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK)
    if code == 0:
        lib.snd_pcm_close(pcm)
    release_alsa_plugins()
    return None if code == 0 else (lib.snd_strerror(code) or b"error").decode(errors="replace")


def release_alsa_plugins() -> None:
    """Let go of ALSA's configuration and of the plugins it loaded for devices no longer open.

    Listing devices (PortAudio does, as it loads) opens every PCM the configuration names, and so
    loads every ALSA plugin installed: with libasound2-plugins that is libavcodec and its codecs,
    about 11 MB of resident memory kept for the life of the process, for devices never played on.
    ALSA reads its configuration again when a device is next opened (PortAudio frees it this way
    at its own end)."""
    lib = _libasound()
    if lib is not None:
        lib.snd_config_update_free_global()
