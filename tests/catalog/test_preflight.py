"""The start-up check: the catalog answers, its search works, and it knows our token.

CKAN treats an unknown token as an anonymous visitor, so ``user_show`` without an id is the
authenticated read that tells them apart (refused, or not found, when anonymous). The real
CKAN's answers: tests/integration/test_service_faults.py and tests/test_cli_faults.py.
"""

from __future__ import annotations

from typing import Any

import ckanapi
import pytest

from flows.catalog.client import CatalogSearchError, CatalogUnreachable
from flows.catalog.preflight import check_catalog
from flows.catalog.retry import RetryPolicy
from flows.errors import ConfigError

ORG = "senate-secretariat"
SOURCE = "the token file /etc/senate-catalog/token"
NO_WAIT = RetryPolicy(retries=0)


class _Catalog:
    """Answers the check's calls as a CKAN with this user (None: anonymous) would."""

    url = "http://catalog.test"

    def __init__(self, user: dict[str, Any] | None, *, editor_of: tuple[str, ...] = (),
                 anonymous_error: type[Exception] = ckanapi.NotAuthorized,
                 failing: dict[str, Exception] | None = None) -> None:
        self.user, self.editor_of = user, editor_of
        self.anonymous_error, self.failing = anonymous_error, failing or {}
        self.actions: list[str] = []

    def call(self, action: str, **data: Any) -> Any:
        self.actions.append(action)
        if action in self.failing:
            raise self.failing[action]
        if action == "user_show":
            if self.user is None:
                raise self.anonymous_error("Access denied")
            return self.user
        if action == "organization_list_for_user":
            assert data == {"id": self.user["name"], "permission": "create_dataset"}
            return [{"name": name} for name in self.editor_of]
        return {"count": 0, "results": []} if action == "package_search" else {}


def _check(catalog: _Catalog) -> dict[str, Any]:
    return check_catalog(catalog, retry=NO_WAIT, organization=ORG, token_source=SOURCE)


@pytest.mark.parametrize("refusal", [ckanapi.NotAuthorized, ckanapi.NotFound])
def test_a_token_ckan_does_not_know_stops_the_run_with_what_to_fix(refusal) -> None:
    with pytest.raises(ConfigError) as caught:
        _check(_Catalog(None, anonymous_error=refusal))
    assert str(caught.value) == (
        f"the API token in {SOURCE} is not valid for http://catalog.test (CKAN treats it as an "
        "anonymous visitor): create an API token for the pipeline's user (in CKAN: the user's "
        f"page, API Tokens) and put it in {SOURCE}; for the local stack, `senate-catalog stack "
        "up` writes a working one")


def test_a_sysadmin_token_passes_with_three_reads() -> None:
    catalog = _Catalog({"name": "senate_admin", "sysadmin": True})
    assert _check(catalog)["name"] == "senate_admin"
    assert catalog.actions == ["status_show", "package_search", "user_show"]


def test_an_editor_of_the_organisation_passes() -> None:
    catalog = _Catalog({"name": "steward", "sysadmin": False}, editor_of=(ORG,))
    assert _check(catalog)["name"] == "steward"


def test_a_user_who_may_not_publish_in_the_organisation_is_told_so() -> None:
    with pytest.raises(ConfigError, match="the API token's user 'visitor' may not create "
                                          f"datasets in the organisation '{ORG}'"):
        _check(_Catalog({"name": "visitor", "sysadmin": False}, editor_of=("another-org",)))


@pytest.mark.parametrize("action, error", [
    ("status_show", CatalogUnreachable("cannot reach CKAN at http://catalog.test")),
    ("package_search", CatalogSearchError("CKAN's search service does not work")),
])
def test_a_catalog_or_search_service_that_does_not_answer_is_a_catalog_error(action,
                                                                             error) -> None:
    catalog = _Catalog({"name": "senate_admin", "sysadmin": True}, failing={action: error})
    with pytest.raises(type(error)):
        _check(catalog)
    assert "user_show" not in catalog.actions


def test_a_catalog_without_the_datastore_is_told_what_to_add() -> None:
    catalog = _Catalog({"name": "senate_admin", "sysadmin": True})
    status = {"ckan_version": "2.11.3", "extensions": ["senate_dga", "scheming_datasets"]}
    catalog.call = _answering(catalog.call, status_show=status)
    with pytest.raises(ConfigError) as caught:
        _check(catalog)
    assert str(caught.value) == (
        "the catalog at http://catalog.test does not run the plugin(s) datastore: add them to "
        "its ckan.plugins (see catalog_config/ckan.ini.template; the DataStore also needs "
        "ckan.datastore.write_url and read_url) and restart CKAN")
    assert catalog.actions == []   # stopped before any other call


def test_a_catalog_with_every_required_plugin_passes() -> None:
    catalog = _Catalog({"name": "senate_admin", "sysadmin": True})
    status = {"extensions": ["activity", "senate_dga", "scheming_datasets", "datastore"]}
    catalog.call = _answering(catalog.call, status_show=status)
    assert _check(catalog)["name"] == "senate_admin"


def _answering(call, **answers):
    """``call`` with fixed answers for some actions (recorded only when passed through)."""
    def answer(action: str, **data: Any) -> Any:
        return answers[action] if action in answers else call(action, **data)
    return answer
