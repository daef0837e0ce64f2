"""watchfloor: a geocoded, sourced event database built from news about political violence.

Pipeline stages, one package each: ingest -> pipeline (extract) -> resolve (actors, places)
-> fuse -> store -> serve/export. See docs/architecture.md.
"""

__version__ = "0.1.0"


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    """Lazy ``watchfloor.open``: importing the package stays cheap (no pandas, no SQL)."""
    if name == "open":
        from watchfloor.api import open as open_store

        return open_store
    raise AttributeError(f"module 'watchfloor' has no attribute {name!r}")
