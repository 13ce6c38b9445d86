"""The API's wire format: the models the server answers with and the Python SDK reads.

Pydantic only, and nothing of Accord's outside this package, so ``accord.client`` shares
these models without importing the server (FastAPI, SQLAlchemy, NumPy). The server's
routes name them as their ``response_model``; request bodies, which carry the bounds that
``core`` enforces, stay in ``web/api/schemas.py``.

- ``projects``: who the caller is, projects, their progress.
- ``work``: the annotation loop (the next task, a submission, a skip), calibration rounds
  and work rules.
- ``review``: split decisions, adjudications and escalations.
- ``oversight``: the audit trail and the disagreement digest.
- ``guidelines``: guideline versions, previews, Markdown.
- ``report``: the quality report.
"""
