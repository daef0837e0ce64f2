"""Read API for monitoring: the alert log and coverage diagnostics (the dashboard's alerts page)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from watchfloor.serve.deps import State
from watchfloor.store.watch import WatchStore
from watchfloor.watch.coverage import from_store

router = APIRouter(prefix="/api", tags=["alerts"])

Day = Annotated[dt.date | None, Query(description="YYYY-MM-DD.")]


@router.get("/alerts")
def list_alerts(
    state: State,
    since: Day = None,
    rule: Annotated[str | None, Query(max_length=64, description="Only this rule.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many.")] = 200,
) -> dict[str, Any]:
    """Logged alerts, newest first, each with the events and quotes it cites."""
    found = WatchStore(state.store).alerts(since=since, rule=rule, limit=limit)
    return {"items": [a.to_json() for a in found], "count": len(found)}


@router.get("/coverage")
def get_coverage(
    state: State,
    since: Day = None,
    until: Day = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO2 country code.")
    ] = None,
) -> dict[str, Any]:
    """Articles, events, single-source share and quiet/silent days per region and source."""
    report = from_store(state.store, since=since, until=until, country=country)
    return {**report.to_json(), "sources_health": _health(state)}


def _health(state: Any) -> list[dict[str, Any]]:
    return [s.to_json() for s in WatchStore(state.store).sources()]
