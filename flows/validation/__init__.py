"""Validation stage: frictionless table schema + GX suite + personal-data scan + waivers → one result per dataset."""
