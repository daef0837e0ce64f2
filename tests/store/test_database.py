"""Store: migrations, idempotent batches, filters and event detail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from watchfloor.errors import NotFound, StoreError
from watchfloor.model import (
    Actor,
    Article,
    CasualtyReport,
    Claim,
    Event,
    EvidenceSpan,
    ExtractResult,
    OrgDevelopment,
    Place,
)
from watchfloor.store import EventFilter, Store
from watchfloor.store.schema import metadata

TEXT = "Blast in Quetta\n\nA bomb killed three people in Quetta on Monday. IS claimed it."


def _event(day: int, country: str, admin1: str, perp: str, killed: int) -> Event:
    return Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        date=dt.date(2021, 3, day),
        date_earliest=dt.date(2021, 3, day),
        date_latest=dt.date(2021, 3, day),
        date_precision="day",
        location=Place(
            name="Quetta", admin1=admin1, country=country, lat=30.2, lon=67.0, geo_precision=1
        ),
        perpetrator=Actor(name=perp, actor_id=perp.lower().replace(" ", "-"), status="claimed"),
        fatalities=CasualtyReport(low=killed, best=killed, high=killed),
        claims=[Claim(by=perp, stance="claimed", channel="Amaq")],
        evidence=[EvidenceSpan(field="trigger", start=19, end=23, text=TEXT[19:23])],
        confidence=0.8,
    )


def _result(article: Article, *events: Event) -> ExtractResult:
    org = OrgDevelopment(
        kind="pledge",
        group="Boko Haram",
        parent="Islamic State",
        evidence=[EvidenceSpan(field="org", start=0, end=5, text=TEXT[:5])],
    )
    return ExtractResult(
        id=article.id, published=article.published, events=list(events), org_developments=[org]
    )


@pytest.fixture
def store(database_url: str) -> Store:
    return Store.open(database_url)


def test_sqlite_database_folder_is_created(tmp_path: Path) -> None:
    Store.open(f"sqlite:///{tmp_path / 'sub' / 'wf.db'}").close()
    assert (tmp_path / "sub" / "wf.db").exists()


def test_migrations_match_the_table_definitions(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # PostGIS brings its own table; it is not ours to describe
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name == "spatial_ref_sys")]
    assert diff == []


def test_batch_is_idempotent_by_content(store: Store) -> None:
    a = Article(id="a", text=TEXT, published=dt.date(2021, 3, 2))
    b = Article(id="b", text=TEXT + " More.", published=dt.date(2021, 3, 2))
    batch = [
        (a, _result(a, _event(1, "PK", "Balochistan", "Islamic State", 3)), "x.jsonl"),
        (b, _result(b, _event(2, "AF", "Kabul", "Taliban", 5)), "x.jsonl"),
    ]
    first = store.add_batch(batch, "test")
    assert (first.articles_added, first.events_added, first.duplicates) == (2, 2, 0)
    counts = store.counts()
    again = store.add_batch(batch, "test")
    assert (again.articles_added, again.duplicates) == (0, 2)
    assert store.counts() == counts
    assert counts == {
        "articles": 2,
        "reports": 2,
        "events": 2,
        "evidence": 2,
        "claims": 2,
        "org_developments": 2,
        "changes": 2,
    }
    assert store.has_article(a.content_hash)


def test_duplicate_inside_one_batch_is_stored_once(store: Store) -> None:
    a = Article(id="a", text=TEXT, published=dt.date(2021, 3, 2))
    same = Article(id="copy", text=TEXT, published=dt.date(2021, 3, 2))
    outcome = store.add_batch([(a, _result(a), None), (same, _result(same), None)], "t")
    assert (outcome.articles_added, outcome.duplicates) == (1, 1)


def test_filters(store: Store) -> None:
    a = Article(id="a", text=TEXT, published=dt.date(2021, 3, 9))
    store.add_batch(
        [
            (
                a,
                _result(
                    a,
                    _event(1, "PK", "Balochistan", "Islamic State", 3),
                    _event(5, "AF", "Kabul", "Taliban", 5),
                    _event(8, "PK", "Sindh", "Taliban", 1),
                ),
                None,
            )
        ],
        "t",
    )
    assert [e.data["date"] for e in store.events()] == ["2021-03-08", "2021-03-05", "2021-03-01"]
    assert len(store.events(EventFilter(country="pk"))) == 2
    assert len(store.events(EventFilter(admin1="sindh"))) == 1
    assert len(store.events(EventFilter(actor="taliban"))) == 2
    assert len(store.events(EventFilter(since=dt.date(2021, 3, 2), until=dt.date(2021, 3, 6)))) == 1
    assert len(store.events(EventFilter(event_type="Remote explosive/landmine/IED"))) == 3
    assert len(store.events(EventFilter(event_type="Battles"))) == 0
    assert len(store.events(EventFilter(limit=2))) == 2


def test_event_detail_and_missing_id(store: Store) -> None:
    a = Article(id="a", text=TEXT, published=dt.date(2021, 3, 9), title="Blast in Quetta")
    store.add_batch(
        [(a, _result(a, _event(1, "PK", "Balochistan", "Islamic State", 3)), None)], "t"
    )
    [stored] = store.events()
    event, article = store.event(stored.id)
    assert article.text == TEXT
    span = event.data["evidence"][0]
    assert article.text[span["start"] : span["end"]] == span["text"]
    assert event.summary()["place"] == "Quetta, Balochistan, PK"
    with pytest.raises(NotFound):
        store.event(9999)


def test_unopenable_database_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        Store.open(f"sqlite:///{blocker}/wf.db")
    assert "W400" in info.value.one_line()


def test_actor_filter_by_alias_finds_the_groups_branches(store: Store) -> None:
    a = Article(id="a", text=TEXT, published=dt.date(2021, 3, 9))
    branch = _event(2, "AF", "Nangarhar", "Islamic State Khorasan Province", 4)
    branch.perpetrator = Actor(name="ISKP", actor_id="iskp", status="claimed")
    rival = _event(3, "AF", "Kabul", "Taliban", 2)
    store.add_batch([(a, _result(a, branch, rival), None)], "t")
    found = store.events(EventFilter(actor="Daesh"))
    assert [e.data["perpetrator"]["actor_id"] for e in found] == ["iskp"]
    assert store.events(EventFilter(actor="no such group anywhere")) == []
