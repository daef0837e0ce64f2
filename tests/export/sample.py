"""A small hand-built set of stored events that exercises every exporter's branches."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from watchfloor.model import Event
from watchfloor.store import LedgerEntry, SourceRef, StoredEvent

SPAN = {"field": "trigger", "start": 0, "end": 5, "text": "blast"}


def _data(**fields: Any) -> dict[str, Any]:
    """Contract-shaped event data, validated by the model so the sample stays honest."""
    base: dict[str, Any] = {"evidence": [SPAN], "confidence": 0.8}
    base.update(fields)
    return Event.model_validate(base).model_dump(mode="json")


def sample_events() -> list[StoredEvent]:
    bombing = _data(
        event_type="Explosions/Remote violence",
        sub_event_type="Suicide bomb",
        attack_type="Bombing/Explosion",
        date="2021-03-01",
        date_earliest="2021-03-01",
        date_latest="2021-03-01",
        date_precision="day",
        location={
            "name": "Quetta",
            "admin1": "Balochistan",
            "admin2": "Quetta District",
            "country": "PK",
            "lat": 30.18414,
            "lon": 67.00141,
            "geonames_id": 1167528,
            "geo_precision": 1,
        },
        perpetrator={
            "name": "Islamic State",
            "actor_id": "islamic-state",
            "inter": 2,
            "status": "claimed",
        },
        targets=[{"name": "worshippers", "category": "religious", "civilian": True}],
        civilian_targeting=True,
        fatalities={"low": 3, "best": 3, "high": 4, "qualifier": "at least", "attackers": 1},
        injuries={"low": 5, "best": 5, "high": 5},
        weapons=["suicide vest"],
        claims=[{"by": "Islamic State", "stance": "claimed", "channel": "Amaq"}],
    )
    clash = _data(
        event_type="Battles",
        sub_event_type="Armed clash",
        attack_type="Armed Assault",
        date="2021-03-10",
        date_earliest="2021-03-07",
        date_latest="2021-03-13",
        date_precision="week",
        location={
            "name": "Miran Shah",
            "admin1": "Khyber Pakhtunkhwa",
            "admin2": "North Waziristan District",
            "country": "PK",
            "lat": 33.00059,
            "lon": 70.07117,
            "geo_precision": 2,
        },
        perpetrator={"name": "TTP", "actor_id": "ttp", "inter": 2, "status": "attributed"},
        actor1={"name": "TTP", "actor_id": "ttp", "inter": 2},
        actor2={"name": "Military Forces of Pakistan", "actor_id": "pakistan-military", "inter": 1},
        targets=[{"name": "soldiers", "category": "military", "civilian": False}],
        fatalities={"low": 2, "best": 2, "high": 2},
        weapons=["rifles"],
        claims=[{"by": "Pakistani officials", "stance": "attributed_by_officials"}],
    )
    protest = _data(
        event_type="Protests",
        sub_event_type="Peaceful protest",
        date="2021-04-01",
        date_precision="month",
        location={"name": "Karachi", "admin1": "Sindh", "country": "PK", "geo_precision": 1},
    )
    other = _data(event_type="Strategic developments", sub_event_type="Other")
    published = dt.date(2021, 3, 2)
    stamp = dt.datetime(2021, 3, 2, 8, 30, tzinfo=dt.UTC)
    return [
        StoredEvent(
            id=1,
            article_id=10,
            data=bombing,
            article_title="Suicide blast kills three in Quetta",
            article_url="https://news.example/quetta",
            article_source="Frontier Daily",
            published=published,
            sources=(
                SourceRef(
                    1,
                    10,
                    "Suicide blast kills three in Quetta",
                    "https://news.example/quetta",
                    "Frontier Daily",
                    published,
                    stamp,
                    3,
                    5,
                ),
                SourceRef(
                    2,
                    11,
                    "IS claims Quetta bombing",
                    None,
                    "Coast Wire",
                    published,
                    stamp + dt.timedelta(hours=5),
                    4,
                    None,
                ),
            ),
            ledger=(LedgerEntry("Islamic State", "claimed", "Amaq", 2, "Coast Wire", published),),
        ),
        StoredEvent(
            id=2,
            article_id=12,
            data=clash,
            article_source="Frontier Daily",
            published=dt.date(2021, 3, 14),
        ),
        StoredEvent(id=3, article_id=13, data=protest, published=dt.date(2021, 4, 20)),
        StoredEvent(id=4, article_id=14, data=other),
    ]


def sample_graph() -> nx.MultiDiGraph:
    """The organisation graph's interface (watchfloor.resolve.graph.org_graph), by hand."""
    graph = nx.MultiDiGraph()
    graph.add_node("islamic-state", name="Islamic State", kind="armed_group", inter=2, country=None)
    graph.add_node(
        "iskp", name="Islamic State Khorasan Province", kind="armed_group", inter=2, country="AF"
    )
    graph.add_node("ttp", name="TTP", kind="armed_group", inter=2, country="PK")
    graph.add_node(
        "jamaat-ul-ahrar", name="Jamaat-ul-Ahrar", kind="armed_group", inter=2, country="PK"
    )
    graph.add_edge(
        "iskp",
        "islamic-state",
        kind="branch_of",
        start=dt.date(2015, 1, 26),
        end=None,
        source="kb",
        evidence=["announced by al-Adnani"],
    )
    graph.add_edge(
        "jamaat-ul-ahrar",
        "ttp",
        kind="split_from",
        start=dt.date(2014, 8, 26),
        end=dt.date(2020, 8, 17),
        source="article:12",
        evidence=None,
    )
    graph.add_edge(
        "jamaat-ul-ahrar",
        "ttp",
        kind="merged_into",
        start=dt.date(2020, 8, 17),
        end=None,
        source="article:13",
        evidence=None,
    )
    return graph
