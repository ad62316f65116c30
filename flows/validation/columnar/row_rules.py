"""Rules across a row or across rows, as frictionless' row stream applies them, vectorised.

- blank row: every field empty (no value, no type error); it is its row's only finding;
- extra and missing cells: a row wider or narrower than the header;
- unique fields and the primary key: every repeat after the first occurrence, naming the
  previous one; a primary key with no value at all;
- self-referencing foreign keys: the row's key must be one of the table's own referenced keys.
Values are compared typed (``1`` and ``01`` are the same integer), as frictionless does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flows.validation.columnar.cell_types import TypedColumn


@dataclass
class Repeats:
    """Positions that repeat an earlier value, and the position of the previous occurrence."""

    positions: np.ndarray
    previous: np.ndarray


def blank_rows(columns: Sequence[TypedColumn], flagged: Sequence[np.ndarray]) -> np.ndarray:
    """Rows where no field has a value or an error (frictionless' blank-row)."""
    if not columns:
        return np.zeros(0, dtype=bool)
    blank = np.ones(len(columns[0].typed), dtype=bool)
    for column, marked in zip(columns, flagged):
        blank &= pc.is_null(column.typed).to_numpy(zero_copy_only=False)
        blank &= ~column.type_error & ~marked
    return blank


def value_codes(typed: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A code per cell, equal for equal values; -1 where there is no value."""
    if _as_integers(typed.type):   # the value is its own code (no dictionary to build)
        values = pc.fill_null(_integers(typed), 0).to_numpy(zero_copy_only=False)
        shifted = np.where(values >= 0, values, values - 1)   # -1 means "no value"
        shifted[pc.is_null(typed).to_numpy(zero_copy_only=False)] = -1
        return shifted if not (values < 0).any() else _dense(shifted)
    encoded = pc.dictionary_encode(typed)
    # Over chunks, Arrow encodes with one table: the indices are the same for equal values.
    indices = (pa.chunked_array([chunk.indices for chunk in encoded.chunks])
               if isinstance(encoded, pa.ChunkedArray) else encoded.indices)
    del encoded
    return pc.fill_null(indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)


def _integers(typed: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The values as int64 (dates as days, times and timestamps as their unit)."""
    if pa.types.is_date32(typed.type):
        typed = typed.cast(pa.int32())
    elif pa.types.is_timestamp(typed.type) or pa.types.is_time64(typed.type):
        typed = typed.view(pa.int64()) if isinstance(typed, pa.Array) else pa.chunked_array(
            [chunk.view(pa.int64()) for chunk in typed.chunks], pa.int64())
    return typed.cast(pa.int64())


def _as_integers(kind: pa.DataType) -> bool:
    return (pa.types.is_integer(kind) or pa.types.is_date(kind) or pa.types.is_boolean(kind)
            or pa.types.is_timestamp(kind) or pa.types.is_time(kind))


def _dense(codes: np.ndarray) -> np.ndarray:
    """Codes with negative values (real ones, and -1 for none) made non-negative but -1."""
    present = codes != -1
    dense = np.full(len(codes), -1, dtype=np.int64)
    dense[present] = np.unique(codes[present], return_inverse=True)[1]
    return dense


def key_codes(columns: Sequence[pa.Array]) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for the tuple of ``columns``' values, and whether every one is empty."""
    codes = [value_codes(column) for column in columns]
    empty = np.logical_and.reduce([code < 0 for code in codes])
    if len(codes) == 1:
        return codes[0], empty
    combined = pd.DataFrame({index: code for index, code in enumerate(codes)})
    return combined.groupby(list(combined.columns), sort=False).ngroup().to_numpy(), empty


def repeats(codes: np.ndarray, considered: np.ndarray) -> Repeats:
    """Among ``considered`` positions, those whose code appeared before, with the previous
    position holding the same code (frictionless names the previous row, not the first)."""
    positions = np.flatnonzero(considered)
    if not len(positions):
        return Repeats(positions, positions)
    chosen = codes[positions]
    order = np.argsort(chosen, kind="stable")   # positions ascend: a stable sort keeps them so
    del chosen
    sorted_positions = positions[order]
    sorted_codes = codes[sorted_positions]
    del order
    again = np.zeros(len(sorted_positions), dtype=bool)
    again[1:] = sorted_codes[1:] == sorted_codes[:-1]
    del sorted_codes
    repeated = sorted_positions[again]
    previous = sorted_positions[np.flatnonzero(again) - 1]
    back = np.argsort(repeated, kind="stable")
    return Repeats(repeated[back], previous[back])


def unmatched_references(target_keys: Sequence[Sequence[pa.Array]],
                         source_keys: Sequence[Sequence[pa.Array]],
                         considered: np.ndarray) -> np.ndarray:
    """Positions whose key (per field: its ``key_arrays``) is not among the keys the source
    fields hold; a key with no value at all is not checked (frictionless skips it)."""
    targets = [array for arrays in target_keys for array in arrays]
    sources = [array for arrays in source_keys for array in arrays]
    target_empty = np.logical_and.reduce([pc.is_null(t).to_numpy(zero_copy_only=False)
                                          for t in targets])
    checked = considered & ~target_empty
    if not checked.any():
        return np.zeros(0, dtype=np.int64)
    if len(targets) == len(sources) == 1 and targets[0].type == sources[0].type:
        known = pc.unique(sources[0].drop_null())
        found = pc.is_in(targets[0], value_set=known).to_numpy(zero_copy_only=False)
        return np.flatnonzero(checked & ~found)
    source_rows = zip(*(source.to_pylist() for source in sources))
    known_keys = {key for key in source_rows if any(value is not None for value in key)}
    positions = np.flatnonzero(checked)
    target_values = [target.take(pa.array(positions)).to_pylist() for target in targets]
    return np.array([position for position, key in zip(positions, zip(*target_values))
                     if key not in known_keys], dtype=np.int64)
