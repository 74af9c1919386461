"""The open-stream backend on a fake sound card: every cue starts on the sample its time maps to,
bit for bit, over the hiss; re-plans never double a cue; pause fades out; a voice never masks a
beep; a card 100 ppm fast stays on the sample; a stream that stops says so."""

from __future__ import annotations

from array import array

import pytest
from clock import FakeClock
from fake_stream import FakeSoundDevice

from tempo_coach.audio.backend import AudioError
from tempo_coach.audio.sounds import load_sounds
from tempo_coach.audio.mixer import NOISE_PEAK
from tempo_coach.audio.stream import RATE, STALL_S, Scheduled, StreamBackend, open_stream
from tempo_coach.core.model import Preset
from tempo_coach.core.tempo import parse_tempo

PRESET = Preset(id="t", tempo=parse_tempo("2-1-1-1"))


def open_fake(keep_awake: bool = True, **card: float) -> tuple[StreamBackend, FakeSoundDevice, FakeClock]:
    clock = FakeClock()
    device = FakeSoundDevice(clock, **card)  # type: ignore[arg-type]
    backend = open_stream(PRESET, keep_awake, module=device, now=clock)  # type: ignore[arg-type]
    return backend, device, clock


def onset(device: FakeSoundDevice, samples: array[int], after: int = 0) -> int:
    """The frame where `samples` begin in what was played (exact match), or -1."""
    played = device.out.tobytes()
    return played.find(samples.tobytes(), 2 * after) // 2


def test_each_cue_starts_on_the_sample_its_time_maps_to_bit_for_bit() -> None:
    backend, device, clock = open_fake()
    t0 = clock.now + 1.0
    times = [t0, t0 + 0.5, t0 + 1.2345, t0 + 2.0001]
    backend.schedule([Scheduled(i, name, at, 1.0) for i, (name, at) in enumerate(zip(["go", "bottom_hold", "positive", "top_hold"], times))])
    device.run_until(t0 + 3)
    for name, at in zip(["go", "bottom_hold", "positive", "top_hold"], times):
        start = onset(device, backend.samples(name, 1.0))
        assert start >= 0, name
        assert abs(device.heard_at(start) - at) <= 0.5 / RATE, name  # on the nearest sample
    assert backend.failure() is None


def test_between_cues_the_stream_hisses_quietly_and_without_keep_awake_it_is_silent() -> None:
    backend, device, _ = open_fake()
    device.run_until(device.clock() + 0.5)
    assert 0 < max(abs(s) for s in device.out) <= NOISE_PEAK
    quiet, device, _ = open_fake(keep_awake=False)
    device.run_until(device.clock() + 0.5)
    assert not any(device.out)
    assert "no keep-awake hiss" in quiet.notice


def test_a_plan_handed_over_again_never_starts_a_cue_twice() -> None:
    backend, device, clock = open_fake(keep_awake=False)
    go = Scheduled(("go", 1), "go", clock.now + 0.5, 1.0)
    backend.schedule([go])
    device.run_until(go.at + 0.01)  # started
    backend.schedule([go, Scheduled(("tick", 1), "tick", go.at + 1.0, 1.0)])  # the same cue in the next plan
    device.run_until(go.at + 1.5)
    samples = backend.samples("go", 1.0)
    first = onset(device, samples)
    assert first >= 0 and onset(device, samples, after=first + 1) == -1
    assert onset(device, backend.samples("tick", 1.0)) > first


def test_a_cue_dropped_from_the_plan_before_it_starts_never_plays() -> None:
    backend, device, clock = open_fake(keep_awake=False)
    backend.schedule([Scheduled(1, "done", clock.now + 1.0, 1.0)])
    device.run_until(clock.now + 0.5)
    backend.schedule([])
    device.run_until(clock.now + 2.0)
    assert not any(device.out)


def test_pause_fades_out_what_plays_without_a_click() -> None:
    backend, device, clock = open_fake(keep_awake=False)
    backend.schedule([Scheduled(1, "done", clock.now + 0.3, 1.0)])  # 0.72 s long
    device.run_until(clock.now + 0.5)
    backend.hush()
    device.run_until(clock.now + 1.5)
    full = backend.samples("done", 1.0)
    start = onset(device, full[:200])
    played = device.out[start:]
    end = max(i for i, s in enumerate(played) if s) + 1
    assert end < len(full) - RATE // 10  # cut well before its end
    tail = played[end - 200 : end]
    assert max(abs(s) for s in tail[-20:]) < max(abs(s) for s in full) / 10  # faded to near nothing
    assert not any(played[end:])


def test_a_voice_still_speaking_when_a_beep_starts_gives_way_before_it() -> None:
    backend, device, clock = open_fake(keep_awake=False)
    at = clock.now + 0.5
    backend.schedule([Scheduled("v", "voice:77", at, 1.0), Scheduled("b", "countdown", at + 0.2, 1.0)])
    device.run_until(at + 1.5)
    beep = backend.samples("countdown", 1.0)
    start = onset(device, beep)
    assert start >= 0 and abs(device.heard_at(start) - (at + 0.2)) <= 0.5 / RATE  # the beep's own samples, on time
    assert not any(device.out[start + len(beep) :])  # the voice did not come back after it


def test_a_card_100_ppm_fast_still_gets_each_cue_on_its_sample_after_ten_minutes() -> None:
    backend, device, clock = open_fake(ppm=100, keep_awake=False)
    device.run_until(clock.now + 600)
    at = clock.now + 1.0
    backend.schedule([Scheduled(1, "go", at, 1.0)])
    device.run_until(at + 0.5)
    start = onset(device, backend.samples("go", 1.0), after=len(device.out) - 2 * RATE)
    assert abs(device.heard_at(start) - at) < 0.000_3  # uncorrected, it would be 60 ms off


def test_a_callback_that_waited_for_the_gil_does_not_move_the_cues() -> None:
    """PortAudio times each block before our callback runs; under a busy UI the callback runs up to
    tens of milliseconds later. The times it reports still place each cue on its sample."""
    import random

    backend, device, clock = open_fake(keep_awake=False)
    lateness = random.Random(7)
    device.late = lambda: lateness.choice([0.0, 0.0, 0.0, 0.002, 0.02])
    device.run_until(clock.now + 10)
    at = clock.now + 1.0
    backend.schedule([Scheduled(1, "go", at, 1.0)])
    device.run_until(at + 0.5)
    start = onset(device, backend.samples("go", 1.0))
    assert abs(device.heard_at(start) - at) <= 1 / RATE


def test_a_sound_due_already_plays_at_once() -> None:
    backend, device, clock = open_fake(keep_awake=False)
    first_free = len(device.out)
    backend.schedule([Scheduled(1, "set_done", clock.now - 0.05, 1.0)])
    device.pull()
    assert onset(device, backend.samples("set_done", 1.0)[:1000]) == first_free


def test_volume_zero_is_silent_and_a_lower_volume_is_quieter() -> None:
    backend, device, clock = open_fake(keep_awake=False)
    backend.schedule([Scheduled(1, "go", clock.now + 0.3, 0.0), Scheduled(2, "top_hold", clock.now + 0.8, 0.5)])
    device.run_until(clock.now + 1.5)
    assert onset(device, backend.samples("top_hold", 0.5)) >= 0
    assert max(abs(s) for s in device.out) < max(abs(s) for s in backend.samples("top_hold", 1.0))


def test_a_stream_that_stops_or_stalls_says_why() -> None:
    backend, device, clock = open_fake()
    assert backend.failure() is None
    clock.advance(STALL_S + 0.1)
    assert backend.failure() == "the audio device stopped asking for sound"
    ended, device, _ = open_fake()
    assert device.stream is not None
    device.stream.finished()
    assert ended.failure() == "the audio stream stopped"
    ended.close()
    assert ended.failure() is None  # closing it ourselves is no failure


def test_a_stream_that_cannot_start_is_an_audio_error() -> None:
    clock = FakeClock()
    device = FakeSoundDevice(clock)
    device.refuse = "Error starting stream: Unanticipated host error [PaErrorCode -9999]"
    with pytest.raises(AudioError, match="Unanticipated host error"):
        open_stream(PRESET, True, module=device, now=clock)  # type: ignore[arg-type]


def test_a_device_that_takes_sound_faster_than_real_time_is_refused_at_once() -> None:
    """ALSA's null or file PCM as the default device: the stream would run away, writing hours of
    sound a second. Refused (the next backend plays) instead of waiting for timing that never comes."""
    clock = FakeClock()
    device = FakeSoundDevice(clock, prefill=200)
    device.heard_at = lambda frame: clock.now + 0.1  # type: ignore[method-assign]  # no time passes
    with pytest.raises(AudioError, match="does not keep time"):
        open_stream(PRESET, True, module=device, now=clock)  # type: ignore[arg-type]


def test_every_cue_and_word_has_samples_at_the_stream_rate() -> None:
    backend, _, _ = open_fake()
    clips, _ = load_sounds(PRESET)
    for name, clip in clips.items():
        assert abs(len(backend.samples(name, 1.0)) - clip.seconds * RATE) <= 1, name
    assert abs(len(backend.samples("voice:set 2", 1.0)) / RATE - backend.durations["voice:set"] - backend.durations["voice:2"]) < 0.001


def test_while_the_tui_runs_c_libraries_cannot_write_on_the_screen(tmp_path) -> None:
    """PortAudio prints "Expression ... failed" on fd 2 when a device goes away; Textual draws on
    sys.__stderr__. Inside native_stderr_silenced the first goes nowhere, the second still arrives."""
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "from tempo_coach.audio.native_stderr import native_stderr_silenced\n"
        "with native_stderr_silenced():\n"
        "    os.write(2, b'from C\\n')\n"
        "    sys.__stderr__.write('drawn\\n'); sys.__stderr__.flush()\n"
        "os.write(2, b'after\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stderr == "drawn\nafter\n", done.stderr


def test_counting_to_100_at_two_volumes_keeps_only_the_latest_words_ready() -> None:
    """Every count said was kept at the stream's rate, and again at each new volume: 10 MB by
    100 reps at two volumes, for a coach that speaks one number a rep."""
    backend, _, _ = open_fake()
    for volume in (1.0, 0.8):
        for n in range(1, 101):
            backend.samples(f"voice:{n}", volume)
    kept = sum(len(samples) for (name, _), samples in backend._prepared.items() if name.startswith("voice:"))
    assert 2 * kept < 2_000_000  # bytes: the last few dozen words, not all 200
    assert backend.samples("voice:1", 1.0) == backend.samples("voice:1", 1.0)  # said again as before
