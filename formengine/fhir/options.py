"""Answer options of an imported Questionnaire item: answerOption or a contained ValueSet.

Scores come from the ``ordinalValue``, ``itemWeight`` or ``iso21090-CO-value`` extension
(on the answerOption or on its valueCoding), or from ``valueset-ordinalValue`` /
``ordinalValue`` on a ValueSet expansion entry. Codes become option values
``[a-z0-9_]+`` (``LA6568-5`` → ``la6568_5``); the code → value map is kept for answers
and enableWhen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formengine.fhir.common import (
    FE_NOT_APPLICABLE,
    OPTION_EXCLUSIVE,
    SCORE_EXTENSIONS,
    extension_value,
    number,
    option_value,
    our_language,
    read_text,
)
from formengine.i18n import N_


def score_of(*elements: Any) -> int | float | None:
    """Return the first score extension found on any of ``elements``."""
    for element in elements:
        for url in SCORE_EXTENSIONS:
            value = number(extension_value(element, url))
            if value is not None:
                return value
    return None


def value_sets(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Map '#id' and canonical url to each contained ValueSet."""
    out = {}
    for resource in questionnaire.get("contained") or []:
        if isinstance(resource, dict) and resource.get("resourceType") == "ValueSet":
            if resource.get("id"):
                out["#" + str(resource["id"])] = resource
            if resource.get("url"):
                out[str(resource["url"])] = resource
    return out


def _from_answer_option(entry: dict[str, Any], lang: str) -> tuple[Any, Any, Any, Any] | None:
    """Return (code, label, score, system) of one answerOption (system None: not a Coding)."""
    coding = entry.get("valueCoding")
    if isinstance(coding, dict):
        label = read_text(coding, "display", lang) or coding.get("code")
        return coding.get("code"), label, score_of(entry, coding), coding.get("system") or ""
    for key in ("valueString", "valueInteger", "valueDate", "valueTime"):
        if key in entry:
            text = read_text(entry, key, lang) or str(entry[key])
            return entry[key], text, score_of(entry), None
    return None


def _from_value_set(vs: dict[str, Any], lang: str) -> list[tuple[Any, Any, Any, bool, Any]]:
    """(code, label, score, not applicable, system) of a ValueSet: ``compose`` (with its designations
    in other languages) when it lists concepts, else ``expansion``."""
    out: list[tuple[Any, Any, Any, bool, Any]] = []
    for include in (vs.get("compose") or {}).get("include") or []:
        for concept in include.get("concept") or []:
            if isinstance(concept, dict) and concept.get("code") is not None:
                label = {lang: concept.get("display") or concept["code"]}
                for designation in concept.get("designation") or []:
                    other = (
                        our_language(designation.get("language")) if isinstance(designation, dict) else None
                    )
                    if other and isinstance(designation.get("value"), str):
                        label.setdefault(other, designation["value"])
                out.append(
                    (
                        concept["code"],
                        label,
                        score_of(concept),
                        extension_value(concept, FE_NOT_APPLICABLE) is True,
                        include.get("system") or "",
                    )
                )
    if out:
        return out
    contains = (vs.get("expansion") or {}).get("contains") or []
    return [
        (c.get("code"), c.get("display") or c.get("code"), score_of(c), False, c.get("system") or "")
        for c in contains
        if isinstance(c, dict) and c.get("code") is not None
    ]


def read_options(
    item: dict[str, Any], sets: dict[str, dict[str, Any]], lang: str, warn: Callable[..., None]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Return (our options, code → option value) for a choice item; warn about what is left out."""
    raw: list[tuple[Any, Any, Any, bool, Any]] = []
    exclusive: set[str] = set()  # codes with questionnaire-optionExclusive (a repeating item only)
    for entry in item.get("answerOption") or []:
        if not isinstance(entry, dict):
            continue
        found = _from_answer_option(entry, lang)
        if found is None:
            warn(
                N_("item '{link}': an answerOption of a type formengine cannot use is left out"),
                link=item.get("linkId"),
            )
            continue
        code, label, score, system = found
        raw.append((code, label, score, extension_value(entry, FE_NOT_APPLICABLE) is True, system))
        if item.get("repeats") is True and extension_value(entry, OPTION_EXCLUSIVE) is True:
            exclusive.add(str(code))
    reference = item.get("answerValueSet")
    if not raw and reference:
        vs = sets.get(str(reference))
        if vs is None:
            warn(
                N_("item '{link}': answerValueSet {reference} is not contained in the file"),
                link=item.get("linkId"),
                reference=reference,
            )
        else:
            raw = _from_value_set(vs, lang)
    options: list[dict[str, Any]] = []
    codes: dict[str, str] = {}
    for code, label, score, not_applicable, system in raw:
        value, n = option_value(code), 2
        while value in codes.values():
            value, n = f"{option_value(code)}_{n}", n + 1
        codes[str(code)] = value
        option: dict[str, Any] = {"value": value, "label": _label(label, lang)}
        if score is not None:
            option["score"] = score
        if not_applicable:
            option["not_applicable"] = True
        if str(code) in exclusive:
            option["exclusive"] = True
        if system is not None and not _ours(system):
            # a source Coding: kept so that exports answer with the source's own code (fhir_meta)
            option["fhir"] = {"system": system, "code": str(code)} if system else {"code": str(code)}
        options.append(option)
    return options, codes


def _ours(system: str) -> bool:
    """True for the option system of our own exports (``<base>/Questionnaire/<id>/options``)."""
    return system.endswith("/options") and "/Questionnaire/" in system


def _label(label: Any, lang: str) -> Any:
    if isinstance(label, dict):
        return label[lang] if set(label) == {lang} else label
    return str(label)
