"""The describe stage: declared metadata + derived fields + the files to register.

    describe_dataset(spec, result=..., out_dir=Path("out"), organization=profile)

checks ``metadata/<id>.yaml`` (no network), writes ``out/<id>/public.csv`` (the tidy CSV without
personal-data columns) and the data dictionary, and returns a ``DescribedDataset``.

The CSV is read through the reader every stage uses (``flows.csv_source``), in its declared
encoding: published files are UTF-8, so a CSV in another encoding (cp874) publishes a UTF-8
copy of its text (the tidy file is never changed), and one that cannot be read stops its
description with ``DataFileError`` (validation reports why).

Given the validation stage's table (``table``: ``flows.validation.validated_table``), describe
reads no CSV at all: the public copy, the dictionary examples and the data's dates come from
the cells validation read, with the same bytes as from the file. Without one (a caller that did
not validate in this process), or when the file's header is not the schema's (the cells are then
not matched to the right fields), the CSV is read as before.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Sequence

import pyarrow as pa

from flows.atomic import write_bytes_atomic, write_text_atomic
from flows.csv_source import UTF8, csv_encoding, read_csv_text, unreadable_message
from flows.datasets import DatasetSpec
from flows.describe import derived
from flows.describe.data_dates import data_dates
from flows.describe.freshness import freshness_fields
from flows.describe.declared import DeclaredMetadata, check_described_fields, load_declared_metadata
from flows.describe.described import DescribedDataset, ResourceFile
from flows.describe.dictionary import build_data_dictionary, write_data_dictionary
from flows.describe.dictionary_examples import published_frame
from flows.describe.dictionary_public import public_table_schema
from flows.describe.facts import DatasetFacts, notes_with_facts
from flows.describe.open_data import open_data_fields, score_open_data
from flows.describe.open_data_facts import open_data_facts
from flows.describe.public_copy import PublicCopy, public_copy, public_copy_of_table
from flows.describe.quality import quality_fields, with_verdict
from flows.describe.scheming import PUBLIC, SchemaRules, load_schema_rules
from flows.describe.stakeholders import OrganizationProfile
from flows.errors import ConfigError, DataFileError
from flows.validation.findings import ValidationResult
from flows.validation.validated_table import ValidatedTable

_LABELS = {  # kind -> (Thai name, English name, Thai description, English description)
    # the verdict of its validation follows, in its own words (flows.describe.quality)
    "data": ("ไฟล์ข้อมูล", "Data file", "ข้อมูลของชุดข้อมูล", "The dataset's data"),
    "dictionary": ("พจนานุกรมข้อมูล", "Data dictionary", "คำอธิบายทุกฟิลด์ของชุดข้อมูล",
                   "Every field of the dataset explained"),
    "dictionary-html": ("พจนานุกรมข้อมูล", "Data dictionary",
                        "คำอธิบายทุกฟิลด์ของชุดข้อมูลเป็นภาษาไทยและภาษาอังกฤษ (ชื่อ ชนิด หน่วย "
                        "ข้อกำหนด และตัวอย่างค่า) สำหรับอ่านในเว็บเบราว์เซอร์",
                        "Every field of the dataset explained in Thai and English (name, type, "
                        "unit, constraints and example values), to read in a web browser"),
    "catalog-dictionary-page": ("พจนานุกรมข้อมูลของบัญชีข้อมูล", "Catalog data dictionary",
                                "คำอธิบายทุกฟิลด์ของทุกชุดข้อมูลที่เผยแพร่สาธารณะ จัดกลุ่มตามชุดข้อมูล "
                                "สำหรับอ่านในเว็บเบราว์เซอร์",
                                "Every field of every public dataset, grouped by dataset, to "
                                "read in a web browser"),
    "schema": ("โครงสร้างข้อมูล (Table Schema)", "Table Schema",
               "โครงสร้างและข้อกำหนดของข้อมูลตามมาตรฐาน Frictionless Table Schema",
               "Fields, types and constraints (Frictionless Table Schema)"),
    "report": ("รายงานผลการตรวจสอบคุณภาพข้อมูล", "Data-quality report",
               "ผลการตรวจสอบคุณภาพข้อมูลรอบล่าสุด", "The latest data-quality validation"),
    "quality-history": ("ประวัติคุณภาพข้อมูล", "Data-quality history",
                        "ผลการตรวจสอบคุณภาพทุกครั้งที่ข้อมูลหรือผลการตรวจเปลี่ยน (วันที่ตรวจ "
                        "จำนวนแถว ข้อผิดพลาด ข้อสังเกต รายการที่ยกเว้น ผลการตรวจ และสิ่งที่เปลี่ยน)",
                        "Every validation whose data or result changed: when, rows, errors, "
                        "warnings, waived findings, the verdict and what had changed"),
    "scorecard-page": ("หน้าสรุปคะแนนตัวชี้วัด", "KPI scorecard page",
                       "ระดับที่ได้ของแต่ละตัวชี้วัดและคะแนนรวมถ่วงน้ำหนัก พร้อมเกณฑ์ที่ใช้คำนวณ",
                       "Each KPI's level and the weighted total, with the rule used"),
    "outcome-report": ("รายงานผลผลิตและผลลัพธ์ตัวชี้วัดที่ 1.3", "KPI 1.3 outcome report",
                       "ชุดข้อมูลที่ลงทะเบียน ความครบถ้วนของคำอธิบายข้อมูล สถานะคุณภาพ เงื่อนไข 1-7 "
                       "ปัญหา อุปสรรค และข้อเสนอแนะ",
                       "Registered datasets, metadata completeness, quality, conditions 1-7, "
                       "problems, obstacles and suggestions"),
    "outcome-report-md": ("รายงานผลผลิตและผลลัพธ์ตัวชี้วัดที่ 1.3 (Markdown)",
                          "KPI 1.3 outcome report (Markdown)",
                          "รายงานฉบับเดียวกันในรูปแบบข้อความ Markdown",
                          "The same report as Markdown text"),
    "internal-data": ("ไฟล์ข้อมูลฉบับเต็ม (ใช้ภายใน)", "Full data file (internal)",
                      "รวมฟิลด์ข้อมูลส่วนบุคคล ใช้ภายในหน่วยงานเท่านั้น",
                      "Includes the personal-data fields; internal use only"),
}


def describe_dataset(spec: DatasetSpec, *, result: ValidationResult, out_dir: Path,
                     organization: OrganizationProfile, schema: SchemaRules | None = None,
                     catalog_url: str | None = None, today: date | None = None,
                     table: ValidatedTable | None = None) -> DescribedDataset:
    """Describe one validated dataset; raise ``ConfigError`` when its metadata are wrong.

    ``out_dir`` is the run's output folder (``out/``); files go to ``out_dir/<id>/``.
    ``catalog_url`` (e.g. the CKAN site URL) makes the storage location a full link.
    ``today`` (the run's) is the day the update status is judged on; None: no status.
    ``table``: the table the validation stage checked for ``result`` (None: read the CSV).
    """
    schema = schema or load_schema_rules()
    declared = load_declared_metadata(spec, schema=schema, organization=organization)
    table_schema = _read_table_schema(spec)
    personal = derived.personal_fields(table_schema)
    folder = out_dir / spec.id
    cells = table.cells_for(table_schema) if table is not None else None
    resources, dictionary = _resource_files(spec, declared, table_schema, personal, folder,
                                            table=table if cells is not None else None)
    resources = [with_verdict(r, result) if r.kind == "data" else r for r in resources]
    internal = with_verdict(_resource(
        "internal-data", _internal_data_file(spec, folder, table), "CSV", declared,
        private=True, personal=personal), result) if personal else None
    fields = _fields(spec, declared, table_schema, personal, result=result, schema=schema,
                     formats=[r.format for r in resources], catalog_url=catalog_url,
                     owner_org=organization.layout.organization["name"], today=today,
                     dictionary=dictionary, cells=cells)
    check_described_fields(fields, dataset_id=spec.id, schema=schema,
                           private=declared.treatment != PUBLIC)
    return DescribedDataset(id=spec.id, fields=fields, groups=declared.groups,
                            personal_fields=personal, resources=resources, internal_data=internal,
                            dictionary=dictionary, treatment=declared.treatment,
                            metadata_only=declared.metadata_only)


def add_resource(described: DescribedDataset, kind: str, path: Path,
                 fmt: str) -> DescribedDataset:
    """``described`` with one more file to register (e.g. the quality history the flow writes)."""
    kept = [resource for resource in described.resources if resource.kind != kind]
    return replace(described, resources=[*kept, _resource(kind, path, fmt, None)])


def _fields(spec: DatasetSpec, declared: DeclaredMetadata, table_schema: dict[str, Any],
            personal: list[str], *, result: ValidationResult, schema: SchemaRules,
            formats: list[str], catalog_url: str | None, owner_org: str,
            today: date | None = None,
            dictionary: Sequence[dict[str, Any]] = (),
            cells: pa.Table | None = None) -> dict[str, Any]:
    dga = declared.dga
    when = data_dates(spec.csv_path, table_schema, encoding=csv_encoding(spec),
                      findings=result.findings, source_date=declared.source_date,
                      fiscal_year_field=declared.fiscal_year_field, today=today,
                      fiscal_year_be=declared.fiscal_year_be, cells=cells)
    coverage = when.coverage
    steward = declared.stakeholders["data_steward"]
    name = derived.dataset_slug(spec.id)
    formats_chosen, formats_other = derived.data_format(
        formats, choices=schema.fields["data_format"].choices or ())
    fields = {**dga, "name": name, "owner_org": owner_org,
              "maintainer": steward.contact, "maintainer_email": steward.email,
              "data_format": formats_chosen,
              "last_updated_date": when.last_updated}
    if today is not None:   # freshness: ตรงตามรอบ / ใกล้ครบกำหนด / เกินกำหนด / ไม่กำหนดรอบ
        fields.update(freshness_fields(last_updated=when.last_updated, dga=dga, today=today))
    if formats_other:
        fields["data_format_other"] = formats_other
    if coverage:
        fields["first_year_of_data"] = str(derived.buddhist_era_year(coverage[0]))
        fields["last_year_of_data"] = str(derived.buddhist_era_year(coverage[1]))
    facts = DatasetFacts(
        stakeholders=declared.stakeholders, personal_fields=personal,
        scope=_scope_label(declared, schema),
        classification=str(dga.get("data_classification") or ""),
        update_frequency=str(dga.get("update_frequency_unit") or ""),
        last_updated=fields["last_updated_date"], rows=result.rows, coverage=coverage,
        storage=_storage(spec, name, catalog_url))
    fields["notes"] = notes_with_facts(str(dga.get("notes") or ""), facts)
    # the quality grade by catalog_config/quality_grade.yaml, and the link to
    # the quality panel of the dataset page (quality_checked_at comes from the run history)
    fields.update(quality_fields(result, dga=dga, table_schema=table_schema,
                                 dictionary=dictionary, rules=schema,
                                 page=_dataset_page(name, catalog_url)))
    # the open-data score on the DGA's ten characteristics (reads the
    # update status above); open_data_score "8.5/10" and its breakdown
    fields.update(open_data_fields(score_open_data(open_data_facts(
        spec.metadata, dataset=spec.id, name=name, public=declared.treatment == PUBLIC,
        scope=_scope_label(declared, schema)[0], result=result,
        formats=[] if declared.metadata_only else formats, table_schema=table_schema,
        fields=fields))))
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def _scope_label(declared: DeclaredMetadata, schema: SchemaRules) -> tuple[str, str]:
    """The dissemination scope stated in the notes, in the policy's own words."""
    label = schema.policy.label(declared.treatment)
    if declared.metadata_only:
        return (f"{label.th} มีเฉพาะคำอธิบายข้อมูลแบบส่วนตัวในบัญชีข้อมูล",
                f"{label.en}; only a private metadata record in the catalog")
    return label.th, label.en


def _dataset_page(name: str, catalog_url: str | None) -> str:
    return f"{catalog_url.rstrip('/')}/dataset/{name}" if catalog_url else f"/dataset/{name}"


def _storage(spec: DatasetSpec, name: str, catalog_url: str | None) -> list[str]:
    page = _dataset_page(name, catalog_url)
    return [f"บัญชีข้อมูลสำนักงานเลขาธิการวุฒิสภา (Agency data catalog): {page}",
            f"คลังข้อมูลของระบบ (Pipeline repository): datasets/{spec.id}/{spec.id}.csv, "
            f"schemas/{spec.id}.schema.json, metadata/{spec.id}.yaml"]


def _resource_files(spec: DatasetSpec, declared: DeclaredMetadata, table_schema: dict[str, Any],
                    personal: list[str], folder: Path, *, table: ValidatedTable | None
                    ) -> tuple[list[ResourceFile], tuple[dict[str, Any], ...]]:
    copy = _public_copy(spec, table_schema, personal, table)
    data_path, neutralised = _public_data_file(spec, copy, personal, folder)
    # The public schema and dictionary describe the public file: no personal-data field at all.
    public_schema = public_table_schema(table_schema)
    schema_path = (_write_json(public_schema, folder / "public.schema.json")
                   if personal else spec.schema_path)
    # The examples are the published cells: from the copy just made, else read back from the
    # file published (the public copy, or the tidy CSV itself).
    frame = published_frame(copy.cells) if copy.cells is not None else None
    entries = build_data_dictionary(public_schema, frame, dataset=spec.id,
                                    title=str(declared.dga.get("title") or ""),
                                    csv_path=data_path)
    dictionary = write_data_dictionary(entries, folder)
    report = folder / "report.html"
    if not report.exists():
        raise ConfigError(f"{report} is missing; run `senate-catalog validate {spec.id}` first")
    data = _with_neutralised_note(_resource("data", data_path, "CSV", declared,
                                            personal=personal), neutralised)
    return [data,
            _resource("dictionary", dictionary["csv"], "CSV", declared),
            _resource("dictionary-html", dictionary["html"], "HTML", declared),
            _resource("schema", schema_path, "JSON", declared),
            _resource("report", report, "HTML", declared)], tuple(entries)


def _public_copy(spec: DatasetSpec, table_schema: dict[str, Any], personal: list[str],
                 table: ValidatedTable | None) -> PublicCopy:
    """The public copy, from the validation stage's table when there is one (whose header the
    caller has checked is the schema's), else from the tidy CSV: the same bytes either way."""
    if table is None:
        return public_copy(spec.csv_path, drop=personal, schema=table_schema,
                           encoding=csv_encoding(spec))
    return public_copy_of_table(table.raw, drop=personal, schema=table_schema,
                                verbatim=table.verbatim)


def _public_data_file(spec: DatasetSpec, copy: PublicCopy, personal: list[str],
                      folder: Path) -> tuple[Path, int]:
    """The data file to publish, and how many of its cells were neutralised.

    A public copy (``out/<id>/public.csv``, UTF-8) when the dataset has personal-data fields,
    a cell a spreadsheet would run as a formula, or a CSV whose bytes are not the text validated
    (not UTF-8, or a line or cell cut at a limit); otherwise the tidy CSV itself, byte for byte.
    The tidy file is never modified.
    """
    if not personal and not copy.neutralised and copy.verbatim:
        return spec.csv_path, 0
    return write_bytes_atomic(folder / "public.csv", copy.data), copy.neutralised


def _internal_data_file(spec: DatasetSpec, folder: Path, table: ValidatedTable | None) -> Path:
    """The full file of the private companion: the tidy CSV itself when it is UTF-8, else its
    text as UTF-8 (``out/<id>/internal.csv``): published files, private ones too, are UTF-8."""
    if table is not None and table.encoding in UTF8:
        return spec.csv_path   # validation decoded it as UTF-8: no need to read it again
    # Not UTF-8 (a cp874 file), or not validated here: its text is read once more, to write.
    source = read_csv_text(spec.csv_path, encoding=csv_encoding(spec))
    if source.utf8:
        return spec.csv_path
    if source.text is None:
        raise DataFileError(unreadable_message(source))
    return write_text_atomic(folder / "internal.csv", source.text)


def _with_neutralised_note(resource: ResourceFile, neutralised: int) -> ResourceFile:
    """Say why some cells of the public file start with a single quote."""
    if not neutralised:
        return resource
    note = (f"\n\nเซลล์ {neutralised:,} เซลล์ที่ขึ้นต้นด้วย = + - @ แท็บ หรือการขึ้นบรรทัด ถูกเติม ' "
            "นำหน้า เพื่อไม่ให้โปรแกรมตารางคำนวณเรียกใช้เป็นสูตร"
            f"\n\n{neutralised:,} cell(s) starting with =, +, -, @, tab or carriage return are "
            "prefixed with ' so that a spreadsheet does not run them as formulas")
    return replace(resource, description=resource.description + note)


def _resource(kind: str, path: Path, fmt: str, declared: DeclaredMetadata | None, *,
              private: bool = False, personal: Sequence[str] = ()) -> ResourceFile:
    sha256, size = derived.file_digest(path)
    name_th, name_en, text_th, text_en = _LABELS[kind]
    if kind == "data" and personal:
        dropped = ", ".join(personal)
        text_th += f" ไม่รวมฟิลด์ข้อมูลส่วนบุคคล ({dropped})"
        text_en += f", without the personal-data fields ({dropped})"
    extras = {"resource_private": "True" if private else "False"}
    if kind in ("data", "internal-data") and declared is not None:
        extras.update(_data_extras(declared))
    return ResourceFile(kind=kind, path=path, name=f"{name_th} ({fmt}) / {name_en} ({fmt})",
                        description=f"{text_th}\n\n{text_en}", format=fmt, sha256=sha256,
                        size=size, extras=extras)


def _data_extras(declared: DeclaredMetadata) -> dict[str, str]:
    # resource_last_updated_date is not here: the payload sets it on every resource from the
    # dataset's derived last_updated_date (reading the CSV's dates again would give the same).
    dga = declared.dga
    pairs = {"resource_data_collect": dga.get("data_collect"),
             "resource_data_collect_other": dga.get("data_collect_other"),
             "resource_created_date": dga.get("created_date"),
             "resource_accessible_condition": dga.get("accessible_condition")}
    return {key: str(value) for key, value in pairs.items() if value}


def _write_json(document: dict[str, Any], path: Path) -> Path:
    """Deterministic JSON (same document, same bytes), so the resource checksum is stable."""
    return write_text_atomic(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _read_table_schema(spec: DatasetSpec) -> dict[str, Any]:
    try:
        return json.loads(spec.schema_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the Table Schema {spec.schema_path}: {exc}") from exc
