"""What an imported QuestionnaireResponse says beyond the plain answer: kept, given back on export.

Two things in a response have no place in our answers when the Questionnaire does not declare
them, and are kept in the answers document's ``fhir`` object instead (``docs/format.md``,
"Answers from a FHIR response"):

- ``units``: ``{item id: {system, code, display}}``, the unit of a ``valueQuantity`` answer to a
  quantity item that declares no unit (a *free unit*). The answer itself is the number; the
  export writes ``valueQuantity`` with this unit again.
- ``codings``: ``{item id: [{system, code, display}, …]}``, the codings of ``valueCoding``
  answers to an item that became text because its options are not known offline (an
  ``answerValueSet`` on a terminology server). The answer itself is the display text (what the
  relative and the nurse see); an exported answer whose text is still a kept display is a
  ``valueCoding`` again, any other text a ``valueString``.
- ``questionnaire``: the response's own reference to an imported form's Questionnaire when it
  differs from the form's canonical only in the ``|version`` part (given back as it was).

Answers stay plain values, so validation, pages, summaries, PDFs, scores and expressions see
them as before.
"""

from __future__ import annotations

from typing import Any

CODING_KEYS = ("system", "code", "display")


def coding_of(raw: dict[str, Any]) -> dict[str, str]:
    """The ``system``/``code``/``display`` of a Coding, as text (other keys are not kept)."""
    return {k: str(raw[k]) for k in CODING_KEYS if raw.get(k) not in (None, "")}


def unit_of(raw: dict[str, Any]) -> dict[str, str]:
    """A Quantity's unit as a coding: ``unit`` is its display, ``system``/``code`` its code."""
    out = {k: str(raw[k]) for k in ("system", "code") if raw.get(k) not in (None, "")}
    if raw.get("unit") not in (None, ""):
        out["display"] = str(raw["unit"])
    return out


def is_kept(value: Any) -> bool:
    """Whether ``value`` is a well-formed ``fhir`` object of an answers document."""
    if not isinstance(value, dict) or set(value) - {"units", "codings", "questionnaire"}:
        return False
    if not isinstance(value.get("questionnaire", ""), str):
        return False
    units, codings = value.get("units", {}), value.get("codings", {})
    return (
        isinstance(units, dict)
        and all(_coding(u) for u in units.values())
        and isinstance(codings, dict)
        and all(isinstance(c, list) and all(_coding(x) for x in c) for c in codings.values())
    )


def _coding(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(k in CODING_KEYS and isinstance(v, str) for k, v in value.items())
    )


def reference(ours: str, kept: dict[str, Any]) -> str:
    """The response's own ``questionnaire`` reference when it names the same Questionnaire as ours
    (differing only in ``|version``), else ours."""
    given = kept.get("questionnaire")
    if isinstance(given, str) and given.partition("|")[0] == ours.partition("|")[0]:
        return given
    return ours


def restore(items: Any, kept: dict[str, Any]) -> None:
    """Give exported response ``items`` (our item ids as linkIds) their kept units and codings."""
    units, codings = kept.get("units") or {}, kept.get("codings") or {}
    for node in items or []:
        if not isinstance(node, dict):
            continue
        link = node.get("linkId")
        for answer in node.get("answer") or []:
            unit = units.get(link)
            for key in ("valueDecimal", "valueInteger"):
                if unit and key in answer:
                    quantity: dict[str, Any] = {"value": answer.pop(key)}
                    if unit.get("display") or unit.get("code"):
                        quantity["unit"] = unit.get("display") or unit["code"]
                    quantity.update({k: unit[k] for k in ("system", "code") if k in unit})
                    answer["valueQuantity"] = quantity
            text = answer.get("valueString")
            coding = next(
                (
                    c
                    for c in codings.get(link) or []
                    if text is not None and text in (c.get("display"), c.get("code"))
                ),
                None,
            )
            if coding is not None:
                del answer["valueString"]
                answer["valueCoding"] = dict(coding)
            restore(answer.get("item"), kept)
        restore(node.get("item"), kept)
