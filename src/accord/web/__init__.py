"""The HTTP edge: the JSON API under /api/v1. Thin: parse, authorise, call core."""
