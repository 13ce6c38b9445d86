"""Administration: projects and people changed by administrators and project managers —
projects created, their settings changed and archived (``projects``, ``settings``,
``archive``), members and roles (``members``), accounts, expertise and tokens (``accounts``),
deactivation (``deactivation``) and invitations by one-time link (``invites``).

Each change is one function that the API and the CLI both call: it checks who may do it
(``authority``; the CLI passes no actor, as the database's owner), checks the request against
the stored data, makes the change, and writes an audit event in the same transaction.

May import: ``db``, ``core.errors``, ``core.people``, ``core.projects``, ``core.tasks``,
``core.review`` (the audit trail), ``core.guidelines`` and ``core.work`` (work rules, leases).
"""
