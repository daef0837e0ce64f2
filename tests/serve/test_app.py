"""Web app: pages render from the database, article text is escaped, errors are JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from watchfloor.model import Actor, Article, Event, EvidenceSpan, ExtractResult, Place
from watchfloor.serve.app import create_app, highlight
from watchfloor.settings import Settings
from watchfloor.store import Store

HOSTILE = (
    "<script>alert('x')</script> Attack\n\nGunmen <img src=x onerror=alert(1)> shot dead a "
    "guard in Quetta on Monday."
)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    store = Store.open(url)
    article = Article(
        id="h",
        text=HOSTILE,
        published=dt.date(2022, 1, 5),
        title="<b>bold</b> title",
        url="javascript:alert(1)",
    )
    start = HOSTILE.index("shot dead")
    event = Event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        date=dt.date(2022, 1, 3),
        date_precision="day",
        location=Place(name="Quetta", admin1="Balochistan", country="PK", geo_precision=1),
        perpetrator=Actor(name="<script>evil()</script>", status="unknown"),
        evidence=[
            EvidenceSpan(field="trigger", start=start, end=start + 9, text="shot dead"),
            EvidenceSpan(field="event", start=0, end=28, text=HOSTILE[:28]),
        ],
        confidence=0.5,
    )
    store.add_batch([(article, ExtractResult(id="h", events=[event]), None)], "t")
    return TestClient(create_app(Settings(database_url=url)))


def test_index_lists_events_escaped(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "<script>evil()" not in page.text
    assert "&lt;script&gt;evil()" in page.text
    assert "Quetta, Balochistan, PK" in page.text
    assert "script-src" not in page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_event_page_marks_evidence_and_escapes_article(client: TestClient) -> None:
    [event] = client.get("/api/events").json()["items"]
    page = client.get(f"/events/{event['id']}")
    assert page.status_code == 200
    assert '<mark class="trigger" title="trigger">shot dead</mark>' in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert 'href="javascript:' not in page.text


def test_filters_and_errors_are_json(client: TestClient) -> None:
    assert client.get("/api/events", params={"country": "AF"}).json()["count"] == 0
    assert client.get("/api/events", params={"country": "PK"}).json()["count"] == 1
    bad = client.get("/api/events", params={"since": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "W204"
    missing = client.get("/api/events/12345")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "W404"


def test_highlight_keeps_text_and_skips_overlaps() -> None:
    text = "abcdefghij"
    pieces = highlight(
        text,
        [
            {"start": 2, "end": 5, "field": "a"},
            {"start": 3, "end": 4, "field": "b"},
            {"start": 7, "end": 99, "field": "c"},
        ],
    )
    assert "".join(p for p, _ in pieces) == text
    assert ("cde", "a") in pieces and all(f != "b" for _, f in pieces)
