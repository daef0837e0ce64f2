"""Pipeline stages: pure functions that turn article text into coded events."""
