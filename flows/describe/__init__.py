"""Describe stage: DGA metadata (declared + derived), data dictionary, public copy."""
