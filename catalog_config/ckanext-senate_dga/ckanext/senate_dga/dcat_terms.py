"""What the ``senate_dga`` DCAT profile writes, as pure functions of DGA values.

No CKAN and no rdflib here (PyYAML and the standard library only), so the pipeline's unit tests
check these mappings directly: the EU frequency of a DGA update frequency (the declared table
``catalog_config/dcat_frequency.yaml``), the Gregorian year of a DGA (Buddhist Era) year, and
the algorithm and hex digest of a CKAN resource hash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from ckanext.senate_dga.rules import BUDDHIST_ERA_MIN_YEAR

#: Where the table lives in this repository (the extension is installed from its source folder).
DEFAULT_FREQUENCY_FILE = Path(__file__).resolve().parents[3] / "dcat_frequency.yaml"
BUDDHIST_ERA_OFFSET = 543
#: CKAN resource hashes this project writes are "<algorithm>:<hex digest>" (e.g. sha256:ab12…).
_HASH = re.compile(r"^(?:(?P<algorithm>[A-Za-z0-9-]+):)?(?P<hex>[0-9A-Fa-f]+)$")
#: Digest lengths (hex characters) of the SPDX checksum algorithms, to recognise a bare digest.
_HEX_LENGTHS = {"md5": 32, "sha1": 40, "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128}
_BE_YEAR = re.compile(r"^\s*(?:พ\.ศ\.\s*)?(?P<year>\d{4})\s*$")


class FrequencyTableError(ValueError):
    """The frequency table is missing or malformed; the message says what to fix."""


@dataclass(frozen=True)
class FrequencyTable:
    """DGA update frequency → EU frequency term (``dcat_frequency.yaml``)."""

    base: str
    intervals: Mapping[str, Mapping[int, str]]   # unit -> interval -> term
    units: Mapping[str, str]                      # unit needing no interval -> term
    otherwise: str
    eu_terms: frozenset

    def term(self, unit: Any, interval: Any) -> Optional[str]:
        """The EU term for "every ``interval`` ``unit``", or None without a unit."""
        if not isinstance(unit, str) or not unit:
            return None
        if unit in self.units:
            return self.units[unit]
        every = _whole_number(interval)
        return self.intervals.get(unit, {}).get(every, self.otherwise) if every else self.otherwise

    def uri(self, unit: Any, interval: Any) -> Optional[str]:
        term = self.term(unit, interval)
        return self.base + term if term else None


@lru_cache(maxsize=4)
def load_frequency_table(path: Path = DEFAULT_FREQUENCY_FILE) -> FrequencyTable:
    """Read and check the table: every term it uses is one of its ``eu_terms``."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FrequencyTableError(f"cannot read the DCAT frequency table {path}: {exc}") from exc
    required = {"base", "intervals", "units", "otherwise", "eu_terms"}
    if not isinstance(raw, dict) or not required <= set(raw):
        raise FrequencyTableError(
            f"{path} must hold base, intervals, units, otherwise and eu_terms")
    table = FrequencyTable(
        base=str(raw["base"]),
        intervals={str(unit): {int(k): str(v) for k, v in (terms or {}).items()}
                   for unit, terms in raw["intervals"].items()},
        units={str(k): str(v) for k, v in raw["units"].items()},
        otherwise=str(raw["otherwise"]),
        eu_terms=frozenset(str(t) for t in raw["eu_terms"]))
    used = {table.otherwise, *table.units.values(),
            *(t for terms in table.intervals.values() for t in terms.values())}
    unknown = sorted(used - table.eu_terms)
    if unknown:
        raise FrequencyTableError(f"{path}: {', '.join(unknown)} not in its eu_terms list; "
                                  "use terms of the EU frequency authority table")
    return table


def gregorian_year(buddhist_era_year: Any) -> Optional[int]:
    """The Gregorian (ค.ศ.) year of a DGA year field (first/last_year_of_data), which the DGA
    writes in พ.ศ. ("2563" → 2020). None for anything that is not a four-digit พ.ศ. year: a
    value below พ.ศ. 2400 is more likely a ค.ศ. year typed by mistake, and is never guessed."""
    match = _BE_YEAR.match(str(buddhist_era_year or ""))
    if not match:
        return None
    year = int(match["year"])
    return year - BUDDHIST_ERA_OFFSET if year >= BUDDHIST_ERA_MIN_YEAR else None


def parse_checksum(resource_hash: Any) -> Optional[tuple[str, str]]:
    """(algorithm, lower-case hex digest) of a CKAN resource hash ("sha256:<hex>", or a bare
    digest whose length names the algorithm); None when it is not a known digest, so no
    ill-typed xsd:hexBinary is ever written."""
    match = _HASH.match(str(resource_hash or "").strip())
    if not match:
        return None
    digest = match["hex"].lower()
    algorithm = (match["algorithm"] or "").lower().replace("-", "")
    if not algorithm:
        algorithm = next((a for a, n in _HEX_LENGTHS.items() if n == len(digest)), "")
    if _HEX_LENGTHS.get(algorithm) != len(digest):
        return None
    return algorithm, digest


def _whole_number(value: Any) -> Optional[int]:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and int(text) > 0 else None
