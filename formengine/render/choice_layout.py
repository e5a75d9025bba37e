"""How a radio or tick-box group is laid out on a phone: decided from the definition, per language.

A page of one option per full-width line is mostly empty space when the options are short
("Nei", "Litt", "Jeg og andre"). :func:`choice_layout` says, from the option labels in the page's
language (never from JavaScript, never measured in the browser), whether a group may be
compact. The web app turns the answer into a class; its CSS keeps one column on a narrow
screen or at 200 % zoom (WCAG 1.4.10) and a 44 px target for every option.

* ``"scale"``: a short scored scale (3–6 options, every option scored except a not-applicable
  one, each label at most :data:`SCALE_LABEL` characters, and the longest word times the number
  of options at most :data:`SCALE_ROW`, so every word fits its segment unbroken): one row, low to
  high, each option a segment with its label under the button.
* ``"two"``: every label at most :data:`TWO_LABEL` characters (two lines in half a card at
  390 px) and no word over :data:`TWO_WORD` (a word never broken in the middle): two options
  to a row, read row by row in option order.
* ``""``: one option per line (long labels, a single option, options under group headings).

The limits are characters, measured for the web app's font at 390 px (the widest system fonts:
DejaVu Sans; Roboto and San Francisco are narrower).
"""

from __future__ import annotations

from collections.abc import Sequence

from formengine.definition.model import Option

TWO_LABEL = 20  # characters: at most two lines in a 2-column cell inside a task card at 390 px
TWO_WORD = 11  # characters: the longest word that fits a cell's line unbroken
SCALE_LABEL = 12  # characters: at most two lines in one of six segments
SCALE_ROW = 36  # characters: n segments of the longest word fill a row at 390 px (5 × 7, 6 × 6)
SCALE_OPTIONS = (3, 6)  # fewest and most options shown as one row

LAYOUTS = ("", "two", "scale")


def choice_layout(options: Sequence[Option], lang: str, *, grouped: bool = False) -> str:
    """``"scale"``, ``"two"`` or ``""`` (one per line) for a group of ``options`` shown in ``lang``.

    ``grouped``: the options stand under headings (``groups:``): one per line, so a long
    checklist reads as a list.
    """
    if grouped or len(options) < 2:
        return ""
    labels = [option.label.get(lang) or option.value for option in options]
    longest = max(len(label) for label in labels)
    word = max(len(w) for label in labels for w in label.split())
    low, high = SCALE_OPTIONS
    scored = all(o.score is not None for o in options if not o.not_applicable)
    if scored and low <= len(options) <= high and longest <= SCALE_LABEL and word * len(options) <= SCALE_ROW:
        return "scale"
    if longest <= TWO_LABEL and word <= TWO_WORD:
        return "two"
    return ""
