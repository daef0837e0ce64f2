"""ACLED-style CSV: one row per event with the codebook's column names and codes."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from watchfloor.export import codebooks
from watchfloor.export.common import (
    acled_country_name,
    coded_actors,
    country,
    event_date,
    last_update,
    location,
    notes,
    outlets,
    toll,
)
from watchfloor.store import StoredEvent

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)


def _coord(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def acled_row(event: StoredEvent) -> dict[str, Any]:
    """One event as an ACLED row (values are strings or ints, empty when unknown)."""
    data = event.data
    loc = location(data)
    place = country(loc.get("country"))
    day = event_date(data)
    actor1, actor2 = coded_actors(data)
    inter1 = actor1.inter if actor1 else None
    inter2 = actor2.inter if actor2 else None
    perpetrator = (data.get("perpetrator") or {}).get("name")
    assoc1 = perpetrator if actor1 and perpetrator and perpetrator != actor1.name else ""
    target_names = [t["name"] for t in data.get("targets") or [] if t.get("name")]
    assoc2 = (
        "; ".join(dict.fromkeys(n for n in target_names if not actor2 or n != actor2.name))
        if actor2
        else ""
    )
    interaction = codebooks.acled_interaction(inter1, inter2)
    tags = []
    qualifier = (data.get("fatalities") or {}).get("qualifier")
    if qualifier:
        tags.append(f"fatalities qualifier={qualifier}")
    if data.get("weapons"):
        tags.append("weapons=" + ", ".join(data["weapons"]))
    stamp = last_update(event)
    return {
        "event_id_cnty": f"{place.iso3 if place else 'XXX'}{event.id}",
        "event_date": day.isoformat() if day else "",
        "year": day.year if day else "",
        "time_precision": codebooks.ACLED_TIME_PRECISION[data.get("date_precision") or "unknown"],
        "disorder_type": codebooks.acled_disorder_type(data["event_type"], data["sub_event_type"]),
        "event_type": data["event_type"],
        "sub_event_type": data["sub_event_type"],
        "actor1": actor1.name if actor1 else "",
        "assoc_actor_1": assoc1,
        "inter1": "" if inter1 is None else inter1,
        "actor2": actor2.name if actor2 else "",
        "assoc_actor_2": assoc2,
        "inter2": "" if inter2 is None else inter2,
        "interaction": "" if interaction is None else interaction,
        "civilian_targeting": "Civilian targeting" if data.get("civilian_targeting") else "",
        "iso": place.numeric if place else "",
        "region": codebooks.acled_region(place.iso2 if place else None) or "",
        "country": acled_country_name(place.iso2) if place else "",
        "admin1": loc.get("admin1") or "",
        "admin2": loc.get("admin2") or "",
        "admin3": "",
        "location": loc.get("name") or "",
        "latitude": _coord(loc.get("lat")),
        "longitude": _coord(loc.get("lon")),
        "geo_precision": loc.get("geo_precision") or "",
        "source": "; ".join(outlets(event)),
        "source_scale": "",
        "notes": notes(data),
        "fatalities": toll(data, "fatalities") or 0,
        "tags": "; ".join(tags),
        "timestamp": int(stamp.timestamp()) if stamp else "",
    }


def write_acled(events: Iterable[StoredEvent], out: TextIO) -> int:
    """Write an ACLED-style CSV (header first); returns the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(acled_row(event))
        count += 1
    return count
