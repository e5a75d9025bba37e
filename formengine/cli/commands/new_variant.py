"""`formengine new-variant`: scaffold a municipality's variant of a national core form.

The scaffold is a draft that passes ``formengine check`` as written: municipality, title,
one placeholder contact and one placeholder offer linked to real need domains of the base,
and commented examples of every overlay operation that name real ids of the base form.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from typing import Any

from formengine.cli.main import forms_dir
from formengine.cli.output import cli_err, cli_out, say
from formengine.definition.builder.texts import FORM_ID
from formengine.definition.builder.validation import SEMVER
from formengine.definition.item_types import ITEM_TYPES
from formengine.definition.model import FormDefinition, Item
from formengine.definition.registry import display_path, load_registry, parse_ref
from formengine.definition.variants import scored_items
from formengine.errors.problems import FormError, Location, Problem
from formengine.i18n import N_
from formengine.translate.yaml_edit import plain_ok

SCHEMA_LINE = "# yaml-language-server: $schema=../../formengine/schema/form.schema.json"
PREFERRED_DOMAINS = ("coordination", "information", "respite")
PHRASES = {
    "contact": {"nb": "Pårørendekoordinator", "nn": "Pårørandekoordinator", "en": "Relatives' coordinator"},
    "hours": {
        "nb": "Mandag–fredag kl. 08.00–15.30",
        "nn": "Måndag–fredag kl. 08.00–15.30",
        "en": "Monday–Friday 08:00–15:30",
    },
    "offer": {
        "nb": "Samtale med pårørendekoordinatoren",
        "nn": "Samtale med pårørandekoordinatoren",
        "en": "A conversation with the relatives' coordinator",
    },
    "offer_text": {
        "nb": "Skriv kort hva tilbudet er, hvem det passer for og hvordan man får det.",
        "nn": "Skriv kort kva tilbodet er, kven det passar for og korleis ein får det.",
        "en": "Say briefly what the offer is, who it suits and how to get it.",
    },
    "local_item": {
        "nb": "Vil du at pårørendekoordinatoren ringer deg?",
        "nn": "Vil du at pårørandekoordinatoren ringjer deg?",
        "en": "Would you like the relatives' coordinator to call you?",
    },
    "section": {"nb": "Tilbud i kommunen", "nn": "Tilbod i kommunen", "en": "Services in the municipality"},
    "note": {
        "nb": "Her kan du lese om tilbudene for pårørende hos oss.",
        "nn": "Her kan du lese om tilboda for pårørande hos oss.",
        "en": "Here you can read about our services for relatives.",
    },
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``new-variant`` command."""
    p = subparsers.add_parser("new-variant", help="scaffold a municipal variant of a core form (a draft)")
    p.add_argument("--municipality", required=True, metavar="NAME", help='e.g. "Eksempel kommune"')
    p.add_argument("--extends", required=True, metavar="FORM@VERSION", help="the national core form version")
    p.add_argument("--id", help="form id of the variant (default: a slug of NAME)")
    p.add_argument("--version", default="1.0.0", help="version of the variant (default 1.0.0)")
    p.set_defaults(func=cmd_new_variant)


def slugify(name: str) -> str:
    """Return a kebab-case id for a name: 'Bø i Telemark' → 'bo-i-telemark', æ → ae, å → aa."""
    text = name.strip().lower()
    for char, repl in (("æ", "ae"), ("ø", "o"), ("å", "aa")):
        text = text.replace(char, repl)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def cmd_new_variant(args: argparse.Namespace) -> int:
    """Write forms/<id>/<version>.yaml for a new municipal variant."""
    root = forms_dir(args)
    form_id = args.id or slugify(args.municipality)
    if not FORM_ID.match(form_id):
        return _usage(
            N_(
                "'{id}' is not a valid form id (lower-case letters, digits and -, starting with a "
                "letter); choose one with --id"
            ),
            id=form_id,
        )
    if not SEMVER.match(args.version):
        return _usage(N_("'{version}' is not a version like 1.0.0"), version=args.version)
    base_id, base_version = parse_ref(args.extends)
    if base_version is None:
        return _usage(N_("write --extends as FORM@VERSION, e.g. parorende-kartlegging@1.1.0"))
    if form_id == base_id:
        return _usage(N_("the variant needs its own id, not '{id}'; choose one with --id"), id=base_id)
    target = root / form_id / f"{args.version}.yaml"
    if target.exists() or target.with_suffix(".yml").exists():
        return _usage(
            N_("{path} already exists; it is not overwritten. Choose another --version or --id"),
            path=display_path(target),
        )
    registry = load_registry(root)
    base = registry.get(base_id, base_version)
    if base.extends:
        raise FormError([Problem("FE311", Location(base.source, 1, 1), {"target": args.extends})])
    raw = registry.documents[(base_id, base_version)].data
    text = scaffold(base, raw, args.municipality, form_id, args.version)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    cli_out("created {path} (status: draft)", path=display_path(target))
    cli_out("next: edit it, then run  formengine check {path}", path=display_path(target))
    return 0


def _usage(message: str, **args: object) -> int:
    """Print a usage error (an English msgid with its arguments); return exit code 2."""
    cli_err("formengine new-variant: {problem}", problem=say(message, **args))
    return 2


def _q(value: str) -> str:
    """Return a YAML scalar: plain when that reads back unchanged, else double-quoted."""
    return value if plain_ok(value, False) else json.dumps(value, ensure_ascii=False)


class _Writer:
    """Collect the scaffold's lines; ``text`` writes a language map, optionally commented out."""

    def __init__(self, languages: tuple[str, ...]):
        """Start with no lines."""
        self.languages = languages
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        """Append lines."""
        self.lines.extend(lines)

    def text(self, pad: str, key: str, phrases: dict[str, Any], comment: bool = False) -> None:
        """Append a language map ``key:`` with one line per form language."""
        mark = "# " if comment else ""
        inner = " " * (len(key) - len(key.lstrip()) + 2)
        self.lines.append(f"{pad}{mark}{key}:")
        for lang in self.languages:
            value = phrases.get(lang) or phrases.get("nb") or next(iter(phrases.values()))
            self.lines.append(f"{pad}{mark}{inner}{lang}: {_q(value)}")


def scaffold(base: FormDefinition, raw: dict[str, Any], name: str, form_id: str, version: str) -> str:
    """Return the YAML text of a draft variant of ``base`` for the municipality ``name``."""
    w = _Writer(base.languages)
    municipality_id = re.sub(r"-(fylkes)?kommune$", "", slugify(name)) or slugify(name)
    w.add(
        SCHEMA_LINE,
        f"# Municipal variant of {base.key} for {name}. Made by 'formengine new-variant'.",
        "# Step-by-step guide: docs/authoring.md. Lines starting with # are comments: to use an",
        "# example, remove the '# ' in front of each of its lines (keep the indentation).",
        f"# Check your work:  formengine check forms/{form_id}/{version}.yaml",
        f"id: {form_id}",
        f"version: {version}",
        "status: draft        # set to active when the form is ready, then: formengine publish",
        f"extends: {base.key}",
        "municipality:",
        f"  id: {municipality_id}",
        f"  name: {_q(name)}",
        f"languages: [{', '.join(base.languages)}]",
        f"default_language: {base.default_language}",
    )
    w.text("", "title", {lang: f"{base.title.get(lang)} – {name}" for lang in base.languages})
    w.add(
        "",
        "# " + "-" * 76,
        "# Contact points. Replace the placeholders with your own (no private persons).",
        "# " + "-" * 76,
        "contacts:",
        "  - id: parorendekoordinator",
    )
    w.text("    ", "name", PHRASES["contact"])
    w.add(
        '    phone: "+47 00 00 00 00"     # TODO: your number',
        f"    email: parorende@{municipality_id}.kommune.no",
    )
    w.text("    ", "hours", PHRASES["hours"])
    _offers(w, base)
    _changes(w, base, raw)
    return "\n".join(w.lines) + "\n"


def _offers(w: _Writer, base: FormDefinition) -> None:
    """Write the need-domain list and a placeholder offer linked to real domains."""
    w.add(
        "",
        "# " + "-" * 76,
        "# Your offer catalogue. Link each offer to the need domains it helps with;",
        "# the summary then suggests only offers that exist in your municipality.",
    )
    if not base.domains:
        w.add(f"# {base.key} has no need domains, so offers cannot be linked to any.", "offers: []")
        return
    w.add(f"# Need domains of {base.key}:")
    w.add(*(f"#   {d.id:<18} {d.label.get()}" for d in base.domains))
    w.add("# " + "-" * 76)
    ids = [d.id for d in base.domains]
    chosen = [d for d in PREFERRED_DOMAINS if d in ids][:2] or ids[:2]
    w.add("offers:", "  - id: samtale_parorendekoordinator")
    w.text("    ", "title", PHRASES["offer"])
    w.text("    ", "description", PHRASES["offer_text"])
    w.add("    contact: parorendekoordinator", f"    domains: [{', '.join(chosen)}]")


def _changes(w: _Writer, base: FormDefinition, raw: dict[str, Any]) -> None:
    """Write commented examples of every overlay operation with real ids of the base."""
    sections = base.sections
    first = sections[0]
    anchor = first.items[-1].id
    w.add(
        "",
        "# " + "-" * 76,
        "# Changes to the national form. The core itself is never edited; these are",
        "# applied on top of it. Remove '# ' in front of an example to use it.",
        "# " + "-" * 76,
        "changes:",
        f"  # Add a local question after '{anchor}' (section '{first.id}'):",
        "  # - op: add_items",
        f"  #   after: {anchor}",
        "  #   items:",
        "  #     - id: local_callback",
        "  #       type: yes_no",
    )
    w.text("  ", "      label", PHRASES["local_item"], comment=True)
    last = sections[-1].id
    w.add(
        f"  # Add a local section after '{last}':",
        "  # - op: add_section",
        f"  #   after: {last}",
        "  #   section:",
        "  #     id: local_services",
    )
    w.text("  ", "    title", PHRASES["section"], comment=True)
    w.add("  #     items:", "  #       - id: local_services_note", "  #         type: note")
    w.text("  ", "        text", PHRASES["note"], comment=True)
    renamed = _rename_target(base)
    if renamed is not None:
        w.add(
            f"  # Rename a unit or role: give '{renamed.id}' a local label (here: today's text).",
            "  # - op: set_text",
            f"  #   target: {renamed.id}",
        )
        w.text("  ", "  label", dict(renamed.label.values), comment=True)
    choice = next((i for s in sections for i in s.items if i.options and i.type == "single_choice"), None)
    if choice is not None:
        option = choice.options[0]
        w.add(
            f"  # Change the text of one answer option of '{choice.id}':",
            "  # - op: set_text",
            f"  #   target: {choice.id}",
            f"  #   option: {option.value}",
        )
        w.text("  ", "  label", dict(option.label.values), comment=True)
    hidden = _hide_target(base, raw, {anchor})
    if hidden is not None:
        w.add(
            f"  # Hide an optional item the national scoring does not use ('{hidden.id}'):",
            "  # - op: hide",
            f"  #   target: {hidden.id}",
        )
    else:
        w.add(f"  # (No item of {base.key} can be hidden: all are required, scored or referred to.)")


def _rename_target(base: FormDefinition) -> Item | None:
    """Return the item to show in the set_text example (a contact role if any)."""
    items = [i for s in base.sections for i in s.items if i.type != "note" and i.label]
    preferred = [i for i in items if any(w in i.id for w in ("contact", "coordinator"))]
    return next(iter(preferred or items), None)


def _hide_target(base: FormDefinition, raw: dict[str, Any], avoid: set[str]) -> Item | None:
    """Return an optional, unscored top-level item that no expression refers to."""
    used = scored_items(raw) | avoid
    for item in base.iter_items():
        for expr in (item.show_if, item.required_if, item.constraint):
            used.update(ref.name.split(".")[0] for ref in (expr.references() if expr else ()))
    for section in base.sections:
        if section.show_if:
            used.update(ref.name.split(".")[0] for ref in section.show_if.references())
    candidates = [
        i
        for s in base.sections
        for i in s.items
        if not i.required
        and not i.required_if
        and i.id not in used
        and ITEM_TYPES[i.type].answer not in ("none", "repeat")
    ]
    candidates.sort(key=lambda i: (i.type != "long_text", i.show_if is not None))
    return next(iter(candidates), None)
