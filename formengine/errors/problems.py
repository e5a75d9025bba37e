"""One catalogue of coded problems, each with a message template and a hint on how to fix it.

Tests assert on codes and locations, never on the English wording.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"

# code -> (message template, hint). Templates use str.format(**args).
CATALOGUE: dict[str, tuple[str, str]] = {
    # File and YAML (FE0xx)
    "FE001": ("cannot read file: {reason}", "check the path and the file permissions"),
    "FE002": ("the file is not valid UTF-8 (byte {byte} at offset {offset})", "save the file as UTF-8"),
    "FE003": ("the file is too large ({size} bytes; at most {limit})", "split the form or remove unused text"),
    "FE004": ("YAML syntax error: {problem}", "check indentation, colons and quotes near this place"),
    "FE005": ("a tab character is used for indentation", "indent with spaces only"),
    "FE006": ("duplicate key '{key}' (first defined at line {first_line})", "remove or rename one of them"),
    "FE007": ("too many YAML aliases or anchors ({count}; at most {limit})", "write the values out instead of using anchors"),
    "FE008": ("YAML tag '{tag}' is not allowed", "remove the tag; forms use plain YAML only"),
    "FE009": ("the document must be a mapping (key: value) at the top", "start the file with 'id:', 'version:' …"),
    "FE010": ("the file is empty", "add a form definition"),
    "FE011": ("more than one YAML document in one file", "keep one form version per file"),
    "FE012": ("the nesting is too deep ({depth}; at most {limit})", "flatten the structure"),
    "FE013": ("the number {value} is not finite or too large (at most {limit} in size)", "write an ordinary number"),
    "FE014": ("too many values in one file ({count}; at most {limit})", "split the form, or write long lists shorter"),
    # Structure (FE1xx)
    "FE101": ("missing required key '{key}' in {where}", "add '{key}:'"),
    "FE102": ("unknown key '{key}' in {where}{suggestion}", "remove it or correct the spelling"),
    "FE103": ("'{key}' must be {expected}, not {actual}", "change the value to {expected}"),
    "FE104": ("unknown item type '{type}'{suggestion}", "use one of: {known}"),
    "FE105": ("duplicate id '{id}' (first used at line {first_line})", "ids must be unique in the whole form"),
    "FE106": ("invalid id '{id}': {rule}", "use lower-case letters, digits and {sep}"),
    "FE107": ("invalid version '{version}'", "use semantic versioning: MAJOR.MINOR.PATCH, e.g. 1.0.0"),
    "FE108": ("invalid status '{status}'", "use draft, active or retired"),
    "FE109": ("language '{lang}' is not one of the form's languages {languages}", "add it to 'languages' or remove the text"),
    "FE110": ("missing '{lang}' text for {where}", "add the translation"),
    "FE111": ("option without 'value'", "give every option a value, e.g. value: yes"),
    "FE112": ("score '{score}' is not a number", "write the score as a number, e.g. score: 2"),
    "FE113": ("duplicate option value '{value}'", "option values must be unique within an item"),
    "FE114": ("min ({min}) is greater than max ({max})", "swap or correct the limits"),
    "FE115": ("item type '{type}' needs options", "add 'options:' or name an option set"),
    "FE116": ("unknown option set '{name}'{suggestion}", "define it under 'option_sets'"),
    "FE117": ("{key} '{value}' does not match the file path (expected '{expected}')", "rename the file or fix the {key}"),
    "FE118": ("default language '{lang}' is not in languages", "add it to 'languages'"),
    "FE119": ("key '{key}' is not allowed for item type '{type}'", "remove it"),
    "FE120": ("empty text for {where}", "write the text or remove the key"),
    "FE121": ("invalid language code '{lang}'", "use nb, nn, en or se"),
    "FE122": ("invalid option value '{value}'", "use lower-case letters, digits and _"),
    "FE123": ("invalid date '{value}'", "write dates as YYYY-MM-DD or 'today'"),
    "FE124": ("a section needs at least one item", "add items or remove the section"),
    "FE125": ("yes_no options must have values yes and no (and optionally one 'not applicable')", "use value: yes and value: no"),
    "FE126": ("invalid kind '{kind}'", "use assessment, agreement or followup"),
    "FE127": ("a repeat group cannot contain another repeat group", "flatten the group"),
    "FE128": ("unsafe link target '{url}' in text", "links must start with https://, http:// or mailto:"),
    "FE129": ("unknown domain '{domain}'{suggestion}", "declare it under 'domains'"),
    "FE130": ("unknown contact '{contact}'", "declare it under 'contacts'"),
    "FE131": ("{key} {value} is out of range (at most {limit} in size)", "use a smaller number"),
    "FE132": ("{key} {value} makes the item impossible to answer (it must be at least {least})", "use {least} or more, or leave '{key}' out"),
    "FE133": ("a matrix item needs at least one row", "add rows or remove the item"),
    # Expressions (FE2xx)
    "FE201": ("expression syntax error: {problem}", "check the operators, quotes and parentheses"),
    "FE202": ("unknown reference '{name}' in expression{suggestion}", "refer to an item id of this form"),
    "FE203": ("unknown function '{name}' or wrong number of arguments", "use count(x), answered(x), sum(x), min(…), max(…)"),
    "FE204": ("'{value}' is not an option of '{item}'", "compare with one of: {options}"),
    "FE205": ("'{name}' refers to itself in show_if", "an item's condition must depend on other items"),
    "FE206": ("'value' is only available in a constraint", "refer to the item by its id"),
    "FE207": ("show_if conditions depend on each other in a circle: {cycle}", "make one of them depend on an item outside the circle"),
    "FE208": ("division by zero: this part of the expression has no value, so the condition can never be true", "divide by another number or remove the division"),
    # Versions and variants (FE3xx)
    "FE301": ("published version {form}@{version} has changed (hash {actual}, published {expected})", "create a new version instead; published versions may never change"),
    "FE302": ("'{target}' cannot be extended: {reason}", "extend an existing FORM@VERSION"),
    "FE303": ("overlay target '{target}' not found{suggestion}", "name an existing item or section id"),
    "FE304": ("cannot hide '{target}': {reason}", "national scored or required items must stay so answers remain comparable"),
    "FE305": ("cannot change national scoring: {reason}", "add a new scale over your own items instead"),
    "FE306": ("{form}@{version} is defined more than once ({other})", "keep one file per version"),
    "FE307": ("unknown overlay operation '{op}'{suggestion}", "use add_items, add_section, set_text or hide"),
    "FE308": ("overlay operation needs exactly one of 'after' or 'before'", "say where to insert"),
    "FE309": ("form {form}@{version} not found", "run 'formengine list' to see the forms"),
    "FE310": ("cannot publish {form}@{version}: {reason}", "fix the problems and try again"),
    "FE311": ("a variant extends a variant ('{target}')", "extend the national core form"),
    # Scoring (FE4xx)
    "FE401": ("scale item '{item}' is not an item or matrix row of this form", "list scored items by id (matrix rows as matrix.row)"),
    "FE402": ("item '{item}' cannot be scored (type {type}, or options without scores)", "give its options scores"),
    "FE403": ("band limits must increase (band '{band}')", "order bands from low to high"),
    "FE404": ("min_answered must be a whole number >= 1 or a fraction between 0 and 1", "e.g. min_answered: 3 or 0.5"),
    "FE405": ("gap matrices do not share the same rows ({a} and {b})", "use matrices with identical rows"),
    "FE406": ("'{item}' is not a priority item", "point 'priorities' at an item of type priority"),
    "FE407": ("the last band must have no max and the others must", "leave 'max' off the highest band only"),
    "FE408": ("'{name}' in a weight or reverse list is not an item of this scale", "list only the scale's items"),
    # Answers (FE5xx)
    "FE501": ("unknown item '{item}' in the answers", "use item ids from the form definition"),
    "FE502": ("'{value}' is not an option of '{item}'", "use one of: {options}"),
    "FE503": ("answer to '{item}' must be {expected}", "change the value to {expected}"),
    "FE504": ("answer to '{item}' is out of range ({detail})", "give a value within the limits"),
    "FE505": ("the answers are for {got}, not {expected}", "score with the form version the answers were filled in"),
    "FE506": ("too many choices for '{item}' (at most {max})", "remove some choices"),
    "FE507": ("the answers file is not valid: {reason}", "see docs/format.md for the ANSWERS.json shape"),
}


class Suggestion(str):
    """What :func:`suggest` returns: the English text " (did you mean 'x'?)", carrying ``candidate``
    so that :meth:`Problem.message_in` can say the same in another language."""

    candidate: str

    def __new__(cls, candidate: str) -> "Suggestion":
        self = super().__new__(cls, f" (did you mean '{candidate}'?)")
        self.candidate = candidate
        return self

    def __reduce__(self):
        return (Suggestion, (self.candidate,))

    def in_language(self, lang: str) -> str:
        """The suggestion in ``lang`` (the English text for a language without a translation)."""
        from formengine.errors.translations import SUGGESTION

        template = SUGGESTION.get(_language(lang))
        return template.format(candidate=self.candidate) if template else str(self)


def suggest(word: str, candidates: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest candidate (a :class:`Suggestion`), or an empty string."""
    import difflib

    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return Suggestion(close[0]) if close else ""


def _language(lang: str | None) -> str:
    """Normalise a language tag: 'nb-NO' and 'nb_NO' → 'nb', 'no' → 'nb'."""
    primary = str(lang or "").lower().replace("_", "-").split("-")[0]
    return "nb" if primary == "no" else primary


def _render(template: str, args: dict) -> str:
    """``template.format(**args)``, or the template itself if an argument is missing or does not fit."""
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return template


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column are 1-based."""

    file: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


_PHRASE_ARGS = frozenset({"where", "expected", "actual"})  # English phrases from the checks


@dataclass(frozen=True)
class Problem:
    """One coded problem found in a form definition or in an answer set."""

    code: str
    location: Location
    args: dict = field(default_factory=dict, compare=False, hash=False)
    severity: str = ERROR

    @property
    def message(self) -> str:
        template, _ = CATALOGUE[self.code]
        try:
            return template.format(**self.args)
        except (KeyError, IndexError):
            return template

    @property
    def hint(self) -> str:
        _, hint = CATALOGUE[self.code]
        try:
            return hint.format(**self.args)
        except (KeyError, IndexError):
            return hint

    def format(self) -> str:
        """Render as ``FILE:LINE:COL: CODE message (hint)``."""
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.location}: {self.code} {prefix}{self.message} — {self.hint}"

    def _translated(self, lang: str) -> tuple[str, str] | None:
        from formengine.errors.translations import TRANSLATIONS

        return TRANSLATIONS.get(_language(lang), {}).get(self.code)

    def _args_in(self, lang: str) -> dict:
        from formengine.errors.translations import phrase_in

        out = {}
        for key, value in self.args.items():
            if isinstance(value, Suggestion):
                value = value.in_language(lang)
            elif key in _PHRASE_ARGS:
                value = phrase_in(value, lang)
            out[key] = value
        return out

    def message_in(self, lang: str) -> str:
        """The message in ``lang`` ("nb", "nn"); English for any other language. Never raises."""
        found = self._translated(lang)
        if found is None:
            return self.message
        return _render(found[0], self._args_in(lang))

    def hint_in(self, lang: str) -> str:
        """The hint in ``lang`` ("nb", "nn"); English for any other language. Never raises."""
        found = self._translated(lang)
        if found is None:
            return self.hint
        return _render(found[1], self._args_in(lang))

    def format_in(self, lang: str) -> str:
        """Like :meth:`format`, in ``lang``; exactly :meth:`format` for a language without a translation."""
        if self._translated(lang) is None:
            return self.format()
        from formengine.errors.translations import WARNING_PREFIX

        prefix = WARNING_PREFIX.get(_language(lang), "warning: ") if self.severity == WARNING else ""
        return f"{self.location}: {self.code} {prefix}{self.message_in(lang)} — {self.hint_in(lang)}"

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
            "hint": self.hint,
        }


class FormError(Exception):
    """Raised when a definition or an answer set has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class FormNotFound(FormError, LookupError):
    """Raised when a FORM@VERSION is not in the registry (FE309)."""


class AnswerError(FormError):
    """Raised when an answer set does not fit its form definition."""
