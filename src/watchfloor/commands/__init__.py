"""CLI command groups beyond the core ones in ``watchfloor.cli``; each module has ``register``."""
