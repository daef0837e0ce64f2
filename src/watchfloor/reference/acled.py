"""ACLED CSV exports (the column list of the ACLED codebook)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from watchfloor.errors import InputError
from watchfloor.model import SUB_EVENT_TYPES
from watchfloor.reference.records import (
    BadRow,
    ReferenceEvent,
    country_iso2,
    date,
    decimal,
    integer,
    iso2_from_codes,
    read_csv,
    text,
)

REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1", "country", "fatalities")


def acled_event(row: dict[str, str]) -> ReferenceEvent:
    """One ACLED row; ACLED gives one toll, so low, best and high are all ``fatalities``."""
    external_id = text(row, "event_id_cnty")
    if external_id is None:
        raise BadRow("event_id_cnty is empty")
    day = date(row, "event_date")
    event_type = text(row, "event_type")
    if event_type not in SUB_EVENT_TYPES:
        raise BadRow(f"event_type {event_type!r} is not an ACLED event type")
    sub_type = text(row, "sub_event_type")
    if sub_type is not None and sub_type not in SUB_EVENT_TYPES[event_type]:
        raise BadRow(f"sub_event_type {sub_type!r} is not a sub-type of {event_type!r}")
    killed = integer(row, "fatalities")
    if killed is not None and killed < 0:
        raise BadRow("fatalities is negative")
    numeric = integer(row, "iso")
    name = text(row, "country")
    iso2 = iso2_from_codes(numeric=numeric) if numeric else None
    if iso2 is None and name:
        iso2 = country_iso2(name)
    precision = integer(row, "geo_precision")
    if precision is not None and precision not in (1, 2, 3):
        raise BadRow(f"geo_precision {precision} is not 1, 2 or 3")
    return ReferenceEvent(
        dataset="acled",
        external_id=external_id,
        date_start=day,
        date_end=day,
        country=iso2,
        admin1=text(row, "admin1"),
        admin2=text(row, "admin2"),
        location=text(row, "location"),
        latitude=decimal(row, "latitude", -90, 90),
        longitude=decimal(row, "longitude", -180, 180),
        geo_precision=precision,
        event_type=event_type,
        sub_event_type=sub_type,
        actor1=text(row, "actor1"),
        actor2=text(row, "actor2"),
        deaths_low=killed,
        deaths_best=killed,
        deaths_high=killed,
        raw=dict(row),
    )


def read_acled(path: Path) -> Iterator[ReferenceEvent | InputError]:
    """Events of an ACLED CSV export, or one error per unreadable row (the file goes on)."""
    return read_csv(path, acled_event, REQUIRED)
