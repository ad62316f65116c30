"""Every file of the invalid-file corpus through decode_table + check_table.

The corpus (data/invalid-corpus, byte-identical copies with SOURCES.md and the upstream MIT
licences) documents per file which frictionless error types it shows; each file must yield those
(as our rule slugs) and no exception may escape. Files without a schema of their own are checked
against the schema frictionless infers (``Schema.describe``), header on row 1 as everywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frictionless import Dialect, Schema

from flows.validation.csv_rows import choose_dialect
from flows.validation.encoding import decode_table
from flows.validation.findings import Finding
from flows.validation.table_schema import check_table

CORPUS = Path(__file__).parent / "data" / "invalid-corpus"
DATA_FILES = sorted(path for path in CORPUS.rglob("*")
                    if path.is_file() and path.suffix not in (".md", ".json"))

# Schemas that live next to a file, or only in the upstream test that uses the file.
SCHEMAS = {
    "unique-field.csv": "unique-field.json",
    "duplicate-column.csv": "duplicate-column-schema.json",
}
INLINE_SCHEMAS = {
    # test_resource_validate_schema_foreign_key_error_self_referencing_invalid (frictionless-py)
    "nested-invalid.csv": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "cat", "type": "integer"},
                   {"name": "name", "type": "string"}],
        "foreignKeys": [{"fields": "cat", "reference": {"resource": "", "fields": "id"}}],
    },
    # SOURCES.md: the type error only shows "when a schema types id as integer".
    "schema-errors.csv": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"},
                   {"name": "age", "type": "integer"}],
    },
}

# What SOURCES.md lists per file ("Observed" / "Upstream expectation"), as our rules.
# An empty set means the file is valid: no finding at all.
EXPECTED: dict[str, set[str]] = {
    # structure
    "invalid.csv": {"structure/blank-label", "structure/duplicate-label",
                    "structure/missing-cell", "structure/blank-row", "structure/extra-cell"},
    "capital-invalid.csv": {"structure/duplicate-label", "structure/missing-cell",
                            "structure/blank-row", "schema/type-error", "structure/extra-cell"},
    "duplicate-headers.csv": {"structure/duplicate-label"},
    "duplicate-column.csv": {"structure/extra-label", "structure/duplicate-label"},
    "blank-headers.csv": {"structure/blank-label"},
    "blank-rows.csv": {"structure/blank-row"},
    "blank-rows-multiple.csv": {"structure/blank-row"},
    "blank-rows-no-fields.csv": {"structure/blank-row"},
    "defective-rows.csv": {"structure/missing-cell", "structure/extra-cell"},
    "structure-errors.csv": {"structure/blank-row", "structure/extra-cell"},
    "schema-errors.csv": {"schema/type-error", "structure/extra-cell"},
    "duplicate-rows.csv": set(),
    "blank-cells.csv": set(),
    "empty.csv": {"structure/empty-file"},   # frictionless' source-error; ours names it
    # schema / constraints
    "unique-field.csv": {"schema/unique-error", "schema/primary-key"},
    "nested-invalid.csv": {"schema/foreign-key"},
    "table-infer-missing-values.csv": set(),
    # encodings (latin-1 and ISO-8859-7: not UTF-8, not Thai → an error asking to declare it)
    "bom.csv": set(),
    "latin1.csv": {"encoding/undecodable"},
    "table-infer-iso-8859-7.csv": {"encoding/undecodable"},
    "ascii-notvalid.csv": set(),
    "encoding-issue-274.csv": set(),
    "invalid-byte-sequence.csv": {"encoding/undecodable"},
    # dialect quirks
    "issue-1009-semicolon.csv": set(),
    "skip-rows-before-headers.csv": {"structure/extra-cell"},
    "matrix-with-comment.csv": {"structure/extra-cell"},
    "escaping.csv": {"structure/malformed-quoting"},
    "leading-zeros.csv": set(),
    # spreadsheets: only CSV is supported
    "merged-cells.xlsx": {"encoding/not-csv"},
    "multiline-headers.xlsx": {"encoding/not-csv"},
    # csvlint.rb line endings, quoting, title row (line-ending findings are warnings)
    "cr-line-endings.csv": {"encoding/cr-line-endings"},
    "inconsistent-line-endings.csv": {"encoding/mixed-line-endings"},
    "inconsistent-line-endings-unquoted.csv": {"encoding/mixed-line-endings"},
    "invalid_many_rows.csv": {"structure/malformed-quoting", "structure/blank-row"},
    "title-row.csv": {"structure/blank-label"},
}


def _schema_for(path: Path, text: str) -> dict:
    if path.name in INLINE_SCHEMAS:
        return INLINE_SCHEMAS[path.name]
    if path.name in SCHEMAS:
        return json.loads((path.parent / SCHEMAS[path.name]).read_text(encoding="utf-8"))
    dialect = Dialect(header_rows=[1], controls=[choose_dialect(text, delimiter=None)])
    return Schema.describe(text.encode("utf-8"), format="csv", encoding="utf-8",
                           dialect=dialect).to_descriptor()


def _run(path: Path) -> list[Finding]:
    decoded = decode_table(path.read_bytes())
    if decoded.text is None:
        return decoded.findings
    checked = check_table(decoded.text, _schema_for(path, decoded.text), name=path.stem,
                          delimiter=None)
    return decoded.findings + checked.findings


def test_every_corpus_file_has_an_expectation():
    assert sorted(path.name for path in DATA_FILES) == sorted(EXPECTED)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: path.name)
def test_corpus_file_yields_the_listed_error_types(path: Path):
    findings = _run(path)
    rules = {finding.rule for finding in findings}
    expected = EXPECTED[path.name]
    if expected:
        assert expected <= rules, f"missing {expected - rules}; got {sorted(rules)}"
    else:
        assert findings == []
    for finding in findings:
        assert finding.message_th and finding.message_en and finding.hint_th and finding.hint_en


def _rows(path_name: str, rule: str) -> list[int | None]:
    [path] = [path for path in DATA_FILES if path.name == path_name]
    return [finding.row for finding in _run(path) if finding.rule == rule]


def test_rows_match_what_sources_md_observed():
    assert _rows("invalid.csv", "structure/blank-row") == [4]
    assert _rows("invalid.csv", "structure/extra-cell") == [5]
    assert _rows("blank-rows-multiple.csv", "structure/blank-row") == list(range(4, 15))
    assert _rows("blank-rows-no-fields.csv", "structure/blank-row") == [3]
    assert _rows("unique-field.csv", "schema/unique-error") == [10]
    assert _rows("nested-invalid.csv", "schema/foreign-key") == [6]
    assert _rows("capital-invalid.csv", "schema/type-error") == [12]
    assert _rows("invalid_many_rows.csv", "structure/blank-row") == [8, 11]


def test_cr_only_file_is_read_row_by_row():
    path = CORPUS / "csvlint.rb" / "features" / "fixtures" / "cr-line-endings.csv"
    text = decode_table(path.read_bytes()).text
    schema = {"fields": [{"name": "Foo"}, {"name": "Bar"}, {"name": "Baz"}]}
    result = check_table(text, schema, name="cr-line-endings")
    assert result.findings == []
    assert result.frame.to_dict("index") == {
        2: {"Foo": "Biff", "Bar": "Baff", "Baz": "Boff"},
        3: {"Foo": "Qux", "Bar": "Teaspoon", "Baz": "Doge"},
    }


def test_non_utf8_corpus_files_read_when_their_encoding_is_declared():
    data_dir = CORPUS / "frictionless-py" / "data"
    latin1 = decode_table((data_dir / "latin1.csv").read_bytes(), declared="latin-1")
    greek = decode_table((data_dir / "table-infer-iso-8859-7.csv").read_bytes(),
                         declared="iso-8859-7")
    assert "©" in latin1.text and latin1.findings == []
    assert greek.text is not None and greek.findings == []


def test_invalid_schema_file_is_a_finding_not_an_exception():
    schema = json.loads((CORPUS / "frictionless-py/data/schema-invalid-multiple-errors.json")
                        .read_text(encoding="utf-8"))
    result = check_table("id,title\n1,a\n", schema, name="t")
    assert [f.rule for f in result.findings] == ["schema/field-error"]
    assert "magical_unicorn" in result.findings[0].message_en
