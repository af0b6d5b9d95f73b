"""The documented formats match the code: the JSON Schema, the field list and the standards table."""

from __future__ import annotations

import json

import jsonschema
import pytest

from bot.catalogue.importers import export_json
from bot.catalogue.loading import KNOWN_FIELDS
from bot.catalogue.models import Credential
from bot.settings import PROJECT_ROOT
from tests.test_importers import catalogue

DOCS = PROJECT_ROOT / "docs"
SCHEMA = json.loads((DOCS / "credential.schema.json").read_text(encoding="utf-8"))
DERIVED = {"cost_min", "cost_min_usd", "cost_rank", "quality_score", "aims_key", "provider_kind"}


def test_schema_names_exactly_the_fields_the_loader_accepts():
    assert set(SCHEMA["properties"]) == KNOWN_FIELDS


def test_the_exported_catalogue_follows_the_schema(tmp_path):
    path = tmp_path / "all.json"
    export_json(catalogue(), path)
    entries = json.loads(path.read_text(encoding="utf-8"))
    assert len(entries) >= 150
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    for entry in entries:
        validator.validate(entry)


@pytest.mark.parametrize(
    "change",
    [
        {"credential_type": "degree"},
        {"price": {"amount": -5, "currency": "GBP", "basis": "one_off"}},
        {"credit": {"value": 10, "system": "ECTS", "status": "promised"}},
        {"learning_outcomes": "not a list"},
        {"colour": "blue"},
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(change):
    entry = json.loads(json.dumps(catalogue()[0], default=str)) | change
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(entry, SCHEMA)


def test_every_stored_column_is_in_the_standards_table():
    table = (DOCS / "schema.md").read_text(encoding="utf-8")
    for column in Credential.__table__.columns:
        assert f"`{column.name}`" in table, column.name
    for name in DERIVED:
        assert f"`{name}`" in table
