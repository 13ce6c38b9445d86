"""The quality report as typed models: what ``build_report`` returns and everyone reads.

One schema for every reader: the JSON API (its ``response_model``, so OpenAPI documents
each section and field), ``accord report --json``, the text and HTML renderers, the data
card and the dashboard read the same attributes. The models hold only plain values (per-
annotator figures are plain dicts keyed by name), built once from the report's arrays.

The JSON document is ``QualityReport.as_json()``: a field with a default is one that some
reports leave out (the gold columns of a project without gold, ``consensus.stored`` of a
report that stores nothing), and it is absent from the document unless the report set it.

Imports nothing of Accord's but this package, so an SDK can share it.
"""

from accord.wire.report.document import Counts, QualityReport, ReportScope

__all__ = ["Counts", "QualityReport", "ReportScope"]
