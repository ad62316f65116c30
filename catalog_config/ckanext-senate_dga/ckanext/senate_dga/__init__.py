"""CKAN extension: DGA (ckanext-thai_gdc 2.2.x compatible) dataset schema and rules.

The schema and presets live in ``schemas/``; ``rules`` holds the pure rule
functions, ``validators`` their CKAN wrappers, ``plugin`` the IValidators
plugin. Importing this package does not import CKAN.
"""
