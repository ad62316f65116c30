"""A big file is checked in batches of rows (columnar.batches) and must find exactly what the
whole-file check finds: the same findings, the same typed frame (for the columns it keeps).

Batches of a few dozen bytes make every generated table (differential.tables: every type,
constraint, key, header and row variation) cross many batch boundaries, so the rules across
rows (unique, primary key, self-references, blank rows, listing limits) meet values from
other batches.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from flows.validation.columnar.batches import BatchedFile, read_batches
from flows.validation.columnar.raw_table import NotForArrow
from flows.validation.csv_rows import choose_dialect
from flows.validation.table_schema import BatchOptions, check_source_file
from flows.validation.validate import kept_columns
from tests.validation import differential as diff

TINY = BatchOptions(stream_above=0, batch_bytes=64)
WHOLE = BatchOptions(stream_above=1 << 40)


def _both(path: Path, schema: dict) -> tuple:
    batched, batched_source = check_source_file(path, schema, name="t", batches=TINY)
    whole, whole_source = check_source_file(path, schema, name="t", batches=WHOLE)
    return batched, whole, batched_source, whole_source


def _rows(findings) -> list[tuple]:
    return sorted((f.rule, f.row, f.field, f.value, f.message_en, f.omitted)
                  for f in findings)


@pytest.mark.slow  # generated tables: ~9 s
def test_generated_tables_give_the_same_findings_in_batches(tmp_path):
    @settings(max_examples=100, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(diff.tables())
    def compare(table: diff.GeneratedTable) -> None:
        path = tmp_path / "t.csv"
        path.write_text(table.text, encoding="utf-8", newline="")
        batched, whole, batched_source, whole_source = _both(path, table.schema)
        assert _rows(batched.findings) == _rows(whole.findings)
        assert batched.rows == whole.rows
        assert (batched_source.sha256, batched_source.encoding) == (
            whole_source.sha256, whole_source.encoding)
        pd.testing.assert_frame_equal(batched.frame, whole.frame, check_index_type=False)
    compare()


@pytest.mark.slow  # ~4 s
def test_a_pilot_read_in_batches_crosses_boundaries_and_finds_the_same():
    root = Path(__file__).resolve().parents[2]
    path = root / "datasets" / "senators" / "senators.csv"
    schema = json.loads((root / "schemas" / "senators.schema.json").read_text(encoding="utf-8"))
    found = BatchedFile()
    pieces = list(read_batches(path, choose_dialect("", delimiter=","), found,
                               empty_is_missing=True, batch_bytes=256))
    assert len(pieces) > 10 and sum(piece.rows for piece in pieces) == 252
    # each batch starts where the one before ended
    assert all(later.first_row == earlier.first_row + earlier.rows
               for earlier, later in zip(pieces, pieces[1:]))
    batched, whole, _, _ = _both(path, schema)
    assert batched.raw is None and whole.raw is not None   # a batched file's text is not kept
    assert _rows(batched.findings) == _rows(whole.findings)
    pd.testing.assert_frame_equal(batched.frame, whole.frame, check_index_type=False)


@pytest.mark.parametrize("text", [
    'id,name\n1,"ab"c\n2,x\n',          # malformed quoting pyarrow would read as "abc"
    'id,name\n1,"a\nb"\n2,"x ""y"" z"\n',  # a cell spanning lines next to a doubled quote
    "id,name\n1,a\n\n2,b\n",            # an empty line, where "" is not missing
])
def test_what_pyarrow_reads_otherwise_sends_the_file_to_the_whole_file_reader(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}],
              "missingValues": ["-"]}
    with pytest.raises(NotForArrow):
        list(read_batches(path, choose_dialect("", delimiter=","), BatchedFile(),
                          empty_is_missing=False, batch_bytes=8))
    batched, whole, _, _ = _both(path, schema)
    assert _rows(batched.findings) == _rows(whole.findings)


@pytest.mark.parametrize("broken", [
    {"foreignKeys": [{"fields": "a", "reference": "other"}]},
    {"foreignKeys": "a", "primaryKey": 5},
    {"fields": [{"name": "a", "type": "string", "constraints": "unique"},
                {"name": "n", "type": "integer"}]},
    {"fields": "a"},
])
def test_kept_columns_survive_a_malformed_schema(broken):
    schema = {"fields": [{"name": "a", "type": "string"}, {"name": "n", "type": "integer"}],
              **broken}
    kept = kept_columns(schema, None)   # the schema's own check reports what is wrong
    assert isinstance(kept, set)
    assert ("n" in kept) is isinstance(schema["fields"], list)


def test_kept_columns_are_the_keys_references_code_lists_and_numbers():
    schema = {"fields": [{"name": "id", "type": "string"}, {"name": "note", "type": "string"},
                         {"name": "unit", "type": "string",
                          "codeList": {"resource": "u", "field": "name"}},
                         {"name": "code", "type": "string", "constraints": {"enum": ["a"]}},
                         {"name": "parent", "type": "string"},
                         {"name": "n", "type": "number"}],
              "primaryKey": ["id"],
              "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "",
                                                                   "fields": ["id"]}}]}
    assert kept_columns(schema, None) == {"id", "unit", "code", "parent", "n"}
