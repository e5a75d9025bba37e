"""FHIR R4 interoperability: forms ↔ Questionnaire, answers ↔ QuestionnaireResponse.

- :func:`export_questionnaire` (``export.py``): a resolved form as a Questionnaire.
- :func:`export_response` / :func:`import_response` (``response.py``): answers both ways.
- :func:`import_questionnaire` (``importer.py`` with ``import_items.py``, ``options.py``,
  ``import_scoring.py``): a Questionnaire (ours or a third party's) as a YAML definition.
- ``conditions.py``: show_if ↔ enableWhen; ``common.py``: extension URLs and helpers.

All functions work on plain JSON dicts; ``fhir.resources`` (R4B models) is used only to
validate. See the module docstrings for what each mapping carries and what it loses.
"""

from formengine.fhir.export import export_questionnaire
from formengine.fhir.importer import import_questionnaire, validation_problems
from formengine.fhir.response import export_response, import_response

__all__ = [
    "export_questionnaire",
    "export_response",
    "import_questionnaire",
    "import_response",
    "validation_problems",
]
