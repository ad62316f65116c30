"""KPI 1.3's conditions 1-7 as a checklist dataset, ``kpi-1-3-conditions``.

The framework document (``datasets/kpi-register/raw/kpi-framework-fy2567.txt``, KPI 1.3's
``เงื่อนไข``, lines 417-436) lists seven results the agency must show. Each becomes one row:
the condition as the document states it, its status and its evidence.

Who fills a row is our reading of the document (``CONDITION_EVIDENCE``; the same table is in
``datasets/kpi-1-3-conditions/raw/PROVENANCE.md``):

- what this system itself produces — registered datasets, their DGA metadata, data
  dictionaries, the catalog's URL, the gate's access decisions, the open-data score of each
  dataset on the DGA's ten characteristics — is read from the run records
  (``out/runs/history.jsonl``), never typed;
- condition 7 also needs the national Government Data Catalog's answer (which datasets it
  holds: ``flows.national``, kept in ``<out>/national/status.json`` by
  ``senate-catalog national status``), passed in as ``national``: a dataset counts when it is
  registered there AND scores at least the threshold; no answer, or one from a catalog that
  did not answer, meets nothing and the evidence says why;
- what only people can show (a committee appointed, a policy signed) comes from the steward file
  ``datasets/kpi-1-3-conditions/raw/conditions.yaml``. A steward may mark such a part done only
  with links to the evidence.

A condition with both parts is done only when both are.

The checklist is dated by the day its evidence last changed (``evidence_day``), not by the day
of the run: a run with nothing changed derives the same file, so it writes nothing (derived
datasets settle).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import yaml

from flows.atomic import write_bytes_atomic
from flows.describe.open_data import score_points
from flows.describe.open_data_rules import load_open_data_rules
from flows.errors import ConfigError
from flows.records import last_published
from flows.validation.thai_forms import thai_digits_to_arabic

if TYPE_CHECKING:
    from flows.national.status import NationalStatus

DATASET_ID = "kpi-1-3-conditions"
#: The committed copy of the framework document (read-only; cited by line number).
DOCUMENT = Path("datasets") / "kpi-register" / "raw" / "kpi-framework-fy2567.txt"
#: The steward's part: status and evidence of what the system cannot show.
STEWARD_FILE = Path("datasets") / DATASET_ID / "raw" / "conditions.yaml"
COLUMNS = ("condition_no", "condition_th", "level", "status", "status_th", "evidence",
           "evidence_url", "filled_by", "as_of")
STATUS_TH = {"done": "ดำเนินการแล้ว", "in-progress": "อยู่ระหว่างดำเนินการ",
             "not-started": "ยังไม่ได้ดำเนินการ"}
STATUS_EN = {"done": "done", "in-progress": "in progress", "not-started": "not started"}
#: "อย่างน้อย ๒ ชุดข้อมูล" — conditions 5, 6 and 7 ask for at least two datasets (lines 426,
#: 430, 433, 436).
MIN_DATASETS = 2
#: Verdicts with which a dataset may be (and was) published.
PUBLISHABLE_VERDICTS = ("pass", "pass-with-notes")
URL_SEPARATOR = "|"


@dataclass(frozen=True)
class Evidence:
    """What the system shows for a condition: ``(piece, sub-item of the document)`` pairs,
    and whether a part remains that only the steward can show."""

    pieces: tuple[tuple[str, str], ...] = ()
    steward: bool = False

    @property
    def filled_by(self) -> str:
        return "pipeline" if self.pieces else "steward"


#: Condition number → its evidence (our reading of lines 421-436; see PROVENANCE.md).
CONDITION_EVIDENCE: dict[int, Evidence] = {
    1: Evidence(steward=True),   # a committee and working group appointed
    2: Evidence(steward=True),   # a readiness assessment
    3: Evidence(steward=True),   # a data policy
    4: Evidence(steward=True),   # a dataset guideline (security, privacy, quality)
    # The criteria for high-value datasets are the steward's; the pilot on ≥2 datasets
    # (5.1 catalog with stakeholders, 5.2 metadata, 5.3 data dictionary) is this system's.
    5: Evidence(pieces=(("catalog", "5.1"), ("stakeholders", "5.1"), ("metadata", "5.2"),
                        ("dictionary", "5.3")), steward=True),
    # 6.1-6.2 classification and access rules, declared per dataset and enforced by the gate
    # on every run; 6.3 the datasets; 6.4 their DGA metadata; 6.5 the catalog and its URL.
    6: Evidence(pieces=(("access", "6.1-6.2"), ("open-data", "6.3"), ("metadata", "6.4"),
                        ("catalog", "6.5"))),
    # Both halves are this system's: registered in the national Government Data Catalog
    # (ระบบบัญชีข้อมูลภาครัฐ), as its own answer shows (it harvests this catalog), and quality
    # "ตามมาตรฐานคุณลักษณะแบบเปิดที่ สพร. กำหนด": the open-data score on the DGA's ten
    # characteristics, at least the threshold of catalog_config/open_data_score.yaml.
    7: Evidence(pieces=(("national-open-data", "7"),)),
}


@dataclass(frozen=True)
class DocumentCondition:
    """One numbered condition of the document: Arabic digits, sub-items appended."""

    number: int
    text_th: str
    line: int                  # 1-based line of the document where it starts
    level: int | None = None   # the scoring level, if the document gave one (it does not)


@dataclass(frozen=True)
class StewardStatus:
    """The steward's status of a condition's human part, with evidence."""

    status: str
    evidence: str
    evidence_url: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogPage:
    """One catalog dataset a pipeline dataset registered (public or private companion)."""

    name: str
    url: str
    private: bool
    dictionary_url: str | None
    report_url: str | None


@dataclass(frozen=True)
class RegisteredDataset:
    """A pipeline dataset the catalog holds: its last published (or unchanged) run."""

    dataset: str
    pages: tuple[CatalogPage, ...]
    has_metadata: bool
    verdict: str | None         # of that run's validation
    open_data_score: str | None = None   # that run's, e.g. "8.5/10" (None: not scored)

    @property
    def public_pages(self) -> tuple[CatalogPage, ...]:
        return tuple(page for page in self.pages if not page.private)


# --- the document ------------------------------------------------------------------------

_KPI_START = re.compile(r"^ตัวชี้วัดที่ ๑\.๓ ")
_KPI_END = re.compile(r"^ตัวชี้วัดที่ ๑\.๔ ")
_CONDITION = re.compile(r"^([๑-๙])\.\s*(\S.*)$")
_HEADING = re.compile(r"^เงื่อนไข\s*$")
_SUB_ITEM = re.compile(r"^\s*-\s*([๑-๙]\.[๑-๙])\s+(\S.*)$")


def read_document_conditions(text: str) -> list[DocumentCondition]:
    """KPI 1.3's numbered conditions from the framework document's text.

    The section starts at ``ตัวชี้วัดที่ ๑.๓`` and ends at ``ตัวชี้วัดที่ ๑.๔``; the conditions
    follow its line ``เงื่อนไข``. Sub-items (``- ๕.๑ ...``) are appended to their condition as
    ``5.1 ...``. Thai digits become Arabic; the stray closing quote after condition 7 goes.

    Raises:
        ConfigError: the section, its conditions, or conditions 1-7 in order are not found.
    """
    lines = text.splitlines()
    heading, end = _conditions_heading(lines)
    found: list[tuple[int, list[str], int]] = []
    for index in range(heading + 1, end):
        line = lines[index].strip()
        if match := _CONDITION.match(line):
            found.append((int(thai_digits_to_arabic(match[1])), [match[2]], index + 1))
        elif (match := _SUB_ITEM.match(line)) and found:
            found[-1][1].append(f"{match[1]} {match[2]}")
    conditions = [DocumentCondition(number=number, line=line,
                                    text_th=_clean(" ".join(parts)))
                  for number, parts, line in found]
    if [c.number for c in conditions] != list(range(1, 8)):
        raise ConfigError(f"KPI 1.3 should list conditions 1-7 after 'เงื่อนไข'; found "
                          f"{[c.number for c in conditions]}: check the document's copy")
    return conditions


def _conditions_heading(lines: list[str]) -> tuple[int, int]:
    """The index of KPI 1.3's ``เงื่อนไข`` line and of the next KPI's heading.

    The KPI headings also appear in the table of contents, so the section is the one
    heading whose text, before KPI 1.4's heading, has a ``เงื่อนไข`` line.
    """
    starts = [i for i, line in enumerate(lines) if _KPI_START.match(line)]
    for start in starts:
        end = next((i for i in range(start + 1, len(lines)) if _KPI_END.match(lines[i])),
                   len(lines))
        heading = next((i for i in range(start + 1, end) if _HEADING.match(lines[i])), None)
        if heading is not None:
            return heading, end
    raise ConfigError(f"the framework document has no KPI 1.3 section with a 'เงื่อนไข' line; "
                      f"is {DOCUMENT} the FY2567 copy?")


def _clean(text: str) -> str:
    return " ".join(thai_digits_to_arabic(text).split()).rstrip("”\"").strip()


# --- the steward file --------------------------------------------------------------------

_STEWARD_KEYS = frozenset({"status", "evidence", "evidence_url"})


def read_steward_status(path: Path) -> dict[int, StewardStatus]:
    """The steward file: ``conditions: {<no>: {status, evidence, evidence_url: [links]}}``.

    Raises:
        ConfigError: naming the file, the condition and what to write, for anything wrong;
            in particular ``done`` without a link to the evidence.
    """
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the steward file {path}: {exc}") from exc
    entries = document.get("conditions") if isinstance(document, dict) else None
    if not isinstance(entries, dict):
        raise ConfigError(f"{path}: write `conditions:` mapping condition numbers (1-7) to "
                          "{status, evidence, evidence_url}")
    return {_condition_number(key, path): _steward_entry(value, f"{path}, condition {key}")
            for key, value in entries.items()}


def _condition_number(key: Any, path: Path) -> int:
    if isinstance(key, int) and key in CONDITION_EVIDENCE:
        return key
    raise ConfigError(f"{path}: {key!r} is not a condition number; use 1-7")


def _steward_entry(value: Any, origin: str) -> StewardStatus:
    if not isinstance(value, dict):
        raise ConfigError(f"{origin}: write a mapping with status, evidence, evidence_url")
    unknown = sorted(set(map(str, value)) - _STEWARD_KEYS)
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {unknown}; allowed: "
                          f"{', '.join(sorted(_STEWARD_KEYS))}")
    status, evidence = value.get("status"), " ".join(str(value.get("evidence") or "").split())
    if status not in STATUS_TH:
        raise ConfigError(f"{origin}: status {status!r}; write one of {', '.join(STATUS_TH)}")
    if not evidence:
        raise ConfigError(f"{origin}: evidence is empty; say what was done or why not yet")
    urls = value.get("evidence_url") or []
    if not isinstance(urls, list) or not all(_is_link(url) for url in urls):
        raise ConfigError(f"{origin}: evidence_url must list http(s) links without '|' or spaces")
    if status == "done" and not urls:
        raise ConfigError(f"{origin}: 'done' needs evidence_url (a link to the signed document "
                          "or page); until there is one, write in-progress")
    return StewardStatus(status=status, evidence=evidence, evidence_url=tuple(urls))


def _is_link(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"https?://[^\s|]+", value) is not None


# --- the run records ---------------------------------------------------------------------


def registered_datasets(records: list[dict[str, Any]], *,
                        catalog_url: str) -> list[RegisteredDataset]:
    """Every dataset whose run records include a published (or unchanged) run, by id.

    Its catalog pages, dictionary and report links are those of its newest such run, on
    ``catalog_url`` (the catalog's public address).
    """
    base = catalog_url.rstrip("/")
    found = []
    for dataset in sorted({record["dataset"] for record in records}):
        record = last_published(records, dataset)
        if record is not None:
            found.append(_registered(record, base))
    return found


def _registered(record: dict[str, Any], base: str) -> RegisteredDataset:
    catalog = record.get("catalog") or {}
    pages = tuple(_page(entry, base) for entry in catalog.get("datasets") or []
                  if entry.get("name"))
    return RegisteredDataset(
        dataset=record["dataset"], pages=pages,
        has_metadata=bool((record.get("inputs") or {}).get("metadata_sha256")),
        verdict=(record.get("validation") or {}).get("verdict"),
        open_data_score=record.get("open_data_score"))


def _page(entry: dict[str, Any], base: str) -> CatalogPage:
    url = f"{base}/dataset/{entry['name']}"
    resources = entry.get("resources") or {}

    def link(kind: str) -> str | None:
        return f"{url}/resource/{resources[kind]}" if resources.get(kind) else None

    return CatalogPage(name=entry["name"], url=url, private=bool(entry.get("private")),
                       dictionary_url=link("dictionary"), report_url=link("report"))


def evidence_day(records: list[dict[str, Any]], *, today: date) -> date:
    """The day the evidence last changed: the newest run day (the run's ``today``) on which a
    run wrote to the catalog (published, withdrew or purged a dataset), never after ``today``;
    ``today`` when no run has written yet. Runs that found everything unchanged do not move it,
    so what is dated by it stays the same until something changes."""
    days = [_run_day(record) for record in records
            if (record.get("catalog") or {}).get("write_calls")]
    days = [day for day in days if day is not None]
    return min(max(days), today) if days else today


def _run_day(record: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(record.get("today")))
    except ValueError:
        return None


# --- what the system shows ---------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    count: int
    needed: int
    th: str
    en: str
    urls: tuple[str, ...] = ()


def _pieces(registered: list[RegisteredDataset], catalog_url: str,
            min_score: float, national: NationalStatus | None) -> dict[str, _Piece]:
    public = [r for r in registered if r.public_pages]
    public_links = tuple(page.url for r in public for page in r.public_pages)
    described = [r for r in registered if r.has_metadata]
    dictionaries = tuple(page.dictionary_url for r in public for page in r.public_pages
                         if page.dictionary_url)
    private = len([r for r in registered if not r.public_pages])
    n, n_public = len(registered), len(public)
    home = f"{catalog_url.rstrip('/')}/dataset"
    return {
        "catalog": _Piece(1 if registered else 0, 1,
                          f"ระบบบัญชีข้อมูลของหน่วยงาน {home}",
                          f"the agency data catalog {home}", (home,) if registered else ()),
        "stakeholders": _Piece(n, MIN_DATASETS,
                               f"ชุดข้อมูลที่ลงทะเบียน {n} ชุด ระบุเจ้าของ บริกร และผู้ดูแลข้อมูล",
                               f"{n} registered dataset(s) naming owner, steward and custodian",
                               public_links),
        "metadata": _Piece(len(described), MIN_DATASETS,
                           f"คำอธิบายชุดข้อมูลตามมาตรฐาน สพร. {len(described)} ชุด",
                           f"DGA-standard metadata for {len(described)} dataset(s)",
                           public_links),
        "dictionary": _Piece(len(dictionaries), MIN_DATASETS,
                             f"พจนานุกรมข้อมูลเผยแพร่ในบัญชีข้อมูล {len(dictionaries)} ชุด",
                             f"{len(dictionaries)} data dictionary resource(s) in the catalog",
                             dictionaries),
        "access": _Piece(n, MIN_DATASETS,
                         f"ชั้นข้อมูลและสิทธิการเข้าถึงกำหนดในคำอธิบายทุกชุด ระบบบังคับใช้ทุกรอบ: "
                         f"เปิดเผย {n_public} ชุด ใช้ภายใน {private} ชุด",
                         f"classification and access declared per dataset and enforced on every "
                         f"run: {n_public} public, {private} internal"),
        "open-data": _Piece(n_public, MIN_DATASETS, f"ชุดข้อมูลเปิด {n_public} ชุด",
                            f"{n_public} open dataset(s)", public_links),
        "national-open-data": _condition_7_piece(public, min_score, national,
                                                 catalog_url.rstrip("/")),
    }


def national_links(public: list[RegisteredDataset], national: NationalStatus | None,
                   catalog_url: str) -> dict[str, tuple[str, ...]]:
    """Pipeline dataset → the national catalog's links of its public pages registered there.

    Empty when there is no answer, the national catalog did not answer, or the answer is about
    another agency catalog than ``catalog_url``.
    """
    if national is None or national.error or national.agency_url != catalog_url.rstrip("/"):
        return {}
    there = {d.name: d.national_url for d in national.registered if d.national_url}
    links = {r.dataset: tuple(there[p.name] for p in r.public_pages if p.name in there)
             for r in public}
    return {dataset: found for dataset, found in links.items() if found}


def _condition_7_piece(public: list[RegisteredDataset], min_score: float,
                       national: NationalStatus | None, catalog_url: str) -> _Piece:
    """Condition 7: the public datasets registered in the national catalog whose open-data
    score reaches ``min_score``. Those below it (or not scored) and those not registered are
    named, so the report says what to do; with no usable national answer nothing is met and
    the evidence says why."""
    points = {r.dataset: score_points(r.open_data_score) for r in public}
    scored = [r for r in public
              if points[r.dataset] is not None and points[r.dataset] >= min_score]
    links = national_links(public, national, catalog_url)
    met = [r for r in scored if r.dataset in links]
    below = [f"{r.dataset} {r.open_data_score or 'ไม่มีคะแนน / not scored'}"
             for r in public if r not in scored]
    shown = f"{min_score:g}/10"
    th = (f"ชุดข้อมูลเปิดที่ลงทะเบียนในระบบบัญชีข้อมูลภาครัฐและได้คะแนนคุณลักษณะข้อมูลเปิด 10 ประการ"
          f"ของ สพร. อย่างน้อย {shown}: {len(met)} จาก {len(public)} ชุด (ได้คะแนนถึงเกณฑ์ "
          f"{len(scored)} ชุด ลงทะเบียนแล้ว {len(links)} ชุด)")
    en = (f"{len(met)} of {len(public)} open dataset(s) are registered in the national "
          f"Government Data Catalog and score at least {shown} on the DGA's ten open-data "
          f"characteristics ({len(scored)} reach the score, {len(links)} are registered)")
    if below:
        th += f" (ต่ำกว่าเกณฑ์: {', '.join(below)})"
        en += f" (below the score: {', '.join(below)})"
    state_th, state_en = _national_state(public, national, catalog_url, links)
    return _Piece(len(met), MIN_DATASETS, f"{th}; {state_th}", f"{en}; {state_en}",
                  tuple(url for r in met for url in links[r.dataset]))


def _national_state(public: list[RegisteredDataset], national: NationalStatus | None,
                    catalog_url: str, links: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """What the national catalog's answer says, or why there is none to count."""
    if national is None:
        return ("ยังไม่ได้ตรวจสอบกับระบบบัญชีข้อมูลภาครัฐ (ไม่ได้ตั้งค่า NATIONAL_CKAN_URL หรือยังไม่ได้"
                "เรียก senate-catalog national status) จึงยังนับว่าลงทะเบียนไม่ได้",
                "the national Government Data Catalog was not checked (no NATIONAL_CKAN_URL "
                "configured, or `senate-catalog national status` not run), so no registration "
                "is counted")
    if national.error:
        return (f"ระบบบัญชีข้อมูลภาครัฐ {national.national_url} ตรวจสอบไม่ได้: {national.error}",
                f"the national catalog {national.national_url} could not be checked: "
                f"{national.error}")
    if national.agency_url != catalog_url:
        return (f"คำตอบล่าสุดของระบบบัญชีข้อมูลภาครัฐเป็นของบัญชีข้อมูลอื่น ({national.agency_url}) "
                "ให้เรียก senate-catalog national status ใหม่",
                f"the national catalog's last answer is about another agency catalog "
                f"({national.agency_url}); run `senate-catalog national status` again")
    absent = [r.dataset for r in public if r.dataset not in links]
    th = f"ระบบบัญชีข้อมูลภาครัฐ {national.national_url}"
    en = f"national catalog {national.national_url}"
    if absent:
        th += f" ยังไม่มี: {', '.join(absent)}"
        en += f" does not hold: {', '.join(absent)}"
    return th, en


def _pipeline_part(evidence: Evidence, pieces: dict[str, _Piece],
                   history_empty: bool) -> tuple[str, str, tuple[str, ...]]:
    used = [(label, pieces[key]) for key, label in evidence.pieces]
    status = _status_of([("done" if p.count >= p.needed else
                          "not-started" if p.count == 0 else "in-progress") for _, p in used])
    th = "; ".join(f"{label}: {p.th}" for label, p in used)
    en = "; ".join(f"{label}: {p.en}" for label, p in used)
    if history_empty:
        th, en = ("ยังไม่มีประวัติการทำงานของระบบ จึงยังไม่มีชุดข้อมูลที่ลงทะเบียน",
                  "no pipeline run recorded yet, so no dataset is registered")
    urls = _unique(url for _, p in used for url in p.urls)
    return status, f"{th} / {en}", urls


def _status_of(statuses: list[str]) -> str:
    if all(status == "done" for status in statuses):
        return "done"
    if all(status == "not-started" for status in statuses):
        return "not-started"
    return "in-progress"


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --- the dataset -------------------------------------------------------------------------


def build_conditions(document_conditions: list[DocumentCondition],
                     history_records: list[dict[str, Any]], *, catalog_url: str, today: date,
                     steward_status: dict[int, StewardStatus],
                     open_data_min_score: float | None = None,
                     national: NationalStatus | None = None) -> list[dict[str, Any]]:
    """The rows of ``kpi-1-3-conditions``, one per condition, in ``COLUMNS`` order.

    ``open_data_min_score`` is condition 7's threshold; None: the open-data score rule's
    (``catalog_config/open_data_score.yaml``, ``condition_7.min_score``). ``national``: the
    national catalog's last answer (``flows.national.answer.read_answer``); None: never asked.

    Raises:
        ConfigError: the document's conditions are not 1-7, or the steward file lacks a
            condition it must fill or fills one the system fills alone.
    """
    numbers = [condition.number for condition in document_conditions]
    if numbers != sorted(CONDITION_EVIDENCE):
        raise ConfigError(f"expected conditions 1-7 from the document, got {numbers}")
    _check_steward_coverage(steward_status)
    if open_data_min_score is None:
        open_data_min_score = load_open_data_rules().min_score
    pieces = _pieces(registered_datasets(history_records, catalog_url=catalog_url), catalog_url,
                     open_data_min_score, national)
    as_of = evidence_day(history_records, today=today)
    return [_row(condition, CONDITION_EVIDENCE[condition.number], pieces,
                 steward_status.get(condition.number), as_of=as_of,
                 history_empty=not history_records)
            for condition in document_conditions]


def _check_steward_coverage(steward_status: dict[int, StewardStatus]) -> None:
    missing = [n for n, e in CONDITION_EVIDENCE.items() if e.steward and n not in steward_status]
    extra = [n for n in steward_status if not CONDITION_EVIDENCE[n].steward]
    if missing:
        raise ConfigError(f"{STEWARD_FILE}: add condition(s) {missing} (status and evidence of "
                          "what only people can show)")
    if extra:
        raise ConfigError(f"{STEWARD_FILE}: remove condition(s) {extra}; the pipeline fills "
                          "them from the run records")


def _row(condition: DocumentCondition, evidence: Evidence, pieces: dict[str, _Piece],
         steward: StewardStatus | None, *, as_of: date, history_empty: bool) -> dict[str, Any]:
    statuses, texts, urls = [], [], ()
    if evidence.pieces:
        status, text, urls = _pipeline_part(evidence, pieces, history_empty)
        statuses.append(status)
        texts.append(f"ระบบ / system: {text}")
    if steward is not None:
        statuses.append(steward.status)
        texts.append(f"ผู้ดูแลข้อมูล / steward: {steward.evidence}" if evidence.pieces
                     else steward.evidence)
        urls = _unique([*urls, *steward.evidence_url])
    status = _status_of(statuses)
    return {"condition_no": condition.number, "condition_th": condition.text_th,
            "level": condition.level, "status": status, "status_th": STATUS_TH[status],
            "evidence": " — ".join(texts), "evidence_url": URL_SEPARATOR.join(urls),
            "filled_by": evidence.filled_by, "as_of": as_of.isoformat()}


def conditions_csv(rows: list[dict[str, Any]]) -> bytes:
    """The rows as UTF-8 CSV bytes (header of ``COLUMNS``, "\\n" line ends, None = empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row.get(column) is None else row[column] for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def write_conditions_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write ``conditions_csv(rows)`` to ``path`` atomically; an unchanged file is untouched."""
    return write_bytes_atomic(path, conditions_csv(rows))


def write_conditions_dataset(root: Path, history_records: list[dict[str, Any]], *,
                             catalog_url: str, today: date,
                             national: NationalStatus | None = None) -> Path:
    """Regenerate ``datasets/kpi-1-3-conditions/kpi-1-3-conditions.csv`` from the document,
    the steward file, the run records and the national catalog's answer (run it before
    validating the dataset)."""
    document = read_document_conditions((root / DOCUMENT).read_text(encoding="utf-8"))
    rows = build_conditions(document, history_records, catalog_url=catalog_url, today=today,
                            steward_status=read_steward_status(root / STEWARD_FILE),
                            national=national)
    return write_conditions_csv(rows, root / "datasets" / DATASET_ID / f"{DATASET_ID}.csv")
