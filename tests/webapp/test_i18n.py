"""Every UI string a relative sees is translated to bokmål and nynorsk; catalogs compile."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from webapp.i18n import LOCALES_DIR, compile_catalogs

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None, "lazy_gettext": None}


def relative_facing_msgids() -> set[str]:
    """Strings from the relatives' side: webapp's top level, relatives/, its templates, and the form builder."""
    found: set[str] = set()
    method_map = [
        ("webapp/*.py", "python"),
        ("webapp/relatives/*.py", "python"),
        ("webapp/templates/*.html", "jinja2"),
        ("webapp/templates/errors/*.html", "jinja2"),
        ("formengine/render/wtforms_builder.py", "python"),
        ("formengine/render/wtforms_fields.py", "python"),
    ]
    # files matching no pattern (staff/, authoring/, …: other owners) are not extracted
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS
    ):
        if filename.startswith(("webapp", "formengine/render/wtforms_")):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_relative_facing_strings_are_translated(lang):
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]  # a plural by its singular
        for m in catalog
        if m.id and m.string and all(m.string) and not m.fuzzy
    }
    wanted = relative_facing_msgids()
    assert len(wanted) > 80  # the extraction itself works
    missing = sorted(wanted - translated)
    assert not missing, f"run the commands in locales/README.md; missing in {lang}: {missing}"


def test_catalogs_compile(tmp_path):
    for lang in ("nb", "nn", "en"):
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "messages.po").write_bytes(
            (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").read_bytes()
        )
    compile_catalogs(tmp_path)
    assert all(
        (tmp_path / lang / "LC_MESSAGES" / "messages.mo").stat().st_size > 100 for lang in ("nb", "nn")
    )
