"""The JSON API: filters and pages, GeoJSON, detail, stats, actors, graph, writes and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.serve.conftest import Served
from watchfloor.serve.app import MAX_BODY_BYTES, create_app
from watchfloor.settings import Settings
from watchfloor.store import Store
from watchfloor.store.tokens import TokenStore

GOLDEN = Path(__file__).parent / "golden" / "errors.json"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_filters_and_pagination(client: TestClient) -> None:
    everything = client.get("/api/events").json()
    assert everything["total"] == everything["count"] == 3
    assert [e["date"] for e in everything["items"]] == ["2022-01-03", "2021-06-04", "2015-03-08"]
    assert client.get("/api/events", params={"country": "af"}).json()["total"] == 1
    assert client.get("/api/events", params={"type": "Battles"}).json()["total"] == 1
    assert client.get("/api/events", params={"type": "Armed clash"}).json()["total"] == 1
    assert client.get("/api/events", params={"actor": "taliban"}).json()["total"] == 1
    assert client.get("/api/events", params={"admin1": "borno"}).json()["total"] == 1
    window = client.get("/api/events", params={"since": "2016-01-01", "until": "2021-12-31"})
    assert [e["location"]["name"] for e in window.json()["items"]] == ["Kunduz"]
    page = client.get("/api/events", params={"limit": 1, "offset": 1}).json()
    assert (page["total"], page["count"], page["items"][0]["date"]) == (3, 1, "2021-06-04")
    assert client.get("/api/events", params={"limit": 501}).status_code == 422
    assert client.get("/api/events", params={"limit": 500}).status_code == 200


def test_geojson_both_ways(client: TestClient) -> None:
    by_param = client.get("/api/events", params={"format": "geojson"}).json()
    by_path = client.get("/api/events.geojson").json()
    assert by_param == by_path
    assert by_path["type"] == "FeatureCollection" and by_path["total"] == 3
    points = {f["properties"]["place"]: f["geometry"] for f in by_path["features"]}
    assert points["Quetta, Balochistan, PK"] == {"type": "Point", "coordinates": [66.99, 30.18]}
    assert points["Maiduguri, Borno, NG"] is None  # no coordinates: null geometry, still listed


def test_event_detail_has_evidence_sources_and_ledger(client: TestClient) -> None:
    [kunduz] = client.get("/api/events", params={"country": "AF"}).json()["items"]
    detail = client.get(f"/api/events/{kunduz['id']}").json()
    text = detail["article"]["text"]
    for span in detail["evidence"]:
        assert text[span["start"] : span["end"]] == span["text"]
    [source] = detail["sources"]
    assert (source["source"], source["fatalities"]) == ("Wire A", 12)
    [claim] = detail["ledger"]
    assert (claim["by"], claim["stance"], claim["source"]) == ("Taliban", "claimed", "Wire A")


def test_stats(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["total"] == 3
    assert stats["by_type"] == {
        "Violence against civilians": 1,
        "Battles": 1,
        "Explosions/Remote violence": 1,
    }
    assert stats["by_country"] == {"PK": 1, "AF": 1, "NG": 1}
    assert [m["month"] for m in stats["by_month"]] == ["2015-03", "2021-06", "2022-01"]
    assert client.get("/api/stats", params={"country": "PK"}).json()["by_month"] == [
        {"month": "2022-01", "total": 1, "by_type": {"Violence against civilians": 1}}
    ]


def test_actors_and_graph(client: TestClient) -> None:
    found = client.get("/api/actors", params={"q": "daesh"}).json()
    assert "islamic-state" in [a["id"] for a in found["items"]]
    state = client.get("/api/actors/islamic-state").json()
    assert "Daesh" in state["aliases"]
    assert {"iskp", "ispp", "iswap"} <= {b["id"] for b in state["branches"]}
    assert state["relations"], "the relations timeline should not be empty"
    assert client.get("/api/actors/no-such-group").status_code == 404
    before = client.get("/api/graph", params={"as_of": "2015-03-01"}).json()
    after = client.get("/api/graph", params={"as_of": "2015-04-01"}).json()

    def pledged(graph: dict[str, Any]) -> bool:
        return any(
            e["source"] == "boko-haram" and e["kind"] == "pledge" and e["reported_by"]
            for e in graph["edges"]
        )

    assert not pledged(before) and pledged(after)  # the stored development, dated 2015-03-07
    assert len(after["edges"]) >= len(before["edges"])
    assert client.get("/api/graph", params={"as_of": "soon"}).json()["error"]["code"] == "W204"


def test_writes_need_a_valid_token(served: Served) -> None:
    client = served.client
    body = {"id": "x", "text": "Nothing happened."}
    decision = {"action": "accept", "event_id": 1, "field": "event_type"}
    for path, payload in (("/api/articles", body), ("/api/review", decision)):
        missing = client.post(path, json=payload)
        assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
        assert missing.json()["error"]["code"] == "HTTP401"
        wrong = client.post(path, json=payload, headers=auth("wf_not-a-real-token"))
        assert wrong.status_code == 401
        cookie_only = client.post(path, json=payload, cookies={"token": served.token})
        assert cookie_only.status_code == 401
    TokenStore(Store.open(served.url).engine).revoke("reviewer")
    revoked = client.post("/api/review", json=decision, headers=auth(served.token))
    assert revoked.status_code == 401


def test_body_limit(served: Served) -> None:
    big = {"id": "big", "text": "x" * (MAX_BODY_BYTES + 10)}
    refused = served.client.post("/api/articles", json=big, headers=auth(served.token))
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "HTTP413"
    # Chunked upload without Content-Length is refused the same way.
    chunks = (b"x" * 65536 for _ in range(20))
    streamed = served.client.post(
        "/api/articles",
        content=chunks,
        headers={**auth(served.token), "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413


def test_review_decisions(served: Served) -> None:
    client, headers = served.client, auth(served.token)
    ids = {e["location"]["country"]: e["id"] for e in client.get("/api/events").json()["items"]}
    accepted = client.post(
        "/api/review",
        json={"action": "accept", "event_id": ids["PK"], "field": "event_type"},
        headers=headers,
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {
        "action": "accept",
        "by": "reviewer",
        "event_id": ids["PK"],
        "field": "event_type",
    }
    corrected = client.post(
        "/api/review",
        json={"action": "correct", "event_id": ids["NG"], "field": "fatalities.best", "value": 4},
        headers=headers,
    )
    assert corrected.status_code == 200, corrected.text
    assert client.get(f"/api/events/{ids['NG']}").json()["fatalities"]["best"] == 4
    unknown_field = client.post(
        "/api/review",
        json={"action": "correct", "event_id": ids["NG"], "field": "text", "value": 1},
        headers=headers,
    )
    assert unknown_field.status_code == 422
    merged = client.post(
        "/api/review",
        json={"action": "merge", "keep_id": ids["AF"], "other_id": ids["NG"], "note": "same"},
        headers=headers,
    )
    assert merged.status_code == 200, merged.text
    assert client.get(f"/api/events/{ids['NG']}").status_code == 404
    sources = client.get(f"/api/events/{ids['AF']}").json()["sources"]
    assert len(sources) == 2
    split = client.post(
        "/api/review",
        json={"action": "unmerge", "event_id": ids["AF"], "report_id": sources[1]["report_id"]},
        headers=headers,
    )
    assert split.status_code == 200, split.text
    new_id = split.json()["new_event_id"]
    assert len(client.get(f"/api/events/{new_id}").json()["sources"]) == 1
    same = client.post(
        "/api/review",
        json={"action": "merge", "keep_id": ids["AF"], "other_id": ids["AF"]},
        headers=headers,
    )
    assert same.status_code == 400
    gone = client.post(
        "/api/review",
        json={"action": "accept", "event_id": 10**9, "field": "date"},
        headers=headers,
    )
    assert gone.status_code == 404


def test_review_queue_least_confident_first(client: TestClient) -> None:
    queue = client.get("/api/review/queue").json()["items"]
    assert [e["confidence"] for e in queue] == sorted(e["confidence"] for e in queue)


def _shape(response: Any) -> dict[str, Any]:
    return {"status": response.status_code, **response.json()}


def test_error_shape_golden(served: Served) -> None:
    """Every error is {"error": {"code", "message"}}; the messages are fixed here."""
    client = served.client
    got = {
        "bad_date": _shape(client.get("/api/events", params={"since": "yesterday"})),
        "bad_limit": _shape(client.get("/api/events", params={"limit": 0})),
        "no_event": _shape(client.get("/api/events/12345")),
        "no_actor": _shape(client.get("/api/actors/nobody")),
        "no_route": _shape(client.get("/api/nothing-here")),
        "wrong_method": _shape(client.delete("/api/events")),
        "no_token": _shape(client.post("/api/review", json={})),
        "bad_json": _shape(
            client.post(
                "/api/articles",
                content=b"{not json",
                headers={**auth(served.token), "Content-Type": "application/json"},
            )
        ),
    }
    if not GOLDEN.exists():  # first run writes the file; review it like code
        GOLDEN.write_text(json.dumps(got, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_ingest_one_article_over_http(tmp_path: Path, extractor: Any) -> None:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    _token, secret = TokenStore(Store.open(url).engine).create("feeder")
    client = TestClient(create_app(Settings(database_url=url), extractor=extractor))
    article = {
        "id": "http-1",
        "published": "2023-03-02",
        "title": "Blast in Peshawar",
        "text": "Blast in Peshawar\n\nA bomb exploded at a police station in Peshawar on "
        "Wednesday, killing four policemen, officials said.",
        "source": "Test Wire",
    }
    first = client.post("/api/articles", json=article, headers=auth(secret))
    assert first.status_code == 201, first.text
    assert first.json()["events_added"] >= 1 and first.json()["duplicate"] is False
    again = client.post("/api/articles", json=article, headers=auth(secret))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    [event] = client.get("/api/events", params={"country": "PK"}).json()["items"]
    assert event["sources"][0]["source"] == "Test Wire"
    bad_date = client.post(
        "/api/articles", json={**article, "published": "March"}, headers=auth(secret)
    )
    assert bad_date.status_code == 400 and bad_date.json()["error"]["code"] == "W204"
    empty = client.post("/api/articles", json={**article, "text": "   "}, headers=auth(secret))
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "W203"
