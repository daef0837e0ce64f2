"""Store stage: the only module that speaks SQL."""

from watchfloor.store.database import EventFilter, IngestOutcome, Store, StoredEvent

__all__ = ["EventFilter", "IngestOutcome", "Store", "StoredEvent"]
