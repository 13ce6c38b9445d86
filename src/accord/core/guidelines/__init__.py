"""Guideline versions: the one in force as annotators read it (``current``), drafts as managers
edit and publish them (``drafts``, checked whole by ``document``, written to and read from a
Markdown file by ``markdown_file``), and what changed between two versions (``diff``).

May import: ``db``, ``core.errors``, ``core.people``, ``core.projects``, ``core.review.audit``.
"""
