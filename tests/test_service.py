"""Ingest service: batches commit as they go, so a crash loses only the open batch, and a rerun
finishes the job without duplicating anything."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from watchfloor.errors import ExtractionError
from watchfloor.model import Article, ExtractResult
from watchfloor.service import ingest_items
from watchfloor.settings import Settings
from watchfloor.store import Store


class Crash(RuntimeError):
    """Stands for the process dying mid-run (not a per-article extraction error)."""


class FakeExtractor:
    """Counts calls; can die on one article id or fail it cleanly."""

    def __init__(self, die_on: str | None = None, fail_on: str | None = None):
        self.die_on, self.fail_on, self.calls = die_on, fail_on, 0

    def extract(self, article: Article, local: object = None) -> ExtractResult:
        self.calls += 1
        if article.id == self.die_on:
            raise Crash(article.id)
        if article.id == self.fail_on:
            raise ExtractionError("boom", source=article.id)
        return ExtractResult(id=article.id, published=article.published)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    lines = [
        {"id": f"a{i}", "text": f"Report number {i}.", "published": "2024-01-02"} for i in range(7)
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def test_crash_keeps_committed_batches_and_rerun_completes(tmp_path: Path, corpus: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'wf.db'}", batch_size=2)
    store = Store.open(settings.resolved_database_url)
    with pytest.raises(Crash):
        ingest_items(settings, [str(corpus)], store=store, extractor=FakeExtractor(die_on="a5"))
    assert store.counts()["articles"] == 4  # a0..a3 committed in two batches, a4 was open

    rerun = FakeExtractor()
    report = ingest_items(settings, [str(corpus)], store=store, extractor=rerun)
    assert (report.articles_added, report.duplicates) == (3, 4)
    assert rerun.calls == 3  # stored articles are skipped before extraction
    assert store.counts()["articles"] == 7


def test_one_failing_article_does_not_stop_the_batch(tmp_path: Path, corpus: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'wf.db'}", batch_size=3)
    errors: list[str] = []
    report = ingest_items(
        settings,
        [str(corpus)],
        extractor=FakeExtractor(fail_on="a2"),
        on_error=lambda e: errors.append(e.one_line()),
    )
    assert (report.articles_added, report.failed) == (6, 1)
    assert errors == ["[W300] a2: boom"]


#: a local Louisiana paper: one shooting in its Alexandria, two stories from its parish
TOWN_TALK = Path(__file__).parent / "fixtures" / "towntalk.jsonl"


@pytest.mark.parametrize(("context", "country"), [(False, "EG"), (True, "US")])
def test_outlet_context_places_a_local_papers_namesake_near_its_readers(
    tmp_path: Path, extractor, context: bool, country: str
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wf.db'}",
        cache_dir=extractor.settings.cache_dir,
        outlet_context=context,
    )
    store = Store.open(settings.resolved_database_url)
    report = ingest_items(settings, [str(TOWN_TALK)], store=store, extractor=extractor)
    assert report.articles_added == 3
    (event,) = store.events()
    place = event.data["location"]
    assert place["country"] == country
    if context:
        assert place["admin1"] == "Louisiana"


def test_article_outlet_is_its_source_or_its_host() -> None:
    assert Article(id="a", text="x", source=" Dawn ").outlet == "dawn"
    assert Article(id="a", text="x", url="https://www.dawn.com/news/1").outlet == "dawn.com"
    assert Article(id="a", text="x", url="http://[::1").outlet is None
    assert Article(id="a", text="x").outlet is None


def test_an_outlet_aware_ingest_fetches_a_feed_once(tmp_path: Path, extractor) -> None:
    """The first pass keeps a feed's items for the second: one request, not two."""
    feed = (Path(__file__).parent / "fixtures" / "feed.rss").read_bytes()
    requests: list[str] = []

    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(feed)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'wf.db'}",
            cache_dir=extractor.settings.cache_dir,
            outlet_context=True,
        )
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.rss"
        store = Store.open(settings.resolved_database_url)
        report = ingest_items(settings, [url], store=store, extractor=extractor)
    finally:
        server.shutdown()
    assert requests == ["/feed.rss"]
    assert (report.articles_added, report.failed) == (1, 1)  # the empty item is reported
