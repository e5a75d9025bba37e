"""The library's own strings live in the gettext domain "formengine": complete for nb, nn and en."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from formengine.i18n import DOMAIN, gettext_in, locales_dir
from formengine.summary.strings import TEXTS, strings

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"N_": None, "say": None, "cli_out": None, "cli_err": None}  # as in locales/README.md
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)[sd]")


def marked_msgids() -> set[str]:
    method_map = [("formengine/render/wtforms_*.py", "ignore"), ("formengine/**.py", "python")]
    found = extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found}


def catalogue(lang: str):
    with (locales_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_extraction_finds_the_marked_strings() -> None:
    assert set(TEXTS.values()) <= marked_msgids()


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_every_marked_string_is_translated(lang: str) -> None:
    entries = {m.id: m for m in catalogue(lang) if m.id}
    missing = sorted(
        m for m in marked_msgids() if m not in entries or not entries[m].string or entries[m].fuzzy
    )
    assert missing == [], f"run the commands in locales/README.md; missing in {lang}"
    for message in entries.values():  # a translation keeps every placeholder of its English text
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), message.id


def test_the_template_is_up_to_date() -> None:
    with (ROOT / "locales" / f"{DOMAIN}.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert template == marked_msgids()


def test_documents_speak_each_language_and_bokmal_is_the_fallback() -> None:
    assert strings("nb")["relative"] == "Pårørende"
    assert strings("nn")["relative"] == "Pårørande"
    assert strings("en")["relative"] == "Relative"
    assert strings("se") == strings("nb")  # Northern Sami has a few texts of its own, then bokmål
    assert strings("de") == strings("nb")
    assert (gettext_in("se", "Total"), gettext_in("nb", "Total"), gettext_in("en", "Total")) == (
        "Submi",
        "Sum",
        "Total",
    )
    assert gettext_in("nb-NO", TEXTS["relative"]) == "Pårørende"


def test_the_catalogues_load_without_flask() -> None:
    code = (
        "import sys; from formengine.summary.strings import strings; strings('nn'); "
        "print('flask' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "False"
