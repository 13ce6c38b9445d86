"""Quality statistics: pure functions of arrays, with no database and no HTTP.

Everything here takes NumPy arrays (or things NumPy can read) and returns results, so that
the same code serves exports, reports and tests, and is measured on counts, never on dense
annotators x items matrices.
"""
