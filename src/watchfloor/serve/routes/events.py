"""Read API for events: lists with filters and pages, GeoJSON, one event, statistics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from watchfloor.serve.deps import State
from watchfloor.serve.filters import Filters, count_events
from watchfloor.serve.views import event_feature, event_stats

router = APIRouter(prefix="/api", tags=["events"])

MAX_LIMIT = 500
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Events to skip.")]
EventId = Annotated[int, Path(ge=1, le=2**53, description="Event id.")]


def _page(state: State, query: Filters, limit: int, offset: int, fmt: str) -> dict[str, Any]:
    flt = query.to_filter(limit=limit, offset=offset)
    rows = state.store.events(flt)
    total = count_events(state.store, flt)
    paging = {"total": total, "limit": limit, "offset": offset, "count": len(rows)}
    if fmt == "geojson":
        return {"type": "FeatureCollection", "features": [event_feature(e) for e in rows], **paging}
    return {"items": [e.to_json() for e in rows], **paging}


@router.get("/events")
def list_events(
    state: State,
    query: Filters,
    limit: Limit = 100,
    offset: Offset = 0,
    fmt: Annotated[
        Literal["json", "geojson"], Query(alias="format", description="json or geojson.")
    ] = "json",
) -> dict[str, Any]:
    """Events matching the filters, newest first, with the total count for paging."""
    return _page(state, query, limit, offset, fmt)


@router.get("/events.geojson")
def list_events_geojson(
    state: State, query: Filters, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    """The same page as a GeoJSON FeatureCollection (events without coordinates: null geometry)."""
    return _page(state, query, limit, offset, "geojson")


@router.get("/events/{event_id}")
def get_event(state: State, event_id: EventId) -> dict[str, Any]:
    """One event with its evidence, every source with its own toll, and the claim ledger."""
    stored, article = state.store.event(event_id)
    return {
        **stored.to_json(),
        "article": {
            "id": article.external_id,
            "title": article.title,
            "url": article.url,
            "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "text": article.text,
        },
    }


@router.get("/stats")
def stats(state: State, query: Filters) -> dict[str, Any]:
    """Counts of the matching events by type, by month (split by type) and by country."""
    return event_stats(state.store.iter_events(query.to_filter(limit=None)))


@router.get("/status")
def status(state: State) -> dict[str, Any]:
    """Row counts of the database and whether the dashboard's assets are installed."""
    return {
        "counts": state.store.counts(),
        "assets": {"installed": state.assets.ok, "missing": list(state.assets.missing)},
    }
