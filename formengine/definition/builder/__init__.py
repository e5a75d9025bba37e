"""Build the frozen FormDefinition from located YAML data, reporting every problem.

``validation.Builder`` is one class made of declared parts, each a mixin over ``texts.Checker``
(located typed reads and the problem list) with its own state and explicit inputs:
``catalogue.CatalogueReader`` (domains, contacts, offers), ``references.ExpressionReader``
(expressions and their references) and ``scoring_rules.ScoringReader`` (the scoring block).
"""
