"""Retries with exponential backoff, for transient catalog failures only.

The policy is a value passed in by the caller (no globals). A request that may already have
reached CKAN (timeout, HTTP 5xx) is resent only when the action is idempotent; resending a
``resource_create`` could add a second copy, so that case fails and the next run's plan, which
matches resources by kind and removes duplicates, finishes the job.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Collection, TypeVar

from flows.catalog.client import CatalogUnreachable
from flows.catalog.counting import ActionCaller, is_write
from flows.errors import CatalogError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry: ``retries`` more attempts after the first,
    waiting ``first_delay`` seconds, then ``factor`` times longer each time, at most ``max_delay``."""

    retries: int = 3
    first_delay: float = 1.0
    factor: float = 2.0
    max_delay: float = 30.0

    def delays(self) -> list[float]:
        """The waits between attempts, e.g. [1.0, 2.0, 4.0]."""
        return [min(self.first_delay * self.factor ** i, self.max_delay)
                for i in range(self.retries)]


NO_RETRY = RetryPolicy(retries=0)


def is_transient(exc: BaseException, *, idempotent: bool) -> bool:
    """Whether resending can help and cannot harm: never for CKAN's own answers."""
    if isinstance(exc, CatalogUnreachable):
        return True
    return idempotent and isinstance(exc, CatalogError)


def call_with_retry(attempt: Callable[[], T], policy: RetryPolicy, *, idempotent: bool,
                    sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``attempt`` until it succeeds, a non-transient error occurs or retries run out."""
    for delay in [*policy.delays(), None]:
        try:
            return attempt()
        except CatalogError as exc:
            if delay is None or not is_transient(exc, idempotent=idempotent):
                raise
        sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


class RetryingCaller:
    """``client`` with every call through ``policy``: reads, and the writes named
    ``idempotent``, are resent after a timeout or 5xx; other writes only when they never
    reached CKAN (connection refused)."""

    def __init__(self, client: ActionCaller, policy: RetryPolicy, *,
                 idempotent: Collection[str] = ()) -> None:
        self._client, self._policy, self._idempotent = client, policy, frozenset(idempotent)

    def call(self, action: str, **data: Any) -> Any:
        return call_with_retry(lambda: self._client.call(action, **data), self._policy,
                               idempotent=not is_write(action) or action in self._idempotent)
