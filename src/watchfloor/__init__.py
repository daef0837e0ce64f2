"""watchfloor: a geocoded, sourced event database built from news about political violence.

Pipeline stages, one package each: ingest -> pipeline (extract) -> resolve (actors, places)
-> fuse -> store -> serve/export. See docs/architecture.md.
"""

__version__ = "0.1.0"
