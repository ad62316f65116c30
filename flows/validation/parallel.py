"""Column-parallel work: the checks of one column never read another's, and the Arrow
kernels (CSV parsing, RE2, casts) release the GIL, so two columns at a time use both cores of
the machines this runs on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Columns worked on at once (the project's machines have two cores).
COLUMN_WORKERS = 2


def map_columns(work: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """``[work(item) for item in items]``, two at a time, in order."""
    with ThreadPoolExecutor(max_workers=COLUMN_WORKERS) as pool:
        return list(pool.map(work, items))
