"""The KPI 1.3 outcome report: level-5 evidence, written from what the system knows.

Level 5 of KPI 1.3 (framework document, line 415) asks for a report of the plan's outputs and
outcomes with problems, obstacles and suggestions, for the head of the agency. This report has:
the registered datasets (catalog links, DGA-metadata completeness, latest quality), the data
dictionaries, the catalog URL, conditions 1-7 (``flows.kpi.conditions``) and the problems the
run records show — recurring validation failures, datasets overdue against their declared
update frequency, steward waivers expiring soon, conditions not yet done — each with a
suggestion. Thai first, English second; HTML (self-contained, house style) and Markdown.

Everything is passed in (project root, run records, catalog URL, today): no clock, no network,
and the same inputs give the same bytes. Nothing in it changes because a run was repeated: no
run id, run time or count of runs (the dates it takes from the records are the day a dataset's
data last changed and the day the evidence last changed, which dates the report), a status of
"unchanged" shown as "published", failures counted by day, and the dataset the report is
registered with left out (it cannot report on its own publication). So two runs with nothing
changed derive the same report, and the second writes nothing (the report settles).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from flows.atomic import write_text_atomic
from flows.describe.completeness import Completeness, metadata_completeness
from flows.describe.derived import temporal_fields
from flows.describe.scheming import SchemaRules, load_schema_rules
from flows.html_style import page_template
from flows.kpi import conditions as kpi
from flows.kpi.conditions import CatalogPage, RegisteredDataset, registered_datasets
from flows.records import PUBLISHED_STATUSES, last_runs
from flows.kpi.outcome_problems import (KINDS, Problem, data_changed_on, expiring_waivers,
                                        overdue_datasets, pending_conditions, recurring_failures,
                                        runs_of, update_frequency, update_status_text)
from flows.validation.reports.summary import Verdict
from flows.validation.waivers import load_waivers

if TYPE_CHECKING:
    from flows.national.status import NationalStatus

REPORT_STEM = "kpi-1-3-outcome-report"


@dataclass(frozen=True)
class DatasetRow:
    """One registered dataset in the report."""

    dataset: str
    title: str
    pages: tuple[CatalogPage, ...]
    completeness: Completeness | None
    quality: dict[str, Any]     # verdict, errors, warnings, waived, settled status of the last run
    data_changed: date | None   # when the catalog's data last changed (Bangkok date)
    update_status: str = "-"    # freshness: on schedule / due soon / overdue / no schedule, today


@dataclass(frozen=True)
class OutcomeReport:
    """Everything the report shows; rendered as HTML and Markdown."""

    today: date
    as_of: date                 # the day the evidence last changed (conditions.evidence_day)
    catalog_url: str
    datasets: list[DatasetRow]
    not_registered: list[str]
    withdrawn: list[tuple[str, str, str]]   # (dataset, what left public view, why)
    conditions: list[dict[str, Any]]
    problems: list[Problem]
    dictionary_path: str | None
    # The national Government Data Catalog: what its last answer says, and each
    # public dataset with its links there (none: not registered there).
    national_note: tuple[str, str] = ("", "")
    national_links: tuple[tuple[str, tuple[str, ...]], ...] = ()


# --- problems ----------------------------------------------------------------------------


def build_outcome_report(*, root: Path, records: list[dict[str, Any]], catalog_url: str,
                         today: date, conditions: list[dict[str, Any]] | None = None,
                         dictionary_path: str | None = None,
                         own_dataset: str | None = None,
                         national: NationalStatus | None = None) -> OutcomeReport:
    """Gather the report from the project files under ``root`` and the run ``records``.

    ``conditions``: the rows of kpi-1-3-conditions (built from ``root`` when None).
    ``dictionary_path``: where the catalog-wide data dictionary is, as its reader finds it
    (e.g. ``out/catalog/dictionary.html``); not shown when None. ``own_dataset``: the dataset
    the report is registered with; its records are not read and it is not listed as "not
    registered" (the flow derives the report before that dataset is published).
    ``national``: the national catalog's last answer (``flows.national.answer``); None: never
    asked. Only its registrations are shown, never its check time, so the report stays the
    same while they do.
    """
    records = [record for record in records if record.get("dataset") != own_dataset]
    root = Path(root)
    if conditions is None:
        document = kpi.read_document_conditions((root / kpi.DOCUMENT).read_text(encoding="utf-8"))
        conditions = kpi.build_conditions(
            document, records, catalog_url=catalog_url, today=today,
            steward_status=kpi.read_steward_status(root / kpi.STEWARD_FILE), national=national)
    registered = registered_datasets(records, catalog_url=catalog_url)
    public = [r for r in registered if r.public_pages]
    links = kpi.national_links(public, national, catalog_url)
    metadata = {r.dataset: _metadata(root, r.dataset) for r in registered}
    rules = load_schema_rules()
    frequencies = {d: f for d, m in metadata.items() if (f := update_frequency(m))}
    waivers = {path.stem: load_waivers(path)
               for path in sorted((root / "metadata" / "waivers").glob("*.yaml"))}
    problems = (recurring_failures(records) + overdue_datasets(records, frequencies, today=today)
                + expiring_waivers(waivers, today=today) + pending_conditions(conditions))
    # Datasets derived after this one (the scorecard, the data dictionary) are published later
    # in the same run: not "not registered".
    from flows.datasets import derived_after
    later = derived_after(own_dataset, root) if own_dataset else set()
    known = sorted(path.stem for path in (root / "metadata").glob("*.yaml")
                   if path.stem != own_dataset and path.stem not in later)
    return OutcomeReport(
        today=today, as_of=kpi.evidence_day(records, today=today),
        catalog_url=catalog_url.rstrip("/"),
        datasets=[_dataset_row(r, metadata[r.dataset], records, root=root, rules=rules, today=today)
                  for r in registered],
        not_registered=[d for d in known if d not in metadata],
        withdrawn=withdrawn_datasets(records), conditions=conditions,
        problems=problems, dictionary_path=dictionary_path,
        national_note=_national_note(national, catalog_url),
        national_links=tuple((r.dataset, links.get(r.dataset, ())) for r in public))


def _national_note(national: NationalStatus | None, catalog_url: str) -> tuple[str, str]:
    """(Thai, English): where the national catalog is, or why its registrations are unknown."""
    if national is None:
        return ("ยังไม่ได้ตรวจสอบกับระบบบัญชีข้อมูลภาครัฐ (ไม่ได้ตั้งค่าหรือยังไม่ได้เรียก "
                "senate-catalog national status)",
                "The national catalog was not checked (none configured, or `senate-catalog "
                "national status` not run)")
    if national.error:
        return (f"ระบบบัญชีข้อมูลภาครัฐ {national.national_url} ตรวจสอบไม่ได้",
                f"The national catalog {national.national_url} could not be checked: "
                f"{national.error}")
    if national.agency_url != catalog_url.rstrip("/"):
        return ("คำตอบล่าสุดของระบบบัญชีข้อมูลภาครัฐเป็นของบัญชีข้อมูลอื่น",
                f"The national catalog's last answer is about {national.agency_url}, not "
                "this catalog")
    return (f"ระบบบัญชีข้อมูลภาครัฐ: {national.national_url}/dataset",
            f"National Government Data Catalog: {national.national_url}/dataset")


_WITHDRAWAL_LABELS = {
    "withdraw": "ถอนออกจากการเผยแพร่สาธารณะ / withdrawn from public view",
    "withdrawn": "ถอนออกจากการเผยแพร่สาธารณะ / withdrawn from public view",
    "delete": "ลบออกจากบัญชีข้อมูล / deleted from the catalog",
}


def withdrawn_datasets(records: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """What the last run of each dataset took out of public view or out of the catalog."""
    rows = []
    for dataset, record in last_runs(records).items():
        for entry in (record.get("catalog") or {}).get("withdrawals") or []:
            what = f"{entry.get('name')}: {_WITHDRAWAL_LABELS.get(entry.get('action'), '-')}"
            rows.append((dataset, what, str(entry.get("reason") or "-")))
    return rows


def _metadata(root: Path, dataset: str) -> dict[str, Any]:
    """The dataset's metadata, {} when its file is gone or cannot be read (that dataset's own
    run says why; the report on the others goes on)."""
    path = root / "metadata" / f"{dataset}.yaml"
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _table_schema(root: Path, dataset: str) -> dict[str, Any]:
    """The dataset's Table Schema, {} when missing or not a JSON object."""
    try:
        loaded = json.loads((root / "schemas" / f"{dataset}.schema.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _dataset_row(registered: RegisteredDataset, metadata: dict[str, Any],
                 records: list[dict[str, Any]], *, root: Path, rules: SchemaRules,
                 today: date) -> DatasetRow:
    dga = metadata.get("dga") if isinstance(metadata.get("dga"), dict) else {}
    has_dates = bool(temporal_fields(_table_schema(root, registered.dataset)))
    runs = runs_of(records, registered.dataset)
    validated = [r["validation"] for r in runs if isinstance(r.get("validation"), dict)]
    quality = {key: (validated[-1] if validated else {}).get(key)
               for key in ("verdict", "errors", "warnings", "waived")}
    return DatasetRow(
        dataset=registered.dataset, title=str(dga.get("title") or registered.dataset),
        pages=registered.pages,
        completeness=metadata_completeness(dga, rules=rules, has_dates=has_dates) if dga else None,
        quality={**quality, "status": _settled(runs[-1]["status"])},
        data_changed=data_changed_on(records, registered.dataset),
        update_status=update_status_text(records, registered.dataset, metadata, today=today))


def _settled(status: str) -> str:
    """A run's status as the report shows it: "unchanged" is "published" (the catalog holds
    what an identical earlier run published), so repeating a run does not change the report."""
    return "published" if status in PUBLISHED_STATUSES else status


def write_outcome_report(*, root: Path, records: list[dict[str, Any]], catalog_url: str,
                         today: date, out_dir: Path,
                         conditions: list[dict[str, Any]] | None = None,
                         dictionary_path: str | None = None,
                         own_dataset: str | None = None,
                         national: NationalStatus | None = None) -> dict[str, Path]:
    """Write ``<out_dir>/kpi-1-3-outcome-report.html`` and ``.md``; return their paths."""
    report = build_outcome_report(root=root, records=records, catalog_url=catalog_url,
                                  today=today, conditions=conditions,
                                  dictionary_path=dictionary_path, own_dataset=own_dataset,
                                  national=national)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind, text in (("html", render_html(report)), ("md", render_markdown(report))):
        written[kind] = write_text_atomic(out_dir / f"{REPORT_STEM}.{kind}", text)
    return written


# --- rendering: one list of sections, drawn as HTML and as Markdown ----------------------

Cell = str | tuple[str, ...]   # text, or a list of links (http(s) URLs; other items as text)


@dataclass(frozen=True)
class _Section:
    anchor: str
    th: str
    en: str
    lines: tuple[Cell, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    empty: str = ""


_TITLE = ("รายงานผลผลิตและผลลัพธ์การดำเนินงานตามตัวชี้วัดที่ 1.3 พร้อมปัญหา อุปสรรค และข้อเสนอแนะ",
          "KPI 1.3 outcome report: outputs, outcomes, problems, obstacles and suggestions")
_COMPLETENESS = (
    "ความครบถ้วนของคำอธิบายชุดข้อมูล = สัดส่วนเขตข้อมูลตามมาตรฐาน สพร. ที่ใช้กับประเภทชุดข้อมูลนั้นและมีค่าแล้ว "
    "(ประกาศใน metadata/<id>.yaml หรือระบบคำนวณ ไม่นับ *_other และ reference_url_catalog) / Metadata "
    "completeness = the share of the DGA fields that apply to the dataset's type and are filled, "
    "declared or derived (*_other and reference_url_catalog not counted)")
_FOOTER = ("สร้างจากประวัติการทำงานของระบบ คำอธิบายชุดข้อมูล การยกเว้น และเอกสารกรอบ"
           "ตัวชี้วัด โดยอัตโนมัติ · Generated from the run records, the metadata and "
           "waiver files and the framework document. senate-data-catalog")


def _sections(report: OutcomeReport) -> list[_Section]:
    done = sum(1 for row in report.conditions if row["status"] == "done")
    public = sum(1 for row in report.datasets if any(not p.private for p in row.pages))
    home, day = f"{report.catalog_url}/dataset", report.as_of.isoformat()
    return [
        _Section("summary", "สรุป", "Summary", (
            f"ข้อมูล ณ วันที่ {day}: ลงทะเบียนแล้ว {len(report.datasets)} ชุด (เปิดเผย {public} ชุด) · "
            f"เงื่อนไขที่ดำเนินการแล้ว {done} จาก {len(report.conditions)} ข้อ · "
            f"ปัญหาและอุปสรรค {len(report.problems)} รายการ",
            f"As of {day}: {len(report.datasets)} dataset(s) registered ({public} public) · "
            f"{done} of {len(report.conditions)} conditions done · "
            f"{len(report.problems)} problem(s) and obstacle(s)")),
        _Section("datasets", "ผลผลิต: ชุดข้อมูลที่ลงทะเบียนในบัญชีข้อมูล", "Outputs: registered datasets",
                 (_COMPLETENESS, "ยังไม่ได้ลงทะเบียน / Not registered yet: "
                  + (", ".join(report.not_registered) or "-")),
                 (("ชุดข้อมูล", "Dataset"), ("ชื่อ", "Title"), ("บัญชีข้อมูล", "Catalog"),
                  ("ความครบถ้วนของคำอธิบายชุดข้อมูล", "Metadata completeness"),
                  ("คุณภาพข้อมูลรอบล่าสุด", "Latest data quality"),
                  ("ข้อมูลเปลี่ยนล่าสุด", "Data last changed"),
                  ("สถานะการปรับปรุงข้อมูล", "Update status")),
                 tuple(_dataset_cells(row) for row in report.datasets),
                 "ยังไม่มีชุดข้อมูลที่ลงทะเบียน / No dataset registered yet"),
        _Section("withdrawn", "ชุดข้อมูลที่ถอนออกจากการเผยแพร่", "Withdrawn datasets",
                 ("ชุดข้อมูลที่ไม่อาจเผยแพร่สาธารณะได้อีก (เปลี่ยนระดับชั้นข้อมูล พบข้อมูลส่วนบุคคล หรือไฟล์ถูกนำออก) "
                  "ระบบถอนออกในรอบการทำงานถัดไป / Datasets that may no longer be public "
                  "(reclassified, personal data found, files removed) are withdrawn in the next "
                  "run",),
                 (("ชุดข้อมูล", "Dataset"), ("การดำเนินการ", "Action"), ("เหตุผล", "Reason")),
                 tuple(report.withdrawn),
                 "ไม่มีชุดข้อมูลที่ถอนออก / No dataset withdrawn"),
        _Section("dictionary", "พจนานุกรมข้อมูล", "Data dictionary",
                 (f"พจนานุกรมข้อมูลรวมทุกชุด / Catalog-wide dictionary: {report.dictionary_path}",)
                 if report.dictionary_path else (),
                 (("ชุดข้อมูล", "Dataset"), ("พจนานุกรมข้อมูลในบัญชีข้อมูล", "Dictionary in the catalog")),
                 tuple((row.dataset, tuple(p.dictionary_url for p in row.pages
                                           if p.dictionary_url and not p.private))
                       for row in report.datasets),
                 "ยังไม่มีพจนานุกรมข้อมูลในบัญชีข้อมูล / No dictionary in the catalog yet"),
        _Section("catalog", "ระบบบัญชีข้อมูลของหน่วยงาน (URL)", "Agency data catalog (URL)",
                 ((home,),)),
        _Section("national", "การลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ",
                 "Registration in the national Government Data Catalog",
                 (" / ".join(report.national_note),),
                 (("ชุดข้อมูล", "Dataset"), ("ลิงก์ในระบบบัญชีข้อมูลภาครัฐ", "Link in the national catalog")),
                 tuple((dataset, links or ("ยังไม่ลงทะเบียน / not registered",))
                       for dataset, links in report.national_links),
                 "ยังไม่มีชุดข้อมูลเปิด / No open dataset yet"),
        _Section("conditions", "เงื่อนไขของตัวชี้วัดที่ 1.3 ข้อ 1-7", "KPI 1.3 conditions 1-7", (),
                 (("ข้อ", "No."), ("เงื่อนไข", "Condition"), ("สถานะ", "Status"),
                  ("หลักฐาน", "Evidence"), ("ลิงก์หลักฐาน", "Evidence links")),
                 tuple(_condition_cells(row) for row in report.conditions)),
        _Section("problems", "ปัญหา อุปสรรค และข้อเสนอแนะ", "Problems, obstacles and suggestions",
                 (), (("ประเภท", "Kind"), ("เรื่อง", "Subject"), ("ปัญหา/อุปสรรค", "Problem"),
                      ("ข้อเสนอแนะ", "Suggestion")),
                 tuple((" / ".join(KINDS[p.kind]), p.subject, " / ".join(p.problem),
                        " / ".join(p.suggestion)) for p in report.problems),
                 "ไม่พบปัญหาจากประวัติการทำงาน / The run records show no problem"),
    ]


def _dataset_cells(row: DatasetRow) -> tuple[Cell, ...]:
    quality = row.quality
    try:
        verdict = Verdict(quality.get("verdict"))
        label = f"{verdict.label_th} / {verdict.label_en}"
    except ValueError:
        label = "-"
    counts = " · ".join(f"{th}/{en} {'-' if quality.get(key) is None else quality[key]}"
                        for key, th, en in (("errors", "ข้อผิดพลาด", "errors"),
                                            ("warnings", "คำเตือน", "warnings"),
                                            ("waived", "ยกเว้น", "waived")))
    pages = tuple(p.url if not p.private else f"{p.url} (ส่วนตัว/private)" for p in row.pages)
    return (row.dataset, row.title, pages, row.completeness.text if row.completeness else "-",
            f"{label} ({counts}; รอบล่าสุด/last run: {quality.get('status')})",
            row.data_changed.isoformat() if row.data_changed else "-", row.update_status)


def _condition_cells(row: dict[str, Any]) -> tuple[Cell, ...]:
    links = tuple(u for u in str(row.get("evidence_url") or "").split(kpi.URL_SEPARATOR) if u)
    status = f"{row['status_th']} / {kpi.STATUS_EN[row['status']]}"
    return (str(row["condition_no"]), row["condition_th"], status, row["evidence"], links)


def render_markdown(report: OutcomeReport) -> str:
    """The report as Markdown (for a chat message, a pull request or a printed annex)."""
    out = [f"# {_TITLE[0]}", "", f"*{_TITLE[1]}*", ""]
    for section in _sections(report):
        out += [f"## {section.th} / {section.en}", ""]
        out += [_md(line) + "  " for line in section.lines] + ([""] if section.lines else [])
        if section.rows:
            out += ["| " + " | ".join(f"{th} / {en}" for th, en in section.columns) + " |",
                    "|" + "---|" * len(section.columns)]
            out += ["| " + " | ".join(_md(c).replace("|", "\\|") for c in row) + " |"
                    for row in section.rows] + [""]
        elif section.columns:
            out += [section.empty, ""]
    return "\n".join(out + [_FOOTER, ""])


def _md(cell: Cell) -> str:
    if isinstance(cell, tuple):
        return " · ".join(f"<{u}>" if _is_link(u) else u for u in cell) or "-"
    return " ".join(cell.split()) or "-"


def _is_link(text: str) -> bool:
    return text.startswith(("http://", "https://")) and " " not in text


def render_html(report: OutcomeReport) -> str:
    """The report as one self-contained page (house style; loads nothing from anywhere)."""
    return page_template("flows.kpi", "outcome_report.html", generator="KPI 1.3 outcome report").substitute(
        title=escape(_TITLE[0]), title_en=escape(_TITLE[1]), as_of=report.as_of.isoformat(),
        body="\n".join(_html_section(section) for section in _sections(report)),
        footer=escape(_FOOTER))


def _html_section(section: _Section) -> str:
    parts = [f'<section id="{section.anchor}">',
             f'  <h2>{escape(section.th)}<span class="en">{escape(section.en)}</span></h2>']
    parts += [f"<p>{_html_cell(line)}</p>" for line in section.lines]
    if section.rows:
        head = "".join(f'<th>{escape(th)}<span class="en">{escape(en)}</span></th>'
                       for th, en in section.columns)
        rows = "\n".join("<tr>" + "".join(
            f'<td data-label="{escape(f"{th} / {en}")}">{_html_cell(cell)}</td>'
            for (th, en), cell in zip(section.columns, row)) + "</tr>" for row in section.rows)
        parts.append(f'<div class="table-wrap"><table class="stack">\n<thead><tr>{head}</tr>'
                     f"</thead>\n<tbody>\n{rows}\n</tbody>\n</table></div>")
    elif section.columns:
        parts.append(f'<p class="empty">{escape(section.empty)}</p>')
    return "\n".join(parts + ["</section>"])


def _html_cell(cell: Cell) -> str:
    if not cell:
        return '<span class="none">—</span>'
    if not isinstance(cell, tuple):
        return escape(cell)
    items = "".join(f'<li><a href="{escape(u)}" rel="noopener noreferrer">{escape(u)}</a></li>'
                    if _is_link(u) else f"<li>{escape(u)}</li>" for u in cell)
    return f'<ul class="links">{items}</ul>'
