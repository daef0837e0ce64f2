"""JSON Lines: every stored event with its sources and ledger, one object per line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

import orjson

from watchfloor.store import StoredEvent


def write_jsonl(events: Iterable[StoredEvent], out: TextIO) -> int:
    """One ``StoredEvent.to_json()`` per line; returns the number of lines."""
    count = 0
    for event in events:
        out.write(orjson.dumps(event.to_json(), option=orjson.OPT_SORT_KEYS).decode())
        out.write("\n")
        count += 1
    return count
