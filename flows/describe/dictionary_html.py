"""``dictionary.html``: the data dictionary as one page a steward opens offline, Thai first.

Same house rules as the validation report (flows/validation/reports/html_report.py): one
self-contained file (inline CSS, no script, no font or image file, a Content-Security-Policy that
forbids loading anything) and every text from the schema or the data goes through ``html.escape``.
Example values are text, never links, even when they are URLs. Nothing depends on the clock, so
the same entries give the same bytes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from string import Template
from typing import Any

from flows.describe.dictionary_text import PERSONAL_NOTE_EN, PERSONAL_NOTE_TH, TYPE_TH
from flows.html_style import page_template

_COLUMNS = [("ลำดับ", "No.", "num"), ("ชื่อเขตข้อมูล", "Field", "field"),
            ("ชื่อเรียก", "Label", ""), ("ชนิดข้อมูล", "Type", ""), ("หน่วย", "Unit", ""),
            ("ข้อกำหนด", "Constraints", ""), ("คำอธิบาย", "Description", ""),
            ("ตัวอย่างค่า", "Example values", ""), ("ข้อมูลส่วนบุคคล", "Personal data", "")]
_FOOTER = ("สร้างจาก Table Schema และข้อมูลของชุดข้อมูลโดยอัตโนมัติ "
           "ไม่แสดงตัวอย่างค่าของเขตข้อมูลส่วนบุคคล · Generated from the datasets' Table Schemas "
           "and data; personal-data fields never show example values. senate-data-catalog")


def render_dataset_html(entries: list[dict[str, Any]]) -> str:
    """The dictionary page of one dataset (entries all of that dataset, in field order)."""
    first = entries[0]
    name = _dataset_name(first)
    return _template().substitute(
        title=escape(f"พจนานุกรมข้อมูล {name} — Data dictionary"),
        subject=f"ชุดข้อมูล / Dataset <code>{escape(first['dataset'])}</code>",
        body=_about(entries) + "\n" + _fields_table(entries),
        footer=escape(_FOOTER),
    )


def render_catalog_html(entries: list[dict[str, Any]], *, public: bool = False) -> str:
    """The catalog-wide page: a table of contents, then one section per dataset. ``public``:
    the page published for everyone, which covers the public datasets only (and says so)."""
    groups = _group(entries)
    sections = "\n".join(_dataset_section(group) for group in groups)
    subject = (f"ชุดข้อมูลที่เผยแพร่สาธารณะในบัญชีข้อมูล {len(groups):,} ชุด"
               f" / The catalog's {len(groups):,} public datasets" if public else
               f"ทุกชุดข้อมูลในบัญชีข้อมูล {len(groups):,} ชุด"
               f" / All {len(groups):,} datasets in the catalog")
    return _template().substitute(
        title=escape("พจนานุกรมข้อมูลทุกชุดข้อมูล — Catalog data dictionary"),
        subject=subject,
        body=_contents(groups) + "\n" + sections,
        footer=escape(_FOOTER),
    )


@lru_cache(maxsize=1)
def _template() -> Template:
    return page_template("flows.describe", "dictionary.html", generator="data dictionary")


def _group(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        groups.setdefault(entry["dataset"], []).append(entry)
    return list(groups.values())


def _contents(groups: list[list[dict[str, Any]]]) -> str:
    items = "\n".join(f'  <li><a href="#{_anchor(group[0]["dataset"])}">'
                      f'{escape(_dataset_name(group[0]))}</a> — {len(group):,} เขตข้อมูล'
                      f' · {len(group):,} fields</li>' for group in groups)
    return (f'<section id="contents">\n  <h2>สารบัญ<span class="en">Contents</span></h2>\n'
            f'<ul class="contents">\n{items}\n</ul>\n</section>')


def _dataset_section(group: list[dict[str, Any]]) -> str:
    first = group[0]
    return (f'<section id="{_anchor(first["dataset"])}">\n'
            f'  <h2>{escape(_dataset_name(first))}'
            f'<span class="en">{escape(first["dataset"])}</span></h2>\n'
            f'{_about(group)}\n{_fields_table(group)}\n</section>')


def _about(entries: list[dict[str, Any]]) -> str:
    first = entries[0]
    personal = [entry["field"] for entry in entries if entry.get("personal_data")]
    primary = [entry["field"] for entry in entries if "primary key" in entry.get("keys_en", "")]
    items = [("รหัสชุดข้อมูล", "Dataset id", f"<code>{escape(first['dataset'])}</code>"),
             ("ชื่อชุดข้อมูล", "Title", _text_or_dash(first.get("dataset_title"))),
             ("จำนวนเขตข้อมูล", "Fields", f"{len(entries):,}"),
             ("คีย์หลัก", "Primary key", _codes(primary)),
             ("เขตข้อมูลส่วนบุคคล", "Personal-data fields", _codes(personal))]
    rows = "\n".join(f'  <dt>{escape(th)}<span class="en">{escape(en)}</span></dt><dd>{value}</dd>'
                     for th, en, value in items)
    return f'<dl class="about">\n{rows}\n</dl>'


def _fields_table(entries: list[dict[str, Any]]) -> str:
    head = "".join(f'<th{_class(css)}>{escape(th)}<span class="en">{escape(en)}</span></th>'
                   for th, en, css in _COLUMNS)
    body = "\n".join(_field_row(entry) for entry in entries)
    return (f'<div class="table-wrap"><table class="stack">\n<thead><tr>{head}</tr></thead>\n'
            f'<tbody>\n{body}\n</tbody>\n</table></div>')


def _field_row(entry: dict[str, Any]) -> str:
    cells = [str(entry["position"]), _field_cell(entry),
             _pair(entry.get("label_th"), entry.get("label_en")), _type_cell(entry),
             _text_or_dash(entry.get("unit")),
             _pair(entry.get("constraints_th"), entry.get("constraints_en")),
             _pair(entry.get("description_th"), entry.get("description_en")),
             _examples_cell(entry), _personal_cell(entry)]
    row_class = ' class="personal"' if entry.get("personal_data") else ""
    tds = "".join(f'<td{_class(css)} data-label="{escape(f"{th} / {en}")}">{cell}</td>'
                  for (th, en, css), cell in zip(_COLUMNS, cells))
    return f"<tr{row_class}>{tds}</tr>"


def _field_cell(entry: dict[str, Any]) -> str:
    cell = f"<code>{escape(entry['field'])}</code>"
    if entry.get("keys_th") or entry.get("keys_en"):
        cell += (f'<span class="keys">{escape(entry.get("keys_th", ""))}</span>'
                 f'<span class="en">{escape(entry.get("keys_en", ""))}</span>')
    return cell


def _type_cell(entry: dict[str, Any]) -> str:
    kind = entry.get("type", "")
    fmt = entry.get("format", "")
    detail = f"<code>{escape(kind)}</code>"
    if fmt and fmt != "default":
        detail += f" · รูปแบบ / format <code>{escape(fmt)}</code>"
    return f'{escape(TYPE_TH.get(kind, kind))}<span class="en">{detail}</span>'


def _examples_cell(entry: dict[str, Any]) -> str:
    if entry.get("personal_data"):
        return (f'<span class="withheld">({escape(PERSONAL_NOTE_TH)} / '
                f'{escape(PERSONAL_NOTE_EN)})</span>')
    examples = entry.get("examples") or []
    if not examples:
        return _dash()
    items = "".join(f'<li><code class="value">{escape(value)}</code></li>' for value in examples)
    return f'<ul class="examples">{items}</ul>'


def _personal_cell(entry: dict[str, Any]) -> str:
    if entry.get("personal_data"):
        return '<span class="badge badge-personal">ใช่ · yes</span>'
    return '<span class="badge badge-plain">ไม่ใช่ · no</span>'


def _pair(thai: str | None, english: str | None) -> str:
    if not (thai or english):
        return _dash()
    if not thai:
        return escape(english or "")
    return escape(thai) + (f'<span class="en">{escape(english)}</span>' if english else "")


def _codes(names: list[str]) -> str:
    return ", ".join(f"<code>{escape(name)}</code>" for name in names) if names else _dash()


def _text_or_dash(text: str | None) -> str:
    return escape(text) if text else _dash()


def _dataset_name(entry: dict[str, Any]) -> str:
    title = entry.get("dataset_title") or ""
    return f"{title} ({entry['dataset']})" if title else entry["dataset"]


def _class(css: str) -> str:
    return f' class="{css}"' if css else ""


def _dash() -> str:
    return '<span class="none">—</span>'


def _anchor(dataset: str) -> str:
    return "dataset-" + (re.sub(r"[^a-z0-9]+", "-", dataset.lower()).strip("-") or "unnamed")
