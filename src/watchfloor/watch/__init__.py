"""Live monitoring: poll sources, ingest what is new, raise novelty alerts, report coverage."""
