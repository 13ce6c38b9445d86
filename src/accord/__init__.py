"""Accord: human feedback data for aligning language models."""

__version__ = "0.2.0"
