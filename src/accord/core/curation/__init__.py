"""Curation: where the next label is worth most (active selection) and which settled labels
to doubt (suspect labels), from an independent signal: an AI judge or a reward model."""
