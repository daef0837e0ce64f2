"""Event filters read from a query string, shared by the dashboard pages and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from watchfloor.errors import BadDate
from watchfloor.store import EventFilter, Store

MAX_TEXT = 256


def parse_day(value: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD query value; BadDate (400) names the parameter otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadDate(f"{value!r} is not a date as YYYY-MM-DD", source=name) from exc


@dataclass(frozen=True)
class EventQuery:
    """The event filters of a request; empty values mean no restriction."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None

    def to_filter(self, *, limit: int | None, offset: int = 0) -> EventFilter:
        return EventFilter(
            since=parse_day(self.since, "since"),
            until=parse_day(self.until, "until"),
            country=(self.country or "").strip() or None,
            admin1=(self.admin1 or "").strip() or None,
            actor=(self.actor or "").strip() or None,
            event_type=(self.event_type or "").strip() or None,
            limit=limit,
            offset=offset,
        )

    def form_values(self) -> dict[str, str]:
        values = {
            name: getattr(self, name) or ""
            for name in ("since", "until", "country", "admin1", "actor")
        }
        return {**values, "type": self.event_type or ""}


def _event_query(
    since: Annotated[
        str | None, Query(max_length=32, description="Earliest date YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, Query(max_length=32, description="Latest date YYYY-MM-DD.")
    ] = None,
    country: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="ISO 3166 alpha-2 code, e.g. PK.")
    ] = None,
    admin1: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Province or state name.")
    ] = None,
    actor: Annotated[
        str | None, Query(max_length=MAX_TEXT, description="Perpetrator name (part) or actor id.")
    ] = None,
    event_type: Annotated[
        str | None,
        Query(alias="type", max_length=MAX_TEXT, description="ACLED event or sub-event type."),
    ] = None,
) -> EventQuery:
    return EventQuery(since, until, country, admin1, actor, event_type)


Filters = Annotated[EventQuery, Depends(_event_query)]


def count_events(store: Store, flt: EventFilter) -> int:
    """How many events match, ignoring limit and offset (the store's count when it has one)."""
    unpaged = EventFilter(
        since=flt.since,
        until=flt.until,
        country=flt.country,
        admin1=flt.admin1,
        actor=flt.actor,
        event_type=flt.event_type,
    )
    counter = getattr(store, "count_events", None)
    if callable(counter):
        return int(counter(unpaged))
    return sum(1 for _ in store.iter_events(unpaged))
