"""The library's own strings: a gettext domain ``formengine`` beside the web app's catalogues.

Message ids are English and marked in the code with :func:`N_`; the catalogues are
``locales/<lang>/LC_MESSAGES/formengine.po`` (nb, nn and en complete; se, Northern Sami, for a
few texts with bokmål for the rest), extracted and compiled like the web app's (see
``locales/README.md``). :func:`translations` loads one with the standard ``gettext`` module —
no Flask — compiling the ``.po`` in memory when its ``.mo`` is missing or older. A language
without a catalogue gets bokmål, the product's first language. A wheel installs the catalogues
under ``<prefix>/share/formengine/locales`` (see :func:`locales_dir`).
"""

from __future__ import annotations

import gettext
import io
import os
import sys
import threading
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "formengine"
LANGUAGES = ("nb", "nn", "en", "se")
COMPLETE = ("nb", "nn", "en")  # every text translated; others fall back to FALLBACK text by text
FALLBACK = "nb"
_cache: dict[str, gettext.GNUTranslations] = {}
_lock = threading.RLock()  # a fallback catalogue is loaded while holding it


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the ``formengine`` catalogue; translate it later."""
    return message


def locales_dir() -> Path:
    """The folder with ``<lang>/LC_MESSAGES/formengine.po``.

    ``FORMENGINE_LOCALES`` if set; else ``locales/`` beside the package (a source checkout or an
    editable install); else ``<prefix>/share/formengine/locales`` (installed from the wheel).
    """
    configured = os.environ.get("FORMENGINE_LOCALES")
    if configured:
        return Path(configured)
    beside = Path(__file__).resolve().parent.parent / "locales"
    installed = Path(sys.prefix) / "share" / "formengine" / "locales"
    return beside if (beside / FALLBACK).is_dir() or not installed.is_dir() else installed


def catalogue_language(lang: str | None) -> str:
    """The catalogue used for ``lang``: its own, or bokmål ('nb-NO' and 'no' count as 'nb')."""
    primary = str(lang or "").lower().replace("_", "-").split("-")[0]
    primary = "nb" if primary in ("no", "nob") else "nn" if primary == "nno" else primary
    return primary if primary in LANGUAGES else FALLBACK


def translations(lang: str | None) -> gettext.GNUTranslations:
    """The ``formengine`` translations for ``lang``; raises FileNotFoundError if the catalogue is missing."""
    code = catalogue_language(lang)
    found = _cache.get(code)
    if found is None:
        with _lock:
            found = _cache.get(code) or _load(code)
            if code not in COMPLETE:
                found.add_fallback(translations(FALLBACK) if code != FALLBACK else gettext.NullTranslations())
            _cache[code] = found
    return found


def gettext_in(lang: str | None, message: str) -> str:
    """``message`` (an English msgid) in ``lang``."""
    return translations(lang).gettext(message)


def output_language() -> str:
    """The language of what the library tells a person at a terminal (CLI output, import warnings).

    ``FORMENGINE_LANG`` (nb, nn or en); English without it, as scripts and CI logs expect.
    """
    return os.environ.get("FORMENGINE_LANG") or "en"


def say(message: str, **args: object) -> str:
    """``message`` (an English msgid with ``{placeholders}``) in :func:`output_language`."""
    return gettext_in(output_language(), message).format(**args)


def _load(code: str) -> gettext.GNUTranslations:
    folder = locales_dir() / code / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po.exists():
        raise FileNotFoundError(f"the {DOMAIN} catalogue for '{code}' is missing: {po}")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
