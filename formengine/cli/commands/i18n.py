"""`formengine i18n export|import`: translate a form version through a gettext .po file.

``export FORM@VERSION --lang L [-o FILE.po]`` writes one entry per text of that form file
for translators (Poedit, Weblate); ``import FORM@VERSION FILE.po [--lang L]`` writes the
translated texts back into the YAML file, leaving everything else in the file as it was.
A published version (listed in ``forms/published.lock``) is never edited.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from formengine.cli.main import forms_dir
from formengine.cli.output import cli_err
from formengine.definition.loader import Document, load_file
from formengine.definition.registry import LOCK_NAME, display_path, parse_ref, read_lock
from formengine.errors.problems import FormError, Location, Problem
from formengine.translate.po import ImportResult, PoError, export_catalog, import_catalog

LANGS = ("nb", "nn", "en", "se")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``i18n`` command and its ``export`` and ``import`` subcommands."""
    parser = subparsers.add_parser("i18n", help="export texts to a .po file for translators, or import one")
    sub = parser.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    p = sub.add_parser("export", help="write the form's texts as a .po file (msgstr = existing translation)")
    p.add_argument("form", metavar="FORM@VERSION")
    p.add_argument("--lang", required=True, choices=LANGS, help="the language to translate into")
    p.add_argument("-o", "--output", metavar="FILE.po", help="write here instead of to standard output")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", help="write the translations of a .po file into the form's YAML file")
    p.add_argument("form", metavar="FORM@VERSION")
    p.add_argument("po_file", metavar="FILE.po")
    p.add_argument(
        "--lang", choices=LANGS, help="the language (default: the Language header of the .po file)"
    )
    p.set_defaults(func=cmd_import)


def form_file(root: Path, ref: str) -> Path:
    """Return the YAML file of FORM@VERSION under ``root``; raise FE309 if there is none."""
    form_id, version = parse_ref(ref)
    for suffix in (".yaml", ".yml"):
        path = root / form_id / f"{version}{suffix}"
        if version and path.is_file():
            return path
    raise FormError(
        [
            Problem(
                "FE309",
                Location(display_path(root), 0, 0),
                {"form": form_id, "version": version or "(write FORM@VERSION)"},
            )
        ]
    )


def _load(path: Path) -> Document:
    """Load a form file; raise FormError if it cannot be read."""
    doc = load_file(path, display_path(path))
    if doc.data is None:
        raise FormError(doc.problems)
    return doc


def cmd_export(args: argparse.Namespace) -> int:
    """Write the .po file for one form version."""
    doc = _load(form_file(forms_dir(args), args.form))
    try:
        catalog = export_catalog(doc, args.lang)
    except PoError as exc:
        cli_err("formengine i18n: {reason}", reason=exc)
        return 1
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=False)
    if args.output:
        Path(args.output).write_bytes(buffer.getvalue())
        missing = sum(1 for m in catalog if m.id and not m.string)
        cli_err(
            "wrote {output}: {count} text(s), {missing} without '{lang}' translation",
            output=args.output,
            count=len(catalog),
            missing=missing,
            lang=args.lang,
        )
    else:
        sys.stdout.buffer.write(buffer.getvalue())
        sys.stdout.flush()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Write the translations of a .po file into the form version's YAML file."""
    root = forms_dir(args)
    path = form_file(root, args.form)
    form_id, version = parse_ref(args.form)
    if f"{form_id}@{version}" in read_lock(root, []):
        cli_err(
            "formengine i18n: {form}@{version} is published ({lock}) and may never change. Create a new "
            "version first (copy {path} to a new version number, e.g. with a higher PATCH for translations "
            "only) and import into that.",
            form=form_id,
            version=version,
            lock=display_path(root / LOCK_NAME),
            path=display_path(path),
        )
        return 1
    with open(args.po_file, "rb") as handle:
        catalog = read_po(handle)
    lang = args.lang or (str(catalog.locale) if catalog.locale else None)
    if not lang:
        cli_err("formengine i18n: the .po file has no Language header; say --lang")
        return 2
    doc = _load(path)
    try:
        result = import_catalog(doc, catalog, lang)
    except PoError as exc:
        cli_err("formengine i18n: {reason}", reason=exc)
        return 1
    if result.imported:
        path.write_text(result.text, "utf-8")
    _report(result, display_path(path), lang)
    return 1 if result.unplaced else 0


def _report(result: ImportResult, where: str, lang: str) -> None:
    """Print what the import did, and every entry it could not use."""
    for ctxt in result.unplaced:
        cli_err(
            "{where}: cannot place msgctxt '{ctxt}' (no such text in this form version)",
            where=where,
            ctxt=ctxt,
        )
    for ctxt in result.stale:
        cli_err(
            "{where}: skipped '{ctxt}': the source text has changed since the export; export again and "
            "re-check the translation",
            where=where,
            ctxt=ctxt,
        )
    if result.fuzzy:
        cli_err(
            "{where}: skipped {count} fuzzy entr(y/ies); review them in the .po editor first",
            where=where,
            count=len(result.fuzzy),
        )
    cli_err(
        "{where}: {written} '{lang}' text(s) written, {unchanged} unchanged, {untranslated} untranslated, "
        "{fuzzy} fuzzy, {stale} stale, {unplaced} not placed",
        where=where,
        written=len(result.imported),
        lang=lang,
        unchanged=result.unchanged,
        untranslated=result.untranslated,
        fuzzy=len(result.fuzzy),
        stale=len(result.stale),
        unplaced=len(result.unplaced),
    )
