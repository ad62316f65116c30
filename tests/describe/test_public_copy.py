"""The public data file: personal-data columns dropped, formula cells neutralised, the tidy CSV
never touched, and the tidy CSV itself published when there is nothing to change."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import pytest

from flows.datasets import DatasetSpec, discover_datasets
from flows.describe.describe import describe_dataset
from flows.describe.public_copy import public_copy, public_copy_bytes
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.settings import PROJECT_ROOT
from flows.validation.findings import ValidationResult

SCHEMA = load_schema_rules()
PROFILE = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
SPECS = {spec.id: spec for spec in discover_datasets(PROJECT_ROOT)}

TIDY = ('id,title,amount,ratio,active,secret\n'
        '1,"=HYPERLINK(""http://x"",""y"")",-3,"-1 234,5",true,=x\n'
        '2,"ร่าง, พ.ร.บ.",+5.2,-5,-,y\n'
        '3,-,-INF,=1,+,z\n'
        "4,@SUM(1+1),-1e-3,-๑๒,false,\n")
TABLE_SCHEMA = {"fields": [
    {"name": "id", "type": "integer"},
    {"name": "title", "type": "string"},
    {"name": "amount", "type": "number"},
    {"name": "ratio", "type": "number", "decimalChar": ",", "groupChar": " "},
    {"name": "active", "type": "boolean", "trueValues": ["true", "+"],
     "falseValues": ["false"]},
    {"name": "secret", "type": "string", "personalData": True},
]}


def test_formula_cells_are_prefixed_and_every_other_byte_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "tidy.csv"
    source.write_text(TIDY, encoding="utf-8")
    copy = public_copy(source, drop=["secret"], schema=TABLE_SCHEMA)
    # "-1 234,5" is a number to its field's schema and "+" a boolean; a lone "-" stays whatever
    # the type; -INF is a number to the schema but a name to a spreadsheet (finite numbers only).
    assert copy.data.decode("utf-8") == (
        'id,title,amount,ratio,active\n'
        '1,"\'=HYPERLINK(""http://x"",""y"")",-3,"-1 234,5",true\n'
        '2,"ร่าง, พ.ร.บ.",+5.2,-5,-\n'
        "3,-,'-INF,'=1,+\n"
        "4,'@SUM(1+1),-1e-3,-๑๒,false\n")
    assert copy.neutralised == 4
    assert source.read_text(encoding="utf-8") == TIDY


def test_without_a_schema_every_column_goes_by_the_plain_rule(tmp_path: Path) -> None:
    source = tmp_path / "tidy.csv"
    source.write_text("a,b\n-1 234,-3\n", encoding="utf-8")
    assert public_copy_bytes(source, drop=[]) == b"a,b\n'-1 234,-3\n"
    assert public_copy(source, drop=[], schema=None).neutralised == 1


def _describe(spec: DatasetSpec, out: Path):
    (out / spec.id).mkdir(parents=True, exist_ok=True)
    (out / spec.id / "report.html").write_text("<html>report</html>", encoding="utf-8")
    result = ValidationResult(dataset=spec.id, source="", source_sha256="", encoding="utf-8",
                              schema_version="", suite_version="", rows=1)
    return describe_dataset(spec, result=result, out_dir=out, organization=PROFILE,
                            schema=SCHEMA)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("dataset_id", ["senate-votes", "senator-votes", "kpi-2-3-ita"])
def test_a_dataset_with_nothing_to_change_publishes_the_tidy_file_itself(
        dataset_id: str, tmp_path: Path) -> None:
    """senator-votes holds 145 lone "-" (not applicable): they are no formulas."""
    spec = SPECS[dataset_id]
    before = _digest(spec.csv_path)
    described = _describe(spec, tmp_path)
    data = next(r for r in described.resources if r.kind == "data")
    assert data.path == spec.csv_path
    assert data.sha256 == before == _digest(spec.csv_path)
    assert not (tmp_path / dataset_id / "public.csv").exists()


def _project_with_formula(tmp_path: Path) -> tuple[DatasetSpec, bytes]:
    real = SPECS["senate-votes"]
    root = tmp_path / "project"
    spec = DatasetSpec(id=real.id, root=root, metadata=real.metadata)
    spec.schema_path.parent.mkdir(parents=True)
    shutil.copy(real.schema_path, spec.schema_path)
    spec.csv_path.parent.mkdir(parents=True)
    rows = list(csv.reader(io.StringIO(real.csv_path.read_text(encoding="utf-8"))))
    rows[1][rows[0].index("title")] = '=HYPERLINK("http://x","y")'
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    tidy = text.getvalue().encode("utf-8")
    spec.csv_path.write_bytes(tidy)
    return spec, tidy


def test_a_formula_cell_makes_describe_publish_a_neutralised_copy(tmp_path: Path) -> None:
    spec, tidy = _project_with_formula(tmp_path)
    described = _describe(spec, tmp_path / "out")
    by_kind = {r.kind: r for r in described.resources}
    data = by_kind["data"]
    assert data.path == tmp_path / "out" / "senate-votes" / "public.csv"
    assert data.path.read_bytes() == tidy.replace(b'"=HYPERLINK(', b'"\'=HYPERLINK(', 1)
    assert spec.csv_path.read_bytes() == tidy          # the tidy file is never modified
    assert described.internal_data is None             # no personal data: no companion
    assert by_kind["schema"].path == spec.schema_path  # same fields: the same schema
    assert "1 cell(s) starting with =, +, -, @" in data.description
    assert "ถูกเติม ' นำหน้า" in data.description
    with by_kind["dictionary"].path.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["field"]: row for row in csv.DictReader(handle)}
    assert rows["title"]["examples"].startswith("'=HYPERLINK(")
