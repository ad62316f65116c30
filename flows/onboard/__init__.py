"""`senate-catalog new`: draft every file a new dataset needs from one table file.

Modules: ``source_table`` (read the steward's file), ``profile`` (what the values say about a
column), ``schema_draft`` (Table Schema: frictionless describe made Thai-aware),
``suite_draft`` (starter GX suite), ``metadata_draft`` (DGA metadata with TODOs),
``drafts`` (write everything, never overwriting without force), ``todo`` (find what a steward
has not decided yet; plan and publish refuse those datasets).
"""
