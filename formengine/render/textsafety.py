"""Text that must not fool the reader: bidirectional controls shown, fullwidth letters printable.

A right-to-left override (U+202E) or another bidi control in an answer reverses the text after
it on screen and on paper ("cod.exe" shown as "exe.doc"). Where answers are *shown* (staff
pages, copies, PDFs, never in a form field that is saved back), each control is written as a
visible mark such as ``⟨U+202E⟩``. The bundled PDF fonts have no glyphs for fullwidth forms
(``ＡＢＣ１２３``), which printed as boxes: in PDFs they fall back to their ASCII letters.
"""

from __future__ import annotations

import re

# Arabic letter mark, LRM, RLM, the embeddings and overrides (LRE RLE PDF LRO RLO), the isolates
BIDI_CONTROLS: tuple[int, ...] = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_VISIBLE = {cp: f"⟨U+{cp:04X}⟩" for cp in BIDI_CONTROLS}
_ANY_BIDI = re.compile("[" + "".join(chr(cp) for cp in BIDI_CONTROLS) + "]")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_ANY_FULLWIDTH = re.compile("[\u3000\uff01-\uff5e]")


def show_bidi_controls(text: str) -> str:
    """``text`` with every bidirectional control character written as a visible ⟨U+XXXX⟩."""
    return text.translate(_VISIBLE) if _ANY_BIDI.search(text) else text


def fullwidth_fallback(text: str) -> str:
    """``text`` with fullwidth ASCII forms (U+FF01–U+FF5E, U+3000) as their ordinary letters."""
    return text.translate(_FULLWIDTH) if _ANY_FULLWIDTH.search(text) else text


def for_print(text: str) -> str:
    """Both, for PDFs: nothing reversed, nothing printed as a box."""
    return fullwidth_fallback(show_bidi_controls(text))
