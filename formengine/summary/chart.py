"""The domain chart: one horizontal bar per scale, with band marks, as small inline SVGs.

Labels and values are written as HTML text beside the bars (readable, searchable, and in the
embedded font); the SVG only draws the bar, the band boundaries and the value marker. Band
colours are neutral tokens mapped to greys that stay distinct when printed in greyscale.
"""
from __future__ import annotations

from markupsafe import Markup

from ..definition import FormDefinition, Scale

COLOURS = {  # neutral-1 … neutral-5: light to dark, distinct in greyscale
    "neutral-1": "#dfe6ea", "neutral-2": "#b9c6cf", "neutral-3": "#8fa1ad",
    "neutral-4": "#66798a", "neutral-5": "#3e4e5c",
}
WIDTH, HEIGHT = 300, 20


def scale_range(defn: FormDefinition, scale: Scale) -> tuple[float, float]:
    """Return the lowest and highest possible value of a scale, from its items' option scores."""
    weights = dict(scale.weights)
    lows, highs, raw_lows, raw_highs = [], [], [], []
    for name in scale.items:
        item = defn.items_by_id.get(name.partition(".")[0])
        scores = [o.score for o in item.options if o.score is not None and not o.not_applicable] if item else []
        if not scores:
            continue
        w = weights.get(name, 1.0)
        lows.append(min(scores) * w)
        highs.append(max(scores) * w)
        raw_lows.append(min(scores))
        raw_highs.append(max(scores))
    if not lows:
        return 0.0, 1.0
    if scale.method == "mean":
        return min(raw_lows), max(raw_highs)
    return sum(lows), sum(highs)


def colour(token: str | None) -> str:
    """Map a band colour token to a hex colour (unknown tokens get the lightest grey)."""
    return COLOURS.get(token or "", COLOURS["neutral-1"])


def bar_svg(value: float | None, low: float, high: float, bands: list[tuple[float | None, str]]) -> Markup:
    """Return an SVG bar for ``value`` on [low, high]; ``bands`` = [(max, colour token)] ascending."""
    span = (high - low) or 1.0

    def x(v: float) -> float:
        return round(max(0.0, min(1.0, (v - low) / span)) * WIDTH, 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img">']
    start = low
    for upper, token in bands:  # faint band zones behind the bar
        end = high if upper is None else upper
        parts.append(f'<rect x="{x(start)}" y="13" width="{max(0.0, x(end) - x(start))}" height="5" '
                     f'fill="{colour(token)}"/>')
        start = end
    parts.append(f'<rect x="0" y="2" width="{WIDTH}" height="10" fill="#ffffff" stroke="#555" stroke-width="0.6"/>')
    for upper, _ in bands[:-1]:
        if upper is not None:
            parts.append(f'<line x1="{x(upper)}" y1="0" x2="{x(upper)}" y2="19" stroke="#222" '
                         f'stroke-width="0.8" stroke-dasharray="2,1.5"/>')
    if value is not None:
        token = next((t for upper, t in bands if upper is None or value <= upper), None)
        parts.append(f'<rect x="0" y="2" width="{x(value)}" height="10" fill="{colour(token)}" '
                     f'stroke="#222" stroke-width="0.6"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
