"""UCDP Georeferenced Event Dataset (GED) CSV, in its published column layout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from watchfloor.errors import InputError
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

REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "date_start", "date_end", "best")

TYPES_OF_VIOLENCE = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}

#: UCDP where_prec (1 exact place .. 7 international waters) -> ACLED geo-precision.
WHERE_PREC_TO_GEO = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}


def ucdp_event(row: dict[str, str]) -> ReferenceEvent:
    """One GED row as a reference event; ``BadRow`` names the field that is wrong."""
    external_id = text(row, "id")
    if external_id is None:
        raise BadRow("id is empty")
    violence = integer(row, "type_of_violence", required=True)
    if violence not in TYPES_OF_VIOLENCE:
        raise BadRow(f"type_of_violence {violence} is not 1, 2 or 3")
    start, end = date(row, "date_start"), date(row, "date_end")
    if end < start:
        raise BadRow(f"date_end {end} is before date_start {start}")
    low, best, high = integer(row, "low"), integer(row, "best", required=True), integer(row, "high")
    if any(v is not None and v < 0 for v in (low, best, high)):
        raise BadRow("a death count is negative")
    name = text(row, "country")
    iso2 = country_iso2(name) if name else None
    if iso2 is None:
        iso2 = iso2_from_codes(text(row, "iso3"))
    where_prec = integer(row, "where_prec")
    location = text(row, "where_coordinates")
    return ReferenceEvent(
        dataset="ucdp",
        external_id=external_id,
        date_start=start,
        date_end=end,
        country=iso2,
        admin1=text(row, "adm_1"),
        admin2=text(row, "adm_2"),
        location=location[:256] if location else None,
        latitude=decimal(row, "latitude", -90, 90),
        longitude=decimal(row, "longitude", -180, 180),
        geo_precision=WHERE_PREC_TO_GEO.get(where_prec) if where_prec else None,
        event_type=TYPES_OF_VIOLENCE[violence],
        sub_event_type=(text(row, "conflict_name") or "")[:64] or None,
        actor1=text(row, "side_a"),
        actor2=text(row, "side_b"),
        deaths_low=low,
        deaths_best=best,
        deaths_high=high,
        raw=dict(row),
    )


def read_ucdp(path: Path) -> Iterator[ReferenceEvent | InputError]:
    """Events of a GED CSV file, or one error per unreadable row (the file goes on)."""
    return read_csv(path, ucdp_event, REQUIRED)
