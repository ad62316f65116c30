"""Everything the public would see of a dataset, scanned for personal data before any write.

The validation stage scans the data's cells. What else goes public is scanned here, just before
the gate: every text of the metadata (title, notes, tags, objective, data source, access
conditions, every free-text DGA field), every resource's name and description, and the
content of every public file other than the data itself (the data dictionary, CSV and HTML,
and its examples, the Table Schema, the validation report, the quality history, the pages a
derived dataset adds, such as the public catalog-wide dictionary): every resource kind but
``SCANNED_BY_VALIDATION``, so a new kind is scanned without being listed here. A hit is a
blocking ``personal-data/*`` finding: the dataset is held, and a published version is withdrawn
(flows.catalog.gate). Values are masked in every finding.

The agency's own published contact points (catalog_config/organization.yaml) are not personal
data: they are the allow-list (``ContactAllowList``).
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any, Iterable, Iterator

from flows.describe.described import DescribedDataset, ResourceFile
from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.personal_data import (ContactAllowList, find_personal_data,
                                            personal_data_rule)

#: Resource kinds whose cells the validation stage already scanned (the data file is the tidy
#: CSV, or its public copy, cell for cell; scanning it twice would cost a second full pass).
SCANNED_BY_VALIDATION = frozenset({"data"})
#: Findings per place (one metadata field, one file) before one summary stands for the rest.
LIMIT_PER_PLACE = 100

_HINT_TH = ("ลบข้อมูลส่วนบุคคลออกจากคำอธิบายข้อมูล (metadata/<id>.yaml) หรือไฟล์ที่ระบุ "
            "หากเป็นช่องทางติดต่อของหน่วยงาน ให้เพิ่มใน contact_points ของ "
            "catalog_config/organization.yaml")
_HINT_EN = ("remove the personal data from the metadata (metadata/<id>.yaml) or the file "
            "named; if it is one of the agency's own published contacts, list it under "
            "contact_points in catalog_config/organization.yaml")


def scan_public_surface(described: DescribedDataset, *,
                        allow: ContactAllowList | None = None) -> list[Finding]:
    """Findings for personal data in the metadata and the public files of ``described``."""
    findings: list[Finding] = []
    for where, texts in _metadata_texts(described):
        findings += _findings(where, texts, allow)
    for resource in described.resources:
        if resource.kind not in SCANNED_BY_VALIDATION:
            findings += _findings(f"resource:{resource.kind}", _file_texts(resource), allow)
    return findings


def _metadata_texts(described: DescribedDataset) -> Iterator[tuple[str, list[tuple[int | None, str]]]]:
    """(where, [(row, text)]) for every text value of the metadata and resource labels."""
    for name, value in sorted(described.fields.items()):
        texts = [text for text in _strings(value)]
        if texts:
            yield f"metadata:{name}", [(None, text) for text in texts]
    for resource in described.resources:
        labels = [resource.name, resource.description, *_strings(resource.extras)]
        yield f"resource:{resource.kind}:label", [(None, text) for text in labels if text]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _file_texts(resource: ResourceFile) -> list[tuple[int | None, str]]:
    """The file's text, by row for CSV (header = row 1), decoded from HTML entities and JSON
    escapes so that ``&#48;81…`` or ``\\u0e51`` cannot hide a value."""
    text = Path(resource.path).read_text(encoding="utf-8-sig", errors="replace")
    fmt = resource.format.upper()
    if fmt == "CSV":
        return [(number, cell) for number, row in enumerate(csv.reader(io.StringIO(text)), 1)
                for cell in row if cell]
    if fmt == "JSON":
        try:
            return [(None, piece) for piece in _strings(json.loads(text))]
        except ValueError:
            return [(None, text)]
    if fmt == "HTML":
        return [(None, html.unescape(text))]
    return [(None, text)]


def _findings(where: str, texts: Iterable[tuple[int | None, str]],
              allow: ContactAllowList | None) -> list[Finding]:
    hits = [(row, hit) for row, text in texts for hit in find_personal_data(text, allow=allow)]
    findings = [_finding(where, row, hit.kind, hit.text) for row, hit in hits[:LIMIT_PER_PLACE]]
    if len(hits) > LIMIT_PER_PLACE:
        row, hit = hits[LIMIT_PER_PLACE]
        more = len(hits) - LIMIT_PER_PLACE
        findings.append(_finding(where, None, hit.kind, None,
                                 note=(f" (และอีก {more:,} รายการ)", f" (and {more:,} more)")))
    return findings


def _finding(where: str, row: int | None, kind: str, text: str | None, *,
             note: tuple[str, str] = ("", "")) -> Finding:
    rule, what_th, what_en = personal_data_rule(kind)
    place_th, place_en = _place(where)
    return Finding(rule=rule, severity=Severity.ERROR,
                   message_th=f"{place_th} มี{what_th} ซึ่งเป็นข้อมูลส่วนบุคคล "
                              f"ห้ามเผยแพร่สู่สาธารณะ{note[0]}",
                   message_en=f"{place_en} holds {what_en}: personal data that must not be "
                              f"published{note[1]}",
                   hint_th=_HINT_TH, hint_en=_HINT_EN, row=row, field=where,
                   value=clip_value(mask_value(text)) if text is not None else None)


def _place(where: str) -> tuple[str, str]:
    kind, _, rest = where.partition(":")
    if kind == "metadata":
        return f"คำอธิบายข้อมูล ฟิลด์ {rest}", f"Metadata field {rest}"
    if rest.endswith(":label"):
        name = rest[: -len(":label")]
        return f"ชื่อหรือคำอธิบายของไฟล์ {name}", f"The name or description of resource {name}"
    return f"ไฟล์ {rest} ที่จะเผยแพร่", f"The public file {rest}"
