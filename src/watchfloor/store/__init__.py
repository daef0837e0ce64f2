"""Store stage: the only module that speaks SQL."""

from watchfloor.store.database import (
    EventFilter,
    IngestOutcome,
    LedgerEntry,
    SourceRef,
    Store,
    StoredArticle,
    StoredEvent,
    StoredOrgDevelopment,
    open_store,
)

__all__ = [
    "EventFilter",
    "IngestOutcome",
    "LedgerEntry",
    "SourceRef",
    "Store",
    "StoredArticle",
    "StoredEvent",
    "StoredOrgDevelopment",
    "open_store",
]
