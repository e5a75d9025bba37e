"""`formengine score FORM@VERSION ANSWERS.json [--lang L]`: print the score report as JSON.

The answers are checked against the form version first (unknown items, values that are not
options, wrong types); every problem is printed on stderr as a coded line and the exit code
is 1. Answers filled in for another form or version are refused with FE505: a response is
always scored with the exact version it was filled in.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from formengine.answers.check import check_answers, read_answers_file
from formengine.definition.model import LANGUAGES
from formengine.definition.registry import display_path, load_registry, parse_ref
from formengine.errors.problems import FormError, Location, Problem
from formengine.scoring.engine import score


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `score` command."""
    p = subparsers.add_parser(
        "score", help="score an answers file with its form version; print the report JSON"
    )
    p.add_argument(
        "form",
        metavar="FORM@VERSION",
        help="the form version the answers were filled in (version taken from the file if left out)",
    )
    p.add_argument("answers", metavar="ANSWERS.json")
    p.add_argument(
        "--lang", choices=LANGUAGES, help="language of labels (default: the file's lang, then the form's)"
    )
    p.set_defaults(func=cmd_score)


def cmd_score(args: argparse.Namespace) -> int:
    """Score one answers file; FormError problems are printed by the CLI's main."""
    from formengine.cli.main import (
        forms_dir,  # imported late: cli imports this module while building its parser
    )

    document = read_answers_file(args.answers)
    form_id, version = parse_ref(args.form)
    version = version or document.get("version")
    if not version:  # never fall back to the newest version: old responses keep their own
        raise FormError([Problem("FE309", Location(args.answers, 1, 1), {"form": form_id, "version": "?"})])
    registry = load_registry(forms_dir(args))
    definition = registry.get(form_id, version)
    answers = check_answers(definition, document, display_path(Path(args.answers)))
    report = score(definition, answers, args.lang or document.get("lang"))
    sys.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    return 0
