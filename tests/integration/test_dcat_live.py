"""Licences, DCAT and the one date story, read back from the real CKAN as the public reads it.

A few datasets (MIT ones and Open Data Common ones) are published from a copy of the project;
``/catalog.ttl`` and each dataset's ``.ttl`` and ``.jsonld`` are parsed with rdflib. Expected
values come from what the pipeline described (its input) and the declared tables
(licence_map.yaml, licenses.json, dcat_frequency.yaml), never from the RDF under test.
pySHACL and ckanext-dcat's DCAT-AP SHACL shapes are not installed offline, so no SHACL run.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.licences import load_licence_map, load_licence_register
from flows.describe.scheming import EXTENSION_DIR  # noqa: F401  (puts the extension on sys.path)
from flows.orchestrate.plan_or_run import plan_or_run
from flows.stack.paths import StackPaths
from tests.integration.publish_helpers import copy_project, download, purge_test_datasets

from ckanext.senate_dga.dcat_terms import load_frequency_table  # noqa: E402

pytestmark = pytest.mark.integration

# Open namespaces: pytest's collection probes module globals, and rdflib's closed ones
# (ns.DCAT, ns.XSD) warn at every unknown attribute.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
XSD = Namespace(str(ns.XSD))
DCTERMS, RDF = ns.DCTERMS, ns.RDF
SPDX = Namespace("http://spdx.org/rdf/terms#")
TODAY = date(2026, 11, 28)
#: MIT (อื่นๆ + MIT License in their metadata) and Open Data Common datasets; senate-votes has
#: พ.ศ. first/last years, kpi-2-3-ita a yearly update frequency and a key to senate-units.
DATASETS = ("senate-votes", "senators", "senate-units", "kpi-2-3-ita")


@pytest.fixture(scope="module")
def published(catalog_settings, stack_settings, tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"), DATASETS)
    runs = plan_or_run(root, client=CountingClient(CatalogClient(catalog_settings)),
                       out_dir=root / "out", today=TODAY, catalog_url=catalog_settings.url,
                       run_id="dcat", dataset_ids=DATASETS)
    assert all(run.status in ("published", "unchanged") for run in runs), \
        [(run.dataset, run.status, run.reason) for run in runs]
    yield root, {run.dataset: run for run in runs}
    purge_test_datasets(catalog_settings, stack_settings, (*DATASETS, "senators-internal"))


@pytest.fixture(scope="module")
def packages(published, ckan_anonymous) -> dict[str, dict[str, Any]]:
    return {name: ckan_anonymous.call("package_show", id=name) for name in DATASETS}


@pytest.fixture(scope="module")
def graphs(published, catalog_settings) -> dict[str, Graph]:
    """Every RDF document under test, by its address."""
    base = catalog_settings.url.rstrip("/")
    found = {f"{base}/catalog.ttl": _parse(f"{base}/catalog.ttl", "turtle")}
    for name in DATASETS:
        for suffix, fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
            url = f"{base}/dataset/{name}.{suffix}"
            found[url] = _parse(url, fmt)
    return found


def _parse(url: str, fmt: str) -> Graph:
    graph = Graph()
    graph.parse(data=download(url).decode("utf-8"), format=fmt)
    return graph


def _documents_of(name: str, graphs: dict[str, Graph]) -> dict[str, Graph]:
    return {url: g for url, g in graphs.items()
            if url.endswith("/catalog.ttl") or f"/dataset/{name}." in url}


def _dataset_node(graph: Graph, package: dict[str, Any]) -> Any:
    [node] = [s for s in graph.subjects(DCTERMS.identifier, Literal(package["id"]))
              if (s, RDF.type, DCAT.Dataset) in graph]
    return node


def _distribution(graph: Graph, dataset: Any, resource: dict[str, Any]) -> Any:
    [node] = [d for d in graph.objects(dataset, DCAT.distribution)
              if str(d).endswith(f"/resource/{resource['id']}")]
    return node


def test_open_licences_are_open_with_their_title_and_url(published, packages) -> None:
    _, runs = published
    register = load_licence_register()
    table = load_licence_map()
    for name, package in packages.items():
        fields = runs[name].described.fields
        licence = table.catalog_licence_id(fields["license_id"], fields.get("license_id_other"))
        assert package["license_id"] == licence, name
        assert package["license_title"] == register[licence]["title"], name
        assert package["license_url"] == register[licence]["url"], name
        assert package["isopen"] is (register[licence]["od_conformance"] == "approved"), name
    # the DGA "other" licence MIT is the register's MIT, open; not "อื่นๆ"
    assert packages["senators"]["license_id"] == "MIT" and packages["senators"]["isopen"] is True
    assert packages["senate-units"]["license_id"] == "Open Data Common"
    assert packages["senate-units"]["isopen"] is True


def test_no_document_holds_an_ill_typed_literal(graphs) -> None:
    for url, graph in graphs.items():
        assert len(graph) > 0, url
        bad = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and o.ill_typed]
        assert bad == [], url


def test_every_dataset_and_distribution_has_its_licence(graphs, packages) -> None:
    for name, package in packages.items():
        licence = URIRef(package["license_url"])
        for url, graph in _documents_of(name, graphs).items():
            dataset = _dataset_node(graph, package)
            assert list(graph.objects(dataset, DCTERMS.license)) == [licence], (url, name)
            assert (licence, RDF.type, DCTERMS.LicenseDocument) in graph
            for resource in package["resources"]:
                distribution = _distribution(graph, dataset, resource)
                assert list(graph.objects(distribution, DCTERMS.license)) == [licence], url


def test_every_uploaded_file_has_a_download_url_and_a_valid_checksum(graphs, packages,
                                                                      published) -> None:
    _, runs = published
    for name, package in packages.items():
        described = {r.kind: r for r in runs[name].described.resources}
        for url, graph in _documents_of(name, graphs).items():
            dataset = _dataset_node(graph, package)
            for resource in package["resources"]:
                assert resource["url_type"] == "upload"
                distribution = _distribution(graph, dataset, resource)
                assert list(graph.objects(distribution, DCAT.downloadURL)) == [
                    URIRef(resource["url"])], url
                [checksum] = graph.objects(distribution, SPDX.checksum)
                assert (checksum, RDF.type, SPDX.Checksum) in graph
                assert list(graph.objects(checksum, SPDX.algorithm)) == [
                    SPDX.checksumAlgorithm_sha256]
                [value] = graph.objects(checksum, SPDX.checksumValue)
                # the digest of the file the pipeline described, bare hex, valid hexBinary
                assert value.datatype == XSD.hexBinary and not value.ill_typed
                assert str(value) == described[resource["senate_kind"]].sha256, url


def test_accrual_periodicity_is_the_eu_term_of_the_dga_frequency(graphs, packages) -> None:
    table = load_frequency_table()
    for name, package in packages.items():
        term = table.term(package["update_frequency_unit"],
                          package.get("update_frequency_interval"))
        expected = URIRef("http://publications.europa.eu/resource/authority/frequency/" + term)
        for url, graph in _documents_of(name, graphs).items():
            dataset = _dataset_node(graph, package)
            assert list(graph.objects(dataset, DCTERMS.accrualPeriodicity)) == [expected], url
    # spot checks against the table's meaning: every 1 year; never updated after collection
    assert packages["kpi-2-3-ita"]["update_frequency_unit"] == "ปี"
    assert table.term("ปี", packages["kpi-2-3-ita"]["update_frequency_interval"]) == "ANNUAL"
    assert table.term(packages["senate-votes"]["update_frequency_unit"], None) == "NEVER"


def test_temporal_coverage_is_the_gregorian_first_and_last_year(graphs, packages) -> None:
    with_years = 0
    for name, package in packages.items():
        first, last = package.get("first_year_of_data"), package.get("last_year_of_data")
        for url, graph in _documents_of(name, graphs).items():
            dataset = _dataset_node(graph, package)
            periods = list(graph.objects(dataset, DCTERMS.temporal))
            if not first and not last:
                assert periods == [], url
                continue
            [period] = periods
            assert (period, RDF.type, DCTERMS.PeriodOfTime) in graph
            # พ.ศ. - 543 = ค.ศ. (senate-votes: พ.ศ. 2562-2563 = 2019-2020)
            assert list(graph.objects(period, DCAT.startDate)) == [
                Literal(str(int(first) - 543), datatype=XSD.gYear)], url
            assert list(graph.objects(period, DCAT.endDate)) == [
                Literal(str(int(last) - 543), datatype=XSD.gYear)], url
            with_years += 1
    assert with_years, "no dataset with first/last_year_of_data among " + ", ".join(DATASETS)


def test_one_date_story_api_dga_and_dcat(graphs, packages, published) -> None:
    _, runs = published
    for name, package in packages.items():
        data_date = runs[name].described.fields["last_updated_date"]   # the data's own
        assert package["last_updated_date"] == data_date
        for resource in package["resources"]:
            assert resource["resource_last_updated_date"] == data_date
            # not the upload time: CKAN's last_modified is the data's date
            assert resource["last_modified"] == f"{data_date}T00:00:00", (name, resource["name"])
        for url, graph in _documents_of(name, graphs).items():
            dataset = _dataset_node(graph, package)
            modified = Literal(data_date, datatype=XSD.date)
            assert list(graph.objects(dataset, DCTERMS.modified)) == [modified], url
            for resource in package["resources"]:
                distribution = _distribution(graph, dataset, resource)
                assert list(graph.objects(distribution, DCTERMS.modified)) == [modified], url


def test_an_upload_by_hand_keeps_the_data_date_and_a_rerun_writes_nothing(
        published, catalog_settings, ckan_admin) -> None:
    root, runs = published
    name = "senate-units"
    data_date = runs[name].described.fields["last_updated_date"]
    package = ckan_admin.call("package_show", id=name)
    data = next(r for r in package["resources"] if r["senate_kind"] == "data")
    same_file = runs[name].described.resources[0].path
    assert hashlib.sha256(same_file.read_bytes()).hexdigest() == data["hash"].split(":")[1]
    # resource_patch with an upload: CKAN's uploader sets last_modified to "now" ...
    with same_file.open("rb") as handle:
        patched = ckan_admin.call("resource_patch", id=data["id"],
                                  files={"upload": (same_file.name, handle)})
    # ... and the extension makes it the data's date again
    assert patched["last_modified"] == f"{data_date}T00:00:00"
    with same_file.open("rb") as handle:
        created = ckan_admin.call("resource_create", package_id=package["id"], name="by hand",
                                  resource_last_updated_date="2020-01-31",
                                  files={"upload": (same_file.name, handle)})
    try:
        assert created["last_modified"] == "2020-01-31T00:00:00"
    finally:
        ckan_admin.call("resource_delete", id=created["id"])
    # the pipeline's plan sees nothing to re-write (the hand-made resource is left alone)
    client = CountingClient(CatalogClient(catalog_settings))
    plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                catalog_url=catalog_settings.url, run_id="dcat-again", dataset_ids=DATASETS)
    assert client.writes == []


def test_catalog_ttl_lists_every_published_dataset(graphs, packages, catalog_settings) -> None:
    catalog = graphs[f"{catalog_settings.url.rstrip('/')}/catalog.ttl"]
    [catalog_node] = catalog.subjects(RDF.type, DCAT.Catalog)
    listed = set(catalog.objects(catalog_node, DCAT.dataset))
    for package in packages.values():
        assert _dataset_node(catalog, package) in listed


def test_sha256_in_the_catalog_is_the_downloaded_bytes(packages) -> None:
    package = packages["senators"]
    for resource in package["resources"]:
        digest = hashlib.sha256(download(resource["url"])).hexdigest()
        assert resource["hash"] == f"sha256:{digest}"



def test_serialising_builds_no_ill_typed_literal_on_the_way(published, packages, stack_settings,
                                                           catalog_settings) -> None:
    """rdflib logs a warning (and a traceback) for every ill-typed literal it is asked to build,
    even one a later profile replaces: the profile never builds one, so the log stays quiet."""
    if catalog_settings.url != stack_settings.ckan_url:
        pytest.skip("reads the local stack's CKAN log")
    log = StackPaths(stack_settings).logfile("ckan")
    start = log.stat().st_size
    base = catalog_settings.url.rstrip("/")
    for name in packages:
        _parse(f"{base}/dataset/{name}.ttl", "turtle")
    _parse(f"{base}/catalog.ttl", "turtle")
    with log.open("rb") as handle:
        handle.seek(start)
        written = handle.read().decode("utf-8", "replace")
    assert "/catalog.ttl" in written or f"/dataset/{next(iter(packages))}" in written
    assert "Failed to convert Literal lexical form" not in written
