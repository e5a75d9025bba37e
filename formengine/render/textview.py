"""Render a form as plain text, page by page, the way a relative reads it (`formengine show`)."""

from __future__ import annotations

import textwrap

from formengine.definition import item_types as it
from formengine.definition.model import FormDefinition, Item
from formengine.i18n import N_, gettext_in

PAGE = N_("Part {n} of {total}")  # in the gettext domain "formengine"


def _wrap(text: str, indent: str) -> str:
    return "\n".join(
        textwrap.fill(p, 92, initial_indent=indent, subsequent_indent=indent)
        for p in text.split("\n")
        if p.strip()
    )


def render_text(defn: FormDefinition, lang: str) -> str:
    """Return the whole form as readable text in ``lang``."""
    lines = [f"{defn.title.get(lang)}", f"({defn.key}, {defn.status}, {defn.hash[:19]})"]
    if defn.description:
        lines += ["", _wrap(defn.description.get(lang), "")]
    total = len(defn.sections)
    for n, section in enumerate(defn.sections, start=1):
        lines += [
            "",
            "=" * 60,
            gettext_in(lang, PAGE).format(n=n, total=total) + ": " + section.title.get(lang),
        ]
        if section.show_if is not None:
            lines.append(f"  [vises når / shown when: {section.show_if.source}]")
        if section.description:
            lines.append(_wrap(section.description.get(lang), "  "))
        for item in section.items:
            lines += [""] + _item(item, lang, "  ")
    return "\n".join(lines) + "\n"


def _item(item: Item, lang: str, indent: str) -> list[str]:
    if item.type == "note":
        return [
            "\n".join(
                (indent + "ℹ " + line[len(indent) :]) if i == 0 else "  " + line
                for i, line in enumerate(
                    _wrap(item.text.get(lang) or item.label.get(lang), indent).split("\n")
                )
            )
        ]
    if item.type == "group":  # its heading (if any) over its items, indented
        out = [f"{indent}▸ {item.label.get(lang) or '—'}   [group]"]
        if item.show_if is not None:
            out.append(f"{indent}  [vises når / shown when: {item.show_if.source}]")
        if item.help:
            out.append(_wrap(item.help.get(lang), indent + "  "))
        for child in item.items:
            out += _item(child, lang, indent + "    ")
        return out
    head = f"{indent}• {item.label.get(lang)}"
    if item.required:
        head += " *"
    out = [head + f"   [{item.type}]"]
    if item.show_if is not None:
        out.append(f"{indent}  [vises når / shown when: {item.show_if.source}]")
    if item.help:
        out.append(_wrap(item.help.get(lang), indent + "  "))
    if item.rows_from:
        out.append(f"{indent}  [ett kort per valg i / one card per option ticked in: {item.rows_from}]")
    for row in item.rows:
        out.append(f"{indent}  – {row.label.get(lang)}")
    for column in item.columns:
        out.append(f"{indent}  ? {column.label.get(lang)}")
        if column.show_if is not None:
            out.append(f"{indent}    [spørres når / asked when: {column.show_if.source}]")
        out.append(f"{indent}    ( ) " + ", ".join(o.label.get(lang) for o in column.options))
    if item.options:
        marks = "( )" if item.type not in it.LIST_CHOICE_TYPES else "[ ]"
        shown = ", ".join(o.label.get(lang) for o in item.options) if item.rows else None
        if shown:
            out.append(f"{indent}  {marks} {shown}")
        else:
            out += [
                f"{indent}  {marks} {o.label.get(lang)}" + ("   [bare alene / alone]" if o.exclusive else "")
                for o in item.options
            ]
    for child in item.items:
        out += _item(child, lang, indent + "    ")
    return out
