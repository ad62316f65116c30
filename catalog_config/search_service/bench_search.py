"""Time CKAN's ``package_search`` at catalog size, through CKAN, against the search service.

Two steps, both against a running catalog (a stack instance of your own, never ``demo``):

1. ``--fill N`` clones the datasets already published until the catalog holds N datasets.
   Clones copy a published package (so ckanext-scheming's DGA fields stay valid), drop its ids,
   and vary the name, title, notes, tags and groups with Thai and English words. Their names
   start with ``bench-`` so they are easy to find and purge.
2. It then runs about 200 searches, the way CKAN's dataset page does (facets on organization,
   groups, tags, res_format and license_id; ``rows=20``), and prints p50/p99 per kind of query:
   Thai words, English words, a group filter (``fq=groups:...``), sorted by
   ``metadata_modified desc``, and by score.

Run it with the pipeline's virtualenv (it needs ckanapi), e.g. for stack instance h3:

    .venv/bin/python catalog_config/search_service/bench_search.py \\
        --ckan-url http://127.0.0.1:24500 --token-file .stack/h3/api-token --fill 1000

The times are wall-clock times of the whole API call as a client sees them (CKAN plus search).
"""

from __future__ import annotations

import argparse
import copy
import math
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import ckanapi

FACETS = ["organization", "groups", "tags", "res_format", "license_id"]
THAI_WORDS = ["วุฒิสภา", "สมาชิก", "การลงมติ", "งบประมาณ", "กฎหมาย", "ข้อมูล", "รายงาน",
              "การประชุม", "คณะกรรมาธิการ", "สถิติ", "ร่างพระราชบัญญัติ", "ครู", "การศึกษา",
              "ประชาชน", "งบประมาณรายจ่าย", "ญัตติ"]
ENGLISH_WORDS = ["senate", "members", "votes", "budget", "law", "data", "report", "meeting",
                 "committee", "statistics", "bill", "teachers", "education", "motion"]
_SYSTEM_KEYS = ("id", "revision_id", "metadata_created", "metadata_modified", "num_resources",
                "num_tags", "relationships_as_object", "relationships_as_subject",
                "tracking_summary", "organization", "creator_user_id", "state")
_RESOURCE_KEYS = ("id", "package_id", "created", "last_modified", "metadata_modified",
                  "position", "cache_last_updated", "cache_url", "datastore_active",
                  "datastore_contains_all_records_of_source_file", "state", "revision_id",
                  "tracking_summary")


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    token = Path(args.token_file).read_text(encoding="utf-8").strip()
    ckan = ckanapi.RemoteCKAN(args.ckan_url, apikey=token)
    if args.fill:
        fill(ckan, args.fill, seed=args.seed, workers=args.workers)
    total = ckan.action.package_search(rows=0)["count"]
    print(f"catalog: {total} datasets at {args.ckan_url}")
    groups: list[str | None] = list(ckan.action.group_list()) or [None]
    timings = run_queries(ckan, _queries(groups, args.repeat, random.Random(args.seed)))
    _print_table(timings)
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ckan-url", required=True, help="e.g. http://127.0.0.1:24500")
    parser.add_argument("--token-file", required=True, help="a sysadmin API token, one line")
    parser.add_argument("--fill", type=int, default=0,
                        help="clone published datasets until the catalog holds this many")
    parser.add_argument("--repeat", type=int, default=3,
                        help="how often each query is asked (default 3: ~200 searches)")
    parser.add_argument("--workers", type=int, default=2, help="parallel creates for --fill")
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args(argv)


# --- filling the catalog ---------------------------------------------------------------------

def fill(ckan: ckanapi.RemoteCKAN, target: int, *, seed: int, workers: int) -> None:
    """Clone published packages until the catalog has ``target`` datasets."""
    names = ckan.action.package_list()
    templates = [ckan.action.package_show(id=n) for n in names if not n.startswith("bench-")]
    if not templates:
        raise SystemExit("no published dataset to clone: publish the demo datasets first "
                         "(senate-catalog run)")
    groups = ckan.action.group_list()
    missing = target - len(names)
    print(f"cloning {max(missing, 0)} datasets from {len(templates)} templates ...")
    rng = random.Random(seed)
    taken = set(names)
    jobs = []
    for number in range(len(names), target):
        name = f"bench-{number:04d}"
        if name in taken:
            continue
        jobs.append(clone(rng.choice(templates), name, groups, random.Random(rng.random())))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done, _ in enumerate(pool.map(lambda p: ckan.action.package_create(**p), jobs), 1):
            if done % 100 == 0:
                print(f"  {done}/{len(jobs)} created ({time.perf_counter() - started:.0f} s)")


def clone(template: dict[str, Any], name: str, groups: list[str],
          rng: random.Random) -> dict[str, Any]:
    """A new, valid package dict made from ``template`` with varied text, tags and groups."""
    package = copy.deepcopy(template)
    for key in _SYSTEM_KEYS:
        package.pop(key, None)
    package["name"] = name
    thai, english = rng.sample(THAI_WORDS, 3), rng.sample(ENGLISH_WORDS, 3)
    package["title"] = f"{' '.join(thai[:2])} {english[0].title()} {name[-4:]}"
    package["notes"] = (f"{package.get('notes') or ''}\n\n{''.join(thai)}: "
                        f"{' '.join(english)} ({name})")
    tags = [t["name"] for t in package.get("tags", [])] + rng.sample(ENGLISH_WORDS, 2)
    package["tags"] = [{"name": t} for t in dict.fromkeys(tags)]
    if groups:
        package["groups"] = [{"name": g} for g in rng.sample(groups, min(len(groups),
                                                                      rng.randint(1, 2)))]
    package["resources"] = [_resource(r) for r in package.get("resources", [])]
    return package


def _resource(resource: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in resource.items() if k not in _RESOURCE_KEYS}
    if clean.get("url_type") == "upload":
        # A clone points at the original file instead of uploading it again.
        clean["url_type"] = None
    return clean


# --- timing searches -------------------------------------------------------------------------

Query = tuple[str, dict[str, Any]]


def _queries(groups: list[str | None], repeat: int, rng: random.Random) -> list[Query]:
    base = {"facet.field": FACETS, "rows": 20, "include_private": True}
    queries: list[Query] = []
    for word in THAI_WORDS:
        queries.append(("thai", {**base, "q": word}))
    for word in ENGLISH_WORDS:
        queries.append(("english", {**base, "q": word}))
    for word in THAI_WORDS[:8] + ENGLISH_WORDS[:4]:
        group = rng.choice(groups)
        fq = f"groups:{group}" if group else ""
        queries.append(("thai+fq groups" if word in THAI_WORDS else "english+fq groups",
                        {**base, "q": word, "fq": fq}))
    for word in THAI_WORDS[:8] + ENGLISH_WORDS[:4]:
        queries.append(("sort modified", {**base, "q": word, "sort": "metadata_modified desc"}))
    for word in THAI_WORDS[8:] + ENGLISH_WORDS[4:8]:
        queries.append(("sort score", {**base, "q": word, "sort": "score desc"}))
    queries.append(("all (q empty)", {**base, "q": ""}))
    queries = queries * repeat
    rng.shuffle(queries)
    return queries


def run_queries(ckan: ckanapi.RemoteCKAN, queries: list[Query]) -> dict[str, list[float]]:
    """Ask each query once (after one untimed warm-up call); seconds per kind."""
    ckan.action.package_search(q="warm up", rows=1)
    timings: dict[str, list[float]] = {}
    for kind, params in queries:
        elapsed = _timed(lambda: ckan.action.package_search(**params))
        timings.setdefault(kind, []).append(elapsed)
        timings.setdefault("ALL", []).append(elapsed)
    return timings


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p99 of 200 values is the 2nd slowest)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def _print_table(timings: dict[str, list[float]]) -> None:
    print(f"{'query kind':<20} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8}")
    for kind in sorted(timings, key=lambda k: (k == "ALL", k)):
        values = timings[kind]
        print(f"{kind:<20} {len(values):>4} {percentile(values, 0.5) * 1000:>8.1f} "
              f"{percentile(values, 0.99) * 1000:>8.1f} {max(values) * 1000:>8.1f} "
              f"{statistics.fmean(values) * 1000:>8.1f}")


if __name__ == "__main__":
    sys.exit(main())
