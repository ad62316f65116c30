"""The Table Schema check, column by column on Arrow arrays (frictionless stays the oracle).

- ``raw_table``: the CSV's cells as Arrow string columns (pyarrow's reader; Python's ``csv``
  module for the files pyarrow cannot read exactly), with the rows whose width is wrong.
- ``cell_types``: each column's typed values, type errors and cell constraints, vectorised for
  the canonical forms and by frictionless' own cell reader for every other distinct value.
- ``row_rules``: blank rows, missing and extra cells, unique fields, the primary key and
  self-referencing foreign keys, across rows.
- ``check``: the stage, turning all of it into findings and the typed frame.
"""
