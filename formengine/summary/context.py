"""Build the template context of the meeting summary from a definition, answers and a ScoreReport.

The report is a typed :class:`~formengine.scoring.report.ScoreReport` (a caller may also pass its
JSON form, which is turned back into one). In the record copy, answers the relative marked
"for the conversation only" are removed, and so is everything computed from them (a scale,
flag or gap that reads a marked item), so nothing marked leaks through a number.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from formengine.answers.conditions import effective_answers
from formengine.answers.privacy import effective_marks, parse_mark, strip_marked
from formengine.definition.model import FormDefinition
from formengine.render.answers import format_date, format_number
from formengine.scoring.engine import score
from formengine.scoring.report import ScoreReport
from formengine.summary import parts
from formengine.summary.chart import bar_html, scale_range
from formengine.summary.strings import strings
from formengine.summary.values import item_label

#: The summary's copies: for the meeting (everything) and for the record (the journal; PDF/A,
#: marked «Journalkopi» on every page, no "keep this copy" line). The relative's own copy is
#: :mod:`formengine.summary.relative`.
COPIES = ("meeting", "record")
TITLE_KEYS = {"meeting": "summary_title", "record": "record_title"}
KEEP_KEYS = {"meeting": "keep_copy", "record": ""}
LANG_NAMES = {"nb": "bokmål", "nn": "nynorsk", "en": "English", "se": "davvisámegiella"}


def as_report(report: ScoreReport | dict[str, Any]) -> ScoreReport:
    """Return a ScoreReport (a caller may pass its JSON form)."""
    return report if isinstance(report, ScoreReport) else ScoreReport.from_json(report)


def score_report(defn: FormDefinition, answers: dict[str, Any], lang: str) -> ScoreReport:
    """Score the answers (the default scorer of the summary's before/after comparison)."""
    return score(defn, answers, lang)


def header(defn: FormDefinition, lang: str, meta: dict[str, Any], kind_title: str) -> dict[str, Any]:
    """Return the header block: municipality, titles, version, short hash, date, case."""
    t = strings(lang)
    municipality = meta.get("municipality") or (defn.municipality.name if defn.municipality else "")
    digest = defn.hash.split(":", 1)[-1][:12]
    when = meta.get("submitted_at") or meta.get("date")
    return {
        "municipality": municipality,
        "doc_title": kind_title,
        "form_title": defn.title.get(lang),
        "version": defn.version,
        "hash": digest,
        "form_key": defn.key,
        "date": format_date(when, lang) if when else "",
        "case_ref": meta.get("case_ref") or "",
        "relative_name": meta.get("relative_name") or "",
        "language": LANG_NAMES.get(lang, lang),
        "date_label": t["submitted"] if meta.get("submitted_at") else t["date"],
    }


def marked_ids(
    defn: FormDefinition, meta: dict[str, Any], copy: str, answers: dict[str, Any] | None = None
) -> set[str]:
    """Return the marks to leave out (item ids, ``ITEM[N].CHILD``), in the record copy only.

    Without ``conversation_only`` in ``meta`` the definition's ``conversation_only: default``
    items count as marked.
    """
    if copy != "record":
        return set()
    return set(effective_marks(defn, answers or {}, meta.get("conversation_only")))


def mark_entries(
    defn: FormDefinition, answers: dict[str, Any], marks: list[Any], word: str
) -> dict[str, Any]:
    """Meeting copy: write "(bare til samtalen)" after a marked text answer of one repeat entry."""
    out = dict(answers)
    for mark in marks:
        parsed = parse_mark(str(mark))
        if parsed.index is None or not parsed.child or parsed.child not in defn.items_by_id:
            continue
        if defn.item(parsed.child).type not in ("text", "long_text"):
            continue
        entries = out.get(parsed.item)
        if (
            not isinstance(entries, list)
            or parsed.index >= len(entries)
            or not isinstance(entries[parsed.index], dict)
        ):
            continue
        value = entries[parsed.index].get(parsed.child)
        if isinstance(value, str) and value.strip():
            entries = [dict(e) if isinstance(e, dict) else e for e in entries]
            entries[parsed.index][parsed.child] = f"{value} ({word})"
            out[parsed.item] = entries
    return out


def _flag_refs(defn: FormDefinition, flag_id: str) -> set[str]:
    scales = {s.id: s for s in defn.scoring.scales}
    for flag in defn.scoring.flags:
        if flag.id != flag_id:
            continue
        out = set()
        for ref in flag.when.references():
            head, _, tail = ref.name.partition(".")
            out |= (
                {i.partition(".")[0] for i in scales[tail].items}
                if head == "score" and tail in scales
                else {head}
            )
        return out
    return set()


def _condition_reads(defn: FormDefinition, item_ids: set[str]) -> set[str]:
    """The items read by the show_if of these items, of the groups around them and of their sections."""
    conds = []
    for item_id in item_ids:
        item = defn.items_by_id.get(item_id)
        if item is None:
            continue
        section = defn.section(defn.section_of[item_id])
        conds += [section.show_if, *(g.show_if for g in defn.ancestors(item_id)), item.show_if]
    return {ref.name.partition(".")[0] for c in conds if c is not None for ref in c.references()}


def filter_report(defn: FormDefinition, report: ScoreReport, marked: set[str]) -> ScoreReport:
    """Drop every scale, flag, gap and priority that reads a marked item.

    A scale also reads the conditions that show or hide its items: when one of them reads a marked
    answer (a conversation-only checklist of areas), the scale is left out too, asked or not —
    «Not asked» for one area and a value or «Too few answers» for another would tell what that
    answer was."""
    if not marked:
        return report
    gaps_def = {g.id: {m for _, m in g.bind} for g in defn.scoring.gaps}
    reads = {sc.id: {i.partition(".")[0] for i in sc.items} for sc in defn.scoring.scales}
    for scale_id, items in list(reads.items()):
        reads[scale_id] = items | _condition_reads(defn, items)
    return replace(
        report,
        scales=tuple(
            replace(s, value=None, band=None, reason="left_out") if reads.get(s.id, set()) & marked else s
            for s in report.scales
        ),
        flags=tuple(f for f in report.flags if not _flag_refs(defn, f.id) & marked),
        gaps=tuple(g for g in report.gaps if not gaps_def.get(g.id, set()) & marked),
        priorities=() if defn.scoring.priorities in marked else report.priorities,
    )


def copy_note(t: dict[str, str], copy: str, left_out: int) -> str:
    """Say in one line which copy this is, and how many marked answers it leaves out."""
    if copy == "meeting":
        return t["copy_meeting"]
    return t[f"copy_{copy}"].format(n=left_out) if left_out else t[f"copy_{copy}_none"]


def chart_rows(defn: FormDefinition, report: ScoreReport, lang: str) -> list[dict[str, Any]]:
    """Return one row per scale: label, written value, band label and the bar.

    A scale the relative was not asked (reason ``not_asked``: she did not tick the area) says so
    («Ikke spurt»), has no bar and is ``muted``: it is not missing data, and not a low score."""
    t = strings(lang)
    scales = {s.id: s for s in defn.scoring.scales}
    rows = []
    for entry in report.scales:
        scale = scales.get(entry.id)
        if scale is None:
            continue
        low, high = scale_range(defn, scale)
        value = entry.value
        if entry.reason == "left_out":
            written = t["left_out"]
        elif entry.reason == "not_asked":
            written = t["not_asked"]
        elif value is None:
            written = t["no_value"]
        else:
            key = "value_of" if low == 0 else "value_range"
            written = t[key].format(
                value=format_number(round(value, 1), lang),
                low=format_number(low, lang).replace("-", "−"),
                max=format_number(high, lang),
            )
        bands = [(b.max, b.colour) for b in scale.bands]
        rows.append(
            {
                "id": scale.id,
                "label": entry.label or scale.label.get(lang),
                "written": written,
                "band": entry.band.label if entry.band else "",
                "bar": "" if entry.reason == "not_asked" else bar_html(value, low, high, bands),
                "reason": entry.reason,
                "muted": entry.reason == "not_asked",
            }
        )
    return rows


def flag_rows(report: ScoreReport, lang: str) -> list[dict[str, Any]]:
    """Return flags, most severe first, with a written severity."""
    t = strings(lang)
    order = {"high": 0, "medium": 1, "info": 2}
    flags = sorted(report.flags, key=lambda f: order.get(f.severity, 3))
    return [dict(f.as_json(), severity_label=t.get(f"flag_{f.severity}", "")) for f in flags]


def build_summary_context(
    defn: FormDefinition,
    answers: dict[str, Any],
    *,
    lang: str = "nb",
    copy: str = "meeting",
    meta: dict[str, Any] | None = None,
    previous: Any = None,
    report: Any = None,
) -> dict[str, Any]:
    """Return everything the summary template needs."""
    if copy not in COPIES:  # "relative": see formengine.summary.relative
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
    if copy == "meeting":
        shown = mark_entries(defn, shown, meta.get("conversation_only") or [], t["conversation_only"])
    used: set[str] = set()
    ctx: dict[str, Any] = {
        "lang": lang,
        "t": t,
        "copy": copy,
        "head": header(defn, lang, meta, t[TITLE_KEYS[copy]]),
        "copy_note": copy_note(t, copy, left_out),
        "running": t[f"running_{copy}"],
        "keep": t[KEEP_KEYS[copy]] if KEEP_KEYS[copy] else "",
        "priorities": [p.label for p in report.priorities],
        "questions": parts.questions(defn, shown, lang, used),
        "flags": flag_rows(report, lang),
        "chart": chart_rows(defn, report, lang),
        "gaps": parts.gap_table(defn, report, shown, lang),
        "cards": parts.card_tables(defn, shown, lang, used),
        "offers": parts.offers(defn, report, lang, marked),
        "info": parts.information(defn, report, shown, meta, lang, used),
        "who": parts.who(defn, shown, lang, used),
        "change": parts.change(defn, report, previous, lang, score_report),
        "after": parts.after_meeting(meta.get("agreement"), lang),
    }
    if copy == "record" and ctx["change"]:  # last time's marks are not known here: that a scale
        ctx["change"]["not_asked_before"] = []  # was not asked then could tell a marked checklist
    if defn.scoring.priorities:
        used.add(defn.scoring.priorities)
    ctx["words"] = parts.own_words(defn, shown, lang, used)
    ctx["glance"] = parts.glance(defn, shown, lang, used)
    ctx["marks"] = (
        {k for k in meta.get("conversation_only") or [] if k in shown} if copy == "meeting" else set()
    )
    ctx["item_label"] = lambda item_id: item_label(defn, item_id, lang)
    return ctx
