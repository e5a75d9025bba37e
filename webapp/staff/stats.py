"""Statistics a municipality can use, and the export for Norwegian Excel, both with small-cell
suppression: no count, share or mean from fewer than ``MIN_CELL`` relatives is shown.

Assessments are grouped by relative: a re-assessment (``previous_id``) or a later response in the
same case (``case_ref``) is the same person, not a new one. Profile figures (flags, priorities,
unmet expectations, offers, levels) count each relative once, from their latest response in the
period. The export has one row per assessment, Norwegian headings, no names, contact details,
case references or free text; with fewer than ``MIN_CELL`` relatives it has no rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

MIN_CELL = 5
FEWER = "færre enn 5"
HIDDEN = "skjult"  # a count of 5 or more hidden because the rest (total minus it) would be fewer than 5
ORIGINS = {"self": "selv", "invite": "invitasjon", "paper": "papir"}
KINDS = {"assessment": "kartlegging", "followup": "oppfølging"}


@dataclass
class Entry:
    response: Any
    defn: Any
    report: dict
    lang: str


def relative_keys(responses: list[Any]) -> dict[str, str]:
    """Map each response id to one key per relative (the case, else the first of its chain)."""
    by_id = {r.id: r for r in responses}

    def root(r: Any) -> Any:
        seen = set()
        while r.previous_id and r.previous_id in by_id and r.id not in seen:
            seen.add(r.id)
            r = by_id[r.previous_id]
        return r

    out = {}
    for r in responses:
        first = root(r)
        ref = first.case_ref or r.case_ref
        out[r.id] = f"case:{ref}" if ref else f"chain:{first.id}"
    return out


def cell(count: int, total: int | None = None) -> dict:
    """A count that may be shown: {"n": count, "text": "12"}, or suppressed.

    «færre enn 5» when the count itself is under MIN_CELL; «skjult» when ``total`` is shown
    elsewhere and the rest (total − count) would be 1–4 relatives, who could then be worked out.
    """
    if count < MIN_CELL:
        return {"n": None, "text": FEWER}
    if total is not None and 0 < total - count < MIN_CELL:
        return {"n": None, "text": HIDDEN}
    return {"n": count, "text": str(count)}


def share(count: int, total: int, lang: str = "nb") -> dict:
    """A share shown only when the count, the whole and the rest each come from at least MIN_CELL
    relatives (or the rest is none)."""
    if count < MIN_CELL or total < MIN_CELL:
        return {"n": None, "text": FEWER}
    if 0 < total - count < MIN_CELL:
        return {"n": None, "text": HIDDEN}
    value = round(100 * count / total)
    return {"n": value, "text": f"{value} %", "count": count}


def _latest(entries: list[Entry], keys: dict[str, str]) -> dict[str, Entry]:
    latest: dict[str, Entry] = {}
    for e in entries:
        key = keys[e.response.id]
        when = e.response.submitted_at or dt.datetime.min
        if key not in latest or when >= (latest[key].response.submitted_at or dt.datetime.min):
            latest[key] = e
    return latest


def _item_label(defn: Any, item_id: str, lang: str) -> str:
    item = defn.items_by_id.get(item_id) if hasattr(defn, "items_by_id") else None
    return item.label.get(lang) if item is not None else item_id


def _gap_group(defn: Any, gap_id: str, lang: str) -> str:
    """The task group a gap belongs to ("Stell og personlig hjelp"), from the item it reads."""
    for gap in getattr(defn.scoring, "gaps", ()) or ():
        if gap.id != gap_id:
            continue
        bind = getattr(gap, "bind", ()) or ()
        source = bind[0][1] if bind else getattr(gap, "cards", None)
        if source:
            head, sep, _tail = _item_label(defn, source, lang).partition(": ")
            return head if sep else _item_label(defn, source, lang)
    return gap_id


@dataclass
class _Profile:
    """The profile figures, each relative counted once from their latest response."""

    flags: Counter = field(default_factory=Counter)
    flag_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    priorities: Counter = field(default_factory=Counter)
    priority_labels: dict[str, str] = field(default_factory=dict)
    offers: Counter = field(default_factory=Counter)
    unmet: Counter = field(default_factory=Counter)
    unmet_base: Counter = field(default_factory=Counter)
    bands: dict[str, Counter] = field(default_factory=dict)
    scale_labels: dict[str, str] = field(default_factory=dict)

    def add(self, e: Entry) -> None:
        report = e.report or {}
        for f in {f["id"]: f for f in report.get("flags") or []}.values():
            self.flags[f["id"]] += 1
            self.flag_labels[f["id"]] = (str(f.get("message") or f["id"]), str(f.get("severity") or ""))
        for p in report.get("priorities") or []:
            self.priorities[p.get("value")] += 1
            self.priority_labels[p.get("value")] = str(p.get("label") or p.get("value"))
        for o in {o["id"]: o for o in report.get("offers") or []}.values():
            self.offers[str(o.get("title") or o["id"])] += 1
        self._add_unmet(e, report)
        for s in report.get("scales") or []:
            self.scale_labels[s["id"]] = str(s.get("label") or s["id"])
            self.bands.setdefault(s["id"], Counter())[(s.get("band") or {}).get("label") or "—"] += 1

    def _add_unmet(self, e: Entry, report: dict) -> None:
        """Task groups with an expectation gap, out of the groups the form can show one for."""
        with_gap = {
            _gap_group(e.defn, g["id"], e.lang)
            for g in report.get("gaps") or []
            if "expect" in str(g.get("id"))
        }
        for group in {_gap_group(e.defn, g.id, e.lang) for g in _expect_gaps(e.defn)}:
            self.unmet_base[group] += 1
            if group in with_gap:
                self.unmet[group] += 1

    def rows(self, total: int, show: bool) -> dict[str, list]:
        def count(n: int, whole: int | None = None) -> dict:
            return cell(n, whole) if show else cell(0)

        return {
            "flags": [
                {
                    "label": self.flag_labels[k][0],
                    "severity": self.flag_labels[k][1],
                    "count": count(n, total),
                }
                for k, n in self.flags.most_common()
            ],
            "priorities": [
                {"label": self.priority_labels[k], "count": count(n, total)}
                for k, n in self.priorities.most_common(10)
            ],
            "unmet": [
                {
                    "label": group,
                    "share": share(self.unmet[group], self.unmet_base[group]) if show else share(0, 0),
                }
                for group in sorted(self.unmet_base)
            ],
            "offers": [{"label": k, "count": count(n, total)} for k, n in self.offers.most_common(10)],
            "scales": [
                {
                    "label": self.scale_labels[k],
                    "bands": [(band, count(n, sum(c.values()))) for band, n in sorted(c.items())],
                }
                for k, c in sorted(self.bands.items())
            ],
        }


def _expect_gaps(defn: Any) -> list[Any]:
    return [g for g in getattr(defn.scoring, "gaps", ()) or () if "expect" in g.id]


def _form_rows(entries: list[Entry], keys: dict[str, str], total: int, show: bool) -> list[dict]:
    forms: dict[tuple, dict] = {}
    for e in entries:
        row = forms.setdefault(
            (e.response.form_id, e.response.form_version),
            {
                "label": f"{e.defn.title.get(e.lang)} {e.response.form_version}",
                "assessments": 0,
                "relatives": set(),
            },
        )
        row["assessments"] += 1
        row["relatives"].add(keys[e.response.id])
    return [
        {
            "label": v["label"],
            "assessments": cell(v["assessments"]) if show else cell(0),
            "relatives": cell(len(v["relatives"]), total) if show else cell(0),
        }
        for _k, v in sorted(forms.items())
    ]


def statistics(entries: list[Entry]) -> dict:
    """Every figure of the statistics page, suppressed where it comes from fewer than 5 relatives."""
    keys = relative_keys([e.response for e in entries])
    total = len(set(keys.values()))
    show = total >= MIN_CELL
    kinds = Counter(getattr(e.defn, "kind", "assessment") for e in entries)
    profile = _Profile()
    for e in _latest(entries, keys).values():
        profile.add(e)
    return {
        "hidden": HIDDEN,
        "relatives": cell(total),
        "assessments": cell(len(entries)) if show else cell(0),
        "repeat": cell(len(entries) - total) if show else cell(0),
        "followups": cell(kinds.get("followup", 0)) if show else cell(0),
        "shown": show,
        "forms": _form_rows(entries, keys, total, show),
        **profile.rows(total, show),
    }


# -- export ------------------------------------------------------------------------------------


def pseudonym(key: str, secret: str) -> str:
    """A stable id that cannot be turned back (keyed hash)."""
    return hashlib.blake2b(key.encode("utf-8"), key=secret.encode("utf-8")[:64], digest_size=8).hexdigest()


def export_table(entries: list[Entry], secret: str) -> tuple[list[str], list[list[Any]], bool]:
    """(headings, rows, suppressed): one row per assessment; numbers stay numbers (for XLSX).

    Columns: the fixed ones, then one per scale, one per flag (1 = raised, 0 = not), the
    priorities in order and the offers suggested. Never names, contact details, case references
    or free text. With fewer than MIN_CELL relatives there are no rows (``suppressed`` True).
    """
    keys = relative_keys([e.response for e in entries])
    scale_cols: dict[str, str] = {}
    flag_cols: dict[str, str] = {}
    for e in entries:
        for s in (e.report or {}).get("scales") or []:
            scale_cols.setdefault(s["id"], str(s.get("label") or s["id"]))
        for f in getattr(e.defn.scoring, "flags", ()) or ():
            flag_cols.setdefault(f.id, str(f.message.get(e.lang) if f.message else f.id))
    head = [
        "Løpenummer",
        "Person",
        "Skjema",
        "Versjon",
        "Type",
        "Nummer for personen",
        "Måned sendt",
        "Utfylt",
    ]
    head += [f"Poeng: {label}" for label in scale_cols.values()]
    head += [f"Flagg: {label}" for label in flag_cols.values()]
    head += ["Prioritet 1", "Prioritet 2", "Prioritet 3", "Foreslåtte tilbud"]
    if len(set(keys.values())) < MIN_CELL:
        return head, [], True
    seen: Counter = Counter()
    rows = []
    for e in sorted(entries, key=lambda x: x.response.submitted_at or dt.datetime.min):
        report = e.report or {}
        key = keys[e.response.id]
        seen[key] += 1
        values = {s["id"]: s.get("value") for s in report.get("scales") or []}
        raised = {f["id"] for f in report.get("flags") or []}
        prios = [str(p.get("label") or p.get("value")) for p in report.get("priorities") or []][:3]
        row: list[Any] = [
            pseudonym(e.response.id, secret),
            pseudonym(key, secret),
            e.response.form_id,
            e.response.form_version,
            KINDS.get(getattr(e.defn, "kind", ""), getattr(e.defn, "kind", "")),
            seen[key],
            e.response.submitted_at.strftime("%Y-%m") if e.response.submitted_at else "",
            ORIGINS.get(e.response.origin, e.response.origin),
        ]
        row += [round(values[k], 2) if isinstance(values.get(k), (int, float)) else None for k in scale_cols]
        row += [1 if k in raised else 0 for k in flag_cols]
        row += prios + [""] * (3 - len(prios))
        row.append(", ".join(str(o.get("title") or o["id"]) for o in report.get("offers") or []))
        rows.append(row)
    return head, rows, False


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(format_decimal(value, format="0.##", locale="nb_NO"))
    return str(value)


def to_csv(head: list[str], rows: list[list[Any]], suppressed: bool) -> bytes:
    """Semicolon-separated, UTF-8 with BOM, decimal comma: opens as columns in Norwegian Excel."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    if suppressed:
        writer.writerow([f"Ingen rader: {FEWER} personer i utvalget."])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(head: list[str], rows: list[list[Any]], suppressed: bool) -> bytes:
    """The same table as an Excel workbook (numbers as numbers, headings bold, first row frozen)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Kartlegginger"
    sheet.append(head)
    for c in sheet[1]:
        c.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    if suppressed:
        sheet.append([f"Ingen rader: {FEWER} personer i utvalget."])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
