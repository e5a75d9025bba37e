"""Refero's QuestionnaireResponse quirks import quietly: a question's help text in a value-less
answer, and a matrix's help text echoed among its rows."""

from __future__ import annotations

from pathlib import Path

from formengine.definition.registry import load_registry
from formengine.fhir.response import export_response, import_response

ROOT = Path(__file__).resolve().parents[2]


def _find(items, link):
    for item in items:
        if item["linkId"] == link:
            return item
        found = _find(item.get("item", []), link)
        if found:
            return found
    return None


def test_refero_help_placeholders_import_without_warnings():
    defn = load_registry(ROOT / "forms").get("parorende-kartlegging", "1.1.0")
    answers = {"priorities": ["crisis", "care_for_person"], "grey_now": {"laundry": "me"}}
    response = export_response(defn, {"answers": answers})
    help_text = {"linkId": "priorities.help", "text": "Hjelp"}
    priorities = _find(response["item"], "priorities")
    priorities["answer"].insert(0, {"item": [help_text]})  # as Refero writes it
    _find(response["item"], "grey_now")["item"].insert(0, {"linkId": "grey_now.help", "text": "Hjelp"})
    warnings: list[str] = []
    assert import_response(defn, response, warnings.append)["answers"] == answers
    assert warnings == []
