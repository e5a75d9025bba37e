"""The burden bench's walk works: scripted relatives walk a tiny form in Chromium (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import burden

from .browserkit import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


def test_personas_walk_a_tiny_form():
    walks = burden.walk_all(["1.0.0"], forms=ROOT / "tests" / "data" / "burden", form_id="mini")
    by = {w.persona: w for w in walks}
    assert list(by) == ["light", "heavy", "everything", "first-option"]
    for walk in walks:
        assert [p.section for p in walk.pages] == ["first", "second"]
        assert walk.words > 20 and walk.screens > 1 and walk.review.words > 10 and walk.intro.words > 50
        assert walk.minutes == pytest.approx(walk.words / 200 + walk.answers * 6 / 60)
        assert walk.shown > 0
    # light: no child (the repeat stays closed): has_children, helps_with / tired, priorities, own_words
    assert by["light"].answers == 5
    # heavy: a child opens the group and one child is entered (one more question shown)
    assert by["heavy"].answers == 6
    assert by["everything"].answers == 6
    # first option everywhere: "Ja" opens the group, but no child is added
    assert by["first-option"].answers == 5
    table = burden.table(walks)
    assert "first-option" in table and "time shown" in table
