"""Helpers of the FHIR corpus harness (tests/formengine/test_fhir_corpus.py): load a pair,
import it, and read answers out of responses and weights out of Questionnaires, independently
of formengine's own import (so that expected scores never come from our output)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from formengine.definition.registry import load_registry
from formengine.fhir.importer import import_questionnaire
from formengine.scoring.engine import score

CORPUS = Path(__file__).resolve().parents[1] / "data" / "fhir" / "corpus"
PAIRS = sorted(p.name[: -len(".q.json")] for p in CORPUS.glob("*.q.json"))


def load(name: str, kind: str) -> dict[str, Any]:
    return json.loads((CORPUS / f"{name}.{kind}.json").read_text("utf-8"))  # type: ignore[no-any-return]


def install(name: str, root: Path, status: str = "draft") -> Any:
    """Import the pair's Questionnaire into root/forms; return its definition."""
    data, text = import_questionnaire(load(name, "q"), report=lambda message: None)
    text = re.sub(r"(?m)^status: \w+$", f"status: {status}", text)
    path = root / "forms" / data["id"] / f"{data['version']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    registry = load_registry(root / "forms")
    assert registry.errors == []
    return registry.definitions[(data["id"], data["version"])]


def leaves(items: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Every answer of a response: (linkIds from the root, the answer without display texts)."""
    out = []
    for item in items or []:
        here = path + (item["linkId"],)
        for answer in item.get("answer") or []:
            value = {k: v for k, v in answer.items() if k != "item"}
            out.append((here, json.dumps(value, sort_keys=True)))
            out += leaves(answer.get("item"), here)
        out += leaves(item.get("item"), here)
    return out


def same(original: str, ours: str) -> bool:
    """An exported answer equals the original: same type and value, same code and unit; the
    display text and a system that the original leaves out are not compared."""
    a, b = json.loads(original), json.loads(ours)
    if set(a) != set(b):
        return False
    key = next(iter(a))
    if key in ("valueCoding", "valueQuantity"):
        return all(b[key].get(k) == v for k, v in a[key].items() if k != "display")
    return bool(a == b)


def counted(value: Any) -> int:
    """How many answers an answers-document value holds (repeat entries and matrices opened)."""
    if isinstance(value, dict):
        return sum(counted(v) for v in value.values())
    if isinstance(value, list):
        return sum(counted(v) if isinstance(v, dict) else 1 for v in value)
    return 0 if value is None else 1


def flat(items: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items or []:
        out[item["linkId"]] = item
        out.update(flat(item.get("item")))
    return out


def ordinals(q: dict[str, Any]) -> dict[str, float]:
    """code -> ordinalValue, from every answerOption and contained ValueSet of ``q``."""
    out: dict[str, float] = {}

    def weight(element: dict[str, Any]) -> float | None:
        for ext in element.get("extension") or []:
            if ext["url"].endswith(("ordinalValue", "itemWeight")):
                return float(ext["valueDecimal"])
        return None

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            for option in item.get("answerOption") or []:
                value = weight(option) if weight(option) is not None else weight(option["valueCoding"])
                out[option["valueCoding"]["code"]] = value  # type: ignore[assignment]
            walk(item.get("item") or [])

    walk(q["item"])
    for vs in q.get("contained") or []:
        for include in (vs.get("compose") or {}).get("include") or []:
            for concept in include.get("concept") or []:
                out.setdefault(concept["code"], weight(concept))  # type: ignore[arg-type]
        for entry in (vs.get("expansion") or {}).get("contains") or []:
            out.setdefault(entry["code"], weight(entry))  # type: ignore[arg-type]
    return out


def coded(response: dict[str, Any], links: set[str] | None = None) -> list[tuple[str, str]]:
    """(linkId, code) of every coded answer (of the items in ``links``, if given)."""
    return [
        (path[-1], json.loads(v)["valueCoding"]["code"])
        for path, v in leaves(response["item"])
        if "valueCoding" in json.loads(v) and (links is None or path[-1] in links)
    ]


def our_scales(defn: Any, document: dict[str, Any]) -> dict[str, Any]:
    report = score(defn, document["answers"], defn.default_language).as_json()
    return {s["id"]: s["value"] for s in report["scales"]}


def refero_expected(q: dict[str, Any], qr: dict[str, Any]) -> dict[str, float | None]:
    """Refero's scoring: an SS item sums the QS answers inside its group (at any depth), a TS
    item every QS answer; blank (None) when none of them is answered."""
    weights = ordinals(q)
    given: dict[str, list[str]] = {}
    for link, code in coded(qr):
        given.setdefault(link, []).append(code)
    out: dict[str, float | None] = {}

    def qs_links(items: list[dict[str, Any]]) -> list[str]:
        found = []
        for item in items:
            codes = [c["code"] for c in item.get("code") or []]
            found += [item["linkId"]] if "QS" in codes else []
            found += qs_links(item.get("item") or [])
        return found

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            codes = [c["code"] for c in item.get("code") or []]
            scope = items if "SS" in codes else q["item"]
            if "SS" in codes or "TS" in codes:
                links = [link for link in qs_links(scope) if link in given]
                out[item["linkId"]] = (
                    sum(weights[c] for link in links for c in given[link]) if links else None
                )
            walk(item.get("item") or [])

    walk(q["item"])
    return out
