"""One catalogue of coded problems, each with a message template and a hint on how to fix it.

Tests assert on codes and locations, never on the English wording.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from formengine.errors.catalogue import CATALOGUE

ERROR = "error"
WARNING = "warning"


class Suggestion(str):
    """What :func:`suggest` returns: the English text " (did you mean 'x'?)", carrying ``candidate``
    so that :meth:`Problem.message_in` can say the same in another language."""

    candidate: str

    def __new__(cls, candidate: str) -> Suggestion:
        self = super().__new__(cls, f" (did you mean '{candidate}'?)")
        self.candidate = candidate
        return self

    def __reduce__(self) -> tuple[type[Suggestion], tuple[str]]:
        return (Suggestion, (self.candidate,))

    def in_language(self, lang: str) -> str:
        """The suggestion in ``lang`` (the English text for a language without a translation)."""
        from formengine.errors.translations import suggestion_in

        found = suggestion_in(self.candidate, lang)
        return found if found is not None else str(self)


def suggest(word: str, candidates: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest candidate (a :class:`Suggestion`), or an empty string."""
    import difflib

    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return Suggestion(close[0]) if close else ""


def _render(template: str, args: dict[str, Any]) -> str:
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


_PHRASE_ARGS = frozenset(
    {"where", "expected", "actual", "what", "problem"}
)  # English phrases from checks and YAML


@dataclass(frozen=True)
class Problem:
    """One coded problem found in a form definition or in an answer set."""

    code: str
    location: Location
    args: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
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
        from formengine.errors.translations import translation

        message, hint = CATALOGUE[self.code]
        found = translation(message, lang)
        return None if found is None else (found, translation(hint, lang) or hint)

    def _args_in(self, lang: str) -> dict[str, Any]:
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
        from formengine.errors.translations import warning_prefix

        prefix = warning_prefix(lang) if self.severity == WARNING else ""
        return f"{self.location}: {self.code} {prefix}{self.message_in(lang)} — {self.hint_in(lang)}"

    def as_dict(self) -> dict[str, Any]:
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
