"""People and what they may do: users and their API tokens, passwords, login sessions, the
password login around its hash (``logins``) and its throttle (``login_throttle``), and the
policy predicates (``access``) that every edge asks before it acts.

May import: ``db``, ``core.errors``. Imports nothing else of ``core``, so every other package
can depend on it.
"""
