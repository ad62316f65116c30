"""Run one harvest job of a national-catalog harvest source, synchronously, and print its id.

Runs inside CKAN's virtualenv (``.stack/ckan-venv/bin/python national_harvest.py NATIONAL_INI
SOURCE``), in-process like ckan_bootstrap.py. It runs ckanext-harvest's own stages
(``queue.gather_stage``, then ``queue.fetch_and_import_stages`` for each object, then
``harvest_jobs_run`` to close the job and count it) exactly as ``ckan harvester run-test`` does,
but without that command's dependency on ckanext-harvest's test factories (factory_boy, a
development-only package) and without its question on stdin when a job was left running (such a
job, from a harvest killed half-way, is aborted). Output: one JSON line, {"job_id": ...}.
"""

from __future__ import annotations

import json
import sys


def main(ini_path: str, source_name: str) -> int:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini_path))
    with app._wsgi_app.test_request_context():  # actions need a request context
        job_id = _run(source_name)
    print(json.dumps({"job_id": job_id}))
    return 0


def _run(source_name: str) -> str:
    import ckan.model as model
    from ckan.logic import get_action
    from ckanext.harvest import queue
    from ckanext.harvest.logic import HarvestJobExists
    from ckanext.harvest.model import HarvestJob, HarvestObject

    site_user = get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"model": model, "session": model.Session, "user": site_user["name"],
               "ignore_auth": True}
    source = get_action("harvest_source_show")(dict(context), {"id": source_name})
    if get_action("harvest_job_list")(dict(context), {"source_id": source["id"],
                                                      "status": "Running"}):
        get_action("harvest_job_abort")(dict(context), {"source_id": source["id"]})
    try:
        # run=False: no message on the gather queue; this process runs the stages itself.
        job_dict = get_action("harvest_job_create")(
            dict(context), {"source_id": source["id"], "run": False})
    except HarvestJobExists:
        job_dict = get_action("harvest_job_list")(
            dict(context), {"source_id": source["id"], "status": "New"})[0]
    job = HarvestJob.get(job_dict["id"])
    job.status = "Running"
    job.save()
    harvester = queue.get_harvester(source["source_type"])
    if harvester is None:
        raise SystemExit(f"no harvester of type {source['source_type']!r} is loaded; add its "
                         "plugin to ckan.plugins of the national catalog's ckan.ini")
    object_ids = queue.gather_stage(harvester, job)
    for object_id in object_ids if isinstance(object_ids, list) else []:
        queue.fetch_and_import_stages(harvester, HarvestObject.get(object_id))
    # Marks the job Finished (every object done) and stores its counts.
    get_action("harvest_jobs_run")(dict(context), {"source_id": source["id"]})
    return job.id


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
