"""The ``senate_dga`` DCAT profile: DCAT-AP 3 (``euro_dcat_ap_3``) plus what the DGA fields say.

It is the catalog's only profile (``ckanext.dcat.rdf.profiles`` in ckan.ini). It hands
DCAT-AP 3 the dataset with checksums split into algorithm and hex (CKAN's hash is
``sha256:<hex>``, which DCAT-AP 3 would write as an ill-typed ``xsd:hexBinary``), then corrects
the graph from the DGA fields, replacing a triple rather than adding a second one:

- ``dct:license`` on the dataset and on every distribution: the URL of the dataset's licence in
  the catalog's register (``license_url``), a ``dct:LicenseDocument``;
- ``dcat:downloadURL`` for every uploaded file (DCAT-AP writes only ``dcat:accessURL``);
- ``dct:accrualPeriodicity`` from ``update_frequency_unit`` / ``update_frequency_interval``
  (the EU frequency vocabulary, ``catalog_config/dcat_frequency.yaml``);
- ``dct:modified``: the data's own last update (``last_updated_date``, and each file's
  ``resource_last_updated_date``), not when the record was last saved;
- ``dct:temporal``: a ``dct:PeriodOfTime`` from ``first_year_of_data`` / ``last_year_of_data``
  (พ.ศ. years, written as ค.ศ. ``xsd:gYear``);
- ``spdx:checksum`` (written by DCAT-AP 3 from the split hash): the algorithm as an SPDX term
  and the bare hex digest.
"""
from __future__ import annotations

import datetime
from typing import Any, Optional

from rdflib import BNode, Literal, URIRef

from ckanext.dcat.profiles import DCAT, DCT, RDF, SPDX, XSD, CleanedURIRef
from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile
from ckanext.dcat.utils import resource_uri

from ckanext.senate_dga import dcat_terms

UPLOAD = "upload"


class SenateDgaProfile(EuropeanDCATAP3Profile):
    """DCAT-AP 3 with what the DGA fields say."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        super().graph_from_dataset(_with_spdx_checksums(dataset_dict), dataset_ref)
        licence = self._licence(dataset_dict)
        self._set(dataset_ref, DCT.license, licence)
        self._set(dataset_ref, DCT.accrualPeriodicity, self._frequency(dataset_dict))
        self._set(dataset_ref, DCT.modified, _date(dataset_dict.get("last_updated_date")))
        self._set_temporal(dataset_ref, dataset_dict)
        for resource in dataset_dict.get("resources", []):
            distribution = CleanedURIRef(resource_uri(resource))
            self._distribution(distribution, resource, licence)

    def _distribution(self, distribution: Any, resource: dict[str, Any],
                      licence: Optional[URIRef]) -> None:
        self._set(distribution, DCT.license, licence)
        if resource.get("url_type") == UPLOAD and resource.get("url"):
            self._set(distribution, DCAT.downloadURL, CleanedURIRef(resource["url"]))
        self._set(distribution, DCT.modified,
                  _date(resource.get("resource_last_updated_date")))

    def _licence(self, dataset_dict: dict[str, Any]) -> Optional[URIRef]:
        url = dataset_dict.get("license_url")
        if not url:
            return None   # "อื่นๆ" has no document to point at; the pipeline never sends it
        licence = CleanedURIRef(url)
        self.g.add((licence, RDF.type, DCT.LicenseDocument))
        if dataset_dict.get("license_title"):
            self.g.set((licence, DCT.title, Literal(dataset_dict["license_title"])))
        return licence

    def _frequency(self, dataset_dict: dict[str, Any]) -> Optional[URIRef]:
        uri = dcat_terms.load_frequency_table().uri(
            dataset_dict.get("update_frequency_unit"),
            dataset_dict.get("update_frequency_interval"))
        if uri is None:
            return None
        frequency = URIRef(uri)
        self.g.add((frequency, RDF.type, DCT.Frequency))
        return frequency

    def _set_temporal(self, dataset_ref: Any, dataset_dict: dict[str, Any]) -> None:
        start = dcat_terms.gregorian_year(dataset_dict.get("first_year_of_data"))
        end = dcat_terms.gregorian_year(dataset_dict.get("last_year_of_data"))
        if start is None and end is None:
            return
        for period in list(self.g.objects(dataset_ref, DCT.temporal)):
            self._remove_node(dataset_ref, DCT.temporal, period)
        period = BNode()
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        for predicate, year in ((DCAT.startDate, start), (DCAT.endDate, end)):
            if year is not None:
                self.g.add((period, predicate, Literal(f"{year:04d}", datatype=XSD.gYear)))
        self.g.add((dataset_ref, DCT.temporal, period))

    def _set(self, subject: Any, predicate: Any, value: Any) -> None:
        """Replace every ``predicate`` of ``subject`` with ``value`` (kept when None)."""
        if value is not None:
            self.g.set((subject, predicate, value))

    def _remove_node(self, subject: Any, predicate: Any, node: Any) -> None:
        self.g.remove((subject, predicate, node))
        if isinstance(node, BNode):
            self.g.remove((node, None, None))


def _with_spdx_checksums(dataset_dict: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``dataset_dict`` whose resources' ``hash`` is the bare hex digest and
    ``hash_algorithm`` its SPDX term; a hash that does not parse is left out, never guessed."""
    resources = []
    for resource in dataset_dict.get("resources", []):
        parsed = dcat_terms.parse_checksum(resource.get("hash"))
        resource = {key: value for key, value in resource.items()
                    if key not in ("hash", "hash_algorithm")}
        if parsed is not None:
            algorithm, digest = parsed
            resource.update(hash=digest,
                            hash_algorithm=str(SPDX[f"checksumAlgorithm_{algorithm}"]))
        resources.append(resource)
    return {**dataset_dict, "resources": resources}


def _date(value: Any) -> Optional[Literal]:
    """An ISO date (YYYY-MM-DD, as the DGA date fields hold it) as ``xsd:date``."""
    text = str(value or "")[:10]
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return None   # never an ill-typed literal
    return Literal(day.isoformat(), datatype=XSD.date)
