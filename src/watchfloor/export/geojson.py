"""GeoJSON FeatureCollection: one Point feature per event that has coordinates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

import orjson

from watchfloor.export.common import location, notes, outlets, toll
from watchfloor.store import StoredEvent


@dataclass(slots=True)
class GeoJsonTally:
    """What a GeoJSON export wrote and what it had to leave out."""

    written: int = 0
    skipped_without_coordinates: int = 0


def feature(event: StoredEvent) -> dict[str, Any] | None:
    """The event as a GeoJSON Feature, None when it has no coordinates."""
    data = event.data
    loc = location(data)
    if loc.get("lat") is None or loc.get("lon") is None:
        return None
    perp = data.get("perpetrator") or {}
    return {
        "type": "Feature",
        "id": event.id,
        # GeoJSON orders coordinates longitude first (RFC 7946).
        "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
        "properties": {
            "id": event.id,
            "date": data.get("date"),
            "date_precision": data.get("date_precision"),
            "event_type": data.get("event_type"),
            "sub_event_type": data.get("sub_event_type"),
            "location": loc.get("name"),
            "admin1": loc.get("admin1"),
            "admin2": loc.get("admin2"),
            "country": loc.get("country"),
            "geo_precision": loc.get("geo_precision"),
            "perpetrator": perp.get("name"),
            "perpetrator_status": perp.get("status"),
            "fatalities": toll(data, "fatalities"),
            "injuries": toll(data, "injuries"),
            "civilian_targeting": data.get("civilian_targeting"),
            "sources": outlets(event),
            "notes": notes(data),
        },
    }


def write_geojson(
    events: Iterable[StoredEvent], out: TextIO, tally: GeoJsonTally | None = None
) -> int:
    """Stream a FeatureCollection; returns features written (``tally`` also counts skips)."""
    tally = tally if tally is not None else GeoJsonTally()
    out.write('{"type":"FeatureCollection","features":[')
    for event in events:
        item = feature(event)
        if item is None:
            tally.skipped_without_coordinates += 1
            continue
        out.write("\n" if tally.written == 0 else ",\n")
        out.write(orjson.dumps(item).decode())
        tally.written += 1
    out.write("\n]}\n")
    return tally.written
