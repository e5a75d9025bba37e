"""formengine: versioned assessment forms for relatives — load, validate, render, score, summarise.

The library has no Flask imports; the web app and the CLI are thin shells around it.

Public API::

    registry = load_registry("forms")            # every version, validated and resolved
    definition = registry.get("parorende-kartlegging", "1.0.0")
    problems = validate_answers(definition, answers)
"""
from formengine.answers.check import check_answers, prune_hidden, read_answers_file, validate_answers
from formengine.answers.prefill import prefill_answers
from formengine.definition.burden import estimate_minutes
from formengine.definition.model import FormDefinition, Item, Option, Section, Text
from formengine.errors.problems import AnswerError, FormError, Location, Problem
from formengine.definition.registry import FormRegistry, load_registry, publish

__version__ = "0.1.0"

__all__ = [
    "AnswerError", "FormDefinition", "FormError", "FormRegistry", "Item", "Location", "Option",
    "Problem", "Section", "Text", "check_answers", "estimate_minutes", "load_registry", "prefill_answers",
    "prune_hidden", "publish",
    "read_answers_file", "validate_answers",
]
