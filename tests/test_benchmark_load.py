"""The load benchmark: its figures from known latencies, and a short real load on the stack."""

from __future__ import annotations

from collections import Counter

import pytest

from flows.benchmark_load import (WEIGHTS, Call, Sample, client_plan, discover_calls, run_load,
                                  summarize)
from tests.integration.dga_payloads import valid_dataset


def test_percentiles_and_errors_are_counted_per_kind() -> None:
    # 100 package_show calls of 1..100 ms, two of them failed; one home page of 2 s.
    samples = [Sample("package_show", ms / 1000, "HTTP 500" if ms in (7, 8) else "")
               for ms in range(1, 101)] + [Sample("home", 2.0)]
    summary = summarize(samples, seconds=10.0)
    assert summary["requests"] == 101 and summary["requests_per_s"] == 10.1
    assert summary["errors"] == 2 and summary["error_kinds"] == {"HTTP 500": 2}
    shows = summary["per_kind"]["package_show"]
    assert (shows["p50_ms"], shows["p99_ms"]) == (50.0, 99.0)
    assert summary["per_kind"]["home"] == {"requests": 1, "requests_per_s": 0.1, "p50_ms": 2000.0,
                                           "p99_ms": 2000.0, "errors": 0, "error_kinds": {}}


def test_a_client_plan_follows_the_weights_and_is_the_same_for_the_same_seed() -> None:
    calls = [Call(kind, f"/{kind}/{n}") for kind in WEIGHTS for n in range(3)]
    plan = client_plan(calls, seed=7, length=5000)
    shares = Counter(call.kind for call in plan)
    total = sum(WEIGHTS.values())
    for kind, weight in WEIGHTS.items():
        assert abs(shares[kind] / 5000 - weight / total) < 0.03, kind
    assert plan == client_plan(calls, seed=7, length=5000) != client_plan(calls, seed=8,
                                                                          length=5000)


@pytest.mark.integration
def test_a_short_load_on_the_stack_gets_every_kind_answered(catalog_settings, ckan_admin,
                                                            create_dataset,
                                                            unique_name) -> None:
    """Its own public dataset with a DataStore table, so an empty catalog is loaded too."""
    package = create_dataset(**valid_dataset(unique_name("load")))
    resource = ckan_admin.call("resource_create", package_id=package["id"], name="load",
                               url="http://example.org/load.csv", format="CSV")
    ckan_admin.call("senate_datastore_replace", resource_id=resource["id"],
                    fields=[{"id": "n", "type": "int8"}, {"id": "word", "type": "text"}],
                    records=[{"n": i, "word": f"วุฒิสภา {i}"} for i in range(100)],
                    primary_key=["n"], digest="load-100")
    calls = discover_calls(catalog_settings.url)
    assert Call("package_show", "/api/3/action/package_show", (("id", package["name"]),)) in calls
    result = run_load(catalog_settings.url, calls, clients=4, seconds=3)
    assert set(result["per_kind"]) == set(WEIGHTS)
    assert result["errors"] == 0, result["error_kinds"]
    assert result["requests"] >= 10 and result["p50_ms"] <= result["p99_ms"]
