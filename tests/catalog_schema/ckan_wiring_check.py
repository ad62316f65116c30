"""Run with the CKAN venv's python: scheming loads our schema and presets and
builds every validator chain, with our IValidators registered as CKAN does.

Exits non-zero (with a traceback) on any unknown validator, missing preset or
unpaired ``*_other`` field. Prints one summary line on success.
"""
import ckan.logic as logic
from ckan.plugins import toolkit
from ckanext.scheming import plugins as scheming_plugins, validation
from ckanext.senate_dga.plugin import SenateDgaPlugin

PRESETS = "ckanext.scheming:presets.json ckanext.senate_dga:schemas/presets.yaml"
SCHEMA = "ckanext.senate_dga:schemas/dga_dataset.yaml"

toolkit.get_validator("not_empty")  # fills the core registry first
# Plugin order of ckan.plugins: senate_dga, then scheming_datasets.
logic._validators_cache.update(SenateDgaPlugin().get_validators())
logic._validators_cache.update(validation.all_validators)

scheming_plugins._SchemingMixin._load_presets({"scheming.presets": PRESETS})
schemas = scheming_plugins._load_schemas([SCHEMA], "dataset_type")
schema = scheming_plugins._expand_schemas(schemas)["dataset"]

count = 0
for group in ("dataset_fields", "resource_fields"):
    for field in schema[group]:
        scheming_plugins._field_validators(field, schema, group == "dataset_fields")
        scheming_plugins._field_output_validators(field, schema, False)
        count += 1
validation.validators_from_string(schema["after_validators"], None, schema)
assert toolkit.get_validator("tag_name_validator").__module__ == "ckanext.senate_dga.validators"
print(f"ok: {count} fields")
