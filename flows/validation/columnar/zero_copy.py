"""Arrow string columns changed without copying their text.

A million-row file is ~150 MB of text, and the validation stage may use four times the file in
all: a column copied once more is a tenth of that budget. Nulling cells (missing values) only
needs a new validity bitmap over the same text buffers, and leaving rows out only needs slices.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pyarrow as pa


def null_where_not(values: pa.Array | pa.ChunkedArray, keep: np.ndarray) -> pa.ChunkedArray:
    """``values`` with every cell where ``keep`` is False made null; the text is not copied."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    pieces, start = [], 0
    for chunk in chunks:
        end = start + len(chunk)
        pieces.append(_with_validity(chunk, keep[start:end]))
        start = end
    return pa.chunked_array(pieces, values.type)


def _with_validity(chunk: pa.Array, keep: np.ndarray) -> pa.Array:
    valid = keep & chunk.is_valid().to_numpy(zero_copy_only=False)
    if valid.all() and chunk.null_count == 0:
        return chunk
    # The bitmap is read from the chunk's own offset: pad it so bit offset + i is cell i.
    bits = np.zeros(chunk.offset + len(chunk), dtype=bool)
    bits[chunk.offset:] = valid
    bitmap = pa.array(bits).buffers()[1]
    return pa.Array.from_buffers(chunk.type, len(chunk), [bitmap, *chunk.buffers()[1:]],
                                 offset=chunk.offset)


def without_rows(values: pa.Array | pa.ChunkedArray, dropped: np.ndarray) -> pa.ChunkedArray:
    """``values`` without the rows at the sorted positions ``dropped``, as slices."""
    column = values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])
    pieces, start = [], 0
    for position in dropped.tolist():
        pieces += column.slice(start, position - start).chunks
        start = position + 1
    pieces += column.slice(start).chunks
    return pa.chunked_array(pieces, column.type)


def blockwise(values: pa.Array | pa.ChunkedArray, kernel: Callable[[pa.Array], pa.Array], *,
              block_rows: int = 1 << 18) -> pa.ChunkedArray | pa.Array:
    """``kernel`` (an Arrow compute function of one array) over ``values`` in blocks of about
    ``block_rows`` rows, for kernels that pay a fixed price per chunk (a big RE2 pattern is
    compiled for each chunk it is given). Consecutive small chunks (the slices around ragged
    rows) are copied together one block at a time, so one block's copy exists at once."""
    if not isinstance(values, pa.ChunkedArray):
        return kernel(values)
    results, pending, size = [], [], 0
    for chunk in values.chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= block_rows:
            results.append(kernel(pa.concat_arrays(pending)))
            pending, size = [], 0
    if pending:
        results.append(kernel(pa.concat_arrays(pending)))
    return pa.chunked_array(results) if results else kernel(values)
