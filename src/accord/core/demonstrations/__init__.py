"""Demonstrations as a production stage: written, reviewed against the project's rubric, sent
back and revised, then accepted (as written or with the reviewer's edits) or rejected.

``lifecycle`` holds the state machine (every change one conditional UPDATE, audited),
``rubric`` the project's review settings, ``edits`` the edit distance and diff between
versions, ``reading`` the queue and the views of reviewers and writers, ``quality`` the
per-writer figures of the report.
"""
