"""flows.bounded_work: never more than N jobs at once, jobs built only when a worker is free,
results as they finish, and one crashing job never losing the others."""

from __future__ import annotations

import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.bounded_work import in_threads


class Gauge:
    """How many jobs run at once, at most."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self.lock = threading.Lock()

    def work(self, job: tuple[int, float]) -> int:
        number, pause = job
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        time.sleep(pause)
        with self.lock:
            self.now -= 1
        if number < 0:
            raise ValueError(f"job {number} is broken")
        return number


@settings(max_examples=25, deadline=None)
@given(pauses=st.lists(st.sampled_from([0.0, 0.001, 0.005]), min_size=0, max_size=30),
       workers=st.integers(1, 5))
def test_every_job_once_and_never_more_than_the_workers(pauses, workers):
    gauge = Gauge()
    jobs = list(enumerate(pauses))
    results = list(in_threads(gauge.work, jobs, workers=workers, failed=_failed))
    assert sorted(results) == list(range(len(pauses)))
    assert gauge.most <= workers
    if len(pauses) >= workers and workers > 1 and all(p > 0 for p in pauses):
        assert gauge.most >= 2   # it did run in parallel


def test_a_crashing_job_is_reported_and_the_others_finish():
    jobs = [(1, 0.0), (-2, 0.0), (3, 0.01), (-4, 0.0), (5, 0.0)]
    results = list(in_threads(Gauge().work, jobs, workers=2, failed=_failed))
    assert sorted(results, key=str) == sorted([1, 3, 5, "failed -2: job -2 is broken",
                                               "failed -4: job -4 is broken"], key=str)


def test_a_job_is_built_only_when_a_worker_is_free_for_it():
    """What the run learned from earlier results (e.g. the catalog is down) reaches the jobs
    built after them: the job source is read lazily."""
    built: list[int] = []
    finished: list[int] = []

    def jobs():
        for number in range(6):
            built.append(number)
            # never more than the two running and the one being built
            assert len(built) - len(finished) <= 3
            yield (number, 0.005)

    for result in in_threads(Gauge().work, jobs(), workers=2, failed=_failed):
        finished.append(result)
    assert sorted(finished) == list(range(6))


def test_results_arrive_as_jobs_finish_not_in_submission_order():
    slow_first = [(0, 0.2), (1, 0.0), (2, 0.0)]
    results = list(in_threads(Gauge().work, slow_first, workers=3, failed=_failed))
    assert results[-1] == 0


def test_one_worker_runs_in_the_calling_thread():
    seen = []

    def work(job):
        seen.append(threading.current_thread())
        return job

    assert list(in_threads(work, [1, 2], workers=1, failed=_failed)) == [1, 2]
    assert seen == [threading.current_thread()] * 2


def _failed(job, exc):
    return f"failed {job[0]}: {exc}"
