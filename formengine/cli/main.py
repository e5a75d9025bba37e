"""The `formengine` command: check, schema, list, show, publish, diff, and the feature commands.

Feature commands (score, pdf, fhir, i18n, new-variant) live in ``formengine/cli/commands/<name>.py``
and register themselves through a ``register(subparsers)`` function, so this module stays a
thin dispatcher. Exit codes: 0 fine, 1 problems found, 2 usage error. What it prints goes
through ``formengine.cli.output`` (English, or the language in ``FORMENGINE_LANG``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

import formengine
from formengine.cli.output import cli_err, cli_out, language, problem_line, say
from formengine.definition.registry import (
    FormRegistry,
    check_file,
    display_path,
    load_registry,
    publish,
)
from formengine.errors.problems import ERROR, FormError, Location, Problem
from formengine.i18n import N_

FEATURE_COMMANDS = ("score", "pdf", "fhir", "i18n", "new_variant")


def forms_dir(args: argparse.Namespace) -> Path:
    return Path(args.forms or os.environ.get("FORMENGINE_FORMS") or "forms")


def cmd_check(args: argparse.Namespace) -> int:
    """Validate forms; print each problem as FILE:LINE:COL: CODE message.

    A folder is checked as a forms folder; a file is checked itself, wherever it is.
    """
    paths = [Path(p) for p in args.paths] or [forms_dir(args)]
    failed = False
    for path in paths:
        if not path.exists():
            missing = Problem("FE001", Location(str(path)), {"reason": say("no such file or folder")})
            print(f"{path}: FE001 {missing.message_in(language())}", file=sys.stderr)
            failed = True
            continue
        if path.is_dir():
            registry = load_registry(path, strict=args.strict)
            problems, count = registry.problems, len(registry.definitions)
        else:
            problems, valid = check_file(path, strict=args.strict, forms_root=forms_dir(args))
            count = int(valid)
        for problem in sorted(problems, key=lambda p: p.location):
            print(problem_line(problem))
        failed |= any(p.severity == ERROR for p in problems) or (path.is_file() and count == 0)
        if not args.quiet:
            errors = sum(p.severity == ERROR for p in problems)
            cli_err(
                "{path}: {count} form version(s) valid, {errors} error(s), {warnings} warning(s)",
                path=display_path(path),
                count=count,
                errors=errors,
                warnings=len(problems) - errors,
            )
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from formengine.definition.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    registry = load_registry(forms_dir(args))
    rows = [
        {
            "id": d.id,
            "version": d.version,
            "status": d.status,
            "kind": d.kind,
            "title": d.title.get(),
            "extends": d.extends,
            "published": registry.is_published(d),
            "hash": d.hash,
        }
        for d in registry.all()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            mark = say("published") if row["published"] else say("unpublished")
            base = "  " + say("extends {base}", base=row["extends"]) if row["extends"] else ""
            print(
                f"{row['id']}@{row['version']}  {row['status']:8} {row['kind']:10} {mark:11} {row['title']}{base}"
            )
    _report_errors(registry)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from formengine.definition.serialize import definition_json
    from formengine.render.textview import render_text

    registry = load_registry(forms_dir(args))
    definition = registry.resolve_ref(args.form)
    if args.json:
        print(json.dumps(definition_json(definition, args.lang), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(definition, args.lang or definition.default_language))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    digest = publish(forms_dir(args), args.form)
    cli_out("published {form} {digest}", form=args.form, digest=digest)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from formengine.definition.diff import diff

    registry = load_registry(forms_dir(args))
    old, new = registry.resolve_ref(args.old), registry.resolve_ref(args.new)
    result = diff(old, new)
    if args.json:
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return 0
    for level, kind, text in result.changes:
        print(f"{level:5}  {kind}: {text}")
    bump = {
        "major": N_("a new MAJOR version"),
        "minor": N_("a new MINOR version"),
        "patch": N_("a new PATCH version"),
        "none": N_("no new version"),
    }[result.level]
    cli_out(
        "{old} → {new}: {count} change(s); this needs {bump}",
        old=old.key,
        new=new.key,
        count=len(result.changes),
        bump=say(bump),
    )
    return 0


def _report_errors(registry: FormRegistry) -> None:
    errors = registry.errors
    if errors:
        cli_err(
            "warning: {count} problem(s) in {root}; run 'formengine check'",
            count=len(errors),
            root=registry.root,
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="formengine", description=__doc__.splitlines()[0])
    parser.add_argument("--forms", help="forms folder (default ./forms, or $FORMENGINE_FORMS)")
    parser.add_argument("--version", action="version", version=f"formengine {formengine.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("check", help="validate form files (default: the forms folder)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="missing translations are errors")
    p.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    p.set_defaults(func=cmd_check)
    sub.add_parser("schema", help="print the JSON Schema of the form format").set_defaults(func=cmd_schema)
    p = sub.add_parser("list", help="list forms, versions and status")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", help="show a resolved form definition")
    p.add_argument("form", metavar="FORM[@VERSION]")
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", choices=("nb", "nn", "en", "se"))
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("publish", help="record a version's hash in published.lock (it becomes immutable)")
    p.add_argument("form", metavar="FORM@VERSION")
    p.set_defaults(func=cmd_publish)
    p = sub.add_parser("diff", help="compare two versions and say which version bump they need")
    p.add_argument("old", metavar="FORM@A")
    p.add_argument("new", metavar="FORM@B")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff)
    for name in FEATURE_COMMANDS:  # shipped in this package: a missing one is a broken install
        importlib.import_module(f"formengine.cli.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except FormError as exc:
        for problem in exc.problems:
            print(problem_line(problem), file=sys.stderr)
        return 1
    except BrokenPipeError:  # `formengine show … | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
