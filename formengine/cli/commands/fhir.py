"""`formengine fhir`: export a form as a FHIR Questionnaire, answers as a QuestionnaireResponse, and import both.

    formengine fhir questionnaire FORM@VERSION [--fhirpath-scores]   Questionnaire JSON on stdout
    formengine fhir response FORM@VERSION ANSWERS.json   QuestionnaireResponse JSON on stdout
    formengine fhir import FILE.json [--form F@V] [-o DIR [--force]] [--as-version X.Y.Z] [--strict]
        a QuestionnaireResponse → ANSWERS.json on stdout;
        a Questionnaire → a YAML definition on stdout (or DIR/<id>/<version>.yaml)
    formengine fhir validate Q.json QR.json
        check a QuestionnaireResponse against its Questionnaire (types, codes, linkIds,
        nesting, cardinality); each problem names its JSON path; exit 1 on a problem

Warnings (what an import could not carry over) go to stderr. Exit codes: 0 fine, 1 problems.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from formengine.answers.check import read_answers_file, validate_answers
from formengine.cli.output import cli_err, problem_line
from formengine.definition.builder.validation import SEMVER
from formengine.definition.registry import load_registry, parse_ref, read_lock, semver_key
from formengine.errors.problems import AnswerError, FormError
from formengine.fhir.common import warn
from formengine.i18n import N_


def _forms(args: argparse.Namespace) -> Path:
    from formengine.cli.main import forms_dir

    return forms_dir(args)


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_questionnaire(args: argparse.Namespace) -> int:
    from formengine.fhir.export import export_questionnaire
    from formengine.fhir.scores import score_warnings

    defn = load_registry(_forms(args)).resolve_ref(args.form)
    _print_json(export_questionnaire(defn, args.fhirpath_scores))
    for message in score_warnings(
        defn, args.fhirpath_scores
    ):  # scales Refero would compute differently: left out
        warn(message)
    return 0


def cmd_response(args: argparse.Namespace) -> int:
    from formengine.fhir.response import export_response

    defn = load_registry(_forms(args)).resolve_ref(args.form)
    try:
        document = read_answers_file(args.answers)
    except AnswerError as exc:
        return _problems(exc)
    problems = validate_answers(defn, document["answers"], str(args.answers))
    if problems:
        return _problems(AnswerError(problems))
    _print_json(export_response(defn, document))
    return 0


def _problems(exc: FormError) -> int:
    for problem in exc.problems:
        print(problem_line(problem), file=sys.stderr)
    return 1


def _read(path: str) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        cli_err("{path}: cannot read FHIR JSON: {reason}", path=path, reason=exc)
        return None
    if not isinstance(data, dict) or data.get("resourceType") not in (
        "Questionnaire",
        "QuestionnaireResponse",
    ):
        kind = data.get("resourceType") if isinstance(data, dict) else type(data).__name__
        cli_err(
            "{path}: expected a Questionnaire or QuestionnaireResponse, found {kind}",
            path=path,
            kind=repr(kind),
        )
        return None
    return data


def cmd_import(args: argparse.Namespace) -> int:
    data = _read(args.file)
    if data is None:
        return 1
    if data["resourceType"] == "QuestionnaireResponse":
        return _import_response(args, data)
    from formengine.fhir.importer import import_questionnaire

    warnings: list[str] = []

    def report(message: str) -> None:
        warnings.append(message)
        warn(message)

    definition, text = import_questionnaire(data, report=report)
    if warnings and args.strict:
        cli_err("{count} warning(s) and --strict: nothing was written", count=len(warnings))
        return 1
    if args.as_version:
        if not SEMVER.match(args.as_version):
            cli_err("--as-version {version}: use MAJOR.MINOR.PATCH, e.g. 1.0.0", version=args.as_version)
            return 1
        text = _VERSION_LINE.sub(f"version: {args.as_version}", text, count=1)
        definition["version"] = args.as_version
    if args.output:
        target = Path(args.output) / definition["id"] / f"{definition['version']}.yaml"
        refusal = _refusal(Path(args.output), definition["id"], definition["version"], target, args.force)
        if refusal:
            cli_err(
                refusal,
                target=target,
                form=definition["id"],
                version=definition["version"],
                free=next_free_version(Path(args.output), definition["id"]),
            )
            return 1
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        cli_err("wrote {target}", target=target)
    else:
        sys.stdout.write(text)
    return 0


_VERSION_LINE = re.compile(r"^version: .*$", re.MULTILINE)


def _refusal(root: Path, form_id: str, version: str, target: Path, force: bool) -> str | None:
    """Why writing ``target`` would overwrite something, or None when it is safe."""
    if f"{form_id}@{version}" in read_lock(root, []):
        return N_(
            "{form}@{version} is published and is never overwritten; import it as a new "
            "version with --as-version {free}"
        )
    if not target.exists():
        return None
    if not force:
        return N_(
            "{target} exists; nothing was written. Replace a draft with --force, or import "
            "it as a new version with --as-version {free}"
        )
    try:
        existing = yaml.safe_load(target.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        existing = None
    if not isinstance(existing, dict) or existing.get("status") != "draft":
        return N_(
            "{target} is not a draft; --force replaces only a draft. Import it as a new "
            "version with --as-version {free}"
        )
    return None


def next_free_version(root: Path, form_id: str) -> str:
    """The next minor version after every version of ``form_id`` in ``root`` (files and lock)."""
    versions = [path.stem for path in (root / form_id).glob("*.yaml")]
    versions += [parse_ref(ref)[1] or "" for ref in read_lock(root, []) if parse_ref(ref)[0] == form_id]
    major, minor, _patch = max((semver_key(v) for v in versions), default=(0, 0, 0))
    return f"{max(major, 0)}.{max(minor, -1) + 1}.0"


def _import_response(args: argparse.Namespace, data: dict[str, Any]) -> int:
    from formengine.fhir.response import import_response, parse_canonical

    registry = load_registry(_forms(args))
    form_id, version = parse_canonical(data.get("questionnaire"))
    defn = registry.definitions.get((form_id or "", version or ""))
    if defn is None and version is None and form_id:
        defn = registry.latest_active(form_id) or registry.latest(form_id)
    if defn is None and args.form:
        defn = registry.resolve_ref(args.form)
    if defn is None:
        cli_err(
            "{file}: questionnaire {questionnaire} is not in {root}; name the form with --form FORM@VERSION",
            file=args.file,
            questionnaire=repr(data.get("questionnaire")),
            root=registry.root,
        )
        return 1
    problems = _Counter()
    document = import_response(defn, data, report=problems.report)
    for problem in validate_answers(defn, document["answers"], args.file):
        problems.report(problem_line(problem))
    if problems.count and args.strict:
        cli_err("{count} warning(s) and --strict: nothing was written", count=problems.count)
        return 1
    _print_json(document)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from formengine.fhir.validate import check_response

    questionnaire, response = _read(args.questionnaire), _read(args.response)
    if questionnaire is None or response is None:
        return 1
    if questionnaire["resourceType"] != "Questionnaire":
        cli_err(
            "{path}: expected a Questionnaire or QuestionnaireResponse, found {kind}",
            path=args.questionnaire,
            kind=repr(questionnaire["resourceType"]),
        )
        return 1
    problems = check_response(questionnaire, response)
    for problem in problems:
        print(f"{args.response}: {problem}", file=sys.stderr)
    return 1 if problems else 0


class _Counter:
    """Prints warnings and counts them (for --strict)."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, message: str) -> None:
        self.count += 1
        warn(message)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fhir` with its sub-commands to the formengine command line."""
    parser = subparsers.add_parser(
        "fhir", help="FHIR R4 Questionnaire / QuestionnaireResponse export and import"
    )
    sub = parser.add_subparsers(dest="fhir_command", required=True, metavar="SUBCOMMAND")
    p = sub.add_parser("questionnaire", help="export a form version as a FHIR Questionnaire (JSON)")
    p.add_argument(
        "--fhirpath-scores",
        action="store_true",
        help="also export means and other scales as Helsenorge FHIRPath scores (docs/fhir-renderers.md)",
    )
    p.add_argument("form", metavar="FORM@VERSION")
    p.set_defaults(func=cmd_questionnaire)
    p = sub.add_parser("response", help="export an answers file as a FHIR QuestionnaireResponse (JSON)")
    p.add_argument("form", metavar="FORM@VERSION")
    p.add_argument("answers", metavar="ANSWERS.json")
    p.set_defaults(func=cmd_response)
    p = sub.add_parser(
        "import", help="import a Questionnaire (→ YAML) or a QuestionnaireResponse (→ answers)"
    )
    p.add_argument("file", metavar="FILE.json")
    p.add_argument(
        "--form",
        metavar="FORM@VERSION",
        help="the form a response answers, if its 'questionnaire' is not in the forms folder",
    )
    p.add_argument(
        "-o", "--output", metavar="DIR", help="write the imported definition into DIR/<id>/<version>.yaml"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="with -o: replace an existing draft of the same version (never a published or active one)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat every warning (something the import "
        "could not carry over) as a failure: write nothing and exit 1",
    )
    p.add_argument("--as-version", metavar="X.Y.Z", help="give the imported form this version")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("validate", help="check a QuestionnaireResponse against its Questionnaire")
    p.add_argument("questionnaire", metavar="Q.json")
    p.add_argument("response", metavar="QR.json")
    p.set_defaults(func=cmd_validate)
