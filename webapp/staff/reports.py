"""Scores for staff pages: the typed ScoreReport, change since last time, statistics, export rows."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter

from flask import current_app

import formengine
from formengine import ScoreReport

from ..display import display
from ..forms_access import definition

log = logging.getLogger("webapp.staff")
SEVERITY_ORDER = {"high": 3, "medium": 2, "info": 1}


def score(defn, answers: dict, lang: str) -> ScoreReport:
    """The typed ScoreReport of an answer set (docs/format.md "Scoring"). Never raises: a scale that
    cannot be computed is null with reason "not_scorable", and should anything else fail, the case
    gets a report without scores (and a notice on its page) instead of breaking a page of many."""
    try:
        return formengine.score(defn, answers or {}, lang)
    except Exception:  # noqa: BLE001 - one case that cannot be scored must not break a page of many
        log.exception("scoring failed for %s@%s", defn.id, defn.version)
        return ScoreReport(defn.id, defn.version, defn.hash or "", lang, (), (), (), (), ())


def flag_summary(report: ScoreReport | None) -> tuple[int, str | None]:
    """(number of flags, highest severity) for the overview list."""
    flags = report.flags if report is not None else ()
    if not flags:
        return 0, None
    return len(flags), max((f.severity for f in flags), key=lambda s: SEVERITY_ORDER.get(s, 0))


def scale_changes(
    report: ScoreReport | None, previous: ScoreReport | None, pairs: dict[str, str] | None = None
) -> list[dict]:
    """Per scale: label, band and value before and now.

    ``pairs`` (from :func:`formengine.scoring.compare.comparable_scales`) says which earlier scale
    each scale may be compared with; without it, scales with the same id are compared. A scale
    not asked this time or last time (reason ``not_asked``) is not compared: see :func:`not_asked`.
    """
    out = []
    for scale, old in _paired(report, previous, pairs):
        if "not_asked" in (scale.reason, old.reason):
            continue
        out.append(
            {
                "label": scale.label,
                "before": old.value,
                "now": scale.value,
                "band_before": old.band.label if old.band else None,
                "band_now": scale.band.label if scale.band else None,
            }
        )
    return out


def not_asked(
    report: ScoreReport | None, previous: ScoreReport | None, pairs: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """The labels of the comparable scales the relative was not asked this time (``now``) and of
    those asked now but not last time (``before``): they are named, never compared."""
    out: dict[str, list[str]] = {"now": [], "before": []}
    for scale, old in _paired(report, previous, pairs):
        if scale.reason == "not_asked":
            out["now"].append(scale.label)
        elif old.reason == "not_asked":
            out["before"].append(scale.label)
    return out


def _paired(report: ScoreReport | None, previous: ScoreReport | None, pairs: dict[str, str] | None):
    """(scale now, the earlier scale it compares with), for every scale that has one."""
    if report is None or previous is None:
        return
    before = {s.id: s for s in previous.scales}
    for scale in report.scales:
        old = before.get(pairs.get(scale.id, "") if pairs is not None else scale.id)
        if old is not None:
            yield scale, old


def answer_changes(defn, answers: dict, prev_defn, prev_answers: dict, lang: str) -> list[dict]:
    """Items (same id in both versions) whose answer changed, with both answers as text lines.

    An item hidden by a condition (not asked) on one side has ``before_asked``/``now_asked``
    false there and no lines: the page says «Ikke spurt», not "–". An answer left behind on a
    closed branch counts as no answer, so it is never a change by itself.

    Across a new major version that declares ``prefill:`` for the old one, the old answers are
    first read through that mapping, so that only questions with the same meaning are compared.
    """
    from formengine import prefill_answers, prefill_source

    mapping = prefill_source(defn, prev_defn) if prev_defn.key != defn.key else None
    if mapping is not None:
        before_now = prefill_answers(defn, prev_defn, prev_answers)
        targets = {new.split(".")[0] for _, new in mapping.map}
        out = []
        for sec in defn.sections:
            for item in sec.fields:
                now, before = answers.get(item.id), before_now.get(item.id)
                if item.id in targets and now != before:
                    out.append(
                        {
                            "label": item.label.get(lang),
                            "before": display(item, before, lang),
                            "now": display(item, now, lang),
                        }
                    )
        return out
    old_items = {i.id: i for sec in prev_defn.sections for i in sec.fields}
    asked_now = formengine.visible_items(defn, answers)
    asked_before = formengine.visible_items(prev_defn, prev_answers)
    out = []
    for sec in defn.sections:
        for item in sec.fields:
            if formengine.ITEM_TYPES[item.type].answer in ("none", "repeat") or item.id not in old_items:
                continue
            was_asked, is_asked = item.id in asked_before, item.id in asked_now
            now = answers.get(item.id) if is_asked else None
            before = prev_answers.get(item.id) if was_asked else None
            if now == before:  # also: no answer on either side, asked or not
                continue
            out.append(
                {
                    "label": item.label.get(lang),
                    "before": display(old_items[item.id], before, lang),
                    "now": display(item, now, lang),
                    "before_asked": was_asked,
                    "now_asked": is_asked,
                }
            )
    return out


def pseudonym(response_id: str) -> str:
    """A stable export id that cannot be turned back into the response id (keyed hash)."""
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hashlib.blake2b(response_id.encode("utf-8"), key=key[:64], digest_size=8).hexdigest()


def export_row(response, report: ScoreReport | None, defn, lang: str) -> dict:
    """Scores and priorities of one assessment, without names, case references or free text."""
    return {
        "id": pseudonym(response.id),
        "form": response.form_id,
        "version": response.form_version,
        "origin": response.origin,
        "submitted": response.submitted_at.strftime("%Y-%m") if response.submitted_at else None,
        "scales": {
            s.id: {"value": s.value, "band": s.band.id if s.band else None}
            for s in (report.scales if report else ())
        },
        "flags": [f.id for f in (report.flags if report else ())],
        "priorities": _priorities(defn, response.answers or {}, report),
        "offers": [o.id for o in (report.offers if report else ())],
    }


def _priorities(defn, answers: dict, report: ScoreReport | None) -> list[str]:
    if report is not None:
        return [p.value for p in report.priorities]
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
        for scale in report.scales if report else ():
            key = (response.form_id, scale.id)
            scale_labels[key] = scale.label or scale.id
            bands.setdefault(key, Counter())[(scale.band.label if scale.band else "") or "—"] += 1
        for value in _priorities(defn, response.answers or {}, report):
            priorities[(response.form_id, value)] += 1
            labels[(response.form_id, value)] = _option_label(defn, value, lang)
        for offer in report.offers if report else ():
            offers[offer.title or offer.id] += 1
    return {
        "scales": [
            {"label": scale_labels[k], "form": k[0], "bands": sorted(c.items())}
            for k, c in sorted(bands.items())
        ],
        "priorities": [(labels[k], n) for k, n in priorities.most_common(10)],
        "offers": offers.most_common(10),
        "total": len(entries),
    }


def _option_label(defn, value: str, lang: str) -> str:
    item_id = defn.scoring.priorities if defn.scoring else None
    for sec in defn.sections:
        for item in sec.fields:
            if item.id == item_id or (item_id is None and item.type == "priority"):
                for option in item.options:
                    if option.value == value:
                        return option.label.get(lang)
    return value


def definition_of(response):
    return definition(response.form_id, response.form_version)
