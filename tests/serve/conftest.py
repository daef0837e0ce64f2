"""A small database of hand-coded events (no models loaded) and a client over it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

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
from watchfloor.serve.app import create_app
from watchfloor.settings import Settings
from watchfloor.store import Store
from watchfloor.store.tokens import TokenStore

HOSTILE = (
    "<script>alert('x')</script> Attack\n\nGunmen <img src=x onerror=alert(1)> shot dead a "
    "guard in Quetta on Monday."
)


def _event(text: str, quote: str, **fields: object) -> Event:
    start = text.index(quote)
    values: dict[str, object] = {
        "event_type": "Violence against civilians",
        "sub_event_type": "Attack",
        "date_precision": "day",
        "evidence": [
            EvidenceSpan(field="trigger", start=start, end=start + len(quote), text=quote)
        ],
        "confidence": 0.5,
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def sample_items() -> list[tuple[Article, ExtractResult, str | None]]:
    """Three articles: a hostile one in Pakistan, a battle in Afghanistan, a Nigerian bombing."""
    hostile = Article(
        id="h",
        text=HOSTILE,
        published=dt.date(2022, 1, 5),
        title="<b>bold</b> title",
        url="javascript:alert(1)",
    )
    quetta = _event(
        HOSTILE,
        "shot dead",
        date=dt.date(2022, 1, 3),
        location=Place(
            name="Quetta", admin1="Balochistan", country="PK", lat=30.18, lon=66.99, geo_precision=1
        ),
        perpetrator=Actor(name="<script>evil()</script>", status="unknown"),
        fatalities=CasualtyReport(low=1, best=1, high=1),
        confidence=0.4,
    )
    quetta.evidence.append(EvidenceSpan(field="event", start=0, end=28, text=HOSTILE[:28]))
    kunduz_text = "Taliban fighters clashed with army troops near Kunduz on Friday; 12 died."
    kunduz = _event(
        kunduz_text,
        "clashed",
        event_type="Battles",
        sub_event_type="Armed clash",
        date=dt.date(2021, 6, 4),
        location=Place(name="Kunduz", admin1="Kunduz", country="AF", lat=36.7, lon=68.9),
        perpetrator=Actor(name="Taliban", actor_id="taliban", status="confirmed"),
        fatalities=CasualtyReport(low=12, best=12, high=12),
        claims=[Claim(by="Taliban", stance="claimed", channel="spokesman")],
        confidence=0.9,
    )
    maiduguri_text = (
        "A bomb exploded at a market in Maiduguri on Sunday. Boko Haram pledged allegiance "
        "to the Islamic State."
    )
    maiduguri = _event(
        maiduguri_text,
        "bomb exploded",
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        date=dt.date(2015, 3, 8),
        location=Place(name="Maiduguri", admin1="Borno", country="NG"),
        confidence=0.7,
    )
    pledge_start = maiduguri_text.index("Boko Haram pledged")
    pledge = OrgDevelopment(
        kind="pledge",
        group="Boko Haram",
        group_id="boko-haram",
        parent="Islamic State",
        date=dt.date(2015, 3, 7),
        evidence=[
            EvidenceSpan(
                field="org",
                start=pledge_start,
                end=pledge_start + 18,
                text=maiduguri_text[pledge_start : pledge_start + 18],
            )
        ],
    )
    return [
        (hostile, ExtractResult(id="h", events=[quetta]), None),
        (
            Article(id="k", text=kunduz_text, published=dt.date(2021, 6, 5), source="Wire A"),
            ExtractResult(id="k", events=[kunduz]),
            None,
        ),
        (
            Article(id="m", text=maiduguri_text, published=dt.date(2015, 3, 9)),
            ExtractResult(id="m", events=[maiduguri], org_developments=[pledge]),
            None,
        ),
    ]


@dataclass(frozen=True)
class Served:
    client: TestClient
    url: str
    token: str


@pytest.fixture
def served(tmp_path: Path) -> Served:
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    store = Store.open(url)
    store.add_batch(sample_items(), "test")
    _token, secret = TokenStore(store.engine).create("reviewer")
    client = TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False)
    return Served(client=client, url=url, token=secret)


@pytest.fixture
def client(served: Served) -> TestClient:
    return served.client
