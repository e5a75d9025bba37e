"""What the ``formengine`` command prints, through the gettext domain "formengine".

The language is ``FORMENGINE_LANG`` (``nb``, ``nn`` or ``en``); without it the command speaks
English, as scripts and CI logs expect. Problems print as ``FILE:LINE:COL: CODE message — hint``
in that language too (English exactly as :meth:`~formengine.errors.problems.Problem.format`).
Messages are English msgids; ``say``, ``cli_out`` and ``cli_err`` are the extraction keywords.
"""

from __future__ import annotations

import sys
from typing import Any

from formengine.errors.problems import Problem
from formengine.i18n import output_language as language
from formengine.i18n import say

__all__ = ["cli_err", "cli_out", "language", "problem_line", "say"]


def cli_out(message: str, **args: Any) -> None:
    """Print a translated message to standard output."""
    print(say(message, **args))


def cli_err(message: str, **args: Any) -> None:
    """Print a translated message to standard error."""
    print(say(message, **args), file=sys.stderr)


def problem_line(problem: Problem) -> str:
    """One problem as a line in the command's language."""
    return problem.format_in(language())
