"""The JSON Schema is valid, shipped with the package, and accepts every shipped form file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from formengine.definition.schema import SCHEMA_PATH, build_schema

REPO = Path(__file__).resolve().parents[2]
FORM_FILES = sorted((REPO / "forms").glob("*/*.yaml"))
FORM_IDS = [p.relative_to(REPO).as_posix() for p in FORM_FILES]


def test_the_shipped_forms_are_found():
    # an empty list would turn the parametrized tests below into a silent no-op
    assert len(FORM_FILES) >= 5, f"no shipped forms under {REPO / 'forms'}"


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(build_schema())


def test_shipped_schema_file_is_current():
    assert json.loads(SCHEMA_PATH.read_text("utf-8")) == build_schema(), (
        "run formengine.definition.schema.write_schema()"
    )


@pytest.mark.parametrize("path", FORM_FILES, ids=FORM_IDS)
def test_shipped_form_validates_against_schema(path):
    jsonschema.validate(
        yaml.safe_load(path.read_text("utf-8")), build_schema(), cls=jsonschema.Draft202012Validator
    )


@pytest.mark.parametrize("path", FORM_FILES, ids=FORM_IDS)
def test_shipped_form_points_editors_at_the_schema(path):
    assert (
        path.read_text("utf-8").splitlines()[0]
        == "# yaml-language-server: $schema=../../formengine/schema/form.schema.json"
    )


def test_schema_rejects_an_unknown_item_key():
    form = {
        "id": "t",
        "version": "1.0.0",
        "status": "active",
        "title": "T",
        "languages": ["nb"],
        "default_language": "nb",
        "sections": [
            {"id": "s", "title": "S", "items": [{"id": "q", "type": "text", "label": "Q", "lable": "typo"}]}
        ],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(form, build_schema(), cls=jsonschema.Draft202012Validator)
