"""Reading CKAN's schema.xml: field kinds, dynamic fields, copyFields, the unique key."""

from __future__ import annotations

from pathlib import Path

import pytest

from solr_compat.errors import SchemaError
from solr_compat.schema import load_schema
from tests.search_service.conftest import SCHEMA_XML


@pytest.fixture(scope="module")
def schema():
    return load_schema(SCHEMA_XML)


def test_declared_fields_and_kinds(schema) -> None:
    assert schema.name == "ckan-2.11"
    assert schema.unique_key == "index_id"
    assert schema.field("title").kind == "text"
    assert schema.field("tags").kind == "string" and schema.field("tags").multi_valued
    assert schema.field("metadata_modified").kind == "date"
    assert schema.field("views_total").kind == "integer"
    assert not schema.field("text").stored
    assert schema.field("title").type.analysis.stem
    assert not schema.field("author").type.analysis.stem  # text_general is not stemmed
    assert schema.field("title_ngram").type.analysis.ngram


def test_dynamic_fields_match_longest_pattern_first(schema) -> None:
    assert schema.field("issued_date").kind == "date"
    assert schema.field("extras_theme").kind == "text" and schema.field("extras_theme").stored
    assert schema.field("vocab_topics").multi_valued
    catch_all = schema.field("owner_org")
    assert catch_all.kind == "string" and not catch_all.stored


def test_copy_fields_come_from_the_schema(schema) -> None:
    assert set(schema.copy_targets("title")) == {"title_ngram", "text"}
    assert schema.copy_targets("res_url") == ["urls"]
    assert schema.copy_targets("extras_theme") == ["text"]
    assert schema.copy_targets("text") == []  # a field is not copied into itself
    assert schema.copy_targets("state") == []


def test_unusable_schemas_raise_schema_error(tmp_path: Path) -> None:
    broken = tmp_path / "schema.xml"
    broken.write_text("<schema name='x'><fields>", encoding="utf-8")
    with pytest.raises(SchemaError, match="cannot read Solr schema"):
        load_schema(broken)
    keyless = tmp_path / "keyless.xml"
    keyless.write_text("<schema name='x'><types><fieldType name='string' class='solr.StrField'/>"
                       "</types><fields><field name='id' type='string'/></fields></schema>",
                       encoding="utf-8")
    with pytest.raises(SchemaError, match="uniqueKey"):
        load_schema(keyless)
