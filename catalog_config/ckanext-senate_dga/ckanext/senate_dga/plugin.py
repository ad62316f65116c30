"""The ``senate_dga`` CKAN plugin: registers the DGA validators.

The schema itself is loaded by ckanext-scheming from
``ckanext.senate_dga:schemas/dga_dataset.yaml``; this plugin supplies
the validators that the schema names, removes the stored files of
withdrawn resources (``uploads``) and keeps the search service's
credentials out of search errors (``search_errors``).
"""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins as plugins

from ckanext.senate_dga import datastore_replace, search_errors, uploads, validators
from ckanext.senate_dga.classification import load_policy

#: ckan.ini option naming the classification policy file (default: the repository's
#: catalog_config/classification.yaml, next to this extension's source folder).
POLICY_OPTION = "senate_dga.classification_policy"


class SenateDgaPlugin(plugins.SingletonPlugin):
    """Validators for the Senate Secretariat's DGA dataset schema."""

    plugins.implements(plugins.IValidators)
    # Told of every resource change before each commit: withdrawn uploads leave the disk.
    plugins.implements(plugins.IDomainObjectModification, inherit=True)
    # package_search errors lose the search service's credentials CKAN puts in its URL.
    plugins.implements(plugins.IActions)
    plugins.implements(plugins.IConfigurable)

    def configure(self, config: Any) -> None:
        # Read once at start-up: a broken policy file stops CKAN with the file's problem
        # rather than letting a dataset through under a half-read rule.
        validators.configure_policy(load_policy(config.get(POLICY_OPTION) or None))

    def get_validators(self) -> dict[str, Callable]:
        return validators.get_validators()

    def notify(self, entity: Any, operation: Any) -> None:
        uploads.forget_withdrawn_upload(entity, operation)

    def get_actions(self) -> dict[str, Callable]:
        # + the DataStore table replaced in one transaction, and the digest stored with it
        return {**search_errors.scrubbing_actions(), **datastore_replace.get_actions()}
