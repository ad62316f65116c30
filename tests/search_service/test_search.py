"""/select as CKAN uses it: dismax, Thai, filters, date math, sorting, paging, fl, facets."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.search_service import wire
from tests.search_service.conftest import SolrClient


Catalog = dict[str, dict[str, Any]]


def _days_ago(days: int) -> str:
    moment = datetime.now(timezone.utc) - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")


@pytest.fixture
def catalog(solr: SolrClient) -> Catalog:
    """A small Senate catalog indexed as CKAN would index it."""
    docs = [
        wire.ckan_index_doc("senate-votes", "ข้อมูลการลงมติของวุฒิสภา",
                            notes="Voting records of the Senate plenary sessions",
                            tags=("votes", "senate"), groups=("politics",), formats=("CSV", "JSON"),
                            modified=_days_ago(2), extras={"source": "Senate Secretariat"}),
        wire.ckan_index_doc("senate-budget", "Senate Budget 2025",
                            notes="Annual budget of the Secretariat", tags=("budget", "senate"),
                            formats=("XLSX",), modified=_days_ago(30)),
        wire.ckan_index_doc("committee-meetings", "รายงานการประชุมคณะกรรมาธิการ",
                            notes="Committee meeting minutes", tags=("committee",),
                            formats=("PDF",), modified=_days_ago(400)),
        wire.ckan_index_doc("private-hr", "Staff records", private=True, tags=("hr",),
                            labels=("member-org-1",)),
        wire.ckan_index_doc("draft-plan", "Draft plan", state="draft"),
        wire.ckan_index_doc("harvested", "Harvest source", dataset_type="harvest"),
    ]
    assert solr.add(*docs).status == 200
    return {doc["name"]: doc for doc in docs}


def _names(solr: SolrClient, catalog: Catalog, **params: Any) -> list[str]:
    by_id = {doc["id"]: name for name, doc in catalog.items()}
    result = solr.select(**params)
    return [by_id[doc["id"]] for doc in result["response"]["docs"]]


def _search(solr: SolrClient, catalog: Catalog, q: str = "",
            **options: Any) -> list[str]:
    return _names(solr, catalog, **wire.package_search_params(q, **options))


# -- package_search (dismax) -----------------------------------------------------------
def test_empty_query_lists_public_active_datasets(solr: SolrClient, catalog: Catalog) -> None:
    names = _search(solr, catalog)
    assert sorted(names) == ["committee-meetings", "harvested", "senate-budget", "senate-votes"]


def test_dismax_words_match_across_qf_fields(solr: SolrClient, catalog: Catalog) -> None:
    assert _search(solr, catalog, "plenary senate") == ["senate-votes"]  # notes + tags
    assert sorted(_search(solr, catalog, "SENATE")) == ["senate-budget", "senate-votes"]


def test_dismax_mm_requires_all_of_two_words_and_most_of_more(solr: SolrClient,
                                                              catalog: Catalog) -> None:
    assert _search(solr, catalog, "senate minutes") == []  # 2 words: both required
    # 3 words: "2<-1" lets one miss
    assert _search(solr, catalog, "committee meeting elephants") == ["committee-meetings"]


def test_dismax_ranks_title_matches_above_text_matches(solr: SolrClient, catalog: Catalog) -> None:
    # "senate" is in senate-budget's title (qf boost 4) but only in senate-votes' notes and
    # tags; "secretariat" is in senate-budget's notes and senate-votes' extras (copied to text).
    assert _search(solr, catalog, "senate") == ["senate-budget", "senate-votes"]
    assert sorted(_search(solr, catalog, "secretariat")) == ["senate-budget", "senate-votes"]


def test_plural_and_case_insensitive_matching(solr: SolrClient, catalog: Catalog) -> None:
    assert _search(solr, catalog, "vote") == ["senate-votes"]
    assert _search(solr, catalog, "Records") == ["senate-votes"]


def test_thai_words_are_found_inside_unspaced_titles(solr: SolrClient, catalog: Catalog) -> None:
    assert _search(solr, catalog, "วุฒิสภา") == ["senate-votes"]
    assert _search(solr, catalog, "การลงมติ") == ["senate-votes"]
    assert _search(solr, catalog, "การประชุม") == ["committee-meetings"]
    assert _search(solr, catalog, "งบประมาณ") == []
    # two Thai words: both must appear
    assert _search(solr, catalog, "ข้อมูล วุฒิสภา") == ["senate-votes"]
    assert _search(solr, catalog, "ข้อมูล กรรมาธิการ") == []


def test_thai_in_fielded_and_phrase_queries(solr: SolrClient, catalog: Catalog) -> None:
    assert _names(solr, catalog, q="title:วุฒิสภา") == ["senate-votes"]
    assert _names(solr, catalog, q='title:"การลงมติของวุฒิสภา"') == ["senate-votes"]
    assert _names(solr, catalog, q="text:คณะกรรมาธิการ") == ["committee-meetings"]


# -- filters ----------------------------------------------------------------------------
def test_ckan_filters_hide_private_draft_and_other_sites(solr: SolrClient,
                                                         catalog: Catalog) -> None:
    other_site = {**wire.ckan_index_doc("elsewhere", "Senate elsewhere"),
                  "site_id": "another-ckan", "index_id": "other-index-id"}
    solr.add(other_site)
    names = _search(solr, catalog, "*:*", fq="-dataset_type:harvest")
    assert sorted(names) == ["committee-meetings", "senate-budget", "senate-votes"]


def test_permission_labels_filter(solr: SolrClient, catalog: Catalog) -> None:
    params = wire.package_search_params("records", labels=["public", "member-org-1"])
    params["fq"][0] = params["fq"][0].replace("+capacity:public", "")  # include_private
    assert sorted(_names(solr, catalog, **params)) == ["private-hr", "senate-votes"]
    params = wire.package_search_params("records", labels=["public"])
    params["fq"][0] = params["fq"][0].replace("+capacity:public", "")
    assert _names(solr, catalog, **params) == ["senate-votes"]


def test_include_drafts_state_filter(solr: SolrClient, catalog: Catalog) -> None:
    names = _names(solr, catalog, q="*:*", fq=["+state:(active OR draft)", "+capacity:public"])
    assert "draft-plan" in names and len(names) == 5


def test_get_index_and_get_all_entity_ids_queries(solr: SolrClient, catalog: Catalog) -> None:
    doc = catalog["senate-budget"]
    found = solr.select(q='name:"%s" OR id:"%s"' % (doc["id"], doc["id"]), rows=1,
                        fq=f'+site_id:"{wire.SITE_ID}" +entity_type:package')
    assert found["response"]["docs"][0]["name"] == "senate-budget"
    ids = solr.select(q="*:*", fq=f'+site_id:"{wire.SITE_ID}" +state:active ', rows=100,
                      fl="id")["response"]["docs"]
    assert len(ids) == 5 and all(list(d) == ["id"] for d in ids)


# -- lucene syntax ------------------------------------------------------------------------
def test_lucene_operators_groups_and_fields(solr: SolrClient, catalog: Catalog) -> None:
    q = "tags:senate AND NOT tags:budget"
    assert _names(solr, catalog, q=q) == ["senate-votes"]
    assert sorted(_names(solr, catalog, q="tags:(budget OR committee)")) == \
        ["committee-meetings", "senate-budget"]
    assert _names(solr, catalog, q="+tags:senate -res_format:CSV") == ["senate-budget"]
    assert _names(solr, catalog, q='notes:"meeting minutes"') == ["committee-meetings"]
    assert _names(solr, catalog, q='notes:"minutes meeting"') == []


def test_q_op_and_makes_bare_terms_required(solr: SolrClient, catalog: Catalog) -> None:
    assert _names(solr, catalog, q="senate budget", **{"q.op": "AND", "df": "text"}) == \
        ["senate-budget"]
    assert len(_names(solr, catalog, q="senate budget", **{"q.op": "OR", "df": "text"})) == 2


def test_wildcards_and_existence(solr: SolrClient, catalog: Catalog) -> None:
    assert sorted(_names(solr, catalog, q="name:senate-*")) == ["senate-budget", "senate-votes"]
    assert _names(solr, catalog, q="extras_source:*") == ["senate-votes"]
    assert _names(solr, catalog, q="title:budg*") == ["senate-budget"]
    assert _names(solr, catalog, q="res_format:[* TO *] AND -res_format:PDF", rows=10,
                  fq="+capacity:public") == ["senate-votes", "senate-budget"]


def test_edismax_mixes_fields_and_free_words(solr: SolrClient, catalog: Catalog) -> None:
    params = {"q": "senate tags:budget", "defType": "edismax", "qf": wire.QUERY_FIELDS,
              "q.op": "AND"}
    assert _names(solr, catalog, **params) == ["senate-budget"]
    # without q.op=AND (and no mm) every clause is optional, as in Solr
    params.pop("q.op")
    assert sorted(_names(solr, catalog, **params)) == ["senate-budget", "senate-votes"]


# -- dates ------------------------------------------------------------------------------
def test_now_date_math_ranges(solr: SolrClient, catalog: Catalog) -> None:
    public = "+capacity:public +state:active -dataset_type:harvest"
    recent = _names(solr, catalog, q="metadata_modified:[NOW-7DAYS TO NOW]", fq=public)
    assert recent == ["senate-votes"]
    month = _names(solr, catalog, q="*:*", fq=[public, "metadata_modified:[NOW/DAY-60DAYS TO *]"],
                   sort="metadata_modified desc")
    assert month == ["senate-votes", "senate-budget"]
    older = _names(solr, catalog, q="metadata_modified:{* TO NOW-1YEAR}", fq=public)
    assert older == ["committee-meetings"]


def test_dcat_modified_since_filter(solr: SolrClient, catalog: Catalog) -> None:
    since = (datetime.now(timezone.utc) - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = wire.package_search_params("*:*", sort="metadata_modified desc")
    params["fq"] += ["-dataset_type:harvest", f"metadata_modified:[{since} TO NOW]"]
    assert _names(solr, catalog, **params) == ["senate-votes"]


# -- sort, paging, fl ----------------------------------------------------------------------
def test_sort_by_string_and_date_fields_with_paging(solr: SolrClient, catalog: Catalog) -> None:
    fq = "+capacity:public +state:active -dataset_type:harvest"
    by_title = _names(solr, catalog, q="*:*", fq=fq, sort="title_string asc")
    # code point order: Latin first, then Thai (ข before ร)
    assert by_title == ["senate-budget", "senate-votes", "committee-meetings"]
    page = solr.select(q="*:*", fq=fq, sort="metadata_modified desc", start=1, rows=1, fl="name")
    assert page["response"]["numFound"] == 3
    assert page["response"]["start"] == 1
    assert page["response"]["docs"] == [{"name": "senate-budget"}]


def test_multiple_sort_keys_and_score(solr: SolrClient, catalog: Catalog) -> None:
    ranked = _names(solr, catalog, q="senate", defType="dismax", qf=wire.QUERY_FIELDS,
                    sort="score desc, metadata_modified asc")
    assert set(ranked) == {"senate-votes", "senate-budget"}
    by_type = _names(solr, catalog, q="*:*", sort="dataset_type desc, name asc",
                     fq="+state:active +capacity:public")
    assert by_type == ["harvested", "committee-meetings", "senate-budget", "senate-votes"]


def test_fl_selects_fields_and_score(solr: SolrClient, catalog: Catalog) -> None:
    result = solr.select(q="senate", defType="dismax", qf=wire.QUERY_FIELDS, fl="id,name score")
    docs = result["response"]["docs"]
    assert all(set(doc) == {"id", "name", "score"} for doc in docs)
    assert result["response"]["maxScore"] == max(doc["score"] for doc in docs)
    extras = solr.select(q="name:senate-votes", fl="extras_*")["response"]["docs"]
    assert extras == [{"extras_source": "Senate Secretariat"}]


# -- facets -----------------------------------------------------------------------------
def test_facet_counts_in_solr_flat_format(solr: SolrClient, catalog: Catalog) -> None:
    result = solr.select(**wire.package_search_params("*:*"))
    fields = result["facet_counts"]["facet_fields"]
    assert fields["tags"][:2] == ["senate", 2]
    assert dict(zip(fields["tags"][::2], fields["tags"][1::2])) == {
        "senate": 2, "votes": 1, "budget": 1, "committee": 1}
    assert fields["organization"] == ["data-office", 4]
    assert fields["groups"] == ["politics", 1]
    assert fields["license_id"] == ["odc-by", 4]


def test_facet_limit_sort_and_mincount(solr: SolrClient, catalog: Catalog) -> None:
    result = solr.select(q="*:*", fq="+capacity:public", facet="true",
                         **{"facet.field": "res_format", "facet.sort": "index",
                            "facet.limit": "2", "facet.mincount": "1"})
    assert result["facet_counts"]["facet_fields"]["res_format"] == ["CSV", 1, "JSON", 1]
    zero = solr.select(q="name:senate-budget", facet="true", rows=0,
                       **{"facet.field": "res_format", "facet.mincount": "0"})
    counts = zero["facet_counts"]["facet_fields"]["res_format"]
    assert counts[:2] == ["XLSX", 1] and counts.count(0) == 3
