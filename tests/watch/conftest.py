"""Watch test helpers: a local HTTP server in a thread, a settable clock, a stub extractor."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from watchfloor.model import Article, ExtractResult
from watchfloor.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Clock:
    now: dt.datetime = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class StubExtractor:
    """Counts what it is asked to extract and finds nothing: polling tests need no models."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def extract(self, article: Article) -> ExtractResult:
        self.seen.append(article.id)
        return ExtractResult(id=article.id, published=article.published)


def rss(items: list[tuple[str, str]], stamp: str = "") -> bytes:
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{guid}</title><description>{text}</description>"
        f"<pubDate>Mon, 13 May 2019 08:00:00 GMT</pubDate></item>"
        for guid, text in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>'
        f"<lastBuildDate>{stamp}</lastBuildDate>{entries}</channel></rss>"
    ).encode()


@dataclass
class Route:
    status: int = 200
    body: bytes | Callable[[int], bytes] = b""
    delay: float = 0.0
    etag: str | None = None
    hits: list[dict[str, str]] = field(default_factory=list)


class FeedServer:
    """Routes are changed by the test between polls; every request's headers are recorded."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                route.hits.append(dict(self.headers.items()))
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                body = route.body(len(route.hits)) if callable(route.body) else route.body
                self.send_response(route.status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                self.end_headers()
                # the client may have given up already (the slow route's timeout)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, cache_dir: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'wf.db'}",
        cache_dir=cache_dir,
        fusion_embeddings=False,
    )
