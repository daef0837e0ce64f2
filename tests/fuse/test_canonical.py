"""The canonical event built from several reports, field by field, against the documented rules."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from watchfloor.fuse.canonical import (
    Correction,
    MemberReport,
    apply_correction,
    canonical_event,
)

IED = ("Explosions/Remote violence", "Remote explosive/landmine/IED")
SUICIDE = ("Explosions/Remote violence", "Suicide bomb")
QUETTA = {"name": "Quetta", "admin1": "Balochistan", "country": "PK", "geo_precision": 1}
PROVINCE = {"name": None, "admin1": "Balochistan", "country": "PK", "geo_precision": 3}


def data(
    kind: tuple[str, str] = IED,
    *,
    day: str | None = "2024-03-12",
    precision: str = "day",
    location: dict[str, Any] | None = None,
    perpetrator: tuple[str, str] | None = None,
    killed: dict[str, Any] | None = None,
    claims: list[dict[str, Any]] | None = None,
    evidence: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One report's contract-shaped event; only the fields a test sets differ between reports."""
    return {
        "event_type": kind[0],
        "sub_event_type": kind[1],
        "date": day,
        "date_earliest": day,
        "date_latest": day,
        "date_precision": precision,
        "location": dict(location or QUETTA),
        "perpetrator": (
            {"name": perpetrator[0], "status": perpetrator[1]} if perpetrator else None
        ),
        "actor1": perpetrator[0] if perpetrator else None,
        "fatalities": killed,
        "claims": claims or [],
        "evidence": evidence or [],
        "confidence": 0.6,
    }


def member(report_id: int, published: str | None, **fields: Any) -> MemberReport:
    return MemberReport(
        report_id=report_id,
        data=data(**fields),
        published=dt.date.fromisoformat(published) if published else None,
    )


# -- tolls ---------------------------------------------------------------------------------


def test_toll_low_best_high_from_the_brief() -> None:
    members = [
        member(1, "2024-03-12", killed={"best": 4, "qualifier": "at least"}),
        member(2, "2024-03-13", killed={"best": 11}),
        member(3, "2024-03-13", killed={"best": 12, "qualifier": "about"}),
    ]
    toll = canonical_event(members)["fatalities"]
    # low: lowest any report gave (4); high: highest (12); best: the most conservative among
    # the most recent reports (13 March: 11 and 12 -> 11), with that report's qualifier
    assert toll == {"low": 4, "best": 11, "high": 12, "qualifier": None, "attackers": None}


def test_toll_uses_given_ranges_and_zero_counts() -> None:
    members = [
        member(1, "2024-03-12", killed={"low": 3, "best": 5, "high": 20}),
        member(2, "2024-03-14", killed={"best": 0, "qualifier": "no"}),
        member(3, "2024-03-13"),  # gave no toll: ignored
    ]
    # low min(3, 0) = 0; high max(20, 0) = 20; the latest report to give a toll says 0
    assert canonical_event(members)["fatalities"] == {
        "low": 0,
        "best": 0,
        "high": 20,
        "qualifier": "no",
        "attackers": None,
    }
    assert canonical_event([member(1, "2024-03-12")])["fatalities"] is None


def test_toll_without_publication_dates_takes_the_lowest_best() -> None:
    members = [member(1, None, killed={"best": 9}), member(2, None, killed={"best": 7})]
    # nothing says which is more recent: all count, the most conservative best is 7
    assert canonical_event(members)["fatalities"]["best"] == 7


# -- type, date, place, perpetrator ----------------------------------------------------------


def test_type_by_majority_ties_to_the_earliest() -> None:
    # IED once, suicide bomb twice -> suicide bomb
    event = canonical_event(
        [member(1, None), member(2, None, kind=SUICIDE), member(3, None, kind=SUICIDE)]
    )
    assert (event["event_type"], event["sub_event_type"]) == SUICIDE
    # one each: the earliest report's (IED)
    event = canonical_event([member(1, None), member(2, None, kind=SUICIDE)])
    assert (event["event_type"], event["sub_event_type"]) == IED


def test_most_precise_date_then_most_reported() -> None:
    members = [
        member(1, None, day="2024-03-01", precision="month"),
        member(2, None, day="2024-03-11"),
        member(3, None, day="2024-03-12"),
        member(4, None, day="2024-03-12"),
    ]
    # day-precise beats month-precise; among the days, 12 March is told twice, 11 March once
    event = canonical_event(members)
    assert (event["date"], event["date_precision"]) == ("2024-03-12", "day")
    assert event["date_earliest"] == event["date_latest"] == "2024-03-12"
    # one each of 11 and 12 March: the earliest report's
    assert canonical_event(members[:3])["date"] == "2024-03-11"
    # a week-precise report beats a month-precise one even when it comes later
    week = member(5, None, day="2024-03-10", precision="week")
    assert canonical_event([members[0], week])["date_precision"] == "week"


def test_most_precise_place_then_most_reported() -> None:
    mastung = {"name": "Mastung", "admin1": "Balochistan", "country": "PK", "geo_precision": 1}
    district = {"name": "Quetta", "admin1": "Balochistan", "country": "PK", "geo_precision": 2}
    # the province-level report comes first but the town-precise ones win
    event = canonical_event([member(1, None, location=PROVINCE), member(2, None, location=QUETTA)])
    assert event["location"] == QUETTA
    # two town-precise places: Mastung is told twice, Quetta once
    members = [
        member(1, None, location=district),
        member(2, None, location=QUETTA),
        member(3, None, location=mastung),
        member(4, None, location=mastung),
    ]
    assert canonical_event(members)["location"] == mastung


def test_strongest_responsibility_status_wins() -> None:
    members = [
        member(1, None, perpetrator=("Boko Haram", "attributed")),
        member(2, None, perpetrator=("ISWAP", "claimed")),
        member(3, None, perpetrator=("JAS", "suspected")),
        member(4, None),
    ]
    # claimed beats attributed and suspected; actor1 follows the chosen perpetrator
    event = canonical_event(members)
    assert event["perpetrator"] == {"name": "ISWAP", "status": "claimed"}
    assert event["actor1"] == "ISWAP"
    # confirmed beats claimed, whatever the order
    confirmed = member(5, None, perpetrator=("Boko Haram", "confirmed"))
    assert canonical_event([*members, confirmed])["perpetrator"]["status"] == "confirmed"
    # two claims: the earliest report's
    other = member(6, None, perpetrator=("JAS", "claimed"))
    assert canonical_event([other, members[1]])["perpetrator"]["name"] == "JAS"


def test_claims_of_every_report_in_order_without_duplicates() -> None:
    deny = {"by": "TTP", "stance": "denied", "evidence": {"start": 3, "end": 9}}
    claim = {"by": "ISKP", "stance": "claimed", "evidence": {"start": 40, "end": 50}}
    repeat = {"by": "TTP", "stance": "denied", "evidence": {"start": 7, "end": 12}}
    members = [member(1, None, claims=[deny]), member(2, None, claims=[claim, repeat])]
    # evidence offsets belong to one article and are dropped; the repeated denial counts once
    assert canonical_event(members)["claims"] == [
        {"by": "TTP", "stance": "denied"},
        {"by": "ISKP", "stance": "claimed"},
    ]


def test_evidence_is_the_first_reports_because_offsets_point_into_its_article() -> None:
    first = {"field": "event", "start": 0, "end": 5, "text": "blast"}
    second = {"field": "fatalities", "start": 10, "end": 17, "text": "11 dead"}
    members = [member(1, None, evidence=[first]), member(2, None, evidence=[second])]
    assert canonical_event(members)["evidence"] == [first]


def test_no_members_is_an_error() -> None:
    with pytest.raises(ValueError):
        canonical_event([])


# -- corrections ---------------------------------------------------------------------------


def test_corrections_override_the_rules_last_one_wins() -> None:
    members = [
        member(1, "2024-03-12", killed={"best": 4}),
        member(2, "2024-03-13", killed={"best": 11}),
    ]
    before = copy.deepcopy([m.data for m in members])
    corrections = [
        Correction("location.admin1", "Sindh"),
        Correction("fatalities.best", 6),
        Correction("location.admin1", "Punjab"),
    ]
    event = canonical_event(members, corrections)
    # the reviewer's toll replaces the rule's best (11); the rest of the toll stays
    assert event["fatalities"] == {
        "low": 4,
        "best": 6,
        "high": 11,
        "qualifier": None,
        "attackers": None,
    }
    # two corrections of one field: the later one wins; the rest of the place is kept
    assert event["location"] == {**QUETTA, "admin1": "Punjab"}
    # the reports themselves are untouched
    assert [m.data for m in members] == before


def test_apply_correction_copies_and_builds_missing_paths() -> None:
    original = {"location": {"name": "Quetta"}, "notes": "x"}
    corrected = apply_correction(original, Correction("location.name", "Mastung"))
    assert corrected == {"location": {"name": "Mastung"}, "notes": "x"}
    assert original == {"location": {"name": "Quetta"}, "notes": "x"}
    # a path through a missing or non-dict node makes the dicts it needs
    assert apply_correction({"a": 1}, Correction("b.c.d", True)) == {
        "a": 1,
        "b": {"c": {"d": True}},
    }
    assert apply_correction({"a": 1}, Correction("a.b", 2)) == {"a": {"b": 2}}
    # a top-level field
    assert apply_correction({"a": 1}, Correction("a", None)) == {"a": None}
