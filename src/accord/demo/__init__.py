"""Demo project data shipped with Accord (used by `accord demo`)."""
