"""Language choice (session, then Accept-Language), catalogs from locales/, Babel formatting."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, redirect, request, session
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
UI_LANGUAGES = ("nb", "nn", "en")
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
_ALIASES = {"no": "nb", "nb": "nb", "nn": "nn", "en": "en"}


def init_app(app: Flask) -> None:
    compile_catalogs(LOCALES_DIR)
    Babel(
        app,
        locale_selector=select_language,
        default_translation_directories=str(LOCALES_DIR),
        default_locale=app.config.get("DEFAULT_LANGUAGE", "nb"),
        default_timezone="Europe/Oslo",
    )
    app.before_request(_language_from_query)
    app.jinja_env.globals.update(
        current_language=current_language,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        UI_LANGUAGES=UI_LANGUAGES,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
    )


def compile_catalogs(directory: Path) -> None:
    """Compile every messages.po into messages.mo when the .mo is missing or older."""
    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog)
        tmp.replace(mo_path)


def select_language() -> str:
    """Pick the UI language: the explicit choice in the session, else Accept-Language."""
    chosen = session.get("lang")
    if chosen in UI_LANGUAGES:
        return chosen
    for value, _quality in request.accept_languages:
        primary = value.lower().replace("_", "-").split("-")[0]
        if primary in _ALIASES:
            return _ALIASES[primary]
    return current_app.config.get("DEFAULT_LANGUAGE", "nb")


def current_language() -> str:
    return str(get_locale() or "nb")


def form_language(defn) -> str:
    """The language to show a form's own texts in (the UI language if the form has it)."""
    lang = current_language()
    return lang if lang in defn.languages else defn.default_language


def _language_from_query():
    """``?lang=en`` on any GET switches the language and reloads the page without it."""
    lang = request.args.get("lang")
    if request.method == "GET" and lang in UI_LANGUAGES:
        session["lang"] = lang
        args = request.args.to_dict(flat=False)
        args.pop("lang", None)
        from urllib.parse import urlencode

        query = urlencode(args, doseq=True)
        return redirect(request.path + ("?" + query if query else ""), code=303)
    return None
