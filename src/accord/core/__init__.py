"""The rules of Accord, one package per part of the product, listed from the bottom up: a
package imports only packages above it in this list.

- ``people``: users, tokens, passwords, login sessions, the policy predicates (``access``).
- ``projects``: projects, their settings, dimensions and memberships; progress.
- ``tasks``: what a task shows, what a judgment of it may say, its claim queue.
- ``review``: adjudication, escalation, the disagreement digest, the audit trail.
- ``guidelines``: guideline versions in force, drafts, documents, files, diffs.
- ``work``: claims, leases, submissions and the routing rules (calibration, gold, exposure,
  breaks, rotation).
- ``importing``: reading source files, adapting their formats, checking and writing items.
- ``judging``: generated candidates, model calls, AI judges, their audit, hybrid routing.
- ``report``: the project as arrays, the quality report, the dashboard's figures.
- ``exporting``: the streams exports read, and where each label came from.

``errors`` holds the failures every package raises. ``core`` never imports ``web`` or ``cli``;
functions take a SQLAlchemy ``Connection`` inside a transaction the caller opened, so the same
rule runs from the API, the CLI and the tests.
"""
