"""Build the template context of the meeting summary from a definition, answers and a ScoreReport.

The ScoreReport is used in its documented JSON shape (``docs/format.md``), so a report object
with ``.as_json()`` and a plain dict both work. In the record copy, answers the relative marked
"for the conversation only" are removed, and so is everything computed from them (a scale,
flag or gap that reads a marked item), so nothing marked leaks through a number.
"""
from __future__ import annotations

from typing import Any

from formengine.answers.conditions import effective_answers
from formengine.answers.privacy import effective_marks, parse_mark, strip_marked
from formengine.definition.model import FormDefinition
from formengine.summary import parts
from formengine.summary.chart import bar_html, scale_range
from formengine.summary.strings import strings
from formengine.summary.values import answered, fmt_date, fmt_number, item_label

LANG_NAMES = {"nb": "bokmål", "nn": "nynorsk", "en": "English", "se": "davvisámegiella"}


def as_report(report: Any) -> dict:
    """Return a ScoreReport as its JSON dict."""
    if report is None:
        return {}
    return report.as_json() if hasattr(report, "as_json") else dict(report)


def score_report(defn: FormDefinition, answers: dict, lang: str) -> dict:
    """Score with ``formengine.scoring.engine`` (imported late: the library works without it)."""
    from formengine.scoring.engine import score
    return as_report(score(defn, answers, lang))


def header(defn: FormDefinition, lang: str, meta: dict, kind_title: str) -> dict:
    """Return the header block: municipality, titles, version, short hash, date, case."""
    t = strings(lang)
    municipality = meta.get("municipality") or (defn.municipality.name if defn.municipality else "")
    digest = defn.hash.split(":", 1)[-1][:12]
    when = meta.get("submitted_at") or meta.get("date")
    return {"municipality": municipality, "doc_title": kind_title, "form_title": defn.title.get(lang),
            "version": defn.version, "hash": digest, "form_key": defn.key,
            "date": fmt_date(when, lang) if when else "", "case_ref": meta.get("case_ref") or "",
            "relative_name": meta.get("relative_name") or "", "language": LANG_NAMES.get(lang, lang),
            "date_label": t["submitted"] if meta.get("submitted_at") else t["date"]}


def marked_ids(defn: FormDefinition, meta: dict, copy: str, answers: dict | None = None) -> set[str]:
    """Return the marks to leave out (item ids, ``ITEM[N].CHILD``), in the record copy only.

    Without ``conversation_only`` in ``meta`` the definition's ``conversation_only: default``
    items count as marked.
    """
    if copy != "record":
        return set()
    return set(effective_marks(defn, answers or {}, meta.get("conversation_only")))


def _flag_refs(defn: FormDefinition, flag_id: str) -> set[str]:
    scales = {s.id: s for s in defn.scoring.scales}
    for flag in defn.scoring.flags:
        if flag.id != flag_id:
            continue
        out = set()
        for ref in flag.when.references():
            head, _, tail = ref.name.partition(".")
            out |= {i.partition(".")[0] for i in scales[tail].items} if head == "score" and tail in scales else {head}
        return out
    return set()


def filter_report(defn: FormDefinition, report: dict, marked: set[str]) -> dict:
    """Drop every scale, flag, gap and priority that reads a marked item."""
    if not marked:
        return report
    gaps_def = {g.id: {m for _, m in g.bind} for g in defn.scoring.gaps}
    reads = {sc.id: {i.partition(".")[0] for i in sc.items} for sc in defn.scoring.scales}
    out = dict(report)
    out["scales"] = [dict(s, value=None, band=None, reason="left_out") if reads.get(s.get("id"), set()) & marked
                     else s for s in report.get("scales") or []]
    out["flags"] = [f for f in report.get("flags") or [] if not _flag_refs(defn, f.get("id")) & marked]
    out["gaps"] = [g for g in report.get("gaps") or [] if not gaps_def.get(g.get("id"), set()) & marked]
    if defn.scoring.priorities in marked:
        out["priorities"] = []
    return out


def copy_note(t: dict, copy: str, left_out: int) -> str:
    """Say in one line which copy this is, and how many marked answers it leaves out."""
    if copy == "meeting":
        return t["copy_meeting"]
    return t["copy_record"].format(n=left_out) if left_out else t["copy_record_none"]


def chart_rows(defn: FormDefinition, report: dict, lang: str) -> list[dict]:
    """Return one row per scale: label, written value, band label and the SVG bar."""
    t = strings(lang)
    scales = {s.id: s for s in defn.scoring.scales}
    rows = []
    for entry in report.get("scales") or []:
        scale = scales.get(entry.get("id"))
        if scale is None:
            continue
        low, high = scale_range(defn, scale)
        value = entry.get("value")
        band = entry.get("band") or {}
        if entry.get("reason") == "left_out":
            written = t["left_out"]
        elif value is None:
            written = t["no_value"]
        else:
            key = "value_of" if low == 0 else "value_range"
            written = t[key].format(value=fmt_number(round(value, 1)), low=fmt_number(low).replace("-", "−"),
                                    max=fmt_number(high))
        bands = [(b.max, b.colour) for b in scale.bands]
        rows.append({"id": scale.id, "label": entry.get("label") or scale.label.get(lang), "written": written,
                     "band": band.get("label") or "", "bar": bar_html(value, low, high, bands)})
    return rows


def flag_rows(report: dict, lang: str) -> list[dict]:
    """Return flags, most severe first, with a written severity."""
    t = strings(lang)
    order = {"high": 0, "medium": 1, "info": 2}
    flags = sorted(report.get("flags") or [], key=lambda f: order.get(f.get("severity"), 3))
    return [dict(f, severity_label=t.get(f"flag_{f.get('severity')}", "")) for f in flags]


def build_summary_context(defn: FormDefinition, answers: dict, *, lang: str = "nb", copy: str = "meeting",
                          meta: dict | None = None, previous: Any = None, report: Any = None) -> dict:
    """Return everything the summary template needs."""
    if copy not in ("meeting", "record"):  # "relative": see formengine.summary.relative
        raise ValueError("copy must be 'meeting' or 'record'")
    meta = dict(meta or {})
    t = strings(lang)
    full = effective_answers(defn, answers)
    report = as_report(report) if report is not None else score_report(defn, full, lang)
    marks = marked_ids(defn, meta, copy, full)
    shown, left_out = strip_marked(defn, full, marks)
    # anything computed from a marked answer goes too (a mark on one repeat entry: the whole group)
    marked = {parse_mark(m).item for m in marks} | {parse_mark(m).child or "" for m in marks} - {""}
    report = filter_report(defn, report, marked)
    used: set[str] = set()
    ctx: dict[str, Any] = {"lang": lang, "t": t, "copy": copy, "head": header(defn, lang, meta, t["summary_title"]),
           "copy_note": copy_note(t, copy, left_out),
           "priorities": [p.get("label") for p in report.get("priorities") or []],
           "questions": parts.questions(defn, shown, lang, used),
           "flags": flag_rows(report, lang), "chart": chart_rows(defn, report, lang),
           "gaps": parts.gap_table(defn, report, shown, lang),
           "cards": parts.card_tables(defn, shown, lang, used),
           "offers": parts.offers(defn, report, lang, marked),
           "info": parts.information(defn, report, shown, meta, lang, used),
           "who": parts.who(defn, shown, lang, used),
           "change": parts.change(defn, report, previous, lang, score_report),
           "after": parts.after_meeting(meta.get("agreement"), lang)}
    if defn.scoring.priorities:
        used.add(defn.scoring.priorities)
    ctx["words"] = parts.own_words(defn, shown, lang, used)
    ctx["glance"] = parts.glance(defn, shown, lang, used)
    ctx["marks"] = {k for k in meta.get("conversation_only") or [] if k in shown} if copy == "meeting" else set()
    ctx["item_label"] = lambda item_id: item_label(defn, item_id, lang)
    return ctx
