"""What a section page needs: the form class, visibility, progress and the 3-way merge on save."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import get_translations, gettext
from flask_wtf import FlaskForm

from formengine.definition.model import FormDefinition, Item, Section
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


def form_class(defn: FormDefinition, section: Section, lang: str, answers: dict):
    """The page's WTForms class, built once per form version, section, language and repeat sizes.

    Building it (a class per matrix, an unbound field per item) cost more than the rest of a
    save; the classes are immutable once built, and only their instances belong to a request.
    """
    sizes = tuple(len(answers[i.id]) if isinstance(answers.get(i.id), list) else 0
                  for i in section.items if i.type == "repeat")
    key = ("form_class", section.id, lang, sizes)
    found = defn.runtime.get(key)
    if found is None:
        found = defn.runtime[key] = wb.build_section_form(defn, section, lang, base=PageForm, answers=answers,
                                                          translations=_TRANSLATIONS)
    return found


def neighbours(defn: FormDefinition, section: Section, answers: dict) -> tuple[Section | None, Section | None]:
    """The visible sections before and after ``section`` (which may itself be hidden now)."""
    order = [s.id for s in defn.sections]
    here = order.index(section.id)
    visible = visible_sections(defn, answers)
    before = [s for s in visible if order.index(s.id) < here]
    after = [s for s in visible if order.index(s.id) > here]
    return (before[-1] if before else None), (after[0] if after else None)


def visible_ids(defn: FormDefinition, section: Section, answers: dict) -> set[str]:
    return {i.id for i in section.items if wb.item_visible(defn, i, answers)}


def fingerprint(value) -> str:
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def fingerprints(section: Section, answers: dict) -> str:
    return json.dumps({i.id: fingerprint(answers.get(i.id)) for i in section.items if i.type != "note"},
                      separators=(",", ":"))


@dataclass
class Conflict:
    item: Item
    saved: object
    mine: object


@dataclass
class Merge:
    answers: dict
    conflicts: list[Conflict] = field(default_factory=list)


def merge(section: Section, stored: dict, page: dict, base_prints: dict) -> Merge:
    """Three-way merge of this page into the stored answers.

    An item changed here and, since the page was shown, also elsewhere (another tab or device)
    to a different value is a conflict: nothing is overwritten silently.
    """
    merged = dict(stored)
    conflicts = []
    for item in section.items:
        if item.type == "note":
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


def apply_repeat_action(section: Section, answers: dict, add: str | None, remove: str | None) -> str | None:
    """Add or remove a repeat entry (no-JavaScript buttons); return the anchor to jump to."""
    groups = {i.id: i for i in section.items if i.type == "repeat"}
    if add in groups:
        entries = list(answers.get(add) or [])
        if len(entries) < int(groups[add].max or 10):
            entries.append({})
        answers[add] = entries
        return f"{add}-{len(entries) - 1}"
    if remove and ":" in remove:
        group, _, index = remove.partition(":")
        entries = list(answers.get(group) or [])
        # isascii and a short length: int() of "²" or of 5,000 digits raises instead of saying no
        if group in groups and index.isascii() and index.isdigit() and len(index) <= 4 \
                and int(index) < len(entries):
            del entries[int(index)]
            answers[group] = entries
            return f"q-{group}"
    return None
