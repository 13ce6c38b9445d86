"""A corpus of malformed import files, generated on demand (no binary files are committed)."""
