"""Tasks as annotators meet them: what a task shows (``view``), what a judgment of it may say
and the pairs a ranking makes (``judgments``), the claim queue a task sits in (``queue``), and
the responses that open like a refusal (``refusals``).

Every package that reads or writes annotations builds on these rules.
May import: ``db``, ``core.errors``, ``core.projects``.
"""
