"""Dashboard pages: map and timeline, event, actors, organisation graph, review queue.

Each page is a server-rendered shell (readable without scripts); the scripts under
``static/`` add the map, the charts and the graph by reading the JSON API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from watchfloor.errors import InputError
from watchfloor.model import SUB_EVENT_TYPES
from watchfloor.serve.assets import INSTALL_HINT
from watchfloor.serve.deps import AppState, State
from watchfloor.serve.filters import Filters, count_events, parse_day
from watchfloor.serve.routes.actors import actor_page_data
from watchfloor.serve.routes.compare import CompareParams, compare_page_data
from watchfloor.serve.routes.writes import review_queue_events
from watchfloor.serve.views import (
    REVIEWABLE_FIELDS,
    alert_view,
    event_place,
    highlight,
    mark_class,
    search_actors,
)
from watchfloor.store.watch import WatchStore
from watchfloor.watch.config import AlertRules
from watchfloor.watch.coverage import from_store as coverage_from_store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["mark_class"] = mark_class
TEMPLATES.env.filters["type_class"] = lambda t: mark_class(str(t or "unknown")).replace(
    "ev-", "type-", 1
)
PAGE_SIZE = 200

router = APIRouter(include_in_schema=False)


def _page(request: Request, state: AppState, template: str, page: str, **context: Any) -> Response:
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"assets": state.assets, "install_hint": INSTALL_HINT, "page": page, **context},
    )


def _sources(stored: Any, article: Any) -> list[dict[str, Any]]:
    """Every report of the event; a store without fusion has one, the event's article."""
    if stored.sources:
        return [s.to_json() for s in stored.sources]
    data = stored.data
    return [
        {
            "report_id": None,
            "article_id": article.id,
            "title": article.title,
            "url": article.url,
            "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "fatalities": (data.get("fatalities") or {}).get("best"),
            "injuries": (data.get("injuries") or {}).get("best"),
        }
    ]


def _ledger(stored: Any, article: Any) -> list[dict[str, Any]]:
    """Claims, denials and attributions with their source, oldest report first."""
    if stored.ledger:
        return [c.to_json() for c in stored.ledger]
    return [
        {
            "by": c.get("by"),
            "stance": c.get("stance"),
            "channel": c.get("channel"),
            "report_id": None,
            "source": article.source or article.title,
            "published": article.published.isoformat() if article.published else None,
        }
        for c in stored.data.get("claims") or []
    ]


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, state: State, query: Filters) -> Response:
    """The map with filters, the timeline by event type and the matching events."""
    flt = query.to_filter(limit=PAGE_SIZE, offset=0)
    rows = [(e, e.summary()) for e in state.store.events(flt)]
    return _page(
        request,
        state,
        "index.html",
        "map",
        rows=rows,
        total=count_events(state.store, flt),
        counts=state.store.counts(),
        filters=query.form_values(),
        event_types=list(SUB_EVENT_TYPES),
    )


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(
    request: Request, state: State, event_id: Annotated[int, PathParam(ge=1, le=2**53)]
) -> Response:
    """The article with the evidence marked, beside the sources and the claim ledger."""
    stored, article = state.store.event(event_id)
    spans = stored.data.get("evidence") or []
    return _page(
        request,
        state,
        "event.html",
        "event",
        event=stored,
        summary=stored.summary(),
        place=event_place(stored.data),
        article=article,
        pieces=highlight(article.text, spans),
        fields=sorted({s.get("field") or "evidence" for s in spans}),
        sources=_sources(stored, article),
        ledger=_ledger(stored, article),
        reviewable=REVIEWABLE_FIELDS,
    )


@router.get("/actors", response_class=HTMLResponse)
def actors_page(
    request: Request,
    state: State,
    q: Annotated[str | None, Query(max_length=256)] = None,
) -> Response:
    found = search_actors(state.kb(), q)
    return _page(
        request, state, "actors.html", "actors", actors=found[:500], total=len(found), q=q or ""
    )


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request, state: State, actor_id: Annotated[str, PathParam(max_length=128)]
) -> Response:
    """Aliases, parents, branches and the relations timeline of one actor."""
    return _page(request, state, "actor.html", "actors", actor=actor_page_data(state, actor_id))


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request, state: State) -> Response:
    return _page(request, state, "graph.html", "graph")


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, state: State, query: CompareParams) -> Response:
    """Coverage of a reference dataset: figures, monthly bars and a map of matched events."""
    return _page(request, state, "compare.html", "compare", **compare_page_data(state, query))


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request, state: State, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> Response:
    """Least confident events first, with the decision form (needs a token)."""
    events = review_queue_events(state, limit)
    return _page(
        request,
        state,
        "review.html",
        "review",
        rows=[(e, e.summary()) for e in events],
        reviewable=REVIEWABLE_FIELDS,
    )


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    state: State,
    since: Annotated[str | None, Query(max_length=32)] = None,
    rule: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Response:
    """The alert log of `watchfloor watch`, newest first, each with its events and quotes,
    above the health of every watched source."""
    day = parse_day(since, "since")
    wanted = (rule or "").strip() or None
    watch = WatchStore(state.store)
    found = watch.alerts(since=day, rule=wanted, limit=limit)
    return _page(
        request,
        state,
        "alerts.html",
        "alerts",
        alerts=[alert_view(a.to_json()) for a in found],
        sources=watch.sources(),
        rules=AlertRules().enabled,
        filters={"since": since or "", "rule": wanted or ""},
        limit=limit,
    )


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request,
    state: State,
    since: Annotated[str | None, Query(max_length=32)] = None,
    until: Annotated[str | None, Query(max_length=32)] = None,
    country: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    """Per region and per outlet: articles, events, single-source share, quiet and silent days."""
    wanted = (country or "").strip().upper() or None
    if wanted is not None and not (len(wanted) == 2 and wanted.isalpha()):
        raise InputError(
            f"{country!r} is not an ISO 3166 alpha-2 code such as PK", source="country"
        )
    report = coverage_from_store(
        state.store,
        since=parse_day(since, "since"),
        until=parse_day(until, "until"),
        country=wanted,
    )
    return _page(
        request,
        state,
        "coverage.html",
        "coverage",
        report=report,
        filters={"since": since or "", "until": until or "", "country": wanted or ""},
    )
