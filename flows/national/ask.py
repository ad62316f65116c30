"""Ask the national catalog what it holds of ours, and keep the answer for the pipeline.

    answer = ask_national(config, names=())

Reads both catalogs (flows.national.status compares them) and keeps a whole-catalog answer in
``<out>/national/status.json`` (flows.national.answer), where KPI 1.3 condition 7 reads it.
"""

from __future__ import annotations

from datetime import datetime

from flows import catalog
from flows.config import Config
from flows.errors import CatalogError, ConfigError
from flows.national.answer import write_answer
from flows.national.status import NationalStatus, national_status, unanswered
from flows.settings import CatalogSettings, Secret, read_secret_file
from flows.today import BANGKOK


def ask_national(config: Config, names: tuple[str, ...]) -> NationalStatus:
    """Read both catalogs, keep the answer in the output folder (a whole-catalog answer only),
    return it. A catalog that does not answer is kept as such (condition 7 then says why) and
    raised (exit 3); ``names`` the agency catalog does not hold are a ConfigError."""
    pipeline, settings = config.pipeline, config.national
    out = pipeline.out_dir
    national_url = settings.checked_url()
    token = read_secret_file(settings.token_file) if settings.token_file.exists() else ""
    national = catalog.CatalogClient(CatalogSettings(url=national_url, token=Secret(token),
                                                     timeout=pipeline.timeout))
    agency = catalog.CatalogClient(pipeline.catalog)
    checked_at = datetime.now(BANGKOK).isoformat(timespec="seconds")
    try:
        answer = national_status(agency, national, agency_url=pipeline.catalog_url,
                                 national_url=national_url, checked_at=checked_at, names=names)
    except CatalogError as exc:
        if not names:
            write_answer(out, unanswered(agency_url=pipeline.catalog_url,
                                         national_url=national_url, checked_at=checked_at,
                                         error=str(exc)))
        raise
    if not names:
        write_answer(out, answer)
    else:
        unknown = sorted(set(names) - {d.name for d in answer.datasets})
        if unknown:
            raise ConfigError(f"no dataset {', '.join(unknown)} in the agency catalog "
                              f"{pipeline.catalog_url}; name datasets as the catalog does")
    return answer
