"""Describe from the validation stage's table: the same bytes as from the file, no second read.

Old path: the public copy, the dictionary examples and the data's dates read the tidy CSV.
New path: they take the cells validation read (``ValidatedTable``). Both run here on every pilot
dataset, on the comma-separated files of the invalid corpus and on tables made to hold what a
copy changes (formula cells, blank and short rows, cp874 text, a cut cell); their outputs must
be equal byte for byte.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from frictionless import Dialect, Schema

import flows.csv_source
from flows.csv_source import csv_encoding, read_csv_text
from flows.datasets import DatasetSpec, discover_datasets
from flows.describe import derived
from flows.describe.data_dates import DataDates, data_dates
from flows.describe.describe import describe_dataset
from flows.describe.dictionary import build_data_dictionary
from flows.describe.dictionary_examples import published_frame
from flows.describe.dictionary_public import public_table_schema
from flows.describe.public_copy import PublicCopy, public_copy, public_copy_of_table
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.settings import PROJECT_ROOT
from flows.validation.csv_limits import MAX_CELL_CHARS
from flows.validation.csv_rows import choose_dialect
from flows.validation.findings import Finding, Severity
from flows.validation.table_schema import check_table
from flows.validation.validate import validate_datasets_with_tables
from flows.validation.validated_table import ValidatedTable, validated_table

TODAY = date(2026, 12, 1)
SCHEMA_RULES = load_schema_rules()
PROFILE = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
PILOTS = sorted(spec.id for spec in discover_datasets(PROJECT_ROOT) if spec.csv_path.exists())
CORPUS = Path(__file__).parents[1] / "validation" / "data" / "invalid-corpus"
CORPUS_CSVS = sorted(path for path in CORPUS.rglob("*.csv") if path.is_file())
#: The ones that decode: validation keeps no table of the others, and describe never runs.
DECODABLE_CSVS = [path for path in CORPUS_CSVS if read_csv_text(path).text is not None]

# Formula cells of every kind, typed fields whose schema reads a trigger cell as a value, a
# blank row, a short row, an extra cell, a quoted line break, Thai text and BE dates.
TIDY = ('id,title,amount,ratio,active,day,fy,secret\n'
        '1,"=HYPERLINK(""http://x"",""y"")",-3,"-1 234,5",true,2024-05-01,2567,=x\n'
        '2,"ร่าง, พ.ร.บ.",+5.2,-5,-,2024-13-01,2568,y\n'
        '\n'
        '3,-,-INF,=1,+\n'
        '4,@SUM(1+1),-1e-3,-๑๒,false,2030-01-01,2566,z,extra\n'
        '5,"two\nlines",,,,,,\n'
        '6,=1+2,-3,"-1 234,5",true,2023-02-28,,=x\n')
TIDY_SCHEMA = {"fields": [
    {"name": "id", "type": "integer"},
    {"name": "title", "type": "string"},
    {"name": "amount", "type": "number"},
    {"name": "ratio", "type": "number", "decimalChar": ",", "groupChar": " "},
    {"name": "active", "type": "boolean", "trueValues": ["true", "+"], "falseValues": ["false"]},
    {"name": "day", "type": "date"},
    {"name": "fy", "type": "year"},
    {"name": "secret", "type": "string", "personalData": True},
]}


@pytest.fixture(scope="module")
def pilots() -> dict[str, Any]:
    """Every pilot validated once, as the flow's prepare step does (all in one run)."""
    return validate_datasets_with_tables(discover_datasets(PROJECT_ROOT), today=TODAY)


def _table_of(text: str, schema: dict[str, Any], *, encoding: str = "utf-8") -> ValidatedTable:
    checked = check_table(text, schema, name="t")
    return validated_table(checked.raw, checked.frame, encoding=encoding,
                           findings=checked.findings)


def _both_copies(path: Path, table: ValidatedTable, schema: dict[str, Any], *,
                 encoding: str | None = None) -> tuple[PublicCopy, PublicCopy]:
    drop = derived.personal_fields(schema)
    cells = table.cells_for(schema)
    assert cells is not None, "the header matches the schema: the table path must apply"
    return (public_copy(path, drop=drop, schema=schema, encoding=encoding),
            public_copy_of_table(cells, drop=drop, schema=schema, verbatim=table.verbatim))


def _examples_both_ways(old: PublicCopy, new: PublicCopy, schema: dict[str, Any],
                        tmp_path: Path) -> tuple[list[dict], list[dict]]:
    """The dictionary entries read back from the published file, and from the copy's cells."""
    published = tmp_path / "public.csv"
    published.write_bytes(old.data)
    public_schema = public_table_schema(schema)
    return (build_data_dictionary(public_schema, None, dataset="t", csv_path=published),
            build_data_dictionary(public_schema, published_frame(new.cells), dataset="t"))


# --- every pilot -----------------------------------------------------------------------------

@pytest.mark.parametrize("dataset_id", PILOTS)
@pytest.mark.slow  # validates every pilot: ~5 s
def test_pilot_public_copy_dictionary_and_dates_are_the_same_from_the_table(
        dataset_id: str, pilots: dict[str, Any], tmp_path: Path) -> None:
    spec = _pilot(dataset_id)
    schema = json.loads(spec.schema_path.read_text(encoding="utf-8"))
    table = pilots[dataset_id].table
    old, new = _both_copies(spec.csv_path, table, schema, encoding=csv_encoding(spec))
    assert (new.data, new.neutralised, new.verbatim) == (old.data, old.neutralised, old.verbatim)
    old_entries, new_entries = _examples_both_ways(old, new, schema, tmp_path)
    assert new_entries == old_entries
    assert any(entry["examples"] for entry in new_entries)
    findings = pilots[dataset_id].result.findings
    assert _dates(spec, schema, findings, cells=table.cells_for(schema)) == \
        _dates(spec, schema, findings, cells=None)


@pytest.mark.parametrize("dataset_id", PILOTS)
@pytest.mark.slow  # same pilots fixture
def test_describe_given_the_table_reads_no_csv_and_writes_the_same_files(
        dataset_id: str, pilots: dict[str, Any], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    spec, checked = _pilot(dataset_id), pilots[dataset_id]
    from_file = _describe(spec, checked.result, tmp_path / "file", table=None)

    def no_second_read(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("describe read the CSV although validation's table was given")

    # Every CSV read goes through decode_table (flows.csv_source.read_csv_text).
    monkeypatch.setattr(flows.csv_source, "decode_table", no_second_read)
    from_table = _describe(spec, checked.result, tmp_path / "table", table=checked.table)
    monkeypatch.undo()
    assert from_table.fields == from_file.fields
    assert from_table.dictionary == from_file.dictionary
    assert [_without_path(r) for r in from_table.resources] == \
        [_without_path(r) for r in from_file.resources]
    for new, old in zip(from_table.resources, from_file.resources):
        assert new.path.read_bytes() == old.path.read_bytes(), new.kind


# --- tables made to hold what a copy changes -------------------------------------------------

def test_formula_cells_blank_and_short_rows_give_the_same_copy_examples_and_dates(
        tmp_path: Path) -> None:
    path = tmp_path / "tidy.csv"
    path.write_text(TIDY, encoding="utf-8")
    old, new = _both_copies(path, _table_of(TIDY, TIDY_SCHEMA), TIDY_SCHEMA)
    assert new.data == old.data
    assert new.neutralised == old.neutralised == 5   # title x3, amount -INF, ratio =1
    assert b"'=HYPERLINK" in new.data and b"secret" not in new.data
    old_entries, new_entries = _examples_both_ways(old, new, TIDY_SCHEMA, tmp_path)
    assert new_entries == old_entries
    title = next(entry for entry in new_entries if entry["field"] == "title")
    assert title["examples"][0].startswith("'=HYPERLINK")  # the published, neutralised text
    flagged = [Finding(rule="schema/type-error", severity=Severity.ERROR, message_th="x",
                       message_en="x", hint_th="x", hint_en="x", row=2, field="day")]
    cells = _table_of(TIDY, TIDY_SCHEMA).cells_for(TIDY_SCHEMA)
    args = dict(encoding="utf-8", findings=flagged, source_date=None, fiscal_year_field="fy",
                today=TODAY)
    assert data_dates(path, TIDY_SCHEMA, cells=cells, **args) == \
        data_dates(path, TIDY_SCHEMA, cells=None, **args)
    # 2024-05-01 is flagged, 2024-13-01 no date, 2030 after today; fiscal years 2566-2568 BE
    assert data_dates(path, TIDY_SCHEMA, cells=cells, **args) == \
        DataDates(last_updated="2023-02-28", coverage=(2023, 2025))


def test_a_cp874_file_is_copied_as_utf8_the_same_from_the_table(tmp_path: Path) -> None:
    text = "id,title\n1,ร่างพระราชบัญญัติ\n2,=1+1\n"
    path = tmp_path / "tidy.csv"
    path.write_bytes(text.encode("cp874"))
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "title", "type": "string"}]}
    old, new = _both_copies(path, _table_of(text, schema, encoding="cp874"), schema,
                            encoding="cp874")
    assert (new.data, new.neutralised, new.verbatim) == (old.data, 1, False)


def test_a_cell_cut_at_the_limit_is_not_verbatim_either_way(tmp_path: Path) -> None:
    text = f"id,title\n1,{'ก' * (MAX_CELL_CHARS + 5)}\n"
    path = tmp_path / "tidy.csv"
    path.write_text(text, encoding="utf-8")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "title", "type": "string"}]}
    old, new = _both_copies(path, _table_of(text, schema), schema)
    assert (new.data, new.verbatim) == (old.data, False)


def test_a_header_other_than_the_schema_sends_describe_to_the_file() -> None:
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "title", "type": "string"}]}
    for header in ("title,id", "id,title,note", "id"):
        table = _table_of(f"{header}\n1,a,b\n", schema)
        assert table.cells_for(schema) is None, header
    assert _table_of("id,title\n1,a\n", schema).cells_for(schema) is not None


def test_some_corpus_files_do_not_decode_and_the_rest_are_compared() -> None:
    assert 0 < len(DECODABLE_CSVS) < len(CORPUS_CSVS)


@pytest.mark.parametrize("path", DECODABLE_CSVS, ids=lambda path: path.name)
def test_invalid_corpus_files_give_the_same_copy_from_the_table(path: Path,
                                                               tmp_path: Path) -> None:
    source = read_csv_text(path)
    dialect = Dialect(header_rows=[1], controls=[choose_dialect(source.text, delimiter=",")])
    schema = Schema.describe(source.text.encode("utf-8"), format="csv", encoding="utf-8",
                             dialect=dialect).to_descriptor()
    table = _table_of(source.text, schema, encoding=source.encoding)
    if table.cells_for(schema) is None:
        assert not table.header_matches   # read from the file, as before
        return
    old, new = _both_copies(path, table, schema)
    assert (new.data, new.neutralised, new.verbatim) == (old.data, old.neutralised, old.verbatim)
    old_entries, new_entries = _examples_both_ways(old, new, schema, tmp_path)
    assert new_entries == old_entries


# --- helpers ---------------------------------------------------------------------------------

def _pilot(dataset_id: str) -> DatasetSpec:
    return next(spec for spec in discover_datasets(PROJECT_ROOT) if spec.id == dataset_id)


def _dates(spec: DatasetSpec, schema: dict[str, Any], findings: list[Finding], *, cells: Any):
    freshness = spec.metadata.get("freshness") or {}
    return data_dates(spec.csv_path, schema, encoding=csv_encoding(spec), findings=findings,
                      source_date=None, fiscal_year_field=freshness.get("fiscal_year_field"),
                      today=TODAY, fiscal_year_be=freshness.get("fiscal_year_be"), cells=cells)


def _describe(spec: DatasetSpec, result: Any, out: Path, *, table: ValidatedTable | None):
    (out / spec.id).mkdir(parents=True, exist_ok=True)
    (out / spec.id / "report.html").write_text("<html>report</html>", encoding="utf-8")
    return describe_dataset(spec, result=result, out_dir=out, organization=PROFILE,
                            schema=SCHEMA_RULES, today=TODAY, table=table)


def _without_path(resource: Any) -> dict[str, Any]:
    return {key: value for key, value in vars(resource).items() if key != "path"}
