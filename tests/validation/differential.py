"""Differential testing of the Table Schema stage, frictionless being the oracle.

Three parts, used by ``test_differential.py``:
- the oracle: frictionless' own ``Resource.validate`` on the same text, schema (as
  ``table_schema.frictionless_descriptor`` gives it: no cross-dataset foreign keys) and dialect,
  every error kept, each as a triple (row, field, frictionless error type);
- the normaliser: our findings as the same triples (``structure/<type>`` and ``schema/<type>``
  back to frictionless' type), our own rules left out by name (``NOT_FRICTIONLESS``), and the
  deliberate differences (``DELIBERATE``, each with its reason) applied to the oracle's
  triples, predicted from the cells themselves, never from our output;
- the generators: Hypothesis strategies for random schemas and tables (``tables``).
"""

from __future__ import annotations

import csv
import io
import re
import string
from dataclasses import dataclass
from typing import Any, Iterable

from frictionless import Dialect, FrictionlessException, Resource, Schema, formats
from hypothesis import strategies as st

from flows.validation.findings import Finding
from flows.validation.table_schema import frictionless_descriptor

#: (row, field, type): row None for the header or the whole table, field None for a row.
Triple = tuple[int | None, str | None, str]

#: The project's dialect (RFC 4180, comma, double quote), every property spelled out so that
#: frictionless sniffs nothing.
COMMA = formats.CsvControl(delimiter=",", quote_char='"', double_quote=True, escape_char=None,
                           skip_initial_space=False)

#: Our rules that have no frictionless counterpart, each left out of the comparison, and why.
NOT_FRICTIONLESS = {
    "structure/header-mismatch": "one summary of the header next to frictionless' own label "
                                 "errors (which are compared)",
    "structure/malformed-quoting": "our strict parse; frictionless reads the same rows leniently "
                                   "without a word (the rows' findings are compared)",
    "structure/empty-file": "our name for an empty file, raised before any table check",
    "structure/line-too-long": "a csv_limits cut; frictionless has no limit",
    "structure/cell-too-long": "a csv_limits cut; frictionless has no limit",
    "structure/too-many-cells": "a csv_limits cut; frictionless has no limit",
    "schema/out-of-range": "a warning about the typed frame (dates 1677-2262, 64-bit integers) "
                           "for a value frictionless accepted",
}

#: Where the project deliberately differs from frictionless: ours reports the Thai rule on the
#: cell and frictionless' own errors on that cell are left out (``expected_triples`` predicts
#: both); these rules are compared under their own name.
THAI_RULES = {
    "thai/thai-digits": "undeclared Thai digits in an integer/number/year/date/datetime field: "
                        "frictionless silently reads ๒๕๖๗ as 2567 (int(), Decimal() accept them) "
                        "or gives a bare type error (dates); ours names the cause",
    "thai/buddhist-era-year": "a year >= 2400 in a CE date/datetime/year field: frictionless "
                              "accepts 2567-10-01 as a CE date 543 years ahead",
    "thai/ce-year-in-buddhist-field": "a year < 2400 in a field declaring calendar buddhist "
                                      "(only in the dedicated calendar test)",
}
#: Every deliberate difference, each checked by its own test in test_differential.py.
DELIBERATE = {
    **THAI_RULES,
    "structure/blank-row": "a blank row is one finding: frictionless also reports its empty "
                           "primary key (ours: the blank-row error only)",
}

FRICTIONLESS_SCOPES = ("structure/", "schema/")
#: Cell errors ours drops where a Thai rule flagged the cell (foreign-key and primary-key are
#: row errors: kept).
CELL_ERRORS = frozenset({"type-error", "constraint-error", "unique-error"})
THAI_DIGIT = re.compile("[๐-๙]")
#: A standalone 4-digit year from 2400 up (ASCII digits only).
BE_YEAR = re.compile(r"(?<![0-9])(?:2[4-9][0-9]{2}|[3-9][0-9]{3})(?![0-9])")
DIGIT_TYPES = frozenset({"integer", "number", "year", "date", "datetime"})
YEAR_TYPES = frozenset({"year", "date", "datetime"})


# --- the oracle -------------------------------------------------------------------------------

def oracle_triples(text: str, schema: dict[str, Any], *, name: str,
                   control: formats.CsvControl = COMMA) -> set[Triple]:
    """Every error frictionless' own validation finds, header on row 1, as triples."""
    try:
        fl_schema = Schema.from_descriptor(frictionless_descriptor(schema, name=name))
    except FrictionlessException as exc:
        return {(None, None, error.type) for error in exc.to_errors()}
    resource = Resource(data=text.encode("utf-8"), format="csv", encoding="utf-8",
                        schema=fl_schema, dialect=Dialect(header_rows=[1], controls=[control]))
    # limit_errors=0 means no limit: every error, however many.
    report = resource.validate(limit_errors=0)
    errors = [error for task in report.tasks for error in task.errors] + list(report.errors)
    return {_oracle_triple(error) for error in errors}


def _oracle_triple(error: Any) -> Triple:
    field = getattr(error, "field_name", None) or None
    if error.type == "foreign-key":
        # The cell a steward corrects: the first source field (as our finding names it).
        field = error.field_names[0]
    return getattr(error, "row_number", None), field, error.type


# --- the normaliser ---------------------------------------------------------------------------

def our_triples(findings: Iterable[Finding]) -> set[Triple]:
    """Our findings as triples: frictionless' type for its rules, the rule itself for Thai ones.

    Raises AssertionError naming a rule that is neither frictionless' nor listed above, so a new
    rule cannot slip past the comparison unnoticed.
    """
    triples: set[Triple] = set()
    for finding in findings:
        if finding.rule in NOT_FRICTIONLESS:
            continue
        if finding.rule in THAI_RULES:
            triples.add((finding.row, finding.field, finding.rule))
        elif finding.rule.startswith(FRICTIONLESS_SCOPES):
            triples.add((finding.row, finding.field, finding.rule.split("/", 1)[1]))
        else:
            raise AssertionError(f"rule {finding.rule!r} is neither frictionless' nor listed in "
                                 "differential.NOT_FRICTIONLESS / THAI_RULES: add it with a reason")
    return triples


def expected_triples(oracle: set[Triple], text: str, schema: dict[str, Any], *,
                     control: formats.CsvControl = COMMA) -> set[Triple]:
    """What ours must report: the oracle's triples with the deliberate differences applied.

    The Thai rules are predicted from the cells as written (a cell belongs to the field at its
    position, as in frictionless); a blank row keeps only its blank-row error.
    """
    blank = {row for row, _, kind in oracle if kind == "blank-row"}
    expected = {triple for triple in oracle if triple[0] not in blank or triple[2] == "blank-row"}
    flagged = thai_flags(text, schema, control=control)
    expected = {(row, field, kind) for row, field, kind in expected
                if not (kind in CELL_ERRORS and (row, field) in flagged)}
    return expected | {(row, field, rule) for (row, field), rule in flagged.items()}


def thai_flags(text: str, schema: dict[str, Any], *,
               control: formats.CsvControl = COMMA) -> dict[tuple[int, str], str]:
    """(row, field) → the Thai rule ours must report there (fields without ``calendar``)."""
    fields = [spec for spec in schema.get("fields", []) if isinstance(spec, dict)]
    flags: dict[tuple[int, str], str] = {}
    for row_number, row in enumerate(read_cells(text, control=control)[1:], start=2):
        for spec, cell in zip(fields, row):
            rule = _thai_rule(cell, spec)
            if rule:
                flags[(row_number, spec["name"])] = rule
    return flags


def _thai_rule(cell: str, spec: dict[str, Any]) -> str | None:
    kind = spec.get("type", "string")
    if kind not in DIGIT_TYPES or spec.get("calendar") == "buddhist":
        return None
    if spec.get("thaiDigits") is True:
        cell = cell.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    elif THAI_DIGIT.search(cell):
        return "thai/thai-digits"
    if kind in YEAR_TYPES and BE_YEAR.search(cell):
        return "thai/buddhist-era-year"
    return None


def read_cells(text: str, *, control: formats.CsvControl = COMMA) -> list[list[str]]:
    """The rows as Python's csv reads them with ``control`` (header first)."""
    return list(csv.reader(io.StringIO(text, newline=""), control.to_python()))


def describe_difference(expected: set[Triple], ours: set[Triple]) -> str:
    """A readable diff: what only frictionless (after the deliberate differences) reports, and
    what only ours reports, sorted by row."""
    def lines(triples: set[Triple]) -> str:
        ordered = sorted(triples, key=lambda t: (t[0] or 0, t[1] or "", t[2]))
        return "\n".join(f"    row {row}, field {field!r}: {kind}" for row, field, kind in ordered)
    missing, extra = lines(expected - ours) or "    -", lines(ours - expected) or "    -"
    return (f"\n  expected (frictionless) but not reported by ours:\n{missing}"
            f"\n  reported by ours but not by frictionless:\n{extra}")


# --- the generators ---------------------------------------------------------------------------

@dataclass(frozen=True)
class GeneratedTable:
    schema: dict[str, Any]
    text: str


FIELD_NAMES = ["id", "name", "ชื่อ", "amount", "when", "flag", "code", "ปี", "at", "mail"]
#: Good values first (Hypothesis shrinks towards the first), then traps: Thai digits, Thai
#: text, Buddhist-Era years, what Python's int()/Decimal()/strptime accept and RE2 does not.
POOLS: dict[str, list[str]] = {
    "string": ["abc", "ก", "กรุงเทพมหานคร", "สวัสดี, ชาวโลก", 'เขาว่า "ครับ"', "บรรทัด\nใหม่",
               "A-12", "๒๕๖๗", "٣", "x" * 12, "  ", "NA", "-", "12"],
    "email": ["a@example.com", "user.name+tag@example.co.th", "bad@", "x@y", "สมชาย@example.com"],
    "uri": ["https://senate.go.th/a?b=1", "senate.go.th", "mailto:a@b.co", "http://", "ftp://x"],
    "uuid": ["123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
             "123e4567e89b12d3a456426614174000", "not-a-uuid"],
    "integer": ["1", "2", "7", "0", "42", "-3", "1000", "1,000", "1_000", " 5 ", "+5", "1.5",
                "abc", "๒", "๑๐", "٣", "$12", "12%", "1e3", "99999999999999999999"],
    "number": ["1.5", "2", "-2.25", "0", "1e3", "1,5", "1.000,5", "1 000", "NaN", "inf", "abc",
               "๑.๕", "1,000.5", "€7", " 2 ", "1_0"],
    "boolean": ["true", "false", "TRUE", "0", "1", "yes", "ใช่", "ไม่ใช่", "Y", "N", "true ", "๑"],
    "date": ["2024-01-31", "1999-12-31", "2024-02-30", "2567-10-01", "31/01/2024", "01/10/2567",
             "2024-1-5", "1/2/2024", "๒๐๒๔-๐๑-๓๑", "2024-01-31T00:00:00", "soon"],
    "time": ["10:30:00", "23:59:59", "10:30", "25:00:00", "10:30:00+07:00", "๑๐:๓๐:๐๐", "9:05",
             "noon"],
    "datetime": ["2024-01-31T10:30:00", "2024-01-31T10:30:00Z", "2024-01-31T10:30:00+07:00",
                 "2024-01-31 10:30:00", "2567-01-31T10:30:00", "31/01/2024 10:30",
                 "31/01/2567 10:30", "2024-13-01T00:00:00", "2024-01-31", "๒๐๒๔-๐๑-๓๑T๑๐:๓๐:๐๐"],
    "year": ["2024", "1999", "2567", "0999", "24", "๒๕๖๗", "20240", "-999", "abcd", "2024 "],
}
FIELD_TYPES = ["string", "integer", "number", "boolean", "date", "time", "datetime", "year"]
CUSTOM_FORMATS = {"date": "%d/%m/%Y", "time": "%H:%M", "datetime": "%d/%m/%Y %H:%M"}
#: Bounds as (minimum, maximum) per type, written as the field's format reads them.
BOUNDS = {"integer": (0, 100), "number": (0, 100), "year": (1900, 2100),
          "date": {"default": ("2000-01-01", "2030-12-31"),
                   "%d/%m/%Y": ("01/01/2000", "31/12/2030")},
          "time": {"default": ("08:00:00", "18:00:00"), "%H:%M": ("08:00", "18:00")}}
PATTERNS = ["[A-Z]-[0-9]+", "ก.*", r"\d+", "[a-z]+"]
MISSING_VALUES = [[""], ["", "-"], ["", "NA", "-"]]
FIELD_MISSING_VALUES = [["-"], ["", "ไม่มีข้อมูล"]]
#: Cells that are a missing value under some schema and text (or a type error) under others.
MISSING_CELLS = ["", "", "-", "NA", "ไม่มีข้อมูล"]
#: Free text: Thai letters, vowels, tone marks and digits, and what CSV must quote.
TEXT_ALPHABET = (string.ascii_letters + string.digits + ' ,"\n-'
                 + "กขคงจฉชซญดตถทนบปผพฟมยรลวสหอฮะาิีึืุูเแโใไๆ่้๊๋๐๑๒")


@st.composite
def field_specs(draw: st.DrawFn, name: str) -> dict[str, Any]:
    """One field of any type, with its type options and some constraints."""
    kind = draw(st.sampled_from(FIELD_TYPES))
    spec: dict[str, Any] = {"name": name, "type": kind}
    spec.update(draw(_type_options(kind)))
    if draw(st.integers(0, 5)) == 0:
        # A field's own missing values replace the schema's: "" may then be a type error.
        spec["missingValues"] = draw(st.sampled_from(FIELD_MISSING_VALUES))
    constraints = draw(_constraints(kind, spec.get("format", "default")))
    if constraints:
        spec["constraints"] = constraints
    return spec


def _type_options(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    if kind == "string":
        return st.sampled_from([{}, {}, {"format": "email"}, {"format": "uri"}, {"format": "uuid"}])
    if kind == "integer":
        # frictionless ignores groupChar on an integer: "1,000" stays a type error.
        return st.sampled_from([{}, {"bareNumber": False}, {"groupChar": ","}])
    if kind == "number":
        return st.sampled_from([{}, {"decimalChar": ","}, {"groupChar": ","},
                                {"decimalChar": ",", "groupChar": "."}, {"groupChar": " "},
                                {"bareNumber": False}])
    if kind == "boolean":
        return st.sampled_from([{}, {"trueValues": ["ใช่", "Y"], "falseValues": ["ไม่ใช่", "N"]}])
    if kind in CUSTOM_FORMATS:
        return st.sampled_from([{}, {"format": CUSTOM_FORMATS[kind]}])
    return st.just({})


@st.composite
def _constraints(draw: st.DrawFn, kind: str, form: str) -> dict[str, Any]:
    options: dict[str, Any] = {"required": st.just(True), "unique": st.just(True)}
    if kind == "string":
        options.update(minLength=st.sampled_from([2, 4]), maxLength=st.sampled_from([5, 10]),
                       pattern=st.sampled_from(PATTERNS),
                       enum=st.lists(st.sampled_from(POOLS["string"][:8]), min_size=1,
                                     max_size=4, unique=True))
    if kind == "integer":
        options["enum"] = st.just([1, 2, 7, 42])
    bounds = BOUNDS.get(kind)
    if isinstance(bounds, dict):
        bounds = bounds.get(form)
    if bounds:
        options.update(minimum=st.just(bounds[0]), maximum=st.just(bounds[1]))
    chosen = draw(st.lists(st.sampled_from(sorted(options)), max_size=3, unique=True))
    return {key: draw(options[key]) for key in chosen}


def _pool(spec: dict[str, Any]) -> list[str]:
    kind = spec["type"]
    pool = list(POOLS[spec.get("format", kind) if kind == "string" else kind])
    if kind == "string" and "format" in spec:
        pool += POOLS["string"][:3]
    if kind == "boolean" and "trueValues" in spec:
        pool = ["ใช่", "ไม่ใช่", "Y", "N"] + pool
    if {"minimum", "maximum"} & set(spec.get("constraints", {})):
        # frictionless raises TypeError comparing an offset-aware time with a naive bound (and
        # so does check_table today): no oracle to compare with, reported to the lead.
        pool = [value for value in pool if not value.endswith(("Z", "+07:00"))]
    if spec.get("format") in CUSTOM_FORMATS.values():
        # Custom formats: well-formed values first.
        pool = [v for v in pool if "/" in v or (kind == "time" and len(v) == 5)] + pool
    return pool


def _cells(spec: dict[str, Any]) -> st.SearchStrategy[str]:
    pool = st.sampled_from(_pool(spec))
    choices = [pool, pool, pool, st.sampled_from(MISSING_CELLS)]
    if spec["type"] == "string":
        choices.append(st.text(TEXT_ALPHABET, max_size=12))
    return st.one_of(*choices)


@st.composite
def _schemas(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(FIELD_NAMES), min_size=1, max_size=5, unique=True))
    fields = [draw(field_specs(name)) for name in names]
    schema: dict[str, Any] = {"fields": fields}
    if draw(st.booleans()):
        schema["missingValues"] = draw(st.sampled_from(MISSING_VALUES))
    key = draw(st.lists(st.sampled_from(names), max_size=min(2, len(names)), unique=True))
    if key:
        schema["primaryKey"] = key
    pairs = [(a["name"], b["name"]) for a in fields for b in fields
             if a is not b and a["type"] == b["type"]]
    if pairs and draw(st.booleans()):
        source, target = draw(st.sampled_from(pairs))
        schema["foreignKeys"] = [{"fields": [source],
                                  "reference": {"resource": "", "fields": [target]}}]
    return schema


ROW_KINDS = ["good", "good", "good", "good", "short", "long", "blank-line", "blank-cells",
             "duplicate"]
HEADER_KINDS = ["exact", "exact", "renamed", "reordered", "missing", "extra", "blank",
                "duplicate", "case"]


def _header(names: list[str], kind: str, at: int) -> list[str]:
    """The field names as a header, varied by ``kind`` at position ``at`` (modulo the width)."""
    labels = list(names)
    at %= len(labels)
    if kind == "renamed":
        labels[at] = labels[at] + "_เดิม"
    elif kind == "reordered" and len(labels) > 1:
        labels[at], labels[at - 1] = labels[at - 1], labels[at]
    elif kind == "missing":
        del labels[at]
    elif kind == "extra":
        labels.insert(at, "หมายเหตุ")
    elif kind == "blank":
        labels[at] = ""
    elif kind == "duplicate" and len(labels) > 1:
        labels[at] = labels[at - 1]
    elif kind == "case":
        labels[at] = labels[at].upper()
    return labels


@st.composite
def _rows(draw: st.DrawFn, fields: list[dict[str, Any]]) -> list[list[str]]:
    rows: list[list[str]] = []
    for kind in draw(st.lists(st.sampled_from(ROW_KINDS), min_size=1, max_size=15)):
        if kind == "blank-line":
            rows.append([])
        elif kind == "blank-cells":
            rows.append([""] * len(fields))
        elif kind == "duplicate" and rows:
            rows.append(list(draw(st.sampled_from(rows))))
        else:
            row = [draw(_cells(spec)) for spec in fields]
            if kind == "short":
                row = row[:draw(st.integers(0, len(row) - 1))] if len(row) > 1 else []
            elif kind == "long":
                row += draw(st.lists(st.sampled_from(["x", "", "๑"]), min_size=1, max_size=2))
            rows.append(row)
    return rows


@st.composite
def tables(draw: st.DrawFn) -> GeneratedTable:
    """A random schema and a CSV text (header, rows) for it, comma and double quote."""
    # The header variation is drawn first: drawn after the schema, Hypothesis' derandomized
    # search ties it to the schema's width and some variations never meet a wide table.
    header_kind, at = draw(st.sampled_from(HEADER_KINDS)), draw(st.integers(0, 4))
    schema = draw(_schemas())
    names = [spec["name"] for spec in schema["fields"]]
    rows = [_header(names, header_kind, at)] + draw(_rows(schema["fields"]))
    buffer = io.StringIO(newline="")
    terminator = draw(st.sampled_from(["\n", "\r\n"]))
    csv.writer(buffer, COMMA.to_python(), lineterminator=terminator).writerows(rows)
    text = buffer.getvalue()
    if draw(st.booleans()):
        text = text.removesuffix(terminator)  # no newline at the end of the file
    return GeneratedTable(schema, text)
