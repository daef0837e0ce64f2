"""Python API: the event store as pandas DataFrames, for notebooks and analysis scripts.

    import watchfloor
    db = watchfloor.open()                  # the configured database (settings, env, config)
    df = db.events(country="PK", since="2021-01-01")

``events`` returns a GeoDataFrame (points in EPSG:4326) when geopandas is installed, a plain
DataFrame with latitude/longitude columns otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

import pandas as pd

from watchfloor.store import EventFilter, Store, StoredEvent

EVENT_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "attack_type",
    "location",
    "admin1",
    "admin2",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "perpetrator",
    "perpetrator_id",
    "perpetrator_status",
    "actor1",
    "actor2",
    "fatalities_low",
    "fatalities",
    "fatalities_high",
    "injuries",
    "civilian_targeting",
    "targets",
    "weapons",
    "confidence",
    "sources",
    "reports",
    "article_title",
    "article_url",
)


def _day(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    from watchfloor.ingest.parse import parse_published

    return parse_published(value, source=name)


def event_row(event: StoredEvent) -> dict[str, Any]:
    """One event flattened to the API's columns."""
    data = event.data
    loc = data.get("location") or {}
    perp = data.get("perpetrator") or {}
    fatalities = data.get("fatalities") or {}
    outlets = [s.source for s in event.sources if s.source] or (
        [event.article_source] if event.article_source else []
    )
    return {
        "id": event.id,
        "date": data.get("date"),
        "date_precision": data.get("date_precision"),
        "event_type": data.get("event_type"),
        "sub_event_type": data.get("sub_event_type"),
        "attack_type": data.get("attack_type"),
        "location": loc.get("name"),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "country": loc.get("country"),
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geo_precision": loc.get("geo_precision"),
        "perpetrator": perp.get("name"),
        "perpetrator_id": perp.get("actor_id"),
        "perpetrator_status": perp.get("status"),
        "actor1": (data.get("actor1") or {}).get("name"),
        "actor2": (data.get("actor2") or {}).get("name"),
        "fatalities_low": fatalities.get("low"),
        "fatalities": fatalities.get("best"),
        "fatalities_high": fatalities.get("high"),
        "injuries": (data.get("injuries") or {}).get("best"),
        "civilian_targeting": data.get("civilian_targeting"),
        "targets": "; ".join(t["name"] for t in data.get("targets") or []),
        "weapons": "; ".join(data.get("weapons") or []),
        "confidence": data.get("confidence"),
        "sources": "; ".join(dict.fromkeys(outlets)),
        "reports": len(event.sources) or 1,
        "article_title": event.article_title,
        "article_url": event.article_url,
    }


#: Counts and codes that may be unknown: pandas' nullable types keep them whole numbers
#: (a float column would print 16.0 killed) and the flag a true/false/unknown column.
_NULLABLE_TYPES = {
    "geo_precision": "Int64",
    "fatalities_low": "Int64",
    "fatalities": "Int64",
    "fatalities_high": "Int64",
    "injuries": "Int64",
    "civilian_targeting": "boolean",
}


def _geo(frame: pd.DataFrame) -> pd.DataFrame:
    """A GeoDataFrame when geopandas is importable (it is optional), the frame otherwise."""
    try:
        import geopandas  # type: ignore[import-not-found]
    except ImportError:
        return frame
    geometry = geopandas.points_from_xy(frame["longitude"], frame["latitude"])
    return geopandas.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


class Watchfloor:
    """An open event store; use as a context manager or call :meth:`close`."""

    def __init__(self, store: Store):
        self.store = store

    def events(
        self,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        country: str | None = None,
        actor: str | None = None,
        event_type: str | None = None,
        admin1: str | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Events matching the filters, newest first, one row each (columns: EVENT_COLUMNS)."""
        flt = EventFilter(
            since=_day(since, "since"),
            until=_day(until, "until"),
            country=country,
            admin1=admin1,
            actor=actor,
            event_type=event_type,
            limit=limit,
        )
        rows = [event_row(e) for e in self.store.iter_events(flt)]
        frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
        frame["date"] = pd.to_datetime(frame["date"])
        frame = frame.astype(_NULLABLE_TYPES)
        return _geo(frame)

    def org_developments(
        self, group_id: str | None = None, until: dt.date | str | None = None
    ) -> pd.DataFrame:
        """Organisational developments (branches, pledges, splits...), oldest first."""
        rows = []
        for dev in self.store.org_developments(group_id=group_id, until=_day(until, "until")):
            data = dev.data
            rows.append(
                {
                    "id": dev.id,
                    "date": data.get("date") or (dev.published and dev.published.isoformat()),
                    "kind": data.get("kind"),
                    "group": data.get("group"),
                    "group_id": data.get("group_id"),
                    "parent": data.get("parent"),
                    "other": data.get("other"),
                    "article_title": dev.article_title,
                    "article_url": dev.article_url,
                }
            )
        columns = ["id", "date", "kind", "group", "group_id", "parent", "other"]
        frame = pd.DataFrame(rows, columns=[*columns, "article_title", "article_url"])
        frame["date"] = pd.to_datetime(frame["date"])
        return frame

    def reference_events(
        self,
        dataset: str = "ucdp",
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        country: str | None = None,
    ) -> pd.DataFrame:
        """Imported reference events (``watchfloor import``) of one dataset, oldest first."""
        from watchfloor.store.reference import iter_reference_events

        rows = []
        for event in iter_reference_events(
            self.store, dataset, _day(since, "since"), _day(until, "until"), country
        ):
            row = asdict(event)
            row.pop("raw")
            rows.append(row)
        frame = pd.DataFrame(rows)
        for column in ("date_start", "date_end"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
        return frame

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Watchfloor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(url: str | None = None) -> Watchfloor:
    """Open the event store at ``url`` (None: the configured database)."""
    if url is None:
        from watchfloor.settings import load_settings

        url = load_settings().resolved_database_url
    return Watchfloor(Store.open(url))
