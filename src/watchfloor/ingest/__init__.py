"""Ingest stage: turn files, folders, JSONL and feeds into ``Article`` records."""

from watchfloor.ingest.readers import IngestItem, is_feed_url, read_paths

__all__ = ["IngestItem", "is_feed_url", "read_paths"]
