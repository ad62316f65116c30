"""Every table has a key: a Table Schema without a ``primaryKey`` is refused
with a ``schema/no-primary-key`` error that says how to fix it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from flows.validation.findings import Severity
from flows.validation.primary_key import RULE, primary_key_findings
from flows.validation.validate import validate_table

FIELDS = [{"name": "kpi_id", "type": "string", "description_th": "รหัสตัวชี้วัด"},
          {"name": "round", "type": "integer", "description_th": "รอบการรายงาน (เดือน)"}]


@pytest.mark.parametrize("key", ["kpi_id", ["kpi_id"], ["kpi_id", "round"]])
def test_a_declared_key_passes(key) -> None:
    assert primary_key_findings({"fields": FIELDS, "primaryKey": key}, schema_name="s") == []


@pytest.mark.parametrize("schema", [{"fields": FIELDS}, {"fields": FIELDS, "primaryKey": []},
                                    {"fields": FIELDS, "primaryKey": ""},
                                    {"fields": FIELDS, "primaryKey": [1]},
                                    {"fields": FIELDS, "primaryKey": {"a": 1}}])
def test_no_key_is_an_error_with_the_fix(schema) -> None:
    [finding] = primary_key_findings(schema, schema_name="schemas/x.schema.json")
    assert (finding.rule, finding.severity) == (RULE, Severity.ERROR)
    assert finding.message_en == ("The Table Schema schemas/x.schema.json declares no primary "
                                  "key, so a duplicated row would go unnoticed")
    assert finding.hint_en.startswith('Add "primaryKey": ["<field>", ...]')
    assert "primaryKey" in finding.hint_th and finding.message_th


def test_validation_refuses_a_schema_without_a_key_and_still_checks_the_data(
        tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("kpi_id,round\n1.1,6\n1.1,x\n", encoding="utf-8")
    (tmp_path / "t.schema.json").write_text(json.dumps({"fields": FIELDS}), encoding="utf-8")
    result = validate_table(tmp_path / "t.csv", schema_path=tmp_path / "t.schema.json",
                            suite_path=None, dataset="t", today=date(2026, 11, 28))
    assert [f.rule for f in result.findings] == [RULE, "schema/type-error"]
    assert result.blocking
