"""GET /api/compare and the /compare page over a store with imported UCDP events."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.reference.test_compare import OURS, REFERENCE, TEXT
from watchfloor.model import Article, ExtractResult
from watchfloor.reference import ReferenceEvent
from watchfloor.serve.app import create_app
from watchfloor.serve.routes import compare as compare_route
from watchfloor.settings import Settings
from watchfloor.store import Store
from watchfloor.store.reference import add_reference_events

#: A reference event whose text would run if the page ever parsed data as HTML.
HOSTILE_REF = ReferenceEvent(
    dataset="ucdp",
    external_id="r5",
    date_start=dt.date(2021, 4, 2),
    date_end=dt.date(2021, 4, 3),
    country="PK",
    admin1="Punjab province",
    location="<img src=x onerror=alert(1)>",
    latitude=None,
    longitude=None,
    actor1="<script>alert(2)</script>",
    deaths_low=0,
    deaths_best=0,
    deaths_high=1,
)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    """Our four hand-coded March 2021 events and five UCDP events (one without coordinates)."""
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    store = Store.open(url)
    batch = []
    for i, event in enumerate(OURS, start=1):
        article = Article(id=f"a{i}", text=f"{TEXT} ({i})", published=dt.date(2021, 3, 28))
        batch.append((article, ExtractResult(id=article.id, events=[event]), "test"))
    store.add_batch(batch, "test")
    assert add_reference_events(store, "ucdp", [*REFERENCE, HOSTILE_REF]) == (5, 0)
    store.close()
    return TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False)


def _our_id(client: TestClient, place: str) -> int:
    items = client.get("/api/events", params={"limit": 500}).json()["items"]
    [found] = [e["id"] for e in items if e["location"]["name"] == place]
    return int(found)


def test_figures_monthly_counts_and_points(client: TestClient) -> None:
    data = client.get("/api/compare", params={"reference": "ucdp", "country": "pk"}).json()
    assert (data["dataset"], data["reference_events"], data["our_events"]) == ("ucdp", 5, 4)
    assert data["matched"] == 2
    assert data["coverage"] == pytest.approx(2 / 5)
    assert data["our_events_matched_share"] == 0.5
    assert data["toll"] == {"compared": 2, "within_low_high": 1, "share": 0.5}
    assert data["admin1_same_unit"] == {"compared": 2, "agree": 2, "share": 1.0}
    assert data["admin1_same_spelling"]["agree"] == 0  # "Khyber Pakhtunkwa province" and FATA
    assert data["filters"] == {"since": None, "until": None, "country": "PK"}
    assert data["hint"] is None
    assert data["monthly"] == [
        {"month": "2021-03", "reference": 4, "matched": 2, "ours": 4},
        {"month": "2021-04", "reference": 1, "matched": 0, "ours": 0},
    ]
    # Located reference events only, matched ones first, each pointing at our event.
    assert (data["points_total"], data["unlocated"]) == (4, 1)
    points = {p["id"]: p for p in data["points"]}
    assert [p["id"] for p in data["points"][:2]] == ["r1", "r2"]
    assert points["r1"]["our_id"] == _our_id(client, "place 1")
    assert points["r2"]["our_id"] == _our_id(client, "place 2")
    assert not points["r3"]["matched"] and points["r3"]["our_id"] is None
    assert points["r1"]["deaths"] == {"low": 2, "best": 3, "high": 5}
    assert points["r1"]["actors"] == ["TTP", "Civilians"]
    assert (points["r4"]["lat"], points["r4"]["lon"]) == (24.9, 67.0)


def test_filters_narrow_both_sides(client: TestClient) -> None:
    early = client.get("/api/compare", params={"since": "2021-03-01", "until": "2021-03-12"})
    data = early.json()
    # r1 and r2 fall in the window; ours on the 1st and the 11th (loaded a day wider).
    assert (data["reference_events"], data["matched"], data["coverage"]) == (2, 2, 1.0)
    assert data["our_events"] == 2
    assert data["monthly"] == [{"month": "2021-03", "reference": 2, "matched": 2, "ours": 2}]
    elsewhere = client.get("/api/compare", params={"country": "AF"}).json()
    assert (elsewhere["reference_events"], elsewhere["coverage"], elsewhere["points"]) == (
        0,
        None,
        [],
    )
    assert "watchfloor import ucdp FILE" in elsewhere["hint"]
    acled = client.get("/api/compare", params={"reference": "acled"}).json()
    assert acled["reference_events"] == 0 and "import acled" in acled["hint"]


def test_points_are_capped_with_the_matched_kept(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compare_route, "MAX_POINTS", 2)
    data = client.get("/api/compare").json()
    assert [p["id"] for p in data["points"]] == ["r1", "r2"]
    assert data["points_total"] == 4


@pytest.mark.parametrize(
    ("params", "status", "code", "says"),
    [
        ({"reference": "gtd"}, 422, "HTTP422", "reference"),
        ({"since": "2021-13-01"}, 400, "W204", "since"),
        ({"until": "soon"}, 400, "W204", "until"),
        ({"country": "PAK"}, 422, "HTTP422", "country"),
    ],
)
def test_bad_requests_get_the_one_error_shape(
    client: TestClient, params: dict[str, str], status: int, code: str, says: str
) -> None:
    response = client.get("/api/compare", params=params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and says in error["message"]
    assert set(response.json()) == {"error"}


def test_page_is_a_safe_shell_with_the_form_filled(client: TestClient) -> None:
    page = client.get("/compare", params={"reference": "ucdp", "country": "PK"})
    assert page.status_code == 200
    html = page.text
    assert re.search(r'<a href="/compare" aria-current="page">Compare</a>', html)
    assert '<option value="ucdp" selected>UCDP (5 imported)</option>' in html
    assert 'name="country" size="3" maxlength="2" value="PK"' in html
    assert 'id="compare-empty"' not in html
    assert "<script>" not in html  # every script comes from a file
    for script in ("/static/common.js", "/static/basemap.js", "/static/compare.js"):
        assert f'<script src="{script}"></script>' in html
        assert client.get(script).status_code == 200
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    nothing = client.get("/compare", params={"reference": "acled"}).text
    assert 'id="compare-empty"' in nothing and "watchfloor import acled FILE" in nothing
    assert client.get("/compare", params={"country": "<b>"}).status_code == 422
