"""Harvest the local stack's agency catalog into the local stack's national catalog.

``run-test`` runs in the national CKAN's own environment (its ckan.ini), so this works only
where the stack runs; the harvest source and its results go through the national CKAN's API.
"""

from __future__ import annotations

from typing import Sequence

from flows.catalog import CatalogClient, load_layout
from flows.errors import ConfigError
from flows.national.harvest import (SOURCE_NAME, HarvestResult, ensure_organization,
                                    ensure_source, run_job, source_config, source_request)
from flows.national.settings import stack_token_file, stack_url
from flows.settings import CatalogSettings, Secret, StackSettings, read_secret_file
from flows.stack import national
from flows.stack.paths import StackPaths

#: A harvest reads every remote page and imports each dataset: longer than one API call.
TIMEOUT = 60.0


def national_client(stack: StackSettings) -> CatalogClient:
    """The national sysadmin's client (token written by `stack up`)."""
    token_file = stack_token_file(stack)
    if not token_file.exists():
        raise ConfigError(f"{token_file} is missing: run `senate-catalog stack up` to start the "
                          "national catalog and create its sysadmin's token")
    return CatalogClient(CatalogSettings(url=stack_url(stack),
                                         token=Secret(read_secret_file(token_file)),
                                         timeout=TIMEOUT))


def harvest(stack: StackSettings, *, dataset_names: Sequence[str] | None = None,
            source_name: str = SOURCE_NAME) -> HarvestResult:
    """Ensure the harvest source for the stack's agency catalog, then harvest it once."""
    client = national_client(stack)
    agency = CatalogClient(CatalogSettings(url=stack.ckan_url, token=Secret("")))
    layout = load_layout(stack.project_root / "catalog_config" / "organization.yaml")
    owner = ensure_organization(client, agency, layout.organization["name"])
    request = source_request(agency_url=stack.ckan_url, name=source_name, owner_org=owner,
                             config=source_config(dataset_names=dataset_names))
    source_id, _ = ensure_source(client, request)
    paths = national.NationalPaths(StackPaths(stack))
    return run_job(client, source_id, lambda: national.run_harvest_job(paths, source_name))
