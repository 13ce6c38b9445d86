"""Model work inside a project: the prompt pool and generated candidates (``generated``), the
ledger of model calls and their cost (``model_calls``), AI judges as annotators
(``ai_judges``), their audit against people (``judge_audit``), and hybrid routing, where a
judge settles the tasks it is sure of (``hybrid``).

Talks to no model itself: ``llm`` calls models and writes through this package.
May import: ``db``, ``quality``, every other package of ``core``.
"""
