"""Polling against a local HTTP server: conditional requests, bad feeds, backoff, health."""

from __future__ import annotations

import random

import pytest

from tests.watch.conftest import Clock, FeedServer, Route, StubExtractor, rss
from watchfloor.settings import Settings
from watchfloor.store import Store
from watchfloor.watch.config import SourceConfig, parse_config
from watchfloor.watch.runner import Watcher
from watchfloor.watch.sources import backoff_seconds, health

ITEMS = [("a1", "Gunmen attacked a checkpoint."), ("a2", "A bomb exploded in a market.")]


def _watcher(settings: Settings, server: FeedServer, routes: dict[str, float], clock: Clock):
    raw = {
        "sources": [
            {"name": path.strip("/"), "kind": "rss", "url": server.url + path, "timeout": t}
            for path, t in routes.items()
        ],
        "sinks": {"stdout": False},
    }
    return Watcher(
        settings,
        parse_config(raw),
        store=Store.open(settings.resolved_database_url),
        extractor=StubExtractor(),
        clock=clock,
        rng=random.Random(7),
    )


def test_good_feed_uses_etag_and_skips_what_it_saw(
    settings: Settings, feed_server: FeedServer
) -> None:
    feed_server.routes["/good"] = Route(body=rss(ITEMS), etag='"v1"')
    clock = Clock()
    watcher = _watcher(settings, feed_server, {"/good": 5}, clock)
    first = watcher.cycle()
    assert [(s.name, s.status, s.new_items, s.articles_added) for s in first.sources] == [
        ("good", "ok", 2, 2)
    ]
    # not due yet: nothing is fetched
    assert watcher.cycle().sources[0].polled is False
    clock.advance(901)
    second = watcher.cycle()
    assert feed_server.routes["/good"].hits[-1]["If-None-Match"] == '"v1"'
    assert (second.sources[0].new_items, second.sources[0].articles_added) == (0, 0)
    assert watcher.extractor.seen == ["a1", "a2"]
    assert watcher.state.source("good").http_status == 304


def test_repeating_feed_extracts_each_item_once(
    settings: Settings, feed_server: FeedServer
) -> None:
    # no validators, a new body each time (a changing build date), the old items repeated
    def body(hit: int) -> bytes:
        items = [*ITEMS, ("a3", "Militants clashed with rivals.")] if hit >= 2 else ITEMS
        return rss(items, stamp=f"build {hit}")

    feed_server.routes["/repeat"] = Route(body=body)
    clock = Clock()
    watcher = _watcher(settings, feed_server, {"/repeat": 5}, clock)
    added = []
    for _ in range(3):
        report = watcher.cycle(force=True)
        added.append(report.sources[0].articles_added)
    assert added == [2, 1, 0]
    assert watcher.extractor.seen == ["a1", "a2", "a3"]
    assert watcher.store.counts()["articles"] == 3


@pytest.mark.parametrize(
    ("route", "timeout", "message"),
    [
        (Route(body=rss(ITEMS), delay=1.5), 0.3, "timed out"),
        (Route(body=b'<?xml version="1.0"?><rss><channel><title>Wi'), 5, "not a readable"),
        (Route(status=500, body=b"oops"), 5, "HTTP 500"),
    ],
    ids=["slow", "malformed-xml", "http-500"],
)
def test_bad_feed_backs_off_and_others_go_on(
    settings: Settings, feed_server: FeedServer, route: Route, timeout: float, message: str
) -> None:
    feed_server.routes["/bad"] = route
    feed_server.routes["/good"] = Route(body=rss(ITEMS))
    clock = Clock()
    watcher = _watcher(settings, feed_server, {"/bad": timeout, "/good": 5}, clock)
    statuses = []
    delays = []
    for _ in range(4):
        report = watcher.cycle()
        bad = watcher.state.source("bad")
        statuses.append(bad.status)
        delays.append((bad.next_due - clock.now).total_seconds())
        assert message in (report.sources[0].error or "")
        clock.now = bad.next_due  # jump to the retry
    assert statuses == ["degraded", "degraded", "failing", "failing"]
    # exponential with jitter: each wait within [50%, 100%] of interval * 2^(n-1)
    for n, delay in enumerate(delays, start=1):
        assert 900 * 2 ** (n - 1) / 2 <= delay <= 900 * 2 ** (n - 1)
    assert watcher.state.source("good").status == "ok"
    assert watcher.state.source("good").articles_added == 2
    # recovery resets the backoff
    feed_server.routes["/bad"] = Route(body=rss([("b1", "Police were attacked.")]))
    watcher.cycle()
    recovered = watcher.state.source("bad")
    assert (recovered.status, recovered.failures, recovered.last_error) == ("ok", 0, None)
    assert (recovered.next_due - clock.now).total_seconds() == 900


def test_backoff_is_capped_and_health_names() -> None:
    cfg = SourceConfig(name="x", kind="rss", location="http://x", interval=60, max_backoff=600)
    rng = random.Random(1)
    assert all(300 <= backoff_seconds(n, cfg, rng) <= 600 for n in range(5, 40))
    assert [health(n) for n in (0, 1, 2, 3, 9)] == [
        "ok",
        "degraded",
        "degraded",
        "failing",
        "failing",
    ]


def test_folder_and_jsonl_sources(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "inbox"
    drop = tmp_path / "drop.jsonl"
    inbox.mkdir()
    (inbox / "one.txt").write_text("Gunmen attacked a checkpoint.", encoding="utf-8")
    (inbox / "ignored.pdf").write_bytes(b"%PDF")
    drop.write_text(
        '{"id": "j1", "text": "A bomb exploded.", "published": "2019-05-13"}\n'
        '{"id": "j2", "text": "Half written',
        encoding="utf-8",
    )
    cfg = parse_config(
        {
            "sources": [
                {"name": "inbox", "kind": "folder", "path": str(inbox)},
                {"name": "drop", "kind": "jsonl", "path": str(drop)},
                {"name": "gone", "kind": "folder", "path": str(tmp_path / "missing")},
            ],
            "sinks": {"stdout": False},
        }
    )
    watcher = Watcher(
        settings,
        cfg,
        store=Store.open(settings.resolved_database_url),
        extractor=StubExtractor(),
        clock=Clock(),
        rng=random.Random(3),
    )
    first = {s.name: (s.status, s.articles_added) for s in watcher.cycle().sources}
    assert first == {"inbox": ("ok", 1), "drop": ("ok", 1), "gone": ("degraded", 0)}
    # the writer finishes its line and copies the same file again under another name
    with drop.open("a", encoding="utf-8") as out:
        out.write(' line", "published": "2019-05-14"}\n')
    (inbox / "copy.txt").write_text("Gunmen attacked a checkpoint.", encoding="utf-8")
    second = {s.name: s.articles_added for s in watcher.cycle(force=True).sources}
    assert second == {"inbox": 0, "drop": 1, "gone": 0}
    assert watcher.extractor.seen == ["one", "j1", "j2"]
