"""The dashboard's alerts page (the watch alert log and source health) and coverage view."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from tests.serve.conftest import Served
from watchfloor.store import Store
from watchfloor.store.watch import SourceState, WatchStore
from watchfloor.watch.alerts import Alert

NOW = dt.datetime(2024, 3, 2, 8, 0, tzinfo=dt.UTC)


def _log_alerts(served: Served) -> tuple[int, int]:
    watch = WatchStore(Store.open(served.url))
    events = {
        e["location"]["country"]: e["id"] for e in served.client.get("/api/events").json()["items"]
    }
    hostile = Alert(
        rule="first_in_admin2",
        key="first_in_admin2:x:PK:Quetta",
        title="First event by <script>evil()</script> in Quetta",
        day=dt.date(2022, 1, 3),
        country="PK",
        admin1="Balochistan",
        event_ids=(events["PK"],),
        evidence=(
            {
                "event_id": events["PK"],
                "quote": "<img src=x onerror=alert(1)> shot dead",
                "sources": [{"source": "Wire <b>B</b>", "url": "javascript:alert(2)"}],
            },
        ),
    )
    clash = Alert(
        rule="first_clash",
        key="first_clash:army:taliban",
        title="First clash between Taliban and the army in Kunduz",
        day=dt.date(2021, 6, 4),
        country="AF",
        admin1="Kunduz",
        event_ids=(events["AF"],),
        evidence=(
            {
                "event_id": events["AF"],
                "quote": "Taliban fighters clashed with army troops",
                "sources": [{"source": "Wire A", "url": "https://a.example/k"}],
            },
        ),
    )
    assert len(watch.record_alerts([hostile, clash], NOW)) == 2
    watch.save_source(
        SourceState(
            name="wire",
            kind="rss",
            location="http://127.0.0.1:9/feed",
            status="failing",
            failures=3,
            last_error="[W201] wire: timed out after 20s",
        )
    )
    return events["PK"], events["AF"]


def test_alerts_page_lists_alerts_with_events_evidence_and_health(served: Served) -> None:
    pk, af = _log_alerts(served)
    client: TestClient = served.client
    page = client.get("/alerts")
    assert page.status_code == 200
    text = page.text
    assert text.count('<li class="alert ') == 2
    # newest (by day) first, each linking its events and quoting its evidence
    assert text.index("First event by") < text.index("First clash between")
    assert f'<a href="/events/{pk}">{pk}</a>' in text and f'<a href="/events/{af}">{af}</a>' in text
    assert "Taliban fighters clashed with army troops" in text
    assert '<a href="https://a.example/k" rel="noreferrer noopener">Wire A</a>' in text
    # alert text from articles stays inert
    assert "<script>evil()" not in text and "&lt;script&gt;evil()" in text
    assert "<img src=x" not in text and 'href="javascript:' not in text
    assert "Wire &lt;b&gt;B&lt;/b&gt;" in text
    # source health
    assert 'id="source-health"' in text and "failing" in text and "timed out after 20s" in text
    assert 'href="/alerts" aria-current="page"' in text


def test_alerts_page_filters_by_rule_and_day(served: Served) -> None:
    _log_alerts(served)
    client = served.client
    only = client.get("/alerts", params={"rule": "first_clash"}).text
    assert only.count('<li class="alert ') == 1 and "First clash between" in only
    recent = client.get("/alerts", params={"since": "2022-01-01"}).text
    assert recent.count('<li class="alert ') == 1 and "First event by" in recent
    empty = client.get("/alerts", params={"since": "2030-01-01"}).text
    assert '<li class="alert ' not in empty and "No alerts logged for these filters" in empty
    bad = client.get("/alerts", params={"since": "soon"}, headers={"Accept": "text/html"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text


def test_alerts_page_without_a_watcher_says_how_to_start_one(client: TestClient) -> None:
    page = client.get("/alerts")
    assert page.status_code == 200
    assert "watchfloor watch --config" in page.text
    assert "No source has been polled yet" in page.text


def test_coverage_page_shows_regions_and_sources(client: TestClient) -> None:
    page = client.get("/coverage")
    assert page.status_code == 200
    text = page.text
    api = client.get("/api/coverage").json()
    assert {r["name"] for r in api["regions"]} >= {"Balochistan", "Kunduz", "Borno"}
    for region in api["regions"]:
        assert f">{region['name']}</a>" in text
    assert "Wire A" in text  # the outlet of the Kunduz article
    assert 'href="/?country=AF&amp;admin1=Kunduz"' in text  # a region opens the map on it
    pk = client.get("/coverage", params={"country": "pk"}).text
    assert "Balochistan" in pk and "Kunduz" not in pk
    assert 'value="PK"' in pk
    bad = client.get("/coverage", params={"country": "P1"}, headers={"Accept": "text/html"})
    assert bad.status_code == 400 and "alpha-2" in bad.text
    assert client.get("/coverage", params={"country": "P1"}).json()["error"]["code"] == "W200"
