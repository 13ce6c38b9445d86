"""Which task an annotator gets next, and what happens when they answer.

Claims and leases (``claims``), submissions and skips (``submissions``), and the routing
rules a project switches on (``rules``): calibration rounds and gold (``calibration``),
exposure to harmful content (``exposure``), breaks and rotation (``breaks_and_rotation``).
The workbench page's view of the loop (``workbench``) and an annotator's day (``workload``)
read through the same engine.

May import: ``db``, ``quality``, ``core.errors``, ``core.people``, ``core.projects``,
``core.tasks``, ``core.guidelines`` (the version in force) and ``core.review`` (a submission
flagged ``unsafe`` opens an escalation).
"""
