"""Work on many jobs, at most N at a time, each result as soon as it is ready.

    in_threads(work, jobs, workers=4)                    -> results, in the order they finish
    windowed(jobs, submit=..., first_done=..., window=4, failed=...)   -> the same, any executor

``jobs`` is read lazily: a job is built only when a worker is free for it, so what it carries
(e.g. "the catalog stopped answering") is as fresh as the results seen so far. Used by the
pipeline with a thread pool (`senate-catalog plan`), and by the Prefect flow with Prefect's
task runners (threads or Dask), which is why submitting and waiting are passed in.
"""

from __future__ import annotations

import concurrent.futures
from contextvars import copy_context
from typing import Any, Callable, Iterable, Iterator, TypeVar

J = TypeVar("J")
R = TypeVar("R")


def windowed(jobs: Iterable[J], *, submit: Callable[[J], Any],
             first_done: Callable[[set[Any]], Any], window: int,
             failed: Callable[[J, BaseException], R]) -> Iterator[R]:
    """Keep ``window`` jobs submitted; yield each one's result as it finishes.

    ``submit(job)`` returns a future (``.result()``); ``first_done(futures)`` waits for one of
    them and returns it. A job whose future raises gives ``failed(job, error)`` instead: one
    job's crash never stops the others.
    """
    pending = iter(jobs)
    running: dict[Any, J] = {}
    while True:
        while len(running) < window:
            job = next(pending, None)
            if job is None:
                break
            running[submit(job)] = job
        if not running:
            return
        done = first_done(set(running))
        job = running.pop(done)
        try:
            result = done.result()
        except Exception as exc:  # noqa: BLE001 - reported as this job's failure
            result = failed(job, exc)
        yield result


def in_threads(work: Callable[[J], R], jobs: Iterable[J], *, workers: int,
               failed: Callable[[J, BaseException], R]) -> Iterator[R]:
    """``work(job)`` for each job on ``workers`` threads (in this thread when 1)."""
    if workers <= 1:
        for job in jobs:
            try:
                result = work(job)
            except Exception as exc:  # noqa: BLE001 - as windowed
                result = failed(job, exc)
            yield result
        return
    with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="dataset") as pool:
        # Each job sees the caller's context variables as they were when it was submitted
        # (e.g. the Prefect flow run its tasks belong to), in a copy of its own.
        yield from windowed(jobs, submit=lambda job: pool.submit(copy_context().run, work, job),
                            first_done=_first_done, window=workers, failed=failed)


def _first_done(futures: set[concurrent.futures.Future]) -> concurrent.futures.Future:
    return next(concurrent.futures.as_completed(futures))
