"""Where each piece of the local stack keeps its files (all under one git-ignored folder).

    .stack/ckan-venv/            CKAN's own virtualenv, shared by every instance
    .stack/<instance>/secrets.json, api-token   (0600)
    .stack/<instance>/postgres/  cluster, socket dir, log; or a link to them under the postgres
                                 user's home when that user cannot reach the clone (``cluster_dir``)
    .stack/<instance>/redis/     dump, pid, log
    .stack/<instance>/search/    index, credentials (0600), pid, log
    .stack/<instance>/ckan/      ckan.ini (0600), storage/, pid, log
    .stack/<instance>/prefect/   PREFECT_HOME; pid and log of the server and of its worker
    .stack/<instance>/national/  the national catalog: ckan.ini (0600), api-token (0600),
                                 storage/, pid, log (``national``)
    .stack/<instance>/national-search/  its search process: index, credentials, pid, log

The folders of redis, search, ckan and prefect are 0700 (``permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.settings import StackSettings


@dataclass(frozen=True)
class StackPaths:
    """Derived file locations for one stack instance."""

    settings: StackSettings

    @property
    def root(self) -> Path:
        return self.settings.state_dir

    @property
    def instance(self) -> Path:
        return self.root / self.settings.instance

    @property
    def ckan_venv(self) -> Path:
        return self.root / "ckan-venv"

    def venv_bin(self, name: str) -> Path:
        return self.ckan_venv / "bin" / name

    @property
    def secrets(self) -> Path:
        return self.instance / "secrets.json"

    @property
    def token(self) -> Path:
        return self.settings.token_file

    def service_dir(self, service: str) -> Path:
        return self.instance / service

    def pidfile(self, service: str) -> Path:
        return self.service_dir(service) / f"{service}.pid"

    def logfile(self, service: str) -> Path:
        return self.service_dir(service) / f"{service}.log"

    @property
    def ckan_ini(self) -> Path:
        return self.service_dir("ckan") / "ckan.ini"

    @property
    def ckan_storage(self) -> Path:
        return self.service_dir("ckan") / "storage"

    @property
    def catalog_config(self) -> Path:
        return self.settings.project_root / "catalog_config"
