"""Code lists: a column whose values must be values of a column of another dataset, with a
did-you-mean hint that names the canonical value for a known alias or a near miss.

A Table Schema field declares its code list with a custom property::

    {"name": "owner_unit_th", "type": "string",
     "codeList": {"resource": "senate-units", "field": "name_th"}}

and, optionally, ``"aliases": "<column>"``: the code list's column of known variants of each
value, ``|``-separated (default: its ``aliases`` column, when it has one). Foreign keys already
reject an unknown *code*; this rule is for *name* columns (it works on codes too) and says which
canonical value was meant: a value equal to a canonical one once Thai digits, spaces and case are
normalised, a known alias (the source document's misspellings), or a close match on the
canonical values (``difflib``, ratio ≥ ``CLOSE_MATCH_CUTOFF``).

Like foreign keys, this runs after every dataset was loaded, on the typed frames
(``validate.validate_datasets``): a code list that did not load gives one warning per column.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.thai_forms import thai_digits_to_arabic

RULE = "code-list/unknown-value"
RULE_UNCHECKED = "code-list/unchecked"
RULE_INVALID = "code-list/invalid-declaration"
#: difflib ratio from which a canonical value is offered for an unknown one.
CLOSE_MATCH_CUTOFF = 0.8
ALIAS_SEPARATOR = "|"
DEFAULT_ALIASES_FIELD = "aliases"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class CodeListReference:
    """One field's ``codeList``: the values of ``field`` come from ``resource``.``target``."""

    field: str
    resource: str
    target: str
    aliases: str | None = None   # the code list's alias column, when declared explicitly


@dataclass(frozen=True)
class CodeList:
    """The allowed values of one code-list column, and how to find the one that was meant."""

    values: frozenset[str]
    canonical: Mapping[str, str]   # normalised value -> value
    aliases: Mapping[str, str]     # normalised alias -> value

    def suggest(self, value: str) -> str | None:
        """The canonical value ``value`` most likely stands for, or None."""
        key = normalise_value(value)
        if key in self.canonical:
            return self.canonical[key]
        if key in self.aliases:
            return self.aliases[key]
        close = difflib.get_close_matches(key, list(self.canonical), n=1,
                                          cutoff=CLOSE_MATCH_CUTOFF)
        return self.canonical[close[0]] if close else None


def normalise_value(value: str) -> str:
    """Compare form: NFC, Thai digits as Arabic, single inner spaces, no outer ones, casefolded."""
    text = thai_digits_to_arabic(unicodedata.normalize("NFC", value))
    return _SPACES.sub(" ", text).strip().casefold()


def referenced_code_lists(schema: Mapping[str, Any]) -> list[str]:
    """The dataset ids the schema's well-formed ``codeList`` declarations name."""
    found = (_reference(spec) for spec in _fields(schema))
    return sorted({ref.resource for ref in found if isinstance(ref, CodeListReference)})


def check_code_lists(dataset: str, schema: Mapping[str, Any],
                     frames: Mapping[str, pd.DataFrame | None]) -> list[Finding]:
    """Findings for values of ``dataset``'s code-list columns that their code list lacks."""
    frame = frames.get(dataset)
    if frame is None:
        return []
    findings: list[Finding] = []
    for spec in _fields(schema):
        ref = _reference(spec)
        if ref is None:
            continue
        if isinstance(ref, Finding):
            findings.append(ref)
        elif frames.get(ref.resource) is None:
            findings.append(_unchecked(ref))
        elif ref.field in frame.columns:
            findings += _check_column(frame[ref.field], ref, frames[ref.resource],
                                      personal=bool(spec.get("personalData")))
    return findings


def load_code_list(frame: pd.DataFrame, *, target: str, aliases: str | None) -> CodeList:
    """The code list held by ``frame``'s ``target`` column (+ its ``aliases`` column, if any)."""
    values = _present(frame[target])
    alias_map: dict[str, str] = {}
    if aliases is not None:
        for value, cell in zip(frame[target], frame[aliases]):
            if pd.isna(value) or pd.isna(cell):
                continue
            for alias in str(cell).split(ALIAS_SEPARATOR):
                if alias.strip():
                    alias_map.setdefault(normalise_value(alias), str(value))
    return CodeList(values=frozenset(values),
                    canonical={normalise_value(v): v for v in values}, aliases=alias_map)


def _check_column(column: pd.Series, ref: CodeListReference, target_frame: pd.DataFrame, *,
                  personal: bool) -> list[Finding]:
    problem = _missing_columns(ref, target_frame)
    if problem:
        return [_invalid(ref.field, problem)]
    aliases = ref.aliases or (DEFAULT_ALIASES_FIELD
                              if DEFAULT_ALIASES_FIELD in target_frame.columns else None)
    code_list = load_code_list(target_frame, target=ref.target, aliases=aliases)
    present = _present(column)
    unknown = present[~present.isin(code_list.values)]
    suggestions = {value: code_list.suggest(value) for value in unknown.unique()}
    return [_unknown(ref, int(row), value, suggestions[value], personal=personal)
            for row, value in unknown.items()]


def _present(column: pd.Series) -> pd.Series:
    """The column's non-empty values as text (index kept: the row numbers)."""
    text = column.dropna().astype(str)
    return text[text.str.strip() != ""]


def _missing_columns(ref: CodeListReference, target_frame: pd.DataFrame) -> str | None:
    for name in (ref.target, ref.aliases):
        if name is not None and name not in target_frame.columns:
            return f"{ref.resource} has no column {name!r}"
    return None


def _reference(spec: Mapping[str, Any]) -> CodeListReference | Finding | None:
    """The field's code list, None when it declares none, a Finding when it is malformed."""
    declared = spec.get("codeList")
    if declared is None:
        return None
    name = str(spec.get("name"))
    if not isinstance(declared, dict):
        return _invalid(name, "codeList must be an object")
    resource, target, aliases = (declared.get(key) for key in ("resource", "field", "aliases"))
    if not (isinstance(resource, str) and resource and isinstance(target, str) and target):
        return _invalid(name, "codeList needs a 'resource' (dataset id) and a 'field' (column)")
    if aliases is not None and not (isinstance(aliases, str) and aliases):
        return _invalid(name, "codeList 'aliases' must name a column")
    return CodeListReference(field=name, resource=resource, target=target, aliases=aliases)


def _fields(schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    fields = schema.get("fields")
    return [spec for spec in fields if isinstance(spec, dict)] if isinstance(fields, list) else []


def _unknown(ref: CodeListReference, row: int, value: str, suggestion: str | None, *,
             personal: bool) -> Finding:
    where = f"{ref.resource} ({ref.target})"
    if suggestion is None:
        hint_th = (f"ใช้ค่าที่มีในคอลัมน์ {ref.target} ของชุดข้อมูล {ref.resource} "
                   f"หรือเพิ่มรายการใหม่ในชุดข้อมูลนั้นก่อน")
        hint_en = (f"Use a value listed in {ref.resource}.{ref.target}, "
                   f"or add it to {ref.resource} first")
    else:
        term_th, term_en = _terms(ref.target)
        shown = mask_value(suggestion) if personal else suggestion
        hint_th = f"ใช้{term_th} '{shown}' ตามชุดข้อมูล {ref.resource}"
        hint_en = f"Use the {term_en} '{shown}' of {ref.resource}"
    return Finding(
        rule=RULE, severity=Severity.ERROR,
        message_th=f"ค่าในคอลัมน์ {ref.field} ไม่มีในรายการรหัส {where}",
        message_en=f"{ref.field} holds a value that is not in the code list {where}",
        hint_th=hint_th, hint_en=hint_en, row=row, field=ref.field,
        value=mask_value(value) if personal else clip_value(value))


def _terms(target: str) -> tuple[str, str]:
    """How a hint calls the canonical value: a code or a name."""
    return (("รหัสมาตรฐาน", "canonical code") if target == "code" or target.endswith("_code")
            else ("ชื่อมาตรฐาน", "canonical name"))


def _unchecked(ref: CodeListReference) -> Finding:
    return Finding(
        rule=RULE_UNCHECKED, severity=Severity.WARNING,
        message_th=(f"ตรวจสอบคอลัมน์ {ref.field} กับรายการรหัส {ref.resource} ไม่ได้ "
                    f"เพราะชุดข้อมูล {ref.resource} อ่านไม่ได้หรือไม่ได้ตรวจพร้อมกัน"),
        message_en=f"Could not check {ref.field} against the code list {ref.resource}: "
                   f"that dataset did not load",
        hint_th=(f"แก้ปัญหาของชุดข้อมูล {ref.resource} หรือตรวจสอบพร้อมกับชุดข้อมูลนั้น "
                 f"แล้วตรวจสอบอีกครั้ง"),
        hint_en=(f"Fix {ref.resource} (or validate it together with this dataset), "
                 f"then validate again"),
        field=ref.field)


def _invalid(field: str, problem: str) -> Finding:
    return Finding(
        rule=RULE_INVALID, severity=Severity.ERROR,
        message_th=f"การกำหนดรายการรหัส (codeList) ของคอลัมน์ {field} ใน Table Schema ไม่ถูกต้อง",
        message_en=f"The codeList of {field} in the Table Schema is invalid: {problem}",
        hint_th='เขียนเป็น "codeList": {"resource": "<รหัสชุดข้อมูล>", "field": "<คอลัมน์>"} '
                "โดยคอลัมน์ต้องมีอยู่ในชุดข้อมูลนั้น",
        hint_en='Write "codeList": {"resource": "<dataset id>", "field": "<column>"} naming a '
                "column of that dataset",
        field=field)
