"""Pages render from the database, article text is escaped, the CSP is strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from watchfloor.serve.app import create_app
from watchfloor.settings import Settings


def test_index_lists_events_escaped(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "<script>evil()" not in page.text
    assert "&lt;script&gt;evil()" in page.text
    assert "Quetta, Balochistan, PK" in page.text


def test_csp_allows_only_our_own_scripts_and_styles(client: TestClient) -> None:
    for path in ("/", "/api/events", "/graph", "/nope"):
        csp = client.get(path).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'none'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert "unsafe" not in csp and "*" not in csp
    page = client.get("/")
    assert "<script>" not in page.text  # every script is a file: <script src=...>
    assert " style=" not in page.text


def test_event_page_marks_evidence_and_escapes_article(client: TestClient) -> None:
    [event] = client.get("/api/events", params={"country": "PK"}).json()["items"]
    page = client.get(f"/events/{event['id']}")
    assert page.status_code == 200
    assert 'data-field="trigger" title="trigger">shot dead</mark>' in page.text
    assert '<mark class="ev-event" data-field="event"' in page.text  # the outer, nesting mark
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    assert 'href="javascript:' not in page.text
    assert 'id="sources"' in page.text and 'id="ledger"' in page.text


def test_pages_render(client: TestClient) -> None:
    for path in (
        "/graph",
        "/review",
        "/actors",
        "/actors?q=daesh",
        "/actors/islamic-state",
        "/docs",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
    actor = client.get("/actors/islamic-state").text
    assert "Daesh" in actor and 'id="branches"' in actor


def test_html_errors_for_browsers_json_for_tools(client: TestClient) -> None:
    page = client.get("/events/999", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "no event with id 999" in page.text
    assert page.headers["content-type"].startswith("text/html")
    api = client.get("/events/999")
    assert api.json()["error"]["code"] == "W404"


def test_dashboard_without_assets_says_how_to_install(served, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=served.url), node_modules=tmp_path / "missing")
    client = TestClient(app)
    page = client.get("/")
    assert page.status_code == 200
    assert 'id="assets-notice"' in page.text and "make assets" in page.text
    assert "/vendor/leaflet" not in page.text  # no broken script tags
    assert "Quetta" in page.text  # the table still works
    assert client.get("/api/status").json()["assets"]["installed"] is False


def test_vendor_assets_are_served_from_node_modules(client: TestClient) -> None:
    status = client.get("/api/status").json()["assets"]
    if not status["installed"]:
        pytest.skip("front-end assets not installed here: run `make assets` (npm ci)")
    script = client.get("/vendor/leaflet/dist/leaflet.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert client.get("/vendor/world-atlas/countries-50m.json").json()["type"] == "Topology"
    assert client.get("/vendor/leaflet/../../package.json").status_code == 404
