"""Within-article fusion: a recap of an incident merges into it; different incidents stay apart."""

from __future__ import annotations

import datetime as dt

from watchfloor.fuse import fuse_events
from watchfloor.model import Actor, CasualtyReport, Claim, Event, EvidenceSpan, Place

TANK = Place(
    name="Tank", admin1="Khyber Pakhtunkhwa", country="PK", geonames_id=1163968, geo_precision=1
)
BANNU = Place(
    name="Bannu", admin1="Khyber Pakhtunkhwa", country="PK", geonames_id=1183460, geo_precision=1
)


def make(
    place: Place,
    day: int,
    start: int,
    killed: int | None = None,
    perp: str | None = None,
    claims: tuple[Claim, ...] = (),
) -> Event:
    return Event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        date=dt.date(2022, 3, day),
        date_earliest=dt.date(2022, 3, day),
        date_latest=dt.date(2022, 3, day),
        date_precision="day",
        location=place,
        perpetrator=Actor(name=perp, actor_id=perp.lower()) if perp else None,
        fatalities=CasualtyReport(best=killed) if killed is not None else None,
        claims=list(claims),
        evidence=[EvidenceSpan(field="event", start=start, end=start + 5, text="x" * 5)],
        confidence=0.6,
    )


def test_recap_merges_and_fills_gaps() -> None:
    lead = make(TANK, 24, 0, killed=1)
    recap = make(TANK, 24, 400, perp="TTP", claims=(Claim(by="TTP", stance="denied"),))
    [merged] = fuse_events([lead, recap])
    assert merged.fatalities and merged.fatalities.best == 1
    assert merged.perpetrator and merged.perpetrator.name == "TTP"
    assert [s.start for s in merged.evidence] == [0, 400]
    assert [c.stance for c in merged.claims] == ["denied"]


def test_different_places_dates_or_tolls_stay_apart() -> None:
    assert len(fuse_events([make(TANK, 24, 0), make(BANNU, 24, 100)])) == 2
    assert len(fuse_events([make(TANK, 24, 0), make(TANK, 21, 100)])) == 2
    assert len(fuse_events([make(TANK, 24, 0, killed=1), make(TANK, 24, 100, killed=3)])) == 2
    assert len(fuse_events([make(TANK, 24, 0, perp="A"), make(TANK, 24, 100, perp="B")])) == 2


def test_region_only_events_are_not_merged() -> None:
    region = Place(admin1="Khyber Pakhtunkhwa", country="PK", geonames_id=1168873, geo_precision=3)
    assert len(fuse_events([make(region, 24, 0), make(region, 24, 100)])) == 2


def test_order_is_kept() -> None:
    events = [make(BANNU, 23, 0), make(TANK, 24, 50), make(BANNU, 23, 90)]
    fused = fuse_events(events)
    assert [e.location.name for e in fused if e.location] == ["Bannu", "Tank"]
