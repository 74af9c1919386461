"""The phase colours can be told apart with the common colour-vision deficiencies.

The colours are read from tempo_coach.tcss (the band of each phase), simulated for protanopia,
deuteranopia and tritanopia with Machado et al. (2009) and compared with CIEDE2000
(tests/colour_vision.py). Also: the text on each band is readable (WCAG contrast), and positive and
rest, which were two near-identical teals, are far apart.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from colour_vision import contrast, hex_rgb, seen_difference


TCSS = Path(__file__).parent.parent / "tempo_coach" / "tui" / "tempo_coach.tcss"
PHASES = ("get_ready", "negative", "bottom_hold", "positive", "top_hold", "rest")
MIN_DIFFERENCE = {None: 25.0, "protanopia": 20.0, "deuteranopia": 20.0, "tritanopia": 15.0}
"""Smallest CIEDE2000 between any two phase colours, per vision (None: typical). About 2 is a
just-noticeable difference; 20 is two colours nobody confuses at a glance."""
_RULE = re.compile(r"PhaseBanner > \.phase-banner--(\w+)\s*\{\s*background:\s*(#[0-9a-fA-F]{6});\s*color:\s*(#[0-9a-fA-F]{6});")


def palette() -> dict[str, tuple[str, str]]:
    """Phase -> (band colour, text colour), as the stylesheet has them."""
    found = {phase: (band, text) for phase, band, text in _RULE.findall(TCSS.read_text())}
    assert set(PHASES) <= set(found), f"the stylesheet has no band colour for {set(PHASES) - set(found)}"
    return {phase: found[phase] for phase in PHASES}


@pytest.mark.parametrize("vision", list(MIN_DIFFERENCE), ids=lambda v: v or "typical")
def test_every_two_phases_differ_for_this_vision(vision: str | None) -> None:
    bands = {phase: band for phase, (band, _) in palette().items()}
    for a, b in itertools.combinations(PHASES, 2):
        difference = seen_difference(bands[a], bands[b], vision)
        assert difference >= MIN_DIFFERENCE[vision], f"{a} {bands[a]} and {b} {bands[b]}: ΔE2000 {difference:.1f} ({vision or 'typical'})"


def test_positive_and_rest_are_far_apart_for_everyone() -> None:
    bands = {phase: band for phase, (band, _) in palette().items()}
    for vision in MIN_DIFFERENCE:
        assert seen_difference(bands["positive"], bands["rest"], vision) >= 40


def test_the_word_on_each_band_is_readable() -> None:
    for phase, (band, text) in palette().items():
        assert contrast(hex_rgb(band), hex_rgb(text)) >= 4.5, phase


def test_the_old_palette_fails_the_check() -> None:
    """The check can fail: the previous colours (positive and rest two teals, negative and top hold
    blue and purple) do, under deuteranopia."""
    old = {"negative": "#1d4ed8", "top_hold": "#7e22ce", "positive": "#15803d", "rest": "#0e7490"}
    worst = min(seen_difference(old[a], old[b], "deuteranopia") for a, b in itertools.combinations(old, 2))
    assert worst < MIN_DIFFERENCE["deuteranopia"]


def test_the_colour_maths_matches_the_published_test_data() -> None:
    """CIEDE2000 against Sharma, Wu and Dalal (2005), table 1."""
    from colour_vision import delta_e

    assert delta_e((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009)) == pytest.approx(7.1792, abs=1e-4)
    assert delta_e((90.8027, -2.0831, 1.441), (91.1528, -1.6435, 0.0447)) == pytest.approx(1.4441, abs=1e-4)
