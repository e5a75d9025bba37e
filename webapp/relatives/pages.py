"""What a section page needs: the form class, visibility, progress and the 3-way merge on save."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field

from flask_babel import get_translations, gettext
from flask_wtf import FlaskForm

from formengine import FormDefinition, Item, Section
from formengine.render import wtforms_builder as wb

from ..display import visible_sections


class BabelTranslations:
    """WTForms translations object backed by Flask-Babel (validation messages in the page's language)."""

    def gettext(self, string):
        return gettext(string)

    def ngettext(self, singular, plural, n):
        # Not flask_babel.ngettext: that one %-formats with only `num`, and WTForms' messages
        # carry their own placeholders (`%(value)s`), which WTForms fills in afterwards.
        return get_translations().ngettext(singular, plural, n)


class PageForm(FlaskForm):
    pass


_TRANSLATIONS = BabelTranslations()  # stateless: looks the language up per request
_FORM_CLASSES: dict[tuple, tuple[FormDefinition, type]] = {}
_FORM_CLASSES_LIMIT = 512
_FORM_CLASSES_LOCK = threading.Lock()


def form_class(defn: FormDefinition, section: Section, lang: str, answers: dict):
    """The page's WTForms class, built once per form version, section, language and repeat sizes.

    Building it (a class per matrix, an unbound field per item) cost more than the rest of a
    save; the classes are immutable once built, and only their instances belong to a request.
    The key holds everything the class is built from: the definition object (a reload makes a
    new one; the entry keeps it alive, so its ``id`` is not reused while cached), the section,
    the language and ``repeat_sizes``, the only part of the answers the class depends on.
    """
    sizes = wb.repeat_sizes(section, answers)
    key = (id(defn), section.id, lang, sizes)
    found = _FORM_CLASSES.get(key)
    if found is not None and found[0] is defn:
        return found[1]
    built = wb.build_section_form(defn, section, lang, base=PageForm, sizes=sizes, translations=_TRANSLATIONS)
    with _FORM_CLASSES_LOCK:
        if len(_FORM_CLASSES) >= _FORM_CLASSES_LIMIT:
            _FORM_CLASSES.clear()
        _FORM_CLASSES[key] = (defn, built)
    return built


def posted_sizes(section: Section, formdata) -> dict:
    """Stand-in answers that size each repeat group of a posted page by the entries it posted.

    Not the stored answers: a tab opened before another tab added a person posts no entry, and
    a form sized from the stored answers would read an empty entry there and overwrite the person.
    """
    out: dict = {}
    for item in section.fields:
        if item.type == "repeat":
            prefix = item.id + "-"
            found = {key[len(prefix) :].partition("-")[0] for key in formdata if key.startswith(prefix)}
            count = len({n for n in found if n.isascii() and n.isdigit() and len(n) <= 4})
            out[item.id] = [{}] * min(count, int(item.max or 10))
    return out


def neighbours(
    defn: FormDefinition, section: Section, answers: dict
) -> tuple[Section | None, Section | None]:
    """The visible sections before and after ``section`` (which may itself be hidden now)."""
    order = [s.id for s in defn.sections]
    here = order.index(section.id)
    visible = visible_sections(defn, answers)
    before = [s for s in visible if order.index(s.id) < here]
    after = [s for s in visible if order.index(s.id) > here]
    return (before[-1] if before else None), (after[0] if after else None)


def answers_from_other_pages(section: Section, answers: dict) -> dict:
    """The answers this page's conditions refer to that were given on other pages.

    The browser script evaluates conditions live; without these it would take a question
    that depends on an earlier page (work questions after "Do you work?") as unanswered and
    hide a question the server shows.
    """
    here = {i.id for i in section.fields}
    out: dict = {}
    expressions = [i.show_if for i in _tree(section.items)]  # groups and entries too, at any depth
    expressions += [i.calculated.expression for i in _tree(section.items) if i.calculated is not None]
    for expr in filter(None, expressions):
        for ref in expr.references():
            path = ref.name.split(".")
            if path[0] in here or ref.name in out:
                continue
            value = answers.get(path[0])
            for key in path[1:]:
                value = value.get(key) if isinstance(value, dict) else None
            if value is not None:
                out[ref.name] = value
    return out


def opened_questions(
    defn: FormDefinition, section: Section, keys: set[str], lang: str
) -> list[tuple[str, str, str]]:
    """(key, anchor, label) of the questions ``keys`` names, in page order: an item (``id``) or a
    task card's question (``cards.row.column``, anchored at the question and named with the card)."""
    out = []
    for key in sorted(k for k in keys if "-" in k):  # inside a repeat entry: people-0-person_name
        item = defn.items_by_id.get(key.rpartition("-")[2])
        if item is not None and _is_question(item, lang):
            out.append((key, f"q-{key}", item.label.get(lang)))
    for item in section.fields:
        if item.id in keys and _is_question(item, lang):
            out.append((item.id, f"q-{item.id}", item.label.get(lang)))
        for row in item.rows if item.type == "cards" else ():
            for column in item.columns:
                key = f"{item.id}.{row.id}.{column.id}"
                if key in keys:
                    out.append(
                        (
                            key,
                            f"q-{item.id}-{row.id}-{column.id}",
                            f"{row.label.get(lang)}: {column.label.get(lang)}",
                        )
                    )
    return out


def _is_question(item: Item, lang: str) -> bool:
    """Something to answer, with a label to name it by: not a note (a heading such as "Hvor enig
    er du?", with no ``q-`` anchor), a group or a read-only or calculated answer."""
    if item.type in ("group", "note") or item.read_only or item.label is None:
        return False
    return bool((item.label.get(lang) or "").strip())


def visible_ids(defn: FormDefinition, section: Section, answers: dict) -> set[str]:
    """Visible item and group ids (outside repeat entries), and the cards and card cells shown
    (``cards.row``, ``cards.row.column``)."""
    here = [i for i in _tree(section.items) if i.parent is None]
    shown = {i.id for i in here if wb.item_visible(defn, i, answers)}
    entries = {
        key
        for i in here
        if i.type == "repeat" and i.id in shown
        for key in _entry_keys(defn, i, answers.get(i.id), answers, f"{i.id}-", {})
    }
    return shown | entries | wb.visible_cells(defn, section, answers)


def _entry_keys(
    defn: FormDefinition, group: Item, entries, answers: dict, prefix: str, around: dict
) -> set[str]:
    """``people-0-gets_help``: the items and groups shown in each stored entry of a repeat group,
    by field name (nested repeats too), so an answer that opens a question inside an entry keeps
    the relative on the page without JavaScript, as one outside an entry does."""
    out: set[str] = set()
    for n, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        scope = {**around, **entry}
        for child in _tree(group.items):
            if child.parent != group.id or not wb.item_visible(defn, child, answers, scope):
                continue
            out.add(f"{prefix}{n}-{child.id}")
            if child.type == "repeat":
                out |= _entry_keys(
                    defn, child, entry.get(child.id), answers, f"{prefix}{n}-{child.id}-", scope
                )
    return out


def _tree(items) -> list:
    """Every item, group and repeat group at any depth, in form order."""
    return [each for item in items for each in (item, *_tree(item.items))]


def fingerprint(value) -> str:
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def fingerprints(section: Section, answers: dict, marks: list | None = None) -> str:
    """The page's ``_base``: a fingerprint per answer, and (``_co``) the "for the conversation
    only" marks as the page was shown, for the three-way merges on save."""
    prints: dict = {i.id: fingerprint(answers.get(i.id)) for i in section.fields if i.type != "note"}
    if marks is not None:
        prints["_co"] = sorted(marks)
    return json.dumps(prints, separators=(",", ":"))


def merge_marks(theirs: list, mine: list, base: list) -> list:
    """Three-way merge of a page's marks: those saved (maybe by another tab), plus the ones this
    page ticked and minus the ones it unticked since it was shown (``base``)."""
    added = [m for m in mine if m not in base]
    removed = {m for m in base if m not in mine}
    return [m for m in dict.fromkeys([*theirs, *added]) if m not in removed]


@dataclass
class Conflict:
    item: Item
    saved: object
    mine: object


@dataclass
class Merge:
    answers: dict
    conflicts: list[Conflict] = field(default_factory=list)

    def shown(self) -> dict:
        """What the conflict page shows: the merged answers (every answer saved elsewhere that
        this tab did not change), and this tab's answer where both changed the same question."""
        mine = {c.item.id: c.mine for c in self.conflicts}
        return {k: v for k, v in {**self.answers, **mine}.items() if v is not None}


def merge(section: Section, stored: dict, page: dict, base_prints: dict) -> Merge:
    """Three-way merge of this page into the stored answers.

    An item changed here and, since the page was shown, also elsewhere (another tab or device)
    to a different value is a conflict: nothing is overwritten silently.
    """
    merged = dict(stored)
    conflicts = []
    for item in section.fields:
        if item.type == "note" or item.read_only:  # read-only: the stored (or computed) answer stays
            continue
        base = base_prints.get(item.id)
        mine, theirs = page.get(item.id), stored.get(item.id)
        mine_changed = base is None or fingerprint(mine) != base
        theirs_changed = base is not None and fingerprint(theirs) != base
        if mine_changed and theirs_changed and fingerprint(mine) != fingerprint(theirs):
            conflicts.append(Conflict(item, theirs, mine))
        elif mine_changed:
            merged[item.id] = mine
    return Merge({k: v for k, v in merged.items() if v is not None}, conflicts)


def _holder(section: Section, answers: dict, path: str):
    """(the dict holding a repeat group's entries, the repeat item) for a field name such as
    ``people`` or ``people-0-services`` (a repeat inside entry 0 of ``people``), or None."""
    parts = path.split("-")
    if len(parts) % 2 == 0:
        return None
    holder, choices = answers, {i.id: i for i in section.fields if i.type == "repeat"}
    for n in range(0, len(parts) - 1, 2):
        group, index = choices.get(parts[n]), parts[n + 1]
        entries = holder.get(parts[n]) if group is not None else None
        if group is None or not _index_in(index, entries):
            return None
        holder = entries[int(index)]
        if not isinstance(holder, dict):
            return None
        choices = {c.id: c for c in group.fields if c.type == "repeat"}
    last = choices.get(parts[-1])
    return (holder, last) if last is not None else None


def _index_in(index: str, entries) -> bool:
    # isascii and a short length: int() of "²" or of 5,000 digits raises instead of saying no
    return (
        index.isascii()
        and index.isdigit()
        and len(index) <= 4
        and isinstance(entries, list)
        and int(index) < len(entries)
    )


def repeat_entry(section: Section, answers: dict, key: str | None) -> str | None:
    """``key`` ("group:index", or "group-0-inner:index" in a nested repeat) when it names an
    existing entry of a repeat group on this page."""
    if not key or ":" not in key:
        return None
    path, _, index = key.partition(":")
    found = _holder(section, answers, path)
    if found is None or not _index_in(index, found[0].get(found[1].id)):
        return None
    return f"{path}:{int(index)}"


def apply_repeat_action(section: Section, answers: dict, add: str | None, remove: str | None) -> str | None:
    """Add a repeat entry, or remove one the relative has confirmed; return the anchor to jump to.

    ``add`` is a repeat group's field name (``people``, ``people-0-services``); removing asks
    first: the "Remove" button only leads to the question (see ``fill``); this is called with
    the confirmed ``name:index``.
    """
    found = _holder(section, answers, add) if add else None
    if found is not None:
        holder, group = found
        entries = list(holder.get(group.id) or [])
        if len(entries) < int(group.max or 10):
            entries.append({})
        holder[group.id] = entries
        return f"{add}-{len(entries) - 1}"
    if remove and ":" in remove:
        path, _, index = remove.partition(":")
        found = _holder(section, answers, path)
        if found is not None and _index_in(index, found[0].get(found[1].id)):
            holder, group = found
            entries = list(holder.get(group.id) or [])
            del entries[int(index)]
            holder[group.id] = entries
            return f"q-{path}"
    return None
