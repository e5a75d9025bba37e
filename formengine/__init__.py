"""formengine: versioned assessment forms for relatives — load, validate, render, score, summarise.

The library has no Flask imports; the web app, the CLI and the bench are thin shells around it.
This module is its public API: everything outside ``formengine`` imports from here, or from one
of the documented modules listed below (``DOCUMENTED_MODULES``, read by
``tests/test_architecture.py``). Nothing outside imports a name starting with ``_``.

Use::

    registry = load_registry(["forms", "instance/forms"], hold_back=["instance/forms"])
    definition = registry.get("parorende-kartlegging", "1.0.0")
    problems = validate_answers(definition, answers)
    report = score(definition, answers, "nb")          # a typed ScoreReport

Forms and versions: :func:`load_registry` (``hold_back``: folders whose unpublished versions
load as drafts; :meth:`FormRegistry.reload`), :func:`publish`, :func:`semver_key`,
:func:`read_lock`, :func:`display_path`, :func:`diff` (which version bump a change needs);
the model :class:`FormDefinition`, :class:`Section`, :class:`Item`, :class:`Option`,
:class:`Text`; the item-type table :data:`ITEM_TYPES`. Reading a single file:
:func:`load_text`, :func:`load_bytes`, :class:`Document`, :data:`MAX_BYTES`; :func:`identify`
(a document's id and version, checked as the builder checks them).

Problems: :class:`Problem` (a coded, located problem from the catalogue), :class:`Location`,
:data:`ERROR`, :data:`WARNING`, :class:`FormError`, :class:`AnswerError`.

Answers: :func:`validate_answers`, :func:`check_answers`, :func:`check_value`,
:func:`prune_hidden`, :func:`read_answers_file`, :func:`section_visible`, :func:`item_visible`,
:func:`visible_items` (the ids of every item shown for an answer set, computed once),
:func:`sample_answers` (plausible answers for previews, tests and the bench),
:func:`effective_answers`; "for the conversation only" marks :func:`default_marks`,
:func:`is_marked`, :func:`parse_mark`, :func:`entry_mark`; pre-filling from an older version :func:`prefill_source`,
:func:`prefill_answers`. Model extras: :class:`Contact`, :class:`Flag`. Scales comparable across
versions: :func:`comparable_scales`.

Privacy marks ("for the conversation only"; an item id or ``ITEM[N].CHILD`` for one repeat
entry): :func:`default_marks` (what ``conversation_only: default`` marks), :func:`effective_marks`,
:func:`entry_mark`, :func:`parse_mark`, :func:`is_marked`, :func:`strip_marked` (the record copy's
answers). :func:`effective_answers`: the answers without those to hidden items, as scored (calculated
items computed); :func:`recalculate`: the answers to store, calculated items recomputed; :func:`initial_answers`:
what a new response starts with (the items' ``initial`` values).

Length: :func:`estimate_minutes` (the expected minutes of a typical path, for "Tar omtrent
10–15 minutter"), :func:`estimate_time` (a :class:`TimeEstimate`, page by page, with the time
left after a page), :func:`minutes_range` (the bracket shown to the relative).

Scoring: :func:`score` (a :class:`ScoreReport`), :func:`clear_scorer_cache` (for measuring a
first score). Display: :func:`format_answer` and :func:`answer_lines` (an answer as text in the
locale of a language: Babel numbers and dates; the PDF, the relative's review and the staff pages
all use them), :func:`to_html` (the safe form-text markup), :func:`show_bidi_controls` (bidi
control characters made visible, so that no answer can reverse text on a staff page or in a PDF).

Documented modules (each with its own docstring and ``__all__``):

- ``formengine.render.wtforms_builder``: WTForms classes for one section and reading answers
  back (for a web front end).
- ``formengine.summary``: the printed documents (meeting summary, agreement, blank form) as HTML
  or PDF.
- ``formengine.fhir``: FHIR R4 Questionnaire and QuestionnaireResponse, both ways.
"""

from formengine.answers.calculate import initial_answers
from formengine.answers.check import (
    check_answers,
    check_value,
    prune_hidden,
    read_answers_file,
    validate_answers,
)
from formengine.answers.conditions import (
    effective_answers,
    item_visible,
    recalculate,
    section_visible,
    visible_items,
)
from formengine.answers.prefill import prefill_answers, prefill_source
from formengine.answers.privacy import (
    default_marks,
    effective_marks,
    entry_mark,
    is_marked,
    parse_mark,
    strip_marked,
)
from formengine.answers.samples import sample_answers
from formengine.definition.builder.validation import identify
from formengine.definition.burden import TimeEstimate, estimate_minutes, estimate_time, minutes_range
from formengine.definition.diff import Diff, diff
from formengine.definition.item_types import ITEM_TYPES, ItemType
from formengine.definition.loader import MAX_BYTES, Document, load_bytes, load_text
from formengine.definition.model import Contact, Flag, FormDefinition, Item, Option, Section, Text
from formengine.definition.registry import (
    FormRegistry,
    display_path,
    load_registry,
    publish,
    read_lock,
    semver_key,
)
from formengine.errors.problems import ERROR, WARNING, AnswerError, FormError, Location, Problem
from formengine.render.answers import answer_lines, format_answer
from formengine.render.markup import to_html
from formengine.render.textsafety import show_bidi_controls
from formengine.scoring.compare import comparable_scales
from formengine.scoring.engine import clear_scorer_cache, score
from formengine.scoring.report import ScoreReport

__version__ = "0.1.0"

DOCUMENTED_MODULES = (
    "formengine.render.wtforms_builder",
    "formengine.summary",
    "formengine.fhir",
)

__all__ = [
    "AnswerError",
    "Contact",
    "Diff",
    "Document",
    "DOCUMENTED_MODULES",
    "ERROR",
    "Flag",
    "FormDefinition",
    "FormError",
    "FormRegistry",
    "Item",
    "ITEM_TYPES",
    "ItemType",
    "Location",
    "MAX_BYTES",
    "Option",
    "Problem",
    "ScoreReport",
    "Section",
    "Text",
    "TimeEstimate",
    "WARNING",
    "answer_lines",
    "check_answers",
    "check_value",
    "clear_scorer_cache",
    "comparable_scales",
    "default_marks",
    "diff",
    "display_path",
    "effective_answers",
    "effective_marks",
    "entry_mark",
    "estimate_minutes",
    "estimate_time",
    "format_answer",
    "identify",
    "is_marked",
    "item_visible",
    "visible_items",
    "load_bytes",
    "load_registry",
    "load_text",
    "minutes_range",
    "parse_mark",
    "prefill_answers",
    "prefill_source",
    "prune_hidden",
    "recalculate",
    "initial_answers",
    "publish",
    "read_answers_file",
    "read_lock",
    "sample_answers",
    "score",
    "section_visible",
    "show_bidi_controls",
    "semver_key",
    "strip_marked",
    "to_html",
    "validate_answers",
]
