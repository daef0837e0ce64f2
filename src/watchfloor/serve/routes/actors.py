"""Read API for actors (the knowledge base) and the organisation graph as of a date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from watchfloor.errors import NotFound
from watchfloor.serve.deps import AppState, State
from watchfloor.serve.filters import parse_day
from watchfloor.serve.graph import build_graph, graph_json, relations_timeline
from watchfloor.serve.views import actor_detail, actor_summary, jsonable, search_actors
from watchfloor.store.actor_reviews import actor_review_map

router = APIRouter(prefix="/api", tags=["actors"])

ActorId = Annotated[str, Path(max_length=128, description="Actor id, e.g. islamic-state.")]


def actor_page_data(state: AppState, actor_id: str) -> dict[str, Any]:
    """Everything the actor page and /api/actors/{id} show; NotFound for an unknown id."""
    kb = state.kb()
    actor = kb.get(actor_id)
    if actor is None:
        raise NotFound(f"no actor with id {actor_id!r}; /api/actors?q=NAME finds ids")
    developments = state.store.org_developments(group_id=actor_id)
    return {
        **actor_detail(kb, actor),
        "relations": relations_timeline(
            kb, state.store.org_developments(), actor_id, actor_review_map(state.store)
        ),
        "developments": [jsonable(d.to_json()) for d in developments],
    }


@router.get("/actors")
def list_actors(
    state: State,
    q: Annotated[str | None, Query(max_length=256, description="Part of a name or alias.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Actors of the knowledge base whose id, name or an alias contains ``q``."""
    found = search_actors(state.kb(), q)
    page = found[offset : offset + limit]
    return {
        "items": [actor_summary(a) for a in page],
        "total": len(found),
        "limit": limit,
        "offset": offset,
        "count": len(page),
    }


@router.get("/actors/{actor_id}")
def get_actor(state: State, actor_id: ActorId) -> dict[str, Any]:
    """One actor: aliases (with their periods), parents, branches, dated relations."""
    return actor_page_data(state, actor_id)


@router.get("/graph")
def org_graph(
    state: State,
    as_of: Annotated[
        str | None,
        Query(max_length=32, description="YYYY-MM-DD; the graph as known on that day."),
    ] = None,
) -> dict[str, Any]:
    """The organisation graph: actors and their dated, sourced relations as of a day."""
    when: dt.date | None = parse_day(as_of, "as_of")
    graph = build_graph(
        state.kb(), state.store.org_developments(until=when), when, actor_review_map(state.store)
    )
    return {"as_of": when.isoformat() if when else None, **graph_json(graph)}
