"""JSON Schema (draft 2020-12) of the form-definition format, built from the item-type table.

Editors use it for completion (`# yaml-language-server: $schema=…`); the validator remains
the authority for cross-references, expressions and versions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from formengine.definition.builder.scoring_rules import BAND_KEYS, SCALE_KEYS
from formengine.definition.builder.validation import TOP_KEYS
from formengine.definition.item_types import CONTAINER_TYPES, ITEM_TYPES
from formengine.definition.model import KINDS, LANGUAGES, STATUSES

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "form.schema.json"
SCHEMA_ID = "https://formengine.example/schema/form.schema.json"


def _text() -> dict[str, Any]:
    return {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "propertyNames": {"enum": list(LANGUAGES)},
                "additionalProperties": {"type": "string"},
                "minProperties": 1,
            },
        ]
    }


def _closed(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    out = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def _item_schema() -> dict[str, Any]:
    prop = {
        "id": {"$ref": "#/$defs/id"},
        "type": {"enum": list(ITEM_TYPES)},
        "label": {"$ref": "#/$defs/text"},
        "help": {"$ref": "#/$defs/text"},
        "text": {"$ref": "#/$defs/text"},
        "required": {"type": "boolean"},
        "required_if": {"$ref": "#/$defs/expression"},
        "show_if": {"$ref": "#/$defs/expression"},
        "constraint": {"$ref": "#/$defs/expression"},
        "constraint_message": {"$ref": "#/$defs/text"},
        "conversation_only": {"oneOf": [{"type": "boolean"}, {"const": "default"}]},
        "options": {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/options"}]},
        "rows": {
            "type": "array",
            "items": _closed(
                {"id": {"$ref": "#/$defs/id"}, "label": {"$ref": "#/$defs/text"}}, ["id", "label"]
            ),
        },
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "min": {"type": ["number", "string"]},
        "max": {"type": ["number", "string"]},
        "unit": {"$ref": "#/$defs/text"},
        "integer": {"type": "boolean"},
        "read_only": {"type": "boolean"},
        "initial": {"type": ["number", "string", "array"], "items": {"type": "string"}},
        "calculated": {
            "oneOf": [
                {"$ref": "#/$defs/expression"},
                _closed(
                    {
                        "fhirpath": {"type": "string", "minLength": 1},
                        "variables": {
                            "type": "array",
                            "items": _closed(
                                {
                                    "name": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                                    "expression": {"type": "string", "minLength": 1},
                                },
                                ["name", "expression"],
                            ),
                        },
                    },
                    ["fhirpath"],
                ),
            ]
        },
        "max_length": {"type": "integer", "minimum": 1},
        "max_choices": {"type": "integer", "minimum": 1},
        "add_label": {"$ref": "#/$defs/text"},
        "fhir": {"$ref": "#/$defs/fhir_item"},
        "rows_from": {"$ref": "#/$defs/id"},
        "columns": {
            "type": "array",
            "minItems": 1,
            "items": _closed(
                {
                    "id": {"$ref": "#/$defs/id"},
                    "label": {"$ref": "#/$defs/text"},
                    "help": {"$ref": "#/$defs/text"},
                    "options": {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/options"}]},
                    "show_if": {"$ref": "#/$defs/expression"},
                },
                ["id", "label", "options"],
            ),
        },
        "groups": {
            "type": "array",
            "items": _closed(
                {"id": {"$ref": "#/$defs/id"}, "label": {"$ref": "#/$defs/text"}}, ["id", "label"]
            ),
        },
    }
    branches = []
    for name, spec in ITEM_TYPES.items():
        allowed = sorted(spec.allowed_keys)
        then: dict[str, Any] = {"propertyNames": {"enum": allowed}}
        if name == "cards":  # exactly one of rows and rows_from, and columns
            then["required"] = ["columns"]
            then["oneOf"] = [{"required": ["rows"]}, {"required": ["rows_from"]}]
        if name in CONTAINER_TYPES:  # a group or repeat group holds items (groups nest at any depth)
            then["required"] = ["items"]
        branches.append({"if": {"properties": {"type": {"const": name}}, "required": ["type"]}, "then": then})
    schema = _closed(prop, ["id", "type"])
    schema["allOf"] = branches
    return schema


def _scoring_schema() -> dict[str, Any]:
    return _closed(
        {
            "scales": {
                "type": "array",
                "items": _closed(
                    {k: {} for k in SCALE_KEYS}
                    | {
                        "id": {"$ref": "#/$defs/id"},
                        "label": {"$ref": "#/$defs/text"},
                        "items": {"type": "array", "items": {"type": "string"}},
                        "method": {"enum": ["sum", "mean"]},
                        "compares_to": {
                            "type": "string",
                            "pattern": r"^[a-z][a-z0-9-]*@[0-9]+\.[0-9]+\.[0-9]+#[a-z][a-z0-9_]*$",
                        },
                        "bands": {
                            "type": "array",
                            "items": _closed(
                                {k: {} for k in BAND_KEYS}
                                | {"label": {"$ref": "#/$defs/text"}, "max": {"type": "number"}},
                                ["id", "label"],
                            ),
                        },
                    },
                    ["id", "label", "items"],
                ),
            },
            "flags": {
                "type": "array",
                "items": _closed(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "when": {"$ref": "#/$defs/expression"},
                        "severity": {"enum": ["high", "medium", "info"]},
                        "message": {"$ref": "#/$defs/text"},
                        "action": {"$ref": "#/$defs/text"},
                        "alert": {"type": "boolean"},
                        "safety": {"type": "boolean"},
                    },
                    ["id", "when", "severity", "message"],
                ),
            },
            "priorities": {"type": "string"},
            "gaps": {
                "type": "array",
                "items": _closed(
                    {
                        "id": {"$ref": "#/$defs/id"},
                        "rows": {"type": "array"},
                        "bind": {"type": "object"},
                        "cards": {"$ref": "#/$defs/id"},
                        "when": {"$ref": "#/$defs/expression"},
                        "label": {"$ref": "#/$defs/text"},
                    },
                    ["id", "when", "label"],
                )
                | {"oneOf": [{"required": ["bind"]}, {"required": ["cards"]}]},
            },
            "offer_triggers": {
                "type": "array",
                "items": _closed(
                    {
                        "when": {"$ref": "#/$defs/expression"},
                        "domains": {"type": "array", "items": {"type": "string"}},
                    },
                    ["when", "domains"],
                ),
            },
        }
    )


def build_schema() -> dict[str, Any]:
    """Return the JSON Schema of a form file (core or variant)."""
    scoring = _scoring_schema()
    top = {k: {} for k in TOP_KEYS} | {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "version": {"type": "string", "pattern": r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"},
        "status": {"enum": list(STATUSES)},
        "kind": {"enum": list(KINDS)},
        "title": {"$ref": "#/$defs/text"},
        "description": {"$ref": "#/$defs/text"},
        "languages": {"type": "array", "items": {"enum": list(LANGUAGES)}, "minItems": 1},
        "default_language": {"enum": list(LANGUAGES)},
        "extends": {"type": "string", "pattern": "^[a-z][a-z0-9-]*@[0-9]+\\.[0-9]+\\.[0-9]+$"},
        "municipality": _closed(
            {"id": {"type": "string"}, "name": {"type": "string"}, "duty_email": {"type": "string"}},
            ["id", "name"],
        ),
        "option_sets": {"type": "object", "additionalProperties": {"$ref": "#/$defs/options"}},
        "domains": {
            "type": "array",
            "items": _closed(
                {"id": {"$ref": "#/$defs/id"}, "label": {"$ref": "#/$defs/text"}}, ["id", "label"]
            ),
        },
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": _closed(
                {
                    "id": {"$ref": "#/$defs/id"},
                    "title": {"$ref": "#/$defs/text"},
                    "description": {"$ref": "#/$defs/text"},
                    "show_if": {"$ref": "#/$defs/expression"},
                    "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}},
                    "fhir": {"$ref": "#/$defs/fhir_item"},
                },
                ["id", "title", "items"],
            ),
        },
        "scoring": scoring,
        "contacts": {
            "type": "array",
            "items": _closed(
                {
                    "id": {"$ref": "#/$defs/id"},
                    "name": {"$ref": "#/$defs/text"},
                    "phone": {"type": "string"},
                    "email": {"type": "string"},
                    "hours": {"$ref": "#/$defs/text"},
                    "crisis": {"type": "boolean"},
                },
                ["id", "name"],
            ),
        },
        "offers": {
            "type": "array",
            "items": _closed(
                {
                    "id": {"$ref": "#/$defs/id"},
                    "title": {"$ref": "#/$defs/text"},
                    "description": {"$ref": "#/$defs/text"},
                    "contact": {"type": "string"},
                    "domains": {"type": "array", "items": {"type": "string"}},
                    "url": {"type": "string"},
                },
                ["id", "title", "domains"],
            ),
        },
        "prefill": {
            "type": "array",
            "items": _closed(
                {
                    "from": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*@[0-9]+(\.[0-9]+\.[0-9]+)?$"},
                    "map": {"type": "object", "additionalProperties": {"type": "string"}},
                    "values": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": {"type": ["string", "integer", "null"]},
                        },
                    },
                },
                ["from", "map"],
            ),
        },
        "fhir": _closed({"url": {"type": "string"}, "version": {"type": "string"}}),
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["op"],
                "properties": {"op": {"enum": ["add_items", "add_section", "set_text", "hide"]}},
            },
        },
    }
    schema = _closed(top)
    schema["oneOf"] = [
        {"required": ["id", "version", "status", "title", "languages", "default_language", "sections"]},
        {"required": ["id", "version", "status", "extends", "municipality"]},
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "formengine form definition",
        "description": "A versioned assessment form (core or municipal variant). See docs/format.md.",
        **schema,
        "$defs": {
            "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
            "text": _text(),
            "expression": {"type": ["string", "boolean"]},
            "options": {
                "type": "array",
                "items": _closed(
                    {
                        "value": {"type": ["string", "integer"]},
                        "label": {"$ref": "#/$defs/text"},
                        "score": {"type": "number"},
                        "not_applicable": {"type": "boolean"},
                        "group": {"$ref": "#/$defs/id"},
                        "fhir": {"$ref": "#/$defs/coding"},
                        "exclusive": {"type": "boolean"},  # multi_choice only (FE156)
                    },
                    ["value", "label"],
                ),
            },
            "coding": _closed(
                {"system": {"type": "string"}, "code": {"type": "string"}, "display": {"type": "string"}},
                ["code"],
            ),
            "fhir_item": _closed(
                {
                    "linkId": {"type": "string", "minLength": 1},
                    "code": {"type": "array", "items": {"$ref": "#/$defs/coding"}},
                    "under": {"type": "string"},
                    "top_level": {"type": "boolean"},
                    "type": {"const": "quantity"},
                    "unit": {"$ref": "#/$defs/coding"},
                }
            ),
            "item": _item_schema(),
        },
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> None:
    """Write the schema file shipped with the package (run after changing the format)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text(), "utf-8")
