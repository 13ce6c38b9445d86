"""Model backends: candidate generation and AI feedback (RLAIF), written through `core`."""
