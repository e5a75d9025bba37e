"""The domain chart: one horizontal bar per scale, with its band zones underneath.

Labels and values are written as HTML text beside the bars (readable, searchable, and in the
embedded font); the bar is two boxes painted with hard-stop CSS gradients: the value filled
in its band's colour with thin marks at the band boundaries, and the band zones below it.
Band colours are neutral tokens mapped to greys that stay distinct when printed in greyscale.
This used to be an inline SVG per scale; two painted boxes are a little cheaper for WeasyPrint
than 14 small images (the whole summary, min of 15: 283 → 270 ms CPU; no bars at all: 239).
"""

from __future__ import annotations

from itertools import pairwise

from markupsafe import Markup

from formengine.definition.model import FormDefinition, Scale

COLOURS = {  # neutral-1 … neutral-5: light to dark, distinct in greyscale
    "neutral-1": "#dfe6ea",
    "neutral-2": "#b9c6cf",
    "neutral-3": "#8fa1ad",
    "neutral-4": "#66798a",
    "neutral-5": "#3e4e5c",
}


def scale_range(defn: FormDefinition, scale: Scale) -> tuple[float, float]:
    """Return the lowest and highest possible value of a scale, from its items' option scores."""
    weights = dict(scale.weights)
    lows, highs, raw_lows, raw_highs = [], [], [], []
    for name in scale.items:
        scores = [o.score for o in defn.options_at(name) if o.score is not None and not o.not_applicable]
        if not scores:
            continue
        w = weights.get(name, 1.0)
        item = defn.items_by_id.get(name)
        if item is not None and item.type == "multi_choice":
            # a checklist scores the sum of its ticked options: from no tick to every tick
            low, high = sum(min(0.0, s) for s in scores), sum(max(0.0, s) for s in scores)
        else:
            low, high = min(scores), max(scores)
        lows.append(low * w)
        highs.append(high * w)
        raw_lows.append(low)
        raw_highs.append(high)
    if not lows:
        return 0.0, 1.0
    if scale.method == "mean":
        return min(raw_lows), max(raw_highs)
    return sum(lows), sum(highs)


def colour(token: str | None) -> str:
    """Map a band colour token to a hex colour (unknown tokens get the lightest grey)."""
    return COLOURS.get(token or "", COLOURS["neutral-1"])


MARK = "#222222"
MARK_WIDTH = 0.5  # percent of the bar: a thin boundary mark (about 0.8 pt on the summary)


def _stops(segments: list[tuple[float, float, str]]) -> str:
    """A left-to-right gradient with hard stops from (start %, end %, colour) segments."""
    stops = []
    for start, end, hex_colour in segments:
        if end > start:
            stops += [f"{hex_colour} {start:g}%", f"{hex_colour} {end:g}%"]
    return "linear-gradient(to right, " + ", ".join(stops) + ")" if stops else "none"


def bar_html(value: float | None, low: float, high: float, bands: list[tuple[float | None, str]]) -> Markup:
    """Return the bar for ``value`` on [low, high]; ``bands`` = [(max, colour token)] ascending."""
    span = (high - low) or 1.0

    def pct(v: float) -> float:
        return round(max(0.0, min(1.0, (v - low) / span)) * 100, 1)

    zones: list[tuple[float, float, str]] = []
    start = low
    for upper, zone_token in bands:
        end = high if upper is None else upper
        zones.append((pct(start), pct(end), colour(zone_token)))
        start = end
    half = MARK_WIDTH / 2
    marks = [pct(upper) for upper, _ in bands[:-1] if upper is not None]
    filled = 0.0 if value is None else pct(value)
    token = (
        None if value is None else next((t for upper, t in bands if upper is None or value <= upper), None)
    )

    def paint(x: float) -> str:  # the value bar at x %, with thin marks cut in at the boundaries
        if any(abs(x - m) < half for m in marks):
            return MARK
        return colour(token) if x < filled else "#ffffff"

    edges = sorted({0.0, filled, 100.0} | {min(100.0, max(0.0, m + d)) for m in marks for d in (-half, half)})
    track = [(a, b, paint((a + b) / 2)) for a, b in pairwise(edges)]
    html = (
        f'<div class="track" style="background: {_stops(track)}"></div>'
        f'<div class="zones" style="background: {_stops(zones)}"></div>'
    )
    return Markup(html)  # noqa: S704  only numbers and palette colours, never a form text or an answer
