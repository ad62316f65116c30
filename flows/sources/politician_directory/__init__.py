"""Readers of ELECT's politician-directory YAML files (github.com/electinth/politician-directory,
MIT, © 2022 ELECT): the Senate's votes, its senators, and each senator's vote on each vote."""

from flows.sources.politician_directory.senate_votes import read_senate_votes
from flows.sources.politician_directory.senator_votes import read_senator_votes
from flows.sources.politician_directory.senators import read_senators

__all__ = ["read_senate_votes", "read_senator_votes", "read_senators"]
