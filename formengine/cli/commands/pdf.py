"""`formengine pdf`: print a meeting summary, an agreement or a blank paper form as A4 PDF.

    formengine pdf FORM@VERSION ANSWERS.json -o OUT.pdf [--lang L] [--copy meeting|record|relative]
    formengine pdf FORM@VERSION --blank -o OUT.pdf [--lang L]

ANSWERS.json is ``{"form", "version", "lang", "answers": {…}}``; an optional ``"meta"`` object
may carry ``municipality``, ``case_ref``, ``submitted_at`` (ISO date-time), ``relative_name``
and ``conversation_only`` (the marks: item ids, or ``ITEM[N].CHILD`` for one repeat entry; it may
also stand at the top level of ANSWERS.json). A form of kind ``agreement``
prints as the agreement document. Exit codes: 0 written, 1 problems, 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from formengine.answers.check import check_answers, read_answers_file
from formengine.cli.output import cli_err
from formengine.definition.registry import load_registry


def _meta(document: dict[str, Any]) -> dict[str, Any]:
    meta = dict(document.get("meta") or {}) if isinstance(document.get("meta"), dict) else {}
    if "conversation_only" in document and "conversation_only" not in meta:
        meta["conversation_only"] = document["conversation_only"]
    when = meta.get("submitted_at")
    if isinstance(when, str):
        try:
            meta["submitted_at"] = dt.datetime.fromisoformat(when)
        except ValueError:
            cli_err("warning: meta.submitted_at {when} is not an ISO date; left out", when=repr(when))
            meta.pop("submitted_at")
    return meta


def cmd_pdf(args: argparse.Namespace) -> int:
    """Render the requested document and write it to ``-o``."""
    from formengine.cli.main import forms_dir
    from formengine.summary import render_agreement_pdf, render_blank_pdf, render_summary_pdf

    defn = load_registry(forms_dir(args)).resolve_ref(args.form)
    if args.blank:
        if args.answers:
            cli_err("error: --blank takes no ANSWERS file")
            return 2
        pdf = render_blank_pdf(defn, lang=args.lang or defn.default_language)
    else:
        if not args.answers:
            cli_err("error: give an ANSWERS.json file, or --blank for a paper form")
            return 2
        document = read_answers_file(args.answers)
        answers = check_answers(defn, document, str(args.answers))
        lang = args.lang or document.get("lang") or defn.default_language
        meta = _meta(document)
        if defn.kind == "agreement":
            pdf = render_agreement_pdf(defn, answers, lang=lang, meta=meta)
        else:
            pdf = render_summary_pdf(defn, answers, lang=lang, copy=args.copy, meta=meta)
    Path(args.output).write_bytes(pdf)
    cli_err("wrote {output} ({size} KiB)", output=args.output, size=len(pdf) // 1024)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``pdf`` command to the CLI."""
    p = subparsers.add_parser("pdf", help="print a meeting summary, an agreement or a blank form as PDF")
    p.add_argument("form", metavar="FORM@VERSION")
    p.add_argument("answers", nargs="?", metavar="ANSWERS.json", help="the answers (omit with --blank)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    p.add_argument("--lang", choices=("nb", "nn", "en", "se"))
    p.add_argument(
        "--copy",
        choices=("meeting", "record", "relative"),
        default="meeting",
        help="meeting: include answers marked for the conversation only; record: leave them out; "
        "relative: the relative's own copy (their answers, marked ones marked; no staff text)",
    )
    p.add_argument("--blank", action="store_true", help="print the form with empty boxes, for paper")
    p.set_defaults(func=cmd_pdf)
