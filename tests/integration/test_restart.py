"""After `down` and `up` the catalog still holds and finds what it had; `up` again does nothing."""

from __future__ import annotations

import pytest

from flows import stack
from tests.integration.dga_payloads import valid_dataset

pytestmark = pytest.mark.integration


def test_data_survives_down_and_up_and_second_up_is_a_no_op(create_dataset, ckan_anonymous,
                                                           stack_settings,
                                                           unique_name) -> None:
    payload = {**valid_dataset(unique_name("restart")),
               "title": f"รายงานการประชุมวุฒิสภา {unique_name('r')}"}
    create_dataset(**payload)

    stopped = stack.down(stack_settings)
    # every service, the Prefect worker, the national catalog (GD Catalog stand-in) and its
    # search process too
    assert set(stopped) == {"ckan", "search", "redis", "postgres", "prefect", "prefect_worker",
                            "national", "national_search"}
    assert all(info["pid"] is None for info in stack.status(stack_settings).values())

    stack.up(stack_settings, echo=lambda line: None)
    assert ckan_anonymous.call("package_show", id=payload["name"])["title"] == payload["title"]
    found = ckan_anonymous.call("package_search", q="การประชุม", rows=1000)
    assert payload["name"] in [p["name"] for p in found["results"]]

    again = stack.up(stack_settings, echo=lambda line: None)
    did_work = [(name, outcome) for name, _, outcome in again.steps
                if outcome != "already in place" and not outcome.startswith("already running")]
    assert did_work == []
