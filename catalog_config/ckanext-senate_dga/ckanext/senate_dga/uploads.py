"""Uploaded files leave CKAN's storage together with their resource.

Left to itself, CKAN keeps an uploaded file under ``ckan.storage_path`` for good:
``resource_delete``, and ``package_update``/``package_patch`` without the resource, only mark
the resource deleted; ``dataset_purge`` drops its rows; an upload replaced through the API by a
link stays as well. A file withdrawn from the catalog must not stay readable on the host.

The rule, applied whenever CKAN commits a change to a resource: a stored file may exist only
for an active resource whose ``url_type`` is ``upload``; for any other its file is removed. The
path comes from CKAN's uploader API, so an ``IUploader`` plugin's layout is honoured.

Why ``IDomainObjectModification`` and not ``IResourceController``: the resource hooks run for
``resource_delete`` only, never for resources that ``package_update`` drops or that
``dataset_purge`` removes. CKAN 2.11 notifies every new, changed and purged resource just
before each commit (``ckan/model/modification.py``), which covers all three ways.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from ckan import model
from ckan.lib import uploader
from ckan.logic import ValidationError

log = logging.getLogger(__name__)

UPLOAD = "upload"


def forget_withdrawn_upload(entity: Any, operation: Any) -> None:
    """Remove the stored file of a resource that no longer needs one (see the module doc)."""
    if isinstance(entity, model.Resource) and not needs_stored_file(entity, operation):
        remove_stored_file(entity.id)


def needs_stored_file(resource: model.Resource, operation: Any) -> bool:
    """True while the resource is an active upload (not purged, not deleted, not a link)."""
    return (operation != model.DomainObjectOperation.deleted
            and resource.state == model.State.ACTIVE
            and resource.url_type == UPLOAD)


def remove_stored_file(resource_id: str) -> bool:
    """Delete the stored file of ``resource_id`` if there is one; True if a file was removed.

    Failures are logged, never raised: a file that cannot be removed must not undo the
    deletion the user asked for.
    """
    if not uploader.get_storage_path():
        return False
    try:
        path = uploader.get_resource_uploader({"id": resource_id}).get_path(resource_id)
        os.remove(path)
    except FileNotFoundError:
        return False
    except (OSError, ValidationError) as exc:
        log.warning("the stored file of withdrawn resource %s was not removed: %s",
                    resource_id, exc)
        return False
    log.info("removed the stored file of withdrawn resource %s", resource_id)
    return True
