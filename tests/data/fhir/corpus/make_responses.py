"""Build the corpus QuestionnaireResponses that the source projects do not ship.

Run from the repository root: ``python3 tests/data/fhir/corpus/make_responses.py``. It writes
``<name>.qr.json`` next to each ``<name>.q.json`` listed in ``ANSWERS`` (the projects' own
responses — sdc-phq9, lforms-fhir-import, lforms-valuequantity — are copied, not built).

The responses are nested the way LHC-Forms (``getFormFHIRData``) and Refero emit them: a group's
children in ``item.item``, a question's children in ``answer[0].item``, one item per entry of a
repeating group, one answer per entry of a repeating question (each with its
followers in its ``item``), coded answers as the option's ``valueCoding``
(system, code, display, without the option's extensions), no items for display items or for
questions left unanswered. Every question the relative can answer gets an answer; nested repeats
get two or more entries. Calculated items get what the source computes (the BMI below).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# LHC's BMI rule in sdc-weight-height: (%weight / (%height * 0.0254).power(2)).round(1)
WEIGHT_KG, HEIGHT_IN = 72.5, 69.0
BMI = round(WEIGHT_KG / (HEIGHT_IN * 0.0254) ** 2, 1)


def coding(code: str, display: str, system: str | None = None) -> dict[str, Any]:
    """A coded answer to an item whose options live on a terminology server (not in the file):
    the code is illustrative, the display what a person would pick."""
    out = {"system": system} if system else {}
    return {"valueCoding": out | {"code": code, "display": display}}


# linkId -> a list of answers: a code (looked up in the item's options), or a ready answer dict.
# A repeating group (or repeating question with children) -> a list of entries (dicts); a
# repeating question's entry gives its own answer under "answer".
ANSWERS: dict[str, dict[str, Any]] = {
    "sdc-weight-height": {
        "/29463-7": [{"valueDecimal": WEIGHT_KG}],
        "/8352-7": ["LA11872-1"],
        "/8302-2": [{"valueDecimal": HEIGHT_IN}],
        "/39156-5": [{"valueDecimal": BMI}],
        "/8361-8": ["LA11870-5"],
    },
    "sdc-repeatable-nested-groups": {
        "a9f40adc-f194-4efb-b4f7-9396d0ca8e49": [{"valueString": "Kari Nordmann"}],
        "ba91450b-6e67-40dc-8629-0f1b60577774": [
            {
                "34b78239-1df2-49c5-a1ab-8f5691c7ede0": [coding("home-care", "Home care")],
                "b7e29109-f729-4359-aa29-6c9e7c7b2318": [{"valueString": "Twice a week"}],
                "68ca912397a145bd9e9f265702b5cf45": [
                    {"b7e29109-f729-4359-aa29-6c9e7c7b2328": [{"valueString": "Monday morning"}]},
                    {"b7e29109-f729-4359-aa29-6c9e7c7b2328": [{"valueString": "Thursday evening"}]},
                ],
            },
            {
                "34b78239-1df2-49c5-a1ab-8f5691c7ede0": [coding("respite", "Respite care")],
                "b7e29109-f729-4359-aa29-6c9e7c7b2318": [{"valueString": "One weekend a month"}],
                "68ca912397a145bd9e9f265702b5cf45": [
                    {"b7e29109-f729-4359-aa29-6c9e7c7b2328": [{"valueString": "First weekend"}]},
                    {"b7e29109-f729-4359-aa29-6c9e7c7b2328": [{"valueString": "Third weekend"}]},
                ],
            },
        ],
    },
    "lforms-nested-repeating-groups": {
        "9744363809788": [
            {
                "answer": [{"valueString": "Mother"}],
                "4429300181219": [{"valueString": "Diagnosed 2019"}],
                "2834300786105": [coding("2143", "Asthma")],
            },
            {
                "answer": [{"valueString": "Father"}],
                "4429300181219": [{"valueString": "Diagnosed 2021"}],
                "2834300786105": [coding("2560", "Diabetes")],
            },
        ]
    },
    "lforms-3-level-deep": {
        "level1": [{"valueString": "first answer"}],
        "level2": [{"valueString": "second answer"}],
        "level3": [{"valueString": "third answer"}],
    },
    "lforms-argonaut-phq9": {
        "g1.q1": ["LA6569-3"],
        "g1.q2": ["LA6570-1"],
        "g1.q3": ["LA6571-9"],
        "g1.q4": ["LA6570-1"],
        "g1.q5": ["LA6568-5"],
        "g1.q6": ["LA6569-3"],
        "g1.q7": ["LA6569-3"],
        "g1.q8": ["LA6568-5"],
        # options on a terminology server (the PHQ-9 answer list): LOINC's own code for "Several days"
        "g1.q9": [coding("LA6569-3", "Several days", "http://loinc.org")],
        "g2.q1": ["LA6573-5"],
    },
    "refero-section-score": {
        "2.1.1": ["LA6570-1"],
        "2.1.2": ["b", "c"],
        "2.2.1": ["LA6569-3"],
        "2.2.2": ["a"],
        "2.3.1": ["LA6571-9"],
        "2.3.2.1": ["d"],
        "2.3.2.2.1": ["LA6569-3"],
    },
    "refero-choice-check-box": {"2.1": ["a", "c", "d"]},
    "refero-nested-items": {
        "1.1": [{"valueDecimal": 1.5}],
        "1.2": [{"valueInteger": 4}],
        "1.3.1": [{"valueString": "Ferdig i morgen"}],
        "1.3.1.1": [{"valueInteger": 2}],
    },
    "refero-fhirpath-score": {
        "1": [{"valueDecimal": 2.5}],
        "2": [{"valueInteger": 3}],
        "3": [{"valueQuantity": {"value": 70, "unit": "kg", "code": "kg"}}],
    },
}


def options(q: dict[str, Any], item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """code -> the option's Coding (answerOption, R3 ``option``, or a contained ValueSet)."""
    out = {}
    for entry in item.get("answerOption") or item.get("option") or []:
        coding_ = entry.get("valueCoding")
        if coding_:
            out[coding_["code"]] = {k: coding_[k] for k in ("system", "code", "display") if k in coding_}
    for vs in q.get("contained") or []:
        if "#" + str(vs.get("id")) == item.get("answerValueSet"):
            for include in (vs.get("compose") or {}).get("include") or []:
                for c in include.get("concept") or []:
                    out[c["code"]] = {
                        "system": include.get("system"),
                        "code": c["code"],
                        "display": c["display"],
                    }
            for c in (vs.get("expansion") or {}).get("contains") or []:
                out[c["code"]] = {k: c[k] for k in ("system", "code", "display") if k in c}
    return out


def answers(q: dict[str, Any], item: dict[str, Any], given: list[Any]) -> list[dict[str, Any]]:
    table = options(q, item)
    return [{"valueCoding": table[a]} if isinstance(a, str) else dict(a) for a in given]


def build(q: dict[str, Any], items: list[dict[str, Any]], spec: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        link, kind = item["linkId"], item.get("type")
        head = {"linkId": link, "text": item["text"]} if item.get("text") else {"linkId": link}
        if kind == "display":
            continue
        if kind == "group":
            entries = spec.get(link, []) if item.get("repeats") else [spec]
            for entry in entries:
                children = build(q, item.get("item") or [], entry)
                if children:
                    out.append(head | {"item": children})
            continue
        given = spec.get(link)
        if not given:
            continue
        entries = given if isinstance(given[0], dict) and "answer" in given[0] else [spec | {"answer": given}]
        values = []  # a repeating question: one item, one answer per entry, its followers under it
        for entry in entries:
            mine = answers(q, item, entry["answer"])
            children = build(q, item.get("item") or [], entry)
            if children:
                mine[0]["item"] = children
            values += mine
        out.append(head | {"answer": values})
    return out


def response(name: str) -> dict[str, Any]:
    q = json.loads((HERE / f"{name}.q.json").read_text("utf-8"))
    out: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "status": "completed"}
    if q.get("url"):
        out["questionnaire"] = q["url"] + (f"|{q['version']}" if q.get("version") else "")
    out["item"] = build(q, q["item"], ANSWERS[name])
    return out


def main() -> None:
    for name in ANSWERS:
        text = json.dumps(response(name), indent=2, ensure_ascii=False) + "\n"
        (HERE / f"{name}.qr.json").write_text(text, "utf-8")


if __name__ == "__main__":
    main()
