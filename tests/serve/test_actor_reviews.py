"""Review decisions on provisional actors over HTTP: listed, then confirmed, merged or rejected
with a token; refused without one."""

from __future__ import annotations

import datetime as dt

from tests.serve.conftest import Served
from watchfloor.model import Article, EvidenceSpan, ExtractResult, OrgDevelopment
from watchfloor.store import Store
from watchfloor.store.actor_reviews import actor_review

TEXT = "Jamaat al-Nur, a new group, pledged allegiance to the Islamic State on Monday."
NUR = "provisional:jamaat-al-nur"


def add_unknown_group(url: str) -> None:
    quote = TEXT[: TEXT.index(" on Monday")]
    pledge = OrgDevelopment(
        kind="pledge",
        group="Jamaat al-Nur",
        parent="Islamic State",
        date=dt.date(2024, 2, 12),
        evidence=[EvidenceSpan(field="org", start=0, end=len(quote), text=quote)],
    )
    article = Article(id="nur", text=TEXT, published=dt.date(2024, 2, 13), title="New pledge")
    result = ExtractResult(id="nur", published=article.published, org_developments=[pledge])
    Store.open(url).add_batch([(article, result, None)], "test")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_provisional_actors_are_listed_and_decided(served: Served) -> None:
    client = served.client
    assert client.get("/api/review/actors").json() == {"items": [], "count": 0}
    add_unknown_group(served.url)
    listed = client.get("/api/review/actors").json()["items"]
    assert [a["provisional_id"] for a in listed] == [NUR]
    assert listed[0]["first_seen"] == "2024-02-12" and listed[0]["review"] is None
    assert "pledged allegiance" in listed[0]["evidence"] and "New pledge" in listed[0]["source"]

    confirm = {"action": "confirm_actor", "provisional_id": NUR, "parent_id": "Islamic State"}
    assert client.post("/api/review", json=confirm).status_code == 401
    wrong = client.post("/api/review", json=confirm, headers=auth("wf_not-a-real-token"))
    assert wrong.status_code == 401
    assert actor_review(Store.open(served.url), NUR) is None

    done = client.post("/api/review", json=confirm, headers=auth(served.token))
    assert done.status_code == 200, done.text
    assert done.json() == {
        "action": "confirm_actor",
        "by": "reviewer",
        "provisional_id": NUR,
        "name": "Jamaat al-Nur",
        "decision": "confirmed",
        "actor_id": None,
        "parent_id": "islamic-state",
    }
    assert client.get("/api/review/actors").json()["count"] == 0
    decided = client.get("/api/review/actors", params={"all": "true"}).json()["items"]
    assert decided[0]["review"]["decision"] == "confirmed"
    assert decided[0]["review"]["by"] == "reviewer"

    merge = {"action": "merge_actor", "provisional_id": NUR, "actor_id": "ISCAP", "note": "same"}
    merged = client.post("/api/review", json=merge, headers=auth(served.token))
    assert merged.status_code == 200, merged.text
    assert merged.json()["actor_id"] == "iscap"
    stored = actor_review(Store.open(served.url), NUR)
    assert stored is not None and (stored.decision, stored.note) == ("merged", "same")

    rejected = client.post(
        "/api/review",
        json={"action": "reject_actor", "provisional_id": NUR},
        headers=auth(served.token),
    )
    assert rejected.status_code == 200 and rejected.json()["decision"] == "rejected"


def test_bad_actor_decisions_are_refused(served: Served) -> None:
    add_unknown_group(served.url)
    client, headers = served.client, auth(served.token)

    def post(**body: object) -> int:
        return client.post("/api/review", json=body, headers=headers).status_code

    assert post(action="confirm_actor", provisional_id="provisional:nobody") == 404
    assert post(action="merge_actor", provisional_id=NUR) == 400  # no target
    assert post(action="merge_actor", provisional_id=NUR, actor_id="no such group") == 404
    assert post(action="confirm_actor", provisional_id="jamaat-al-nur") == 422
    assert post(action="confirm_actor", provisional_id=NUR, extra=1) == 422
    assert actor_review(Store.open(served.url), NUR) is None
