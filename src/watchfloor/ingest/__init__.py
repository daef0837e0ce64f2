"""Ingest stage: turn files, folders, JSONL and feeds into ``Article`` records."""

from watchfloor.ingest.readers import IngestItem, read_paths

__all__ = ["IngestItem", "read_paths"]
