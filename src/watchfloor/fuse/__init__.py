"""Fuse stage: reports of one incident become one event."""

from watchfloor.fuse.within_article import fuse_events

__all__ = ["fuse_events"]
