"""The table the validation stage checked, kept for the stages after it in the same process.

    checked = validate_datasets_with_tables(specs, today=today)[dataset_id]
    describe_dataset(spec, result=checked.result, table=checked.table, ...)

Describe (the public copy, the dictionary examples, the data's dates) then works from these
cells instead of reading and parsing the CSV a second time. The table lives
only in memory: it is never part of a cached or persisted result (a Prefect cache hit skips
describe as well), and a stage given none reads the file as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pandas as pd
import pyarrow as pa

from flows.csv_source import UTF8
from flows.validation.findings import Finding

#: The parse cut a line, cell or row at a limit (flows.validation.csv_limits): the cells are
#: then not the file's own text, so the file cannot be published as it is.
CUT_RULES = frozenset({"structure/line-too-long", "structure/cell-too-long",
                       "structure/too-many-cells"})
#: The header is not the schema's field names, in order (flows.validation.header_check).
HEADER_MISMATCH = "structure/header-mismatch"


@dataclass(frozen=True)
class ValidatedTable:
    """One dataset's table as the Table Schema stage read it.

    ``raw``: every data row's cells as written (one Arrow string column per schema field, row
    number = position + 2, null where a short row has no cell); ``frame``: the typed frame
    (flows.validation.frame); ``encoding``: the encoding the file was decoded with;
    ``header_matches``: the header row is exactly the schema's field names, in order (so
    ``raw``'s columns are the file's columns); ``cut``: a limit cut a line, cell or row.
    """

    raw: pa.Table
    frame: pd.DataFrame
    encoding: str
    header_matches: bool
    cut: bool

    @property
    def verbatim(self) -> bool:
        """Whether the file itself is what was read: UTF-8, and no line or cell cut
        (``flows.csv_source.CsvTable.verbatim`` of the same file)."""
        return self.encoding in UTF8 and not self.cut

    def cells_for(self, schema: dict[str, Any]) -> pa.Table | None:
        """``raw`` when it holds the file's columns under ``schema``'s field names, else None:
        a header that differs from the schema (renamed, reordered, extra or missing columns)
        leaves a caller reading the file itself, whose header says which column is which."""
        names = [field.get("name") for field in schema.get("fields", [])]
        if not self.header_matches or self.raw.column_names != names:
            return None
        return self.raw


def validated_table(raw: pa.Table | None, frame: pd.DataFrame, *, encoding: str,
                    findings: Sequence[Finding]) -> ValidatedTable | None:
    """The table to keep from one Table Schema check (None when it read no cells)."""
    if raw is None:
        return None
    rules = {finding.rule for finding in findings}
    return ValidatedTable(raw=raw, frame=frame, encoding=encoding,
                          header_matches=HEADER_MISMATCH not in rules,
                          cut=bool(rules & CUT_RULES))
