"""One column's typed values, type errors and cell constraints, as frictionless reads them.

Two tiers, so the result is frictionless' own, cell for cell, at columnar speed:
- the canonical forms (``-12``, ``3.25``, ``2024-10-01``, a declared true/false value, any text
  of a plain string field) are parsed and checked vectorised with ``pyarrow.compute``. Each
  canonical form is a value frictionless' reader accepts with the same value, so the two agree;
- every other distinct value (odd spacing, ``+5``, ``1_000``, Thai digits, custom date formats,
  string formats, missing values, the rare types) goes once through frictionless' own cell reader
  (``Field.create_cell_reader``): its type error and constraint notes are frictionless' own.
Absent cells (a short row) are read as frictionless reads them: ``None``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from frictionless import Field

from flows.validation.columnar.zero_copy import null_where_not

#: The Arrow type that holds each Table Schema type's values (text for the rest).
ARROW_TYPES = {"integer": pa.int64(), "year": pa.int64(), "number": pa.float64(),
               "boolean": pa.bool_(), "date": pa.date32(), "datetime": pa.timestamp("us"),
               "time": pa.time64("us")}
_INT64 = (-(2**63), 2**63 - 1)
_DATE = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CANONICAL = {
    "integer": r"^-?[0-9]{1,18}$",
    "year": r"^[0-9]{4}$",
    "number": r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$",
    "date": f"^{_DATE}$",
    "datetime": f"^{_DATE}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
}
_COMPARISONS = {"minimum": pc.greater_equal, "maximum": pc.less_equal,
                "exclusiveMinimum": pc.greater, "exclusiveMaximum": pc.less}
#: A pattern RE2 reads as Python's ``re`` does: no escapes, groups options or lookarounds.
_PLAIN_PATTERN = re.compile(r"[^\\]*")


@dataclass
class TypedColumn:
    """A column read per its field: typed values (null where none), and per cell whether it
    is a type error, breaks each constraint, or is valid but beyond what Arrow holds."""

    field: Field
    typed: pa.Array
    type_error: np.ndarray
    constraint_errors: dict[str, np.ndarray] = field(default_factory=dict)
    out_of_range: np.ndarray | None = None
    #: Datetimes only: which values carried a UTC offset (an aware value never equals a naive
    #: one for frictionless, even at the same wall time).
    aware: pa.Array | None = None

    def key_arrays(self) -> list[pa.Array]:
        """What makes two values equal, as arrays (typed value, and awareness for datetimes)."""
        if self.aware is None:
            return [self.typed]
        return [self.typed, pc.if_else(pc.is_valid(self.typed), self.aware,
                                       pa.scalar(None, pa.bool_()))]


def type_column(values: pa.Array, spec: Field) -> TypedColumn:
    """Read ``values`` (Arrow strings, null = the row has no such cell) as ``spec`` says."""
    target = ARROW_TYPES.get(spec.type, pa.string())
    length = len(values)
    missing = _missing_values(spec)
    canonical, fast = _canonical(values, spec, missing, target)
    column = TypedColumn(spec, fast, np.zeros(length, dtype=bool))
    _check_canonical(column, canonical, values)
    _read_the_rest(column, values, canonical, target)
    return column


def _missing_values(spec: Field) -> list[str]:
    if spec.has_defined("missing_values") or spec.schema is None:
        return list(spec.missing_values)
    return list(spec.schema.missing_values)


def _mask(array: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null counted False."""
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False)


def _canonical(values: pa.Array, spec: Field, missing: list[str], target: pa.DataType
               ) -> tuple[np.ndarray, pa.Array]:
    """Which cells are in canonical form, and their typed values (null elsewhere)."""
    present = pc.and_(pc.is_valid(values),
                      pc.invert(pc.is_in(values, value_set=pa.array(missing, pa.string()))))
    kind, form = spec.type, getattr(spec, "format", "default")
    text = values
    if kind in ("string", "any") and form in ("default", None):
        keep = _mask(present)
        return keep, null_where_not(values, keep)
    if kind == "boolean":
        known = pa.array([*spec.true_values, *spec.false_values], pa.string())
        ok = pc.and_(present, pc.is_in(values, value_set=known))
        typed = pc.is_in(values, value_set=pa.array(list(spec.true_values), pa.string()))
        return _mask(ok), pc.if_else(ok, typed, pa.scalar(None, pa.bool_()))
    if kind == "number" and not spec.bare_number:
        return np.zeros(len(values), dtype=bool), pa.nulls(len(values), target)
    if kind == "number":
        text = _plain_number_text(values, spec)
    pattern = _CANONICAL.get(kind) if form in ("default", None) else None
    if pattern is None or (kind == "integer" and not spec.bare_number):
        return np.zeros(len(values), dtype=bool), pa.nulls(len(values), target)
    ok = pc.and_(present, pc.match_substring_regex(text, pattern))
    chosen = null_where_not(text, _mask(ok))
    typed = _parse(chosen, kind, target)
    ok = pc.and_(ok, pc.is_valid(typed))   # e.g. 2023-02-29 matches, is no date
    return _mask(ok), typed


def _plain_number_text(values: pa.Array, spec: Field) -> pa.Array:
    """A number as frictionless processes it: group characters dropped, the declared decimal
    character made a point (a point is then no number: left to the reader)."""
    text = values
    if spec.group_char:
        text = pc.replace_substring(text, spec.group_char, "")
    if spec.decimal_char != ".":
        text = pc.if_else(pc.match_substring(text, "."), pa.scalar(None, pa.string()), text)
        text = pc.replace_substring(text, spec.decimal_char, ".")
    return text


def _parse(text: pa.Array, kind: str, target: pa.DataType) -> pa.Array:
    if kind in ("date", "datetime"):
        form = "%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M:%S"
        stamps = pc.strptime(text, format=form, unit="us", error_is_null=True)
        # strptime rolls an impossible day over (2023-02-29 → 03-01): such a date is no date
        written_day = pc.utf8_slice_codeunits(text, 8, 10).cast(pa.int64())
        real = pc.equal(pc.day(stamps), written_day)
        return pc.if_else(real, stamps, pa.scalar(None, stamps.type)).cast(target)
    return text.cast(target)


def _check_canonical(column: TypedColumn, canonical: np.ndarray, values: pa.Array) -> None:
    """The constraints of the canonical cells, vectorised (the reader checks the others)."""
    spec, typed = column.field, column.typed
    reader = spec.create_value_reader()
    for name, constraint in _cell_checks(spec).items():
        broken = _broken(name, constraint, typed, values, reader, spec)
        if broken is not None:
            column.constraint_errors[name] = _mask(broken) & canonical


def _cell_checks(spec: Field) -> dict[str, Any]:
    return {name: spec.constraints[name] for name in spec.supported_constraints
            if spec.constraints.get(name) is not None and name != "required"}


def _broken(name: str, constraint: Any, typed: pa.Array, values: pa.Array,
            reader: Callable[[Any], Any], spec: Field) -> pa.Array | None:
    if name == "enum":
        allowed = [_to_arrow_value(reader(value), spec) for value in constraint]
        allowed = [value for value in allowed if value is not None]
        return pc.invert(pc.is_in(typed, value_set=pa.array(allowed, typed.type)))
    if name in _COMPARISONS:
        bound = _to_arrow_value(reader(constraint), spec)
        if bound is None:
            return None
        return pc.invert(_COMPARISONS[name](typed, pa.scalar(bound, typed.type)))
    if name in ("minLength", "maxLength") and pa.types.is_string(typed.type):
        lengths = pc.utf8_length(typed)
        compare = pc.greater_equal if name == "minLength" else pc.less_equal
        return pc.invert(compare(lengths, constraint))
    if name == "pattern" and pa.types.is_string(typed.type):
        return pc.invert(_matches(typed, constraint))
    return None


def _matches(text: pa.Array, pattern: str) -> pa.Array:
    """``re.match("^(pattern)$")`` per cell, as frictionless: RE2 for a plain ASCII pattern on
    cells without a final line break (Python's ``$`` also matches before one), Python's ``re``
    once per distinct value otherwise."""
    if pattern.isascii() and _PLAIN_PATTERN.fullmatch(pattern) and "(?" not in pattern:
        plain = pc.invert(pc.ends_with(text, "\n"))
        fast = pc.match_substring_regex(text, f"^(?:{pattern})$")
        if pc.all(pc.fill_null(plain, True)).as_py():
            return fast
    compiled = re.compile(f"^{pattern}$")
    distinct = pc.unique(text.drop_null())
    verdicts = pa.array([compiled.match(value) is not None for value in distinct.to_pylist()],
                        pa.bool_())
    return pc.take(verdicts, pc.index_in(text, value_set=distinct))


def _read_the_rest(column: TypedColumn, values: pa.Array, canonical: np.ndarray,
                   target: pa.DataType) -> None:
    """Every non-canonical cell through frictionless' cell reader, once per distinct value."""
    rest = ~canonical
    if not rest.any():
        return
    spec = column.field
    reader = spec.create_cell_reader()
    others = values.filter(pa.array(rest)).drop_null()
    distinct = pc.unique(others)
    outcomes = [reader(value) for value in distinct.to_pylist()]
    absent_value, absent_notes = reader(None)
    index = pc.index_in(values, value_set=distinct).to_numpy(zero_copy_only=False)
    absent = _mask(pc.is_null(values))
    looked_up = rest & ~absent
    positions = np.where(looked_up, np.nan_to_num(index, nan=0), 0).astype(np.int64)
    _merge_notes(column, outcomes, absent_notes or {}, positions, looked_up, absent)
    typed_rest, out_of_range = _typed_values([value for value, _ in outcomes], spec, target)
    if spec.type in ("datetime", "time"):
        aware = pa.array([getattr(value, "tzinfo", None) is not None for value, _ in outcomes]
                         or [False])
        column.aware = pc.if_else(pc.is_valid(column.typed), False, None) if not len(
            distinct) else pc.if_else(pa.array(looked_up), pc.take(aware, pa.array(positions)),
                                      pc.if_else(pc.is_valid(column.typed), False, None))
    if len(distinct):
        filled = pc.take(typed_rest, pa.array(positions))
        filled = pc.if_else(pa.array(looked_up), filled, pa.scalar(None, target))
        if filled.null_count < len(filled):   # e.g. a text field's missing values: nothing
            column.typed = pc.coalesce(column.typed, filled)
        column.out_of_range = out_of_range[positions] & looked_up
    if absent_value is not None and absent.any():   # a default for absent cells: never today
        column.typed = pc.if_else(pa.array(absent), pa.scalar(_to_arrow_value(
            absent_value, spec), target), column.typed)


def _merge_notes(column: TypedColumn, outcomes: list[tuple[Any, dict | None]],
                 absent_notes: dict, positions: np.ndarray, looked_up: np.ndarray,
                 absent: np.ndarray) -> None:
    names = {name for _, notes in outcomes for name in (notes or {})} | set(absent_notes)
    for name in names:
        per_value = np.array([name in (notes or {}) for _, notes in outcomes] or [False])
        cells = (per_value[positions] & looked_up) | (absent if name in absent_notes else False)
        if name == "type":
            column.type_error |= cells
        else:
            previous = column.constraint_errors.get(name)
            column.constraint_errors[name] = cells if previous is None else previous | cells


def _typed_values(values: list[Any], spec: Field, target: pa.DataType
                  ) -> tuple[pa.Array, np.ndarray]:
    """Python values from the reader as an Arrow array; what Arrow cannot hold is null and
    flagged (an integer beyond 64 bits)."""
    converted, beyond = [], []
    for value in values:
        arrow_value = _to_arrow_value(value, spec)
        too_big = isinstance(arrow_value, int) and not isinstance(arrow_value, bool) and \
            not _INT64[0] <= arrow_value <= _INT64[1]
        beyond.append(too_big)
        converted.append(None if too_big else arrow_value)
    if not pa.types.is_string(target):
        return pa.array(converted, target), np.array(beyond or [False])
    return pa.array([None if value is None else str(value) if not isinstance(value, str)
                     else value for value in converted], target), np.array(beyond or [False])


def _to_arrow_value(value: Any, spec: Field) -> Any:
    """A frictionless value as its Arrow type holds it (None when it has none)."""
    if value is None:
        return None
    kind = spec.type
    if kind == "number":
        return float(value) if isinstance(value, (Decimal, int, float)) else None
    if kind in ("integer", "year"):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "datetime" and isinstance(value, dt.datetime):
        if value.tzinfo is not None:   # aware values are kept as UTC wall time
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    if kind == "date":
        return value if isinstance(value, dt.date) else None
    if kind == "time" and isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if kind in ARROW_TYPES:
        return value
    return value if isinstance(value, str) else str(value)
