"""Projects: their settings, dimensions and memberships (``project``), and how far a project
has come (``progress``).

May import: ``db``, ``core.errors``, ``core.people``.
"""
