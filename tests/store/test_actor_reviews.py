"""Review decisions on provisional actors: one standing row per provisional id, both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from watchfloor.errors import ConfigError
from watchfloor.store import Store
from watchfloor.store.actor_reviews import (
    actor_review,
    actor_review_map,
    list_actor_reviews,
    record_actor_review,
)

PID = "provisional:jamaat-al-nur"


@pytest.fixture
def store(database_url: str) -> Store:
    return Store.open(database_url)


def test_a_later_decision_replaces_the_first(store: Store) -> None:
    assert actor_review(store, PID) is None
    first = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)
    record_actor_review(
        store,
        PID,
        "confirmed",
        name="Jamaat al-Nur",
        by="ana",
        parent_id="islamic-state",
        note="seen in two outlets",
        at=first,
    )
    stored = actor_review(store, PID)
    assert stored is not None
    assert (stored.decision, stored.parent_id, stored.by) == ("confirmed", "islamic-state", "ana")
    assert stored.decided_at == first and stored.note == "seen in two outlets"

    later = first + dt.timedelta(days=2)
    record_actor_review(
        store, PID, "merged", name="Jamaat al-Nur", by="ben", actor_id="ispp", at=later
    )
    record_actor_review(store, "provisional:other", "rejected", name="Other", by="ana", at=first)
    rows = list_actor_reviews(store)
    assert [r.provisional_id for r in rows] == [PID, "provisional:other"]  # newest first
    merged = actor_review_map(store)[PID]
    assert (merged.decision, merged.actor_id, merged.by) == ("merged", "ispp", "ben")
    assert merged.parent_id is None and merged.note is None and merged.decided_at == later
    assert merged.to_json()["decided_at"].startswith("2024-03-03T09:30")


@pytest.mark.parametrize(
    ("pid", "decision", "extra"),
    [
        ("jamaat-al-nur", "confirmed", {}),  # not a provisional id
        ("provisional:", "confirmed", {}),
        (PID, "approved", {}),
        (PID, "merged", {}),  # a merge without its target
        (PID, "confirmed", {"by": "  "}),
        (PID, "confirmed", {"name": ""}),
    ],
)
def test_malformed_decisions_are_refused(
    store: Store, pid: str, decision: str, extra: dict[str, str]
) -> None:
    values = {"name": "Jamaat al-Nur", "by": "ana", **extra}
    with pytest.raises(ConfigError):
        record_actor_review(store, pid, decision, **values)
    assert list_actor_reviews(store) == []
