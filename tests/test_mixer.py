"""The stream mixer, pure: every sample of every block, against a sample-by-sample reference."""

from __future__ import annotations

from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.audio.mixer import NOISE_PEAK, Placed, cut, keep_awake_noise, mix, resampled, to_mono, yield_to


def reference(clips: list[Placed], first: int, count: int, background: array[int] | None) -> list[int]:
    """One sample at a time: the background where no clip plays, a clip's own sample where it plays
    alone, and overlapping clips summed in start order, clipped to 16 bits at each step."""
    out = []
    for frame in range(first, first + count):
        playing = [c for c in sorted(clips, key=lambda c: (c.start, str(c.key))) if c.start <= frame < c.end]
        if not playing:
            out.append(background[frame % len(background)] if background else 0)
            continue
        value = playing[0].samples[frame - playing[0].start]
        for clip in playing[1:]:
            value = max(-32768, min(32767, value + clip.samples[frame - clip.start]))
        out.append(value)
    return out


SAMPLES = st.lists(st.integers(-32768, 32767), min_size=1, max_size=40).map(lambda v: array("h", v))
CLIPS = st.lists(st.builds(Placed, key=st.integers(0, 99), start=st.integers(-20, 120), samples=SAMPLES), max_size=5)


@settings(max_examples=400)
@given(CLIPS, st.lists(st.integers(1, 37), min_size=1, max_size=8), st.booleans())
def test_blocks_of_any_size_give_the_reference_samples(clips: list[Placed], blocks: list[int], hiss: bool) -> None:
    background = keep_awake_noise(50) if hiss else None
    first, produced = -5, []
    for count in blocks * 3:
        produced += list(mix(clips, first, count, background))
        first += count
    assert produced == reference(clips, -5, len(produced), background)


def test_a_clip_alone_reaches_the_stream_bit_for_bit_over_the_hiss() -> None:
    beep = array("h", [1000, -2000, 3000, -4000])
    out = mix([Placed("beep", 10, beep)], 8, 8, keep_awake_noise(100))
    assert list(out[2:6]) == list(beep)
    assert all(abs(s) <= NOISE_PEAK for s in (*out[:2], *out[6:]))


def test_overlapping_clips_are_summed_and_clipped() -> None:
    out = mix([Placed("a", 0, array("h", [30000, 100])), Placed("b", 0, array("h", [30000, 200]))], 0, 2)
    assert list(out) == [32767, 300]


def test_the_hiss_is_quiet_but_never_digital_silence() -> None:
    noise = keep_awake_noise(44_100)
    rms = (sum(s * s for s in noise) / len(noise)) ** 0.5
    assert 25 < rms < 40  # about -60 dBFS
    assert max(abs(s) for s in noise) <= NOISE_PEAK
    assert sum(1 for s in noise if s == 0) < len(noise) / 50
    assert noise == keep_awake_noise(44_100)  # the same every time


def test_a_cut_clip_fades_out_instead_of_clicking() -> None:
    clip = Placed("voice", 100, array("h", [10_000] * 1000))
    faded = cut(clip, 300, 50)
    assert faded is not None and faded.end == 350
    tail = list(faded.samples[200:])
    assert tail == sorted(tail, reverse=True) and tail[0] < 10_000 and tail[-1] < 10_000 / 50 + 1
    assert max(abs(a - b) for a, b in zip(tail, tail[1:])) <= 10_000 / 50 + 1  # no step bigger than the ramp's


def test_a_clip_cut_before_it_starts_never_plays_and_one_cut_after_it_ends_is_whole() -> None:
    clip = Placed("beep", 100, array("h", [5] * 10))
    assert cut(clip, 100, 50) is None
    assert cut(clip, 110, 50) is clip


def test_a_voice_yields_to_a_beep_its_fade_ending_as_the_beep_starts() -> None:
    voice = Placed("seven", 0, array("h", [8000] * 1000), voice=True)
    cut_voice = yield_to(voice, 600, 40, earliest=0)
    assert cut_voice is not None and cut_voice.end == 600
    beep = Placed("beep", 600, array("h", [1000] * 10))
    assert list(mix([cut_voice, beep], 600, 10)) == [1000] * 10  # the beep's first samples, unmasked


def test_a_voice_already_written_past_the_fade_start_is_cut_as_soon_as_possible() -> None:
    voice = Placed("seven", 0, array("h", [8000] * 1000), voice=True)
    late = yield_to(voice, 600, 40, earliest=590)
    assert late is not None and late.end == 630


def test_beeps_and_voices_that_do_not_overlap_are_left_alone() -> None:
    voice = Placed("seven", 0, array("h", [1] * 100), voice=True)
    beep = Placed("beep", 0, array("h", [1] * 100))
    assert yield_to(voice, 100, 40, 0) is voice
    assert yield_to(beep, 50, 40, 0) is beep


def test_resampling_keeps_the_duration_and_the_shape() -> None:
    voice = array("h", [0, 100, -100, 3000])
    assert list(resampled(voice, 22_050, 44_100)) == [0, 0, 100, 100, -100, -100, 3000, 3000]
    ramp = array("h", range(0, 4800, 1))
    up = resampled(ramp, 48_000, 44_100)
    assert len(up) == 4410 and list(up) == sorted(up) and up[0] == 0 and abs(up[-1] - 4799) < 3
    assert resampled(ramp, 44_100, 44_100) is ramp


def test_stereo_becomes_the_mean_of_its_channels() -> None:
    assert list(to_mono(array("h", [100, 300, -32768, -32768]), 2)) == [200, -32768]
