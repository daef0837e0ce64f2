"""SQL of the reference namespace: outside datasets (UCDP, ACLED) kept apart from our events.

Writes are idempotent per (dataset, external_id): importing the same file twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from watchfloor.errors import StoreError
from watchfloor.reference.records import ReferenceEvent
from watchfloor.store.schema import reference_events

CHUNK = 1000


def _row(dataset: str, event: ReferenceEvent) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "external_id": event.external_id,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "country": event.country,
        "admin1": event.admin1,
        "admin2": event.admin2,
        "location": event.location,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "geo_precision": event.geo_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "deaths_low": event.deaths_low,
        "deaths_best": event.deaths_best,
        "deaths_high": event.deaths_high,
        "data": event.raw,
    }


def add_reference_events(
    store: Any, dataset: str, records: Iterable[ReferenceEvent]
) -> tuple[int, int]:
    """Store reference events in chunks; returns (added, already present)."""
    table = reference_events
    added = present = 0
    iterator = iter(records)
    try:
        with store.engine.begin() as conn:
            while chunk := list(itertools.islice(iterator, CHUNK)):
                ids = {e.external_id for e in chunk}
                known = set(
                    conn.scalars(
                        select(table.c.external_id).where(
                            table.c.dataset == dataset, table.c.external_id.in_(ids)
                        )
                    )
                )
                fresh: dict[str, ReferenceEvent] = {}
                for event in chunk:
                    if event.external_id in known or event.external_id in fresh:
                        present += 1
                    else:
                        fresh[event.external_id] = event
                if fresh:
                    conn.execute(insert(table), [_row(dataset, e) for e in fresh.values()])
                    known.update(fresh)
                    added += len(fresh)
    except SQLAlchemyError as exc:
        raise StoreError(f"reference import failed: {exc}") from exc
    return added, present


def _event(row: Any) -> ReferenceEvent:
    return ReferenceEvent(
        dataset=row.dataset,
        external_id=row.external_id,
        date_start=row.date_start,
        date_end=row.date_end,
        country=row.country,
        admin1=row.admin1,
        admin2=row.admin2,
        location=row.location,
        latitude=row.latitude,
        longitude=row.longitude,
        geo_precision=row.geo_precision,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        actor1=row.actor1,
        actor2=row.actor2,
        deaths_low=row.deaths_low,
        deaths_best=row.deaths_best,
        deaths_high=row.deaths_high,
        raw=row.data or {},
    )


def iter_reference_events(
    store: Any,
    dataset: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
) -> Iterator[ReferenceEvent]:
    """Reference events of one dataset overlapping [since, until], oldest first."""
    table = reference_events
    query = select(table).where(table.c.dataset == dataset)
    if since:
        query = query.where(table.c.date_end >= since)
    if until:
        query = query.where(table.c.date_start <= until)
    if country:
        query = query.where(func.upper(table.c.country) == country.upper())
    query = query.order_by(table.c.date_start, table.c.id)
    try:
        with store.engine.connect() as conn:
            for row in conn.execute(query):
                yield _event(row)
    except SQLAlchemyError as exc:
        raise StoreError(f"reference query failed: {exc}") from exc


def count_reference_events(store: Any) -> dict[str, int]:
    """Rows per dataset, for status lines."""
    table = reference_events
    with store.engine.connect() as conn:
        rows = conn.execute(select(table.c.dataset, func.count()).group_by(table.c.dataset))
        return {dataset: count for dataset, count in rows}
