"""The Prefect side: the flow and its tasks, deployments and schedules, artifacts, and the
checks of the Prefect server. Every module here imports Prefect (tests/test_layout.py); the
Prefect-free path they wrap is flows.orchestrate.
"""
