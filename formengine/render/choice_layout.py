"""How a radio or tick-box group is laid out on a phone: decided from the definition, per language.

A page of one option per full-width line is mostly empty space when the options are short
("Nei", "Litt", "Jeg og andre"). :func:`choice_layout` says, from the option labels in the page's
language (never from JavaScript, never measured in the browser), whether a group may be
compact. The web app turns the answer into a class; its CSS keeps one column on a narrow
screen or at 200 % zoom (WCAG 1.4.10) and a 44 px target for every option.

* ``"scale"``: a short scored scale: 3–7 scored options, each label at most
  :data:`SCALE_LABEL` characters, and the longest word times the number of scored options at
  most :data:`SCALE_ROW`, so every word fits its segment unbroken. One row, low to high, each
  option a segment with its label under the button. Not-applicable options ("Ikke aktuelt")
  are not on the scale: they must come after it and stand on their own line below the row
  (the web app marks them with ``choice--apart``).
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
SCALE_LABEL = 12  # characters: at most two lines in a segment
SCALE_ROW = 36  # characters: n segments of the longest word fill a row at 390 px (5 × 7, 6 × 6)
SCALE_OPTIONS = (3, 7)  # fewest and most scored options shown as one row

LAYOUTS = ("", "two", "scale")


def choice_layout(
    options: Sequence[Option], lang: str, *, grouped: bool = False, multiple: bool = False
) -> str:
    """``"scale"``, ``"two"`` or ``""`` (one per line) for a group of ``options`` shown in ``lang``.

    ``grouped``: the options stand under headings (``groups:``): one per line, so a long
    checklist reads as a list. ``multiple``: tick boxes, never a scale row (a scale picks one).
    """
    if grouped or len(options) < 2:
        return ""
    if not multiple and _is_scale(options, lang):
        return "scale"
    labels = [_label(option, lang) for option in options]
    if max(map(len, labels)) <= TWO_LABEL and _longest_word(labels) <= TWO_WORD:
        return "two"
    return ""


def _is_scale(options: Sequence[Option], lang: str) -> bool:
    scale = [o for o in options if not o.not_applicable]
    apart = len(options) - len(scale)
    if any(o.not_applicable for o in options[: len(scale)]):  # "not applicable" inside the scale
        return False
    if any(o.score is None for o in scale) or not SCALE_OPTIONS[0] <= len(scale) <= SCALE_OPTIONS[1]:
        return False
    labels = [_label(o, lang) for o in scale]
    fits = max(map(len, labels)) <= SCALE_LABEL and _longest_word(labels) * len(scale) <= SCALE_ROW
    return fits and apart <= 1


def _label(option: Option, lang: str) -> str:
    return option.label.get(lang) or option.value


def _longest_word(labels: Sequence[str]) -> int:
    return max((len(word) for label in labels for word in label.split()), default=0)
