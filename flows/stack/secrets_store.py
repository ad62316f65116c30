"""Generated passwords and keys for one stack instance, kept in a 0600 JSON file.

They are created once on the first ``up`` and reused; ``reset`` deletes them with the data.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from flows.settings import Secret, read_secret_file

#: One generated value per name; a name added here is generated on the next ``up`` of an
#: existing instance, the values already there are kept.
_NAMES = ("postgres_superuser", "ckan_db", "redis", "ckan_secret_key", "admin_password",
          "search_password", "datastore_ro",
          # The national catalog (GD Catalog stand-in): its own role, key, sysadmin, search core.
          "national_db", "national_secret_key", "national_admin_password",
          "national_search_password")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that only the owner can ever read it (no 0644 window)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def load_or_create(path: Path) -> dict[str, Secret]:
    """Return the instance's secrets, generating any that are missing."""
    stored: dict[str, str] = json.loads(read_secret_file(path)) if path.exists() else {}
    missing = [name for name in _NAMES if not stored.get(name)]
    for name in missing:
        stored[name] = secrets.token_urlsafe(24)
    if missing:
        write_private(path, json.dumps(stored, indent=2))
    return {name: Secret(value) for name, value in stored.items()}
