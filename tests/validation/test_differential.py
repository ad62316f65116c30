"""The Table Schema stage against frictionless, the oracle: the same (row, field, error type).

Inputs: every readable file of the invalid corpus, every pilot dataset (as committed, and with
faults of every kind written into it), and 200 generated tables (Hypothesis, derandomized).
Each comparison is of full sets, with the deliberate differences (``differential.DELIBERATE``)
applied to frictionless' set and our own extra rules (``differential.NOT_FRICTIONLESS``) left
out; each deliberate difference has its own test below, with the expectation written out.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from frictionless import Schema
from hypothesis import HealthCheck, given, settings

from flows.validation.csv_rows import choose_dialect
from flows.validation.encoding import decode_table
from flows.validation.table_schema import check_table
from tests.validation import differential as diff
from tests.validation import test_invalid_corpus as corpus

pytestmark = pytest.mark.slow  # our checks against plain frictionless on generated tables: ~15 s

ROOT = Path(__file__).resolve().parents[2]
PILOTS = sorted(path.parent.name for path in ROOT.glob("datasets/*/*.csv")
                if path.stem == path.parent.name)

#: Corpus files whose text frictionless and ours cannot both be given, and why.
NOT_COMPARED = {
    "merged-cells.xlsx": "a spreadsheet: refused (encoding/not-csv) before any table check",
    "multiline-headers.xlsx": "a spreadsheet: refused (encoding/not-csv) before any table check",
    "empty.csv": "0 bytes: refused (structure/empty-file) before any table check",
}
#: Corpus files in a legacy encoding: compared once decoded as their encoding is declared.
DECLARED_ENCODINGS = {"latin1.csv": "latin-1", "table-infer-iso-8859-7.csv": "iso-8859-7",
                      "invalid-byte-sequence.csv": "latin-1"}
COMPARED = [path for path in corpus.DATA_FILES if path.name not in NOT_COMPARED]


def assert_same_as_frictionless(text: str, schema: dict[str, Any], *, name: str,
                                delimiter: str | None = ",") -> set[diff.Triple]:
    """Ours equals frictionless (after the deliberate differences); returns ours."""
    control = choose_dialect(text, delimiter=delimiter)
    oracle = diff.oracle_triples(text, schema, name=name, control=control)
    expected = diff.expected_triples(oracle, text, schema, control=control)
    ours = diff.our_triples(check_table(text, schema, name=name, delimiter=delimiter).findings)
    assert ours == expected, diff.describe_difference(expected, ours)
    return ours


# --- the invalid corpus -----------------------------------------------------------------------

def test_every_corpus_file_is_compared_or_listed_with_a_reason():
    compared = {path.name for path in COMPARED}
    assert {path.name for path in corpus.DATA_FILES} == compared | set(NOT_COMPARED)


@pytest.mark.parametrize("path", COMPARED, ids=lambda path: path.name)
def test_corpus_file_has_frictionless_findings(path: Path):
    decoded = decode_table(path.read_bytes(), declared=DECLARED_ENCODINGS.get(path.name))
    assert decoded.text is not None, [finding.rule for finding in decoded.findings]
    schema = corpus._schema_for(path, decoded.text)
    assert_same_as_frictionless(decoded.text, schema, name=path.stem, delimiter=None)


def test_corpus_comparison_sees_every_structure_error():
    """The corpus is not trivially equal: frictionless finds each kind of structure error."""
    seen = set()
    for path in COMPARED:
        decoded = decode_table(path.read_bytes(), declared=DECLARED_ENCODINGS.get(path.name))
        control = choose_dialect(decoded.text, delimiter=None)
        schema = corpus._schema_for(path, decoded.text)
        seen |= {kind for _, _, kind in diff.oracle_triples(decoded.text, schema,
                                                             name=path.stem, control=control)}
    assert {"blank-label", "duplicate-label", "extra-label", "missing-cell", "extra-cell",
            "blank-row", "type-error", "unique-error", "primary-key", "foreign-key"} <= seen


# --- the pilots -------------------------------------------------------------------------------

def _pilot(dataset: str) -> tuple[str, dict[str, Any]]:
    text = (ROOT / "datasets" / dataset / f"{dataset}.csv").read_text(encoding="utf-8")
    schema = json.loads((ROOT / "schemas" / f"{dataset}.schema.json").read_text(encoding="utf-8"))
    return text, schema


def test_every_pilot_has_a_schema():
    assert len(PILOTS) >= 3
    assert all((ROOT / "schemas" / f"{dataset}.schema.json").is_file() for dataset in PILOTS)


@pytest.mark.parametrize("dataset", PILOTS)
def test_pilot_has_frictionless_findings(dataset: str):
    text, schema = _pilot(dataset)
    assert_same_as_frictionless(text, schema, name=dataset)


#: A bad cell per type (and one for text that breaks most string constraints).
BAD_CELLS = {"integer": "๑๒x", "number": "1,2,3", "boolean": "maybe", "date": "31/02/2024",
             "time": "25:61", "datetime": "2024-02-30T10:00:00", "year": "๒๕๖๗",
             "string": "ข้อความที่ยาวมาก, มี \"อัญประกาศ\" และ\nขึ้นบรรทัดใหม่" * 3}


def _with_faults(text: str, schema: dict[str, Any]) -> str:
    """The pilot with faults written in: a bad cell in every field, the first data row twice
    (unique and primary key), a blank row, a short row, a long row, an empty cell per field."""
    rows = diff.read_cells(text)
    header, data = rows[0], rows[1:]
    fields = schema["fields"]
    for position, spec in enumerate(fields):
        data[(7 * position + 1) % len(data)][position] = BAD_CELLS.get(spec["type"], "?")
        data[(11 * position + 3) % len(data)][position] = ""
    data += [list(data[0]), data[1][:-1], data[-1] + ["เกิน"]]
    data.insert(len(data) // 2, [])
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows([header] + data)
    return buffer.getvalue()


@pytest.mark.parametrize("dataset", PILOTS)
def test_pilot_with_faults_has_frictionless_findings(dataset: str):
    text, schema = _pilot(dataset)
    ours = assert_same_as_frictionless(_with_faults(text, schema), schema, name=dataset)
    kinds = {kind for _, _, kind in ours}
    assert {"blank-row", "missing-cell", "extra-cell"} <= kinds
    if schema.get("primaryKey"):
        assert "primary-key" in kinds


# --- generated tables -------------------------------------------------------------------------

#: Every error type and deliberate difference the generated tables must reach at least once.
GENERATED_MUST_SHOW = {
    "blank-label", "duplicate-label", "extra-label", "missing-label", "incorrect-label",
    "blank-row", "missing-cell", "extra-cell", "type-error", "constraint-error", "unique-error",
    "primary-key", "foreign-key", "thai/thai-digits", "thai/buddhist-era-year",
}


def test_generated_tables_have_frictionless_findings():
    """200 random schemas and tables (every type, format, constraint, key, header and row
    variation): ours equals frictionless on each, and together they show every error type."""
    seen: Counter[str] = Counter()

    @settings(max_examples=200, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(diff.tables())
    def compare(table: diff.GeneratedTable) -> None:
        Schema.from_descriptor(table.schema)  # a generator bug, not a finding, if invalid
        ours = assert_same_as_frictionless(table.text, table.schema, name="generated")
        seen.update({kind for _, _, kind in ours})

    compare()
    assert GENERATED_MUST_SHOW <= set(seen), f"never generated: {GENERATED_MUST_SHOW - set(seen)}"


# --- the deliberate differences, each checked itself -------------------------------------------

def _both(text: str, schema: dict[str, Any]) -> tuple[set[diff.Triple], set[diff.Triple]]:
    """(frictionless' triples, ours) for one table, nothing normalised but the rule names."""
    oracle = diff.oracle_triples(text, schema, name="t")
    return oracle, diff.our_triples(check_table(text, schema, name="t").findings)


def test_undeclared_thai_digits_are_flagged_where_frictionless_reads_or_rejects_them():
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "d", "type": "date"},
                         {"name": "y", "type": "year", "constraints": {"maximum": 2100}}]}
    oracle, ours = _both("n,d,y\n๑๒,๒๐๒๔-๐๑-๓๑,2024\n7,2024-01-31,๒๕๖๗\n", schema)
    # frictionless: ๑๒ is 12 and ๒๕๖๗ is 2567 (int() reads Thai digits), which only breaks the
    # maximum; the date is a bare type error (this Python's strptime refuses Thai digits).
    assert oracle == {(2, "d", "type-error"), (3, "y", "constraint-error")}
    assert ours == {(2, "n", "thai/thai-digits"), (2, "d", "thai/thai-digits"),
                    (3, "y", "thai/thai-digits")}


def test_buddhist_era_year_in_a_ce_field_is_flagged_where_frictionless_accepts_it():
    schema = {"fields": [{"name": "d", "type": "date"}, {"name": "y", "type": "year"},
                         {"name": "t", "type": "datetime"}]}
    oracle, ours = _both("d,y,t\n2567-10-01,2567,2567-10-01T09:00:00\n2024-10-01,2024,"
                         "2024-10-01T09:00:00\n", schema)
    assert oracle == set()
    assert ours == {(2, "d", "thai/buddhist-era-year"), (2, "y", "thai/buddhist-era-year"),
                    (2, "t", "thai/buddhist-era-year")}


def test_blank_row_is_one_finding_where_frictionless_also_reports_the_empty_key():
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}],
              "primaryKey": ["id"]}
    oracle, ours = _both("id,name\n1,a\n,\n2,b\n", schema)
    assert oracle == {(3, None, "blank-row"), (3, None, "primary-key")}
    assert ours == {(3, None, "blank-row")}


def test_header_mismatch_summary_is_ours_alone():
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]}
    findings = check_table("name,id\na,1\n", schema, name="t").findings
    assert [f.rule for f in findings].count("structure/header-mismatch") == 1
    oracle = diff.oracle_triples("name,id\na,1\n", schema, name="t")
    assert diff.our_triples(findings) == oracle == {
        (None, "id", "incorrect-label"), (None, "name", "incorrect-label"),
        (2, "id", "type-error")}


def test_malformed_quoting_is_ours_alone_and_the_rows_read_are_frictionless():
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]}
    text = 'id,name\n1,"a"b\n2,c,d\n'
    findings = check_table(text, schema, name="t").findings
    assert "structure/malformed-quoting" in {f.rule for f in findings}
    assert diff.our_triples(findings) == diff.oracle_triples(text, schema, name="t") == {
        (3, None, "extra-cell")}


def test_declared_thai_digits_read_as_frictionless_reads_arabic_digits():
    schema = {"fields": [{"name": "n", "type": "integer", "thaiDigits": True,
                          "constraints": {"maximum": 20}},
                         {"name": "d", "type": "date", "thaiDigits": True}]}
    thai = "n,d\n๑๒,๒๐๒๔-๐๑-๓๑\n๒๑,๒๐๒๔-๐๒-๓๐\n"
    arabic = "n,d\n12,2024-01-31\n21,2024-02-30\n"
    ours = diff.our_triples(check_table(thai, schema, name="t").findings)
    assert ours == diff.oracle_triples(arabic, schema, name="t") == {
        (3, "n", "constraint-error"), (3, "d", "type-error")}


def test_buddhist_calendar_reads_as_frictionless_reads_the_ce_dates():
    be = {"fields": [{"name": "d", "type": "date", "format": "%d/%m/%Y",
                      "calendar": "buddhist", "constraints": {"required": True}}]}
    ce = {"fields": [{"name": "d", "type": "date", "constraints": {"required": True}}]}
    ours = diff.our_triples(check_table("d\n01/10/2567\n30/02/2567\n\n01/10/2023\n",
                                        be, name="t").findings)
    oracle = diff.oracle_triples("d\n2024-10-01\n30/02/2567\n\n1480-10-01\n", ce, name="t")
    assert oracle == {(3, "d", "type-error"), (4, None, "blank-row")}
    # 2023 in a BE field is a CE year written by mistake: ours flags it (frictionless can't).
    assert ours == oracle | {(5, "d", "thai/ce-year-in-buddhist-field")}


def test_a_rule_that_is_neither_frictionless_nor_listed_fails_the_comparison():
    finding = check_table("id\nx\n", {"fields": [{"name": "id", "type": "integer"}]},
                          name="t").findings[0]
    with pytest.raises(AssertionError, match="columnar/new-rule"):
        diff.our_triples([dataclasses.replace(finding, rule="columnar/new-rule")])
