"""Shared FHIR constants and helpers: extension URLs, languages, translations, ids.

Everything in :mod:`formengine.fhir` works on plain JSON dicts (what ``json.load`` gives);
the ``fhir.resources`` models are only used to validate, so a third-party file that the
models refuse can still be imported with a warning.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import Any

from formengine.definition.model import LANGUAGES, Text
from formengine.i18n import say

BASE_URL = "https://formengine.example/fhir"
EXT = "http://hl7.org/fhir/StructureDefinition/"
TRANSLATION = EXT + "translation"
RENDERING_MARKDOWN = EXT + "rendering-markdown"
RENDERING_XHTML = EXT + "rendering-xhtml"
ITEM_WEIGHT = EXT + "itemWeight"
ORDINAL_VALUE = EXT + "ordinalValue"
VS_ORDINAL_VALUE = EXT + "valueset-ordinalValue"
CO_VALUE = EXT + "iso21090-CO-value"
SCORE_EXTENSIONS = (ORDINAL_VALUE, ITEM_WEIGHT, CO_VALUE, VS_ORDINAL_VALUE)
OPTION_EXCLUSIVE = EXT + "questionnaire-optionExclusive"  # on an answerOption (core R4)
MIN_VALUE = EXT + "minValue"
MAX_VALUE = EXT + "maxValue"
MIN_OCCURS = EXT + "questionnaire-minOccurs"
MAX_OCCURS = EXT + "questionnaire-maxOccurs"
UNIT = EXT + "questionnaire-unit"
HIDDEN = EXT + "questionnaire-hidden"
ITEM_CONTROL = EXT + "questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
FORMENGINE_LANGUAGE = "text/x-formengine"
# formengine's own extensions: they make our own round trip exact; other tools ignore them
FE_EXT = BASE_URL + "/StructureDefinition/"
FE_ITEM_TYPE = FE_EXT + "item-type"
FE_NOT_APPLICABLE = FE_EXT + "not-applicable"
FE_CONVERSATION_ONLY = FE_EXT + "conversation-only"
FE_DATE_LIMIT = {MIN_VALUE: FE_EXT + "min-date", MAX_VALUE: FE_EXT + "max-date"}  # valueExpression today()
SCORING_SYSTEM = "http://ehelse.no/scoringFormulas"

# our language code -> the BCP-47 code written into FHIR
FHIR_LANG = {"nb": "nb-NO", "nn": "nn-NO", "en": "en", "se": "se-NO"}


def warn(message: str) -> None:
    """Print a warning to stderr (importers accept what they can and say what they left out)."""
    print(say("warning: {problem}", problem=message), file=sys.stderr)


def our_language(code: Any) -> str | None:
    """Map a BCP-47 tag to one of our languages ('nb-NO', 'no' → nb; 'en-US' → en); None if unknown."""
    if not isinstance(code, str) or not code:
        return None
    primary = code.replace("_", "-").split("-")[0].lower()
    primary = {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en", "sme": "se"}.get(primary, primary)
    return primary if primary in LANGUAGES else None


def extensions(element: Any, url: str) -> list[dict[str, Any]]:
    """Return the extensions with ``url`` on a JSON element (an empty list if none)."""
    if not isinstance(element, dict):
        return []
    return [e for e in element.get("extension") or [] if isinstance(e, dict) and e.get("url") == url]


def extension_value(element: Any, url: str) -> Any:
    """Return the value[x] of the first extension with ``url`` (None if absent)."""
    for ext in extensions(element, url):
        for key, value in ext.items():
            if key.startswith("value"):
                return value
    return None


def has_markup(value: str) -> bool:
    """True when a form text uses our markup (bold, italic, links) or has paragraphs."""
    from formengine.render.markup import plain

    return plain(value) != value or "\n\n" in value.strip()


def xhtml(value: str) -> str:
    """A form text as the XHTML fragment of ``rendering-xhtml``: one ``<p>`` per paragraph."""
    from formengine.render.markup import to_html

    paragraphs = [p.strip() for p in value.strip().split("\n\n") if p.strip()]
    body = "".join(f"<p>{to_html(p.replace(chr(10), ' '))}</p>" for p in paragraphs)
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'


def _plain(value: str) -> str:
    from formengine.render.markup import plain

    return "\n\n".join(plain(p.strip()) for p in value.strip().split("\n\n") if p.strip())


def translations(text: Text, default: str) -> list[dict[str, Any]]:
    """Return translation extensions for every language of ``text`` except ``default``.

    ``content`` is the text as written, markup included: an extension inside ``content``
    (``_valueString`` with ``rendering-markdown``) is refused by the R4B models."""
    out = []
    for lang, value in text.values:
        if lang != default and value:
            out.append(
                {
                    "url": TRANSLATION,
                    "extension": [
                        {"url": "lang", "valueCode": FHIR_LANG.get(lang, lang)},
                        {"url": "content", "valueString": value},
                    ],
                }
            )
    return out


def put_text(target: dict[str, Any], key: str, text: Text, default: str) -> None:
    """Set ``target[key]`` to the default-language text and ``_key`` to its translations.

    A text with markup is written the way renderers read it: ``target[key]`` is the plain
    text (markup stripped, the fallback), ``_key`` carries ``rendering-markdown`` (Refero)
    and ``rendering-xhtml`` (LHC-Forms) before the translations."""
    if not text:
        return
    value = text.get(default)
    extra: list[dict[str, Any]] = []
    if value and has_markup(value):
        target[key] = _plain(value)
        extra += [
            {"url": RENDERING_MARKDOWN, "valueMarkdown": markdown(value)},
            {"url": RENDERING_XHTML, "valueString": xhtml(value)},
        ]
    else:
        target[key] = value
    extra += translations(text, default)
    if extra:
        target["_" + key] = {"extension": extra}


def markdown(value: str) -> str:
    """A form text as ``rendering-markdown``. Our markup has no HTML: a ``<`` in a form text is
    text, so it is escaped (``\\<``); Refero would otherwise render it as HTML."""
    return value.replace("<", "\\<")


def _markdown(element: Any) -> str | None:
    value = extension_value(element, RENDERING_MARKDOWN)
    if not (isinstance(value, str) and value.strip()):
        return None
    return value.replace("\\<", "<")  # the inverse of markdown(): one backslash before every <


def read_text(element: dict[str, Any], key: str, default: str) -> dict[str, str]:
    """Read ``element[key]`` plus translation extensions on ``_key`` into {lang: text}
    (the ``rendering-markdown`` source where there is one)."""
    out: dict[str, str] = {}
    value = _markdown(element.get("_" + key)) or element.get(key)
    if isinstance(value, str) and value.strip():
        out[default] = value
    for ext in extensions(element.get("_" + key), TRANSLATION):
        parts = {e.get("url"): e for e in ext.get("extension") or [] if isinstance(e, dict)}
        lang = our_language((parts.get("lang") or {}).get("valueCode"))
        content = (parts.get("content") or {}).get("valueString")
        if lang and isinstance(content, str) and content.strip():
            out.setdefault(lang, content)
    return out


def item_control(item: dict[str, Any]) -> str | None:
    """Return the questionnaire-itemControl code of an item (None if absent)."""
    value = extension_value(item, ITEM_CONTROL)
    if isinstance(value, dict):
        for coding in value.get("coding") or []:
            if isinstance(coding, dict) and coding.get("code"):
                return str(coding["code"])
    return None


def control_extension(code: str) -> dict[str, Any]:
    return {
        "url": ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]},
    }


_NOT_ID = re.compile(r"[^a-z0-9_]+")


def sanitise(raw: Any, prefix: str = "q") -> str:
    """Turn a linkId or code into ``[a-z][a-z0-9_]*`` ('2.1.1' → 'q_2_1_1', 'LA6568-5' → 'la6568_5')."""
    text = _NOT_ID.sub("_", str(raw).strip().lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))
    text = text.strip("_") or prefix
    return text if text[0].isalpha() else f"{prefix}_{text}"


def option_value(raw: Any) -> str:
    """Turn a code into an option value ``[a-z0-9_]+``."""
    text = _NOT_ID.sub("_", str(raw).strip().lower()).strip("_")
    return text or "option"


class IdAllocator:
    """Hand out unique sanitised ids; a collision gets ``_2``, ``_3`` … appended."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken = set(taken)

    def __call__(self, raw: Any, prefix: str = "q") -> str:
        base = sanitise(raw, prefix)
        ident, n = base, 2
        while ident in self.taken:
            ident, n = f"{base}_{n}", n + 1
        self.taken.add(ident)
        return ident


def fhir_base() -> str:
    """The canonical base of our Questionnaires: ``FORMENGINE_FHIR_BASE`` if set, else the placeholder.

    Read on every call, so a deployment (or a test) can set it without reloading the module.
    Our own extension URLs (``FE_EXT``) stay fixed: they name a definition, not a deployment.
    """
    return os.environ.get("FORMENGINE_FHIR_BASE", "").strip().rstrip("/") or BASE_URL


def questionnaire_url(form_id: str) -> str:
    return f"{fhir_base()}/Questionnaire/{form_id}"


def number(value: Any) -> int | float | None:
    """Return a JSON number as int when whole (FHIR decimals like 1.0 are scores of 1)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() else value
