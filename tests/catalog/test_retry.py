"""Retries: transient failures only, exponential backoff from a policy passed in, and a
resend after an ambiguous failure only for idempotent calls."""

from __future__ import annotations

import ckanapi
import pytest
from ckanapi.errors import CKANAPIError

from flows.catalog.client import (CatalogClient, CatalogServerError, CatalogTimeout,
                                  CatalogUnreachable, _server_status)
from flows.catalog.retry import RetryPolicy, call_with_retry
from flows.errors import CatalogError
from flows.settings import CatalogSettings, Secret


class Flaky:
    """Fails with the given errors, then answers "ok"."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.attempts = 0

    def __call__(self) -> str:
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def test_backoff_delays_grow_exponentially_up_to_the_cap() -> None:
    assert RetryPolicy(retries=4, first_delay=0.5, factor=2, max_delay=3).delays() == [0.5, 1, 2, 3]


def test_unreachable_catalog_is_retried_with_the_policy_delays() -> None:
    slept: list[float] = []
    flaky = Flaky(CatalogUnreachable("down"), CatalogUnreachable("down"))
    result = call_with_retry(flaky, RetryPolicy(retries=3, first_delay=0.1), idempotent=False,
                             sleep=slept.append)
    assert (result, flaky.attempts, slept) == ("ok", 3, [0.1, 0.2])


def test_retries_run_out_and_the_last_error_is_raised() -> None:
    flaky = Flaky(*[CatalogServerError("HTTP 503")] * 3)
    with pytest.raises(CatalogServerError):
        call_with_retry(flaky, RetryPolicy(retries=2, first_delay=0), idempotent=True,
                        sleep=lambda _: None)
    assert flaky.attempts == 3


def test_a_timeout_is_not_resent_for_a_call_that_could_duplicate() -> None:
    flaky = Flaky(CatalogTimeout("slow"))
    with pytest.raises(CatalogTimeout):
        call_with_retry(flaky, RetryPolicy(retries=3, first_delay=0), idempotent=False,
                        sleep=lambda _: None)
    assert flaky.attempts == 1


@pytest.mark.parametrize("error", [ckanapi.ValidationError({"title": ["taken"]}),
                                   ckanapi.NotAuthorized("no")])
def test_ckan_answers_are_never_retried(error) -> None:
    flaky = Flaky(error)
    with pytest.raises(type(error)):
        call_with_retry(flaky, RetryPolicy(retries=3, first_delay=0), idempotent=True,
                        sleep=lambda _: None)
    assert flaky.attempts == 1


def test_http_5xx_is_recognised_but_4xx_and_ckan_errors_are_not() -> None:
    assert _server_status(CKANAPIError(repr(["http://x/api/action/a", 503, "<html>"]))) == 503
    assert _server_status(CKANAPIError(repr(["http://x/api/action/a", 413, "big"]))) is None
    assert _server_status(ckanapi.NotFound("gone")) is None


def test_connection_refused_becomes_catalog_unreachable_without_the_token() -> None:
    client = CatalogClient(CatalogSettings(url="http://127.0.0.1:9", token=Secret("s3cret"),
                                           timeout=2))
    with pytest.raises(CatalogUnreachable) as caught:
        client.call("status_show")
    assert isinstance(caught.value, CatalogError) and "s3cret" not in str(caught.value)
    assert "127.0.0.1:9" in str(caught.value)
