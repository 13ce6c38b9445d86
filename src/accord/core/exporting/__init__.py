"""What exports read from the database, as streams that never hold a whole project: the
preference export's merged streams (``streams``), the raw and SFT record streams
(``records``), and where each label came from (``provenance``, ``label_source``).

The file formats themselves live in ``accord.exports``, which reads through this package.
May import: ``db``, ``quality``, ``core.projects``.
"""
