"""`senate-catalog new ID --from FILE`: draft a new dataset's files, then validate them.

Thin: the drafting is ``flows.onboard``; the validation is the `validate` command's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from flows.cli.options import project_option, today_option
from flows.cli.pipeline import validate_now
from flows.config import load_config
from flows.errors import ConfigError

_NEXT_TH = """สิ่งที่บริกรข้อมูลต้องตัดสินใจต่อ (แก้ทุกค่า TODO):
  1. metadata/{id}.yaml: ชื่อชุดข้อมูล คำอธิบายภาษาไทย หมวดหมู่ (groups) ประเภทข้อมูล วัตถุประสงค์
     ความถี่ในการปรับปรุง ขอบเขตเชิงภูมิศาสตร์ แหล่งที่มา หมวดหมู่และชั้นความลับของข้อมูล
     สัญญาอนุญาต เงื่อนไขการเข้าถึง ผู้รับผิดชอบ (stakeholders) และ open_data.primary
  2. schemas/{id}.schema.json: ชื่อ (title) และคำอธิบาย (description_th, description) ทุกคอลัมน์
     ตรวจชนิดข้อมูล คีย์หลัก ค่าที่อนุญาต (enum) และคอลัมน์ข้อมูลส่วนบุคคล (personalData)
  3. schemas/{id}.expectations.json: ตรวจกฎคุณภาพที่ร่างจากข้อมูล (ช่วงค่า จำนวนแถว)
  4. datasets/{id}/raw/PROVENANCE.md: ที่มาของข้อมูล
  แล้วรัน senate-catalog validate {id} และ senate-catalog plan {id}"""
_NEXT_EN = """What the data steward decides next (replace every TODO):
  1. metadata/{id}.yaml: title, Thai notes, groups, data type, objective, update frequency,
     geographic coverage, source, data category and classification, licence, access
     conditions, stakeholders and open_data.primary
  2. schemas/{id}.schema.json: every column's title and descriptions (description_th,
     description); check the types, the primary key, the enums and personalData columns
  3. schemas/{id}.expectations.json: review the rules drafted from the data (ranges, row count)
  4. datasets/{id}/raw/PROVENANCE.md: where the data come from
  then run senate-catalog validate {id} and senate-catalog plan {id}
plan and publish refuse the dataset while any TODO is left (docs/steward.md)."""


@click.command(name="new")
@click.argument("dataset_id")
@click.option("--from", "source", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The table file: CSV (UTF-8 or Thai cp874/TIS-620) or Excel (.xlsx).")
@click.option("--sheet", default=None, help="The Excel sheet to read (Excel files only).")
@click.option("--owner", default=None, metavar="KEY",
              help="The data owner's key in catalog_config/organization.yaml.")
@click.option("--steward", default=None, metavar="KEY",
              help="The data steward's key in catalog_config/organization.yaml.")
@click.option("--force", is_flag=True, help="Replace the dataset's files when they exist.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Report folder (default: output_dir of catalog_config/pipeline.yaml).")
@today_option
@project_option
def new(dataset_id: str, source: Path, sheet: str | None, owner: str | None,
        steward: str | None, force: bool, out_dir: Path | None, today: date,
        project_root: Path) -> None:
    """Draft a new dataset from a table file: Table Schema, quality rules, DGA metadata, the raw
    copy and the tidy CSV; every decision left to a person is marked TODO. Then validate it.

    Example:

    \b
        senate-catalog new senate-bills --from bills.csv \\
            --owner meetings-owner --steward meetings-steward
    """
    out = load_config(out_dir=out_dir).pipeline.out_dir
    drafted = _draft(project_root, dataset_id, source, sheet, owner, steward, force, today)
    click.echo(f"{dataset_id}: {drafted.rows} rows read ({drafted.encoding}); wrote")
    for path in drafted.files:
        click.echo(f"  {path.relative_to(project_root)}")
    click.echo(f"primary key guess: {drafted.key or 'none (no unique complete column)'}; "
               f"personal data guess: {', '.join(drafted.personal) or 'none'}")
    for note in drafted.notes:
        click.echo(f"  note: {note}")
    click.echo("\nvalidating the drafts (TODO descriptions are reported until filled):")
    validate_now(project_root, out, today, (dataset_id,))
    click.echo("\n" + _NEXT_TH.format(id=dataset_id) + "\n\n" + _NEXT_EN.format(id=dataset_id))


def _draft(root: Path, dataset_id, source, sheet, owner, steward, force, today: date):
    from flows.describe.stakeholders import load_organization_profile
    from flows.onboard.drafts import draft_dataset

    organization = load_organization_profile(root / "catalog_config" / "organization.yaml")
    for option, key in (("--owner", owner), ("--steward", steward)):
        if key is not None and key not in organization.stakeholders:
            raise ConfigError(f"{option} {key!r}: no such stakeholder in catalog_config/"
                              f"organization.yaml; choose one of "
                              f"{', '.join(sorted(organization.stakeholders))}")
    custodians = [k for k, s in organization.stakeholders.items() if s.role == "data_custodian"]
    return draft_dataset(root, dataset_id, source, sheet=sheet, owner=owner,
                         steward=steward, force=force, today=today,
                         custodian=custodians[0] if len(custodians) == 1 else None)
