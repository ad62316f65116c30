"""The ``senate_dga`` CKAN plugin: registers the DGA validators.

The schema itself is loaded by ckanext-scheming from
``ckanext.senate_dga:schemas/dga_dataset.yaml``; this plugin only supplies
the validators that the schema names.
"""
from __future__ import annotations

from typing import Callable

import ckan.plugins as plugins

from ckanext.senate_dga import validators


class SenateDgaPlugin(plugins.SingletonPlugin):
    """Validators for the Senate Secretariat's DGA dataset schema."""

    plugins.implements(plugins.IValidators)

    def get_validators(self) -> dict[str, Callable]:
        return validators.get_validators()
