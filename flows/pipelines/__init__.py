"""Prefect flows and deployments: the stages of flows/ wired into tasks, retries and caches.

Importing this package imports Prefect; the stages themselves (flows.pipelines.stages) do not
need it.
"""
