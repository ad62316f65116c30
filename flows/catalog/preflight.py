"""Before a run touches anything: does the catalog answer, and does it know our token?

CKAN treats a request with an unknown or revoked API token exactly like an anonymous one: reads
of public data still work, so a run with a bad token only fails when it first writes (or, with
nothing to write, "succeeds" without having checked anything). One authenticated read tells the
two apart: ``user_show`` without an ``id`` returns the token's own user, and is refused (or not
found) for an anonymous caller, whatever ``ckan.auth.public_user_details`` says. A user that is
not a sysadmin must also be allowed to create datasets in the organisation the pipeline owns.
The catalog must run the plugins the pipeline relies on (``REQUIRED_PLUGINS``, from
``status_show``). A search for nothing (``rows=0``) checks CKAN's search service, which every write and the
organisation's page need: a stopped one is named now, not at the first write.

    user = check_catalog(client, retry=policy, organization="senate-secretariat",
                         token_source="the token file .stack/demo/api-token")
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ckanapi

from flows.catalog.client import CatalogClient
from flows.catalog.counting import ActionCaller
from flows.catalog.organization import load_layout
from flows.catalog.retry import RetryPolicy, call_with_retry
from flows.errors import ConfigError

if TYPE_CHECKING:
    from flows.config import PipelineConfig

#: Seconds the start-up check waits for each answer: a catalog that takes longer for
#: ``status_show`` is not one to start a run on (a stopped CKAN then fails in ~30 s, not minutes).
PREFLIGHT_TIMEOUT = 5.0
#: What every run relies on: the DGA schema and rules (the project's extension, scheming), and
#: the DataStore the public data files are pushed to.
REQUIRED_PLUGINS = ("senate_dga", "scheming_datasets", "datastore")


def check_pipeline_catalog(config: "PipelineConfig", root: Path) -> dict[str, Any]:
    """``check_catalog`` of the configured catalog (a few seconds per answer, the configured
    retries) for the organisation of ``root``'s catalog_config/organization.yaml."""
    layout = load_layout(root / "catalog_config" / "organization.yaml")
    client = CatalogClient(replace(config.catalog, timeout=min(config.timeout,
                                                                PREFLIGHT_TIMEOUT)))
    return check_catalog(client, retry=config.retry, organization=layout.organization["name"],
                         token_source=config.token_source)


def check_catalog(client: ActionCaller, *, retry: RetryPolicy, organization: str,
                  token_source: str) -> dict[str, Any]:
    """The token's user, once the catalog answers and accepts the token.

    Raises ``CatalogError`` (after the retries) when the catalog or its search service does
    not answer, and ``ConfigError`` naming ``token_source`` when the token is not valid there
    or its user may not publish in ``organization``.
    """
    status = call_with_retry(lambda: client.call("status_show"), retry, idempotent=True)
    _check_plugins(client, status)
    call_with_retry(lambda: client.call("package_search", rows=0), retry, idempotent=True)
    user = _token_user(client, retry, token_source)
    if not user.get("sysadmin"):
        _check_editor(client, retry, user, organization)
    return user


def _check_plugins(client: ActionCaller, status: Any) -> None:
    """The catalog runs the plugins every run needs (``status_show`` lists them)."""
    running = status.get("extensions") if isinstance(status, dict) else None
    if not isinstance(running, list):
        return   # an answer without the list (not CKAN's): the writes will tell
    missing = [name for name in REQUIRED_PLUGINS if name not in running]
    if missing:
        url = getattr(client, "url", "the catalog")
        raise ConfigError(
            f"the catalog at {url} does not run the plugin(s) {', '.join(missing)}: add them to "
            "its ckan.plugins (see catalog_config/ckan.ini.template; the DataStore also needs "
            "ckan.datastore.write_url and read_url) and restart CKAN")


def _token_user(client: ActionCaller, retry: RetryPolicy, token_source: str) -> dict[str, Any]:
    try:
        return call_with_retry(lambda: client.call("user_show"), retry, idempotent=True)
    except (ckanapi.NotAuthorized, ckanapi.NotFound) as exc:
        url = getattr(client, "url", "the catalog")
        raise ConfigError(
            f"the API token in {token_source} is not valid for {url} (CKAN treats it as an "
            "anonymous visitor): create an API token for the pipeline's user (in CKAN: the "
            f"user's page, API Tokens) and put it in {token_source}; for the local stack, "
            "`senate-catalog stack up` writes a working one") from exc


def _check_editor(client: ActionCaller, retry: RetryPolicy, user: dict[str, Any],
                  organization: str) -> None:
    allowed = call_with_retry(lambda: client.call("organization_list_for_user",
                                                  id=user.get("name"),
                                                  permission="create_dataset"),
                              retry, idempotent=True)
    if organization not in {entry.get("name") for entry in allowed or []}:
        raise ConfigError(
            f"the API token's user {user.get('name')!r} may not create datasets in the "
            f"organisation {organization!r}: make that user an editor (or admin) of it, or use "
            "a token of a user who is (catalog_config/organization.yaml names the organisation)")
