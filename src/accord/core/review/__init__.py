"""What happens after annotators answer and before a label is final: adjudication of split
decisions, escalation of harmful content, the disagreement digest for the weekly guideline
review, and the audit trail of every decision that changes a consensus.

May import: ``db``, ``quality``, ``core.errors``, ``core.people``, ``core.projects``,
``core.tasks``.
"""
