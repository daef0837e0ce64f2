"""The web application: the analysts' dashboard and the JSON API over the event store.

Pages are rendered from the database on each request with Jinja2 autoescaping, so article
text stays inert; our scripts add maps, charts and the graph from the JSON API and write data
with ``textContent`` only. The Content-Security-Policy allows scripts and styles from this
server alone (no inline code, no eval). Third-party libraries are served from the checkout's
``node_modules`` (see ``serve/assets.py``). Every API error has one JSON shape::

    {"error": {"code": "W404", "message": "[W404] no event with id 7"}}

with watchfloor's error codes (``watchfloor.errors``) for problems with the input, and
``HTTP<status>`` for protocol refusals (401 no token, 413 body too large, 422 bad request).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from watchfloor.errors import (
    ConfigError,
    ExtractionError,
    InputError,
    NotFound,
    StoreError,
    WatchfloorError,
)
from watchfloor.serve.assets import find_assets
from watchfloor.serve.deps import ApiError, AppState
from watchfloor.serve.pages import TEMPLATES
from watchfloor.serve.pages import router as pages_router
from watchfloor.serve.routes.actors import router as actors_router
from watchfloor.serve.routes.alerts import router as alerts_router
from watchfloor.serve.routes.compare import router as compare_router
from watchfloor.serve.routes.events import router as events_router
from watchfloor.serve.routes.writes import router as writes_router
from watchfloor.serve.views import highlight
from watchfloor.settings import Settings
from watchfloor.store import open_store
from watchfloor.store.tokens import TokenStore

__all__ = ["CSP", "MAX_BODY_BYTES", "create_app", "highlight"]

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 1_000_000
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413 before any route reads them."""

    def __init__(self, app: Any, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        # Without a usable Content-Length (chunked upload), read up to the limit first.
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = _error(
            413,
            "HTTP413",
            f"request body larger than {self.max_bytes} bytes; send one article per request",
        )
        response.headers["Content-Security-Policy"] = CSP
        await response(scope, receive, send)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Any:
    return JSONResponse(
        status_code=status,
        content={"error": {"code": code, "message": message}},
        headers=headers,
    )


def _problem(error: Any) -> str:
    """One validation problem as 'where: what', with JSON syntax errors said plainly."""
    loc = [str(p) for p in error.get("loc", ())]
    if error.get("type") == "json_invalid":
        position = loc[1] if len(loc) > 1 else "?"
        return f"body: not valid JSON (at character {position})"
    return f"{'.'.join(loc)}: {error.get('msg', 'invalid')}"


def _status_of(exc: WatchfloorError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InputError | ConfigError):
        return 400
    if isinstance(exc, ExtractionError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 500


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def create_app(
    settings: Settings,
    *,
    node_modules: Path | None = None,
    extractor: Any = None,
) -> FastAPI:
    """The app over ``settings.resolved_database_url``.

    ``node_modules`` points at the npm folder with the vendor libraries (default: the
    checkout's); ``extractor`` is a loaded Extractor to reuse for POST /api/articles
    (default: one is built on the first such request).
    """
    store = open_store(settings, writing=True)  # POST /api/articles fuses as ingest does

    def make_extractor() -> Any:
        if extractor is not None:
            return extractor
        from watchfloor.pipeline.extractor import Extractor

        built = Extractor(settings)
        built.warm_up()
        return built

    assets = find_assets(node_modules)
    app = FastAPI(
        title="watchfloor",
        version="0.2.0",
        description=(
            "Events coded from news about political violence, their sources and evidence, "
            "actors and the organisation graph. Writes need a bearer token from "
            "`watchfloor token create NAME`. Errors: "
            '{"error": {"code": "...", "message": "..."}}.'
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.watchfloor = AppState(
        settings=settings,
        store=store,
        tokens=TokenStore(store.engine),
        assets=assets,
        extractor_factory=make_extractor,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)

    def error_page(request: Request, status: int, message: str) -> Response:
        return TEMPLATES.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message, "assets": assets},
            status_code=status,
        )

    @app.exception_handler(WatchfloorError)
    async def watchfloor_error(request: Request, exc: WatchfloorError) -> Response:
        status = _status_of(exc)
        if _wants_html(request):
            return error_page(request, status, exc.one_line())
        return _error(status, exc.code, exc.one_line())

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> Response:
        return _error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(_problem(e) for e in exc.errors()[:5])
        return _error(422, "HTTP422", f"invalid request: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.detail else "request refused"
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        if exc.status_code == 404:
            message = f"no such page or endpoint: {request.url.path}; /docs lists the API"
        if _wants_html(request):
            return error_page(request, exc.status_code, message)
        return _error(exc.status_code, f"HTTP{exc.status_code}", message, exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> Response:
        return _error(500, "W000", f"unexpected server error ({type(exc).__name__}); see the log")

    app.include_router(events_router)
    app.include_router(actors_router)
    app.include_router(writes_router)
    app.include_router(compare_router)
    app.include_router(alerts_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for name, folder in assets.package_dirs().items():
        app.mount(f"/vendor/{name}", StaticFiles(directory=folder), name=f"vendor-{name}")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        """The API reference from the OpenAPI schema (our own page: no CDN, no inline code)."""
        spec = app.openapi()
        endpoints = [
            {
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": operation.get("parameters", []),
                "secured": bool(operation.get("security")),
            }
            for path, methods in spec["paths"].items()
            for method, operation in methods.items()
        ]
        return TEMPLATES.TemplateResponse(
            request,
            "docs.html",
            {"endpoints": endpoints, "spec": spec, "assets": assets, "page": "docs"},
        )

    app.state.started = dt.datetime.now(dt.UTC)
    return app
