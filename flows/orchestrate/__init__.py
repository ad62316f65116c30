"""The pipeline's one path, without Prefect: what `plan` runs, and what the Prefect flow
(flows.pipelines.catalog_flow) runs with its steps made tasks.

- ``plan_or_run``: select, derive, validate, describe, gate, plan and publish or withdraw each
  dataset, then write its run record (``Steps`` is the seam the Prefect flow replaces).
- ``stages``: each stage of one dataset as a plain function (ingest, prepare, register).
- ``derive``: the derived datasets' writers (KPI scorecard, KPI 1.3 conditions, dictionary).
- ``fingerprint`` and ``code_hash``: the content hashes that make an unchanged dataset skip.
- ``outcome``: what one dataset's run came to, and its run record.
"""
