"""Scores for staff pages: the ScoreReport as JSON, change since last time, statistics, export rows.

``formengine.scoring.engine`` is imported when first needed, so the staff pages still work (without
scores) while a deployment lacks it.
"""
from __future__ import annotations

import hashlib
import logging
from collections import Counter

from flask import current_app

from ..display import display
from ..forms_access import definition

log = logging.getLogger("webapp.staff")
SEVERITY_ORDER = {"high": 3, "medium": 2, "info": 1}


def scoring_available() -> bool:
    try:
        from formengine.scoring import engine as scoring  # noqa: F401
    except ImportError:
        return False
    return True


def score(defn, answers: dict, lang: str) -> dict | None:
    """The ScoreReport JSON (docs/format.md "Scoring"), or None when scoring is not installed."""
    try:
        from formengine.scoring.engine import score as score_fn
    except ImportError:
        return None
    try:
        return score_fn(defn, answers or {}, lang).as_json()
    except Exception:  # noqa: BLE001 - one case that cannot be scored must not break a page of many
        log.exception("scoring failed for %s@%s", defn.id, defn.version)
        return {"unscorable": True, "scales": [], "flags": [], "priorities": [], "gaps": [], "offers": []}


def flag_summary(report: dict | None) -> tuple[int, str | None]:
    """(number of flags, highest severity) for the overview list."""
    flags = (report or {}).get("flags") or []
    if not flags:
        return 0, None
    return len(flags), max((f.get("severity") for f in flags), key=lambda s: SEVERITY_ORDER.get(s, 0))


def scale_changes(report: dict | None, previous: dict | None) -> list[dict]:
    """Per scale: label, band and value before and now."""
    if not report or not previous:
        return []
    before = {s["id"]: s for s in previous.get("scales") or []}
    out = []
    for scale in report.get("scales") or []:
        old = before.get(scale["id"])
        if old is None:
            continue
        out.append({"label": scale.get("label"), "before": old.get("value"), "now": scale.get("value"),
                    "band_before": (old.get("band") or {}).get("label"),
                    "band_now": (scale.get("band") or {}).get("label")})
    return out


def answer_changes(defn, answers: dict, prev_defn, prev_answers: dict, lang: str) -> list[dict]:
    """Items (same id in both versions) whose answer changed, with both answers as text lines."""
    old_items = {i.id: i for sec in prev_defn.sections for i in sec.items}
    out = []
    for sec in defn.sections:
        for item in sec.items:
            if item.type in ("note", "repeat") or item.id not in old_items:
                continue
            now, before = answers.get(item.id), prev_answers.get(item.id)
            if now == before:
                continue
            out.append({"label": item.label.get(lang), "before": display(old_items[item.id], before, lang),
                        "now": display(item, now, lang)})
    return out


def pseudonym(response_id: str) -> str:
    """A stable export id that cannot be turned back into the response id (keyed hash)."""
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hashlib.blake2b(response_id.encode("utf-8"), key=key[:64], digest_size=8).hexdigest()


def export_row(response, report: dict | None, defn, lang: str) -> dict:
    """Scores and priorities of one assessment, without names, case references or free text."""
    report = report or {}
    return {
        "id": pseudonym(response.id), "form": response.form_id, "version": response.form_version,
        "origin": response.origin,
        "submitted": response.submitted_at.strftime("%Y-%m") if response.submitted_at else None,
        "scales": {s["id"]: {"value": s.get("value"), "band": (s.get("band") or {}).get("id")}
                   for s in report.get("scales") or []},
        "flags": [f["id"] for f in report.get("flags") or []],
        "priorities": _priorities(defn, response.answers or {}, report),
        "offers": [o["id"] for o in report.get("offers") or []],
    }


def _priorities(defn, answers: dict, report: dict) -> list[str]:
    if report.get("priorities") is not None:
        return [p["value"] for p in report["priorities"]]
    item_id = defn.scoring.priorities if defn.scoring else None
    value = answers.get(item_id) if item_id else None
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def statistics(entries: list[tuple]) -> dict:
    """Counts per band per scale, most common priorities, most suggested offers.

    ``entries`` holds (response, defn, report, lang) of submitted assessments.
    """
    bands: dict[tuple, Counter] = {}
    scale_labels: dict[tuple, str] = {}
    priorities: Counter = Counter()
    offers: Counter = Counter()
    labels: dict[tuple, str] = {}
    for response, defn, report, lang in entries:
        for scale in (report or {}).get("scales") or []:
            key = (response.form_id, scale["id"])
            scale_labels[key] = scale.get("label") or scale["id"]
            band = scale.get("band") or {}
            bands.setdefault(key, Counter())[band.get("label") or "—"] += 1
        for value in _priorities(defn, response.answers or {}, report or {}):
            priorities[(response.form_id, value)] += 1
            labels[(response.form_id, value)] = _option_label(defn, value, lang)
        for offer in (report or {}).get("offers") or []:
            offers[offer.get("title") or offer["id"]] += 1
    return {
        "scales": [{"label": scale_labels[k], "form": k[0], "bands": sorted(c.items())}
                   for k, c in sorted(bands.items())],
        "priorities": [(labels[k], n) for k, n in priorities.most_common(10)],
        "offers": offers.most_common(10),
        "total": len(entries),
    }


def _option_label(defn, value: str, lang: str) -> str:
    item_id = defn.scoring.priorities if defn.scoring else None
    for sec in defn.sections:
        for item in sec.items:
            if item.id == item_id or (item_id is None and item.type == "priority"):
                for option in item.options:
                    if option.value == value:
                        return option.label.get(lang)
    return value


def definition_of(response):
    return definition(response.form_id, response.form_version)
