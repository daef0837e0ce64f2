"""The web application: an events page, an event page with its evidence, and a JSON API.

Every page is rendered from the database on each request; Jinja2 autoescaping keeps article
text inert, and a Content-Security-Policy forbids scripts the page does not ship.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from watchfloor.errors import BadDate, NotFound, WatchfloorError
from watchfloor.settings import Settings
from watchfloor.store import EventFilter, Store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
CSP = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'"
PAGE_SIZE = 200


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadDate(f"{value!r} is not YYYY-MM-DD", source=name) from exc


def highlight(text: str, spans: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """Cut the article into (piece, field-or-None) so the template can mark evidence safely."""
    marks = sorted(
        (
            (s["start"], s["end"], s.get("field") or "evidence")
            for s in spans
            if 0 <= s["start"] < s["end"] <= len(text)
        ),
        key=lambda m: (m[0], -m[1]),
    )
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for start, end, field in marks:
        if start < position:  # overlapping spans: keep the first, widest one
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((text[start:end], field))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


@dataclass(frozen=True)
class EventQuery:
    """The event filters shared by the page and the API, read from the query string."""

    since: str | None = None
    until: str | None = None
    country: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None

    def to_filter(self, *, limit: int, offset: int) -> EventFilter:
        return EventFilter(
            since=_date(self.since, "since"),
            until=_date(self.until, "until"),
            country=self.country or None,
            admin1=self.admin1 or None,
            actor=self.actor or None,
            event_type=self.event_type or None,
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
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    actor: str | None = None,
    event_type: Annotated[str | None, Query(alias="type")] = None,
) -> EventQuery:
    return EventQuery(since, until, country, admin1, actor, event_type)


Filters = Annotated[EventQuery, Depends(_event_query)]


def create_app(settings: Settings) -> FastAPI:
    store = Store.open(settings.resolved_database_url)
    app = FastAPI(
        title="watchfloor",
        version="0.1.0",
        description="Events coded from news about political violence.",
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(WatchfloorError)
    async def watchfloor_error(_request: Request, exc: WatchfloorError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFound) else 400
        return JSONResponse(
            status_code=status, content={"error": {"code": exc.code, "message": exc.one_line()}}
        )

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, query: Filters) -> HTMLResponse:
        flt = query.to_filter(limit=PAGE_SIZE, offset=0)
        rows = [(e, e.summary()) for e in store.events(flt)]
        return TEMPLATES.TemplateResponse(
            request,
            "index.html",
            {"rows": rows, "counts": store.counts(), "filters": query.form_values()},
        )

    @app.get("/events/{event_id}", response_class=HTMLResponse)
    def event_page(request: Request, event_id: int) -> HTMLResponse:
        stored, article = store.event(event_id)
        return TEMPLATES.TemplateResponse(
            request,
            "event.html",
            {
                "event": stored,
                "summary": stored.summary(),
                "article": article,
                "pieces": highlight(article.text, stored.data.get("evidence") or []),
            },
        )

    @app.get("/api/events")
    def api_events(
        query: Filters,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        items = [e.to_json() for e in store.events(query.to_filter(limit=limit, offset=offset))]
        return {"items": items, "limit": limit, "offset": offset, "count": len(items)}

    @app.get("/api/events/{event_id}")
    def api_event(event_id: int) -> dict[str, Any]:
        stored, article = store.event(event_id)
        return {
            **stored.to_json(),
            "article": {
                "id": article.external_id,
                "title": article.title,
                "url": article.url,
                "source": article.source,
                "published": article.published.isoformat() if article.published else None,
            },
        }

    @app.get("/api/status")
    def api_status() -> dict[str, Any]:
        return {"counts": store.counts()}

    return app
