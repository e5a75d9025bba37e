"""Translate a form through gettext .po files and write the translations back into its YAML.

Export lists every human-readable text of one form file with a stable ``msgctxt`` made of
ids (``items.relation.options.parent.label``), never list positions, so a .po file survives
reordering. Import edits only the affected text values in the YAML source, at the positions
the YAML parser reports, so comments, order and formatting of everything else stay as they
were; the result is re-read and compared with the intended data before anything is written.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from babel.messages.catalog import Catalog

from formengine.definition.loader import Document, load_text
from formengine.translate.yaml_edit import edit_text

ITEM_TEXTS = ("label", "help", "constraint_message", "text", "add_label", "unit")
SET_TEXT_KEYS = ("label", "title", "help", "description", "text")
_SECTION_PREFIX = re.compile(r"^sections\.[^.]+\.(?=items\.)")


class PoError(Exception):
    """A refusal the user can act on (published version, unknown language, broken edit)."""


@dataclass(frozen=True)
class TextEntry:
    """One translatable text: its msgctxt, its path in the data and a note for translators."""

    ctxt: str
    path: tuple[Any, ...]
    note: str = ""


# -- finding the texts ----------------------------------------------------------------------
class _Walker:
    """Collect the texts of one form file (core or variant) in file order."""

    def __init__(self, data: dict[str, Any], default: str):
        """Start with no entries."""
        self.data, self.default = data, default
        self.entries: list[TextEntry] = []
        self.seen: set[str] = set()

    def plain(self, value: Any) -> str:
        """Return the default-language string of a text value (for translator notes)."""
        if isinstance(value, dict):
            value = value.get(self.default, next(iter(value.values()), ""))
        return " ".join(str(value or "").split())[:200]

    def add(self, ctxt: str, parent: Any, key: str, path: tuple[Any, ...], note: str = "") -> None:
        """Record the text at ``parent[key]`` under a unique msgctxt."""
        if not isinstance(parent, dict) or key not in parent or not isinstance(parent[key], (str, dict)):
            return
        unique, n = ctxt, 1
        while unique in self.seen:
            n += 1
            unique = f"{ctxt}~{n}"
        self.seen.add(unique)
        self.entries.append(TextEntry(unique, path + (key,), note))

    @staticmethod
    def name(entry: Any, key: str, index: int) -> str:
        """Return an entry's id (or ``#index`` when it has none) for a msgctxt."""
        value = entry.get(key) if isinstance(entry, dict) else None
        return str(value) if isinstance(value, (str, int)) and str(value) else f"#{index}"

    def listed(self, value: Any, path: tuple[Any, ...]) -> list[tuple[int, Any, tuple[Any, ...]]]:
        """Return (index, entry, path) for each entry of a list."""
        return [(i, e, path + (i,)) for i, e in enumerate(value)] if isinstance(value, list) else []

    def walk(self) -> list[TextEntry]:
        """Return the entries of the whole file."""
        d = self.data
        for key in ("title", "description"):
            self.add(key, d, key, ())
        for key, texts in (
            ("domains", ("label",)),
            ("contacts", ("name", "hours")),
            ("offers", ("title", "description")),
        ):
            for i, entry, path in self.listed(d.get(key), (key,)):
                for text in texts:
                    self.add(f"{key}.{self.name(entry, 'id', i)}.{text}", entry, text, path)
        sets = d.get("option_sets")
        for name, options in sets.items() if isinstance(sets, dict) else ():
            for i, option, path in self.listed(options, ("option_sets", name)):
                self.add(
                    f"option_sets.{name}.{self.name(option, 'value', i)}.label",
                    option,
                    "label",
                    path,
                    f"Option in the shared list '{name}'",
                )
        for i, section, path in self.listed(d.get("sections"), ("sections",)):
            self.section(section, path, i)
        self.scoring(d.get("scoring"))
        for _i, change, path in self.listed(d.get("changes"), ("changes",)):
            self.change(change, path)
        return self.entries

    def section(self, section: Any, path: tuple[Any, ...], index: int) -> None:
        """Collect a section's texts and its items'."""
        sid = self.name(section, "id", index)
        self.add(f"sections.{sid}.title", section, "title", path)
        self.add(
            f"sections.{sid}.description",
            section,
            "description",
            path,
            f"Section: {self.plain((section or {}).get('title'))}",
        )
        for i, item, ipath in self.listed((section or {}).get("items"), path + ("items",)):
            self.item(item, ipath, i)

    def item(self, item: Any, path: tuple[Any, ...], index: int) -> None:
        """Collect an item's texts, options, rows and repeat children."""
        if not isinstance(item, dict):
            return
        iid = self.name(item, "id", index)
        label = self.plain(item.get("label") or item.get("text"))
        for key in ITEM_TEXTS:
            note = f"Item '{iid}' ({item.get('type')})" + (f": {label}" if key != "label" and label else "")
            self.add(f"items.{iid}.{key}", item, key, path, note)
        for i, option, opath in self.listed(item.get("options"), path + ("options",)):
            self.add(
                f"items.{iid}.options.{self.name(option, 'value', i)}.label",
                option,
                "label",
                opath,
                f"Answer option of: {label}",
            )
        for i, row, rpath in self.listed(item.get("rows"), path + ("rows",)):
            self.add(
                f"items.{iid}.rows.{self.name(row, 'id', i)}.label",
                row,
                "label",
                rpath,
                f"Row of the table: {label}" if item.get("type") != "cards" else f"Card of: {label}",
            )
        for i, group, gpath in self.listed(item.get("groups"), path + ("groups",)):
            self.add(
                f"items.{iid}.groups.{self.name(group, 'id', i)}.label",
                group,
                "label",
                gpath,
                f"Heading over some answer options of: {label}",
            )
        for i, column, cpath in self.listed(item.get("columns"), path + ("columns",)):
            cid = self.name(column, "id", i)
            for key in ("label", "help"):
                self.add(
                    f"items.{iid}.columns.{cid}.{key}",
                    column,
                    key,
                    cpath,
                    f"Question on every card of: {label}",
                )
            for j, option, opath in self.listed((column or {}).get("options"), cpath + ("options",)):
                self.add(
                    f"items.{iid}.columns.{cid}.options.{self.name(option, 'value', j)}.label",
                    option,
                    "label",
                    opath,
                    f"Answer option of the card question: {self.plain((column or {}).get('label'))}",
                )
        for i, child, cpath in self.listed(item.get("items"), path + ("items",)):
            self.item(child, cpath, i)

    def scoring(self, scoring: Any) -> None:
        """Collect scale, band, flag and gap texts."""
        if not isinstance(scoring, dict):
            return
        for i, scale, path in self.listed(scoring.get("scales"), ("scoring", "scales")):
            sid = self.name(scale, "id", i)
            self.add(
                f"scoring.scales.{sid}.label", scale, "label", path, "Name of a score scale (staff view)"
            )
            for j, band, bpath in self.listed((scale or {}).get("bands"), path + ("bands",)):
                self.add(
                    f"scoring.scales.{sid}.bands.{self.name(band, 'id', j)}.label",
                    band,
                    "label",
                    bpath,
                    f"Result band of the scale: {self.plain((scale or {}).get('label'))}",
                )
        for i, flag, path in self.listed(scoring.get("flags"), ("scoring", "flags")):
            fid = self.name(flag, "id", i)
            self.add(f"scoring.flags.{fid}.message", flag, "message", path, "Flag message (staff view)")
            self.add(f"scoring.flags.{fid}.action", flag, "action", path, "Suggested action (staff view)")
        for i, gap, path in self.listed(scoring.get("gaps"), ("scoring", "gaps")):
            self.add(
                f"scoring.gaps.{self.name(gap, 'id', i)}.label", gap, "label", path, "Gap label (staff view)"
            )

    def change(self, change: Any, path: tuple[Any, ...]) -> None:
        """Collect the texts a variant's overlay operation adds or replaces."""
        if not isinstance(change, dict):
            return
        op = change.get("op")
        if op == "add_items":
            for i, item, ipath in self.listed(change.get("items"), path + ("items",)):
                self.item(item, ipath, i)
        elif op == "add_section" and isinstance(change.get("section"), dict):
            self.section(change["section"], path + ("section",), 0)
        elif op == "set_text":
            ctxt = f"changes.set_text.{change.get('target')}"
            if "option" in change:
                ctxt += f".options.{change['option']}"
            elif "row" in change:
                ctxt += f".rows.{change['row']}"
            for key in SET_TEXT_KEYS:
                self.add(
                    f"{ctxt}.{key}", change, key, path, f"Local replacement text for '{change.get('target')}'"
                )


def text_entries(data: dict[str, Any], default: str = "nb") -> list[TextEntry]:
    """Return every translatable text of one form file's data, in file order."""
    return _Walker(data, default).walk() if isinstance(data, dict) else []


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    """Return the value at a data path."""
    for key in path:
        data = data[key]
    return data


def _text_in(value: Any, lang: str, default: str) -> str | None:
    """Return the ``lang`` string of a text value, or None."""
    if isinstance(value, dict):
        text = value.get(lang)
        return text if isinstance(text, str) else None
    return value if lang == default and isinstance(value, str) else None


def form_languages(data: dict[str, Any]) -> tuple[tuple[str, ...], str]:
    """Return the form's declared languages and its default language."""
    langs = tuple(x for x in data.get("languages") or () if isinstance(x, str)) or ("nb",)
    default = data["default_language"] if data.get("default_language") in langs else langs[0]
    return langs, default


# -- export ---------------------------------------------------------------------------------
def export_catalog(doc: Document, lang: str) -> Catalog:
    """Build a catalog of ``doc``'s texts with the existing ``lang`` translations as msgstr."""
    langs, default = form_languages(doc.data)
    if lang not in langs:
        raise PoError(
            f"'{lang}' is not one of the form's languages {list(langs)}; add it to 'languages' first"
        )
    ref = f"{doc.data.get('id')}@{doc.data.get('version')}"
    catalog = Catalog(
        locale=lang,
        project=str(doc.data.get("id")),
        version=str(doc.data.get("version")),
        fuzzy=False,
        header_comment=f"# Translation of {ref} into '{lang}', written by formengine i18n export.\n"
        f"# msgctxt is the text's place in the form; do not change it.",
    )
    for entry in text_entries(doc.data, default):
        value = _get(doc.data, entry.path)
        source = _text_in(value, default, default)
        if not source:
            continue
        loc = doc.key_loc(entry.path)
        comments = [entry.note] if entry.note else []
        catalog.add(
            source,
            _text_in(value, lang, default) or "",
            locations=[(doc.file, loc.line)],
            auto_comments=comments,
            context=entry.ctxt,
        )
    return catalog


# -- import ---------------------------------------------------------------------------------
@dataclass
class ImportResult:
    """What an import did: the new YAML text and counts of every kind of entry."""

    text: str
    imported: list[str] = field(default_factory=list)
    unchanged: int = 0
    fuzzy: list[str] = field(default_factory=list)
    untranslated: int = 0
    stale: list[str] = field(default_factory=list)  # msgid no longer matches the source text
    unplaced: list[str] = field(default_factory=list)


def import_catalog(doc: Document, catalog: Catalog, lang: str) -> ImportResult:
    """Write the catalog's translations into ``doc``'s YAML text; return the result."""
    langs, default = form_languages(doc.data)
    if lang not in langs:
        raise PoError(
            f"'{lang}' is not one of the form's languages {list(langs)}; add it to 'languages' first"
        )
    if lang == default:
        raise PoError(f"'{lang}' is the default language; the .po msgids are the {lang} texts")
    by_ctxt = {e.ctxt: e for e in text_entries(doc.data, default)}
    result = ImportResult(doc.text)
    wanted: dict[tuple[Any, ...], str] = {}
    for message in catalog:
        if not message.id:
            continue
        ctxt = _SECTION_PREFIX.sub("", message.context or "")
        entry = by_ctxt.get(ctxt)
        if entry is None:
            result.unplaced.append(message.context or f"(no msgctxt) {message.id[:40]}")
        elif message.fuzzy:
            result.fuzzy.append(ctxt)
        elif not message.string:
            result.untranslated += 1
        elif _text_in(_get(doc.data, entry.path), default, default) != message.id:
            result.stale.append(ctxt)
        elif _text_in(_get(doc.data, entry.path), lang, default) == message.string:
            result.unchanged += 1
        else:
            wanted[entry.path] = cast(str, message.string)  # form texts have no plural forms
            result.imported.append(ctxt)
    if wanted:
        result.text = apply_translations(doc, wanted, lang)
    return result


def apply_translations(doc: Document, wanted: dict[tuple[Any, ...], str], lang: str) -> str:
    """Return ``doc.text`` with ``lang`` set to ``wanted[path]`` in each text; verify the result."""
    langs, default = form_languages(doc.data)
    order = (default,) + tuple(x for x in langs if x != default)
    root = cast(yaml.Node, yaml.compose(doc.text, Loader=yaml.SafeLoader))  # not empty: it was loaded
    edits = [edit_text(doc.text, root, path, text, lang, order) for path, text in wanted.items()]
    out = doc.text
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:start] + replacement + out[end:]
    expected = copy.deepcopy(doc.data)
    for path, text in wanted.items():
        parent, key = _get(expected, path[:-1]), path[-1]
        if not isinstance(parent[key], dict):
            parent[key] = {default: parent[key]}
        parent[key][lang] = text
    check = load_text(out, doc.file)
    if check.data != expected:
        raise PoError(f"{doc.file}: the edited YAML would not read back as intended; nothing was written")
    return out
