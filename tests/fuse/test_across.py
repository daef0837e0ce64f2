"""Cross-report fusion: blocking, pair scores and the in-memory fuser, against hand-worked cases.

Every expected score below is worked out from the weights in ``pair_score``: the logit starts at
-2.0 and each piece of evidence adds or subtracts; the score is the logistic of the sum, rounded
to four places. A report joins an event when the score reaches ``MERGE_THRESHOLD`` (0.55).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.eval.fusion import synthetic_reports
from watchfloor.fuse.across import (
    ANY_ADMIN1,
    FAMILIES,
    MAX_DAY_GAP,
    MERGE_THRESHOLD,
    NO_ADMIN1,
    InMemoryFuser,
    ReportSignal,
    block_keys,
    choose_event,
    day_gap,
    haversine_km,
    home_keys,
    in_block,
    pair_features,
    pair_score,
    score_event,
    sub_type_relation,
)

IED = "Remote explosive/landmine/IED"
EXPLOSION = "Explosions/Remote violence"
DAY = dt.date(2024, 3, 12)


def logistic(logit: float) -> float:
    return round(1.0 / (1.0 + math.exp(-logit)), 4)


def sig(
    report_id: int,
    *,
    article_id: int | None = None,
    event_type: str = EXPLOSION,
    sub: str = IED,
    first: dt.date | None = DAY,
    last: dt.date | None = None,
    country: str | None = "PK",
    admin1: str | None = "Balochistan",
    admin2: str | None = "Quetta",
    place: str | None = "Quetta",
    lat: float | None = 30.19,
    lon: float | None = 67.01,
    precision: int | None = 1,
    actors: frozenset[str] = frozenset(),
    claimed: frozenset[str] = frozenset(),
    fatalities: int | None = None,
) -> ReportSignal:
    """A town-precise report of a Quetta bombing unless told otherwise; own article by default."""
    return ReportSignal(
        report_id=report_id,
        article_id=report_id if article_id is None else article_id,
        event_type=event_type,
        sub_event_type=sub,
        date_earliest=first,
        date_latest=first if last is None else last,
        country=country,
        admin1=admin1,
        admin2=admin2,
        place=place,
        lat=lat,
        lon=lon,
        geo_precision=precision,
        actor_ids=actors,
        claimed_ids=claimed,
        fatalities=fatalities,
    )


def score(a: ReportSignal, b: ReportSignal) -> float:
    return pair_score(pair_features(a, b))


# -- small helpers ------------------------------------------------------------------------


def test_sub_type_relation() -> None:
    assert sub_type_relation(IED, IED) == "same"
    # "a suicide bomber" and "a bomb" are often one incident told twice
    assert sub_type_relation(IED, "Suicide bomb") == "neighbour"
    assert sub_type_relation("Suicide bomb", IED) == "neighbour"
    assert sub_type_relation("Grenade", IED) == "different"
    # neighbours are not transitive: Armed clash ~ Attack ~ Abduction, but clash vs abduction no
    assert sub_type_relation("Armed clash", "Abduction/forced disappearance") == "different"


def test_day_gap_counts_days_between_windows() -> None:
    a = sig(1, first=dt.date(2024, 3, 10), last=dt.date(2024, 3, 12))
    assert day_gap(a, sig(2, first=dt.date(2024, 3, 11))) == 0  # inside the window
    assert day_gap(a, sig(2, first=dt.date(2024, 3, 14))) == 2  # 12 -> 14
    assert day_gap(sig(2, first=dt.date(2024, 3, 7)), a) == 3  # 7 -> 10
    assert day_gap(a, sig(2, first=None)) is None


def test_haversine_one_degree_of_latitude() -> None:
    # 2 * pi * 6371 / 360 = 111.19 km per degree along a meridian
    assert haversine_km(10.0, 20.0, 11.0, 20.0) == pytest.approx(111.19, abs=0.01)
    assert haversine_km(10.0, 20.0, 10.0, 20.0) == 0.0


# -- blocking -----------------------------------------------------------------------------


def test_block_keys_span_the_window_plus_the_gap() -> None:
    keys = block_keys(sig(1))
    # one day widened by 3 days each side: 7 days, each in the report's own province and
    # among the reports that name no province ("-")
    ordinal = DAY.toordinal()
    assert keys == [
        ("PK", "violence", day, admin)
        for day in range(ordinal - MAX_DAY_GAP, ordinal + MAX_DAY_GAP + 1)
        for admin in ("Balochistan", NO_ADMIN1)
    ]
    # it is filed under its province and under "anywhere in the country", on its own day only
    assert home_keys(sig(1)) == [
        ("PK", "violence", ordinal, ANY_ADMIN1),
        ("PK", "violence", ordinal, "Balochistan"),
    ]


def test_report_without_province_looks_country_wide() -> None:
    vague = sig(2, admin1=None, admin2=None, place=None, lat=None, lon=None, precision=3)
    assert {key[3] for key in block_keys(vague)} == {ANY_ADMIN1}
    # a Quetta report is filed under "*" too, so the province-less report finds it, and the
    # province-less report is filed under "-", so a later Quetta report finds it: either order
    assert in_block(vague, sig(1))
    assert in_block(sig(1), vague)


def test_reports_in_different_provinces_never_share_a_block() -> None:
    quetta = sig(1)
    # identical in every respect but the province the geocoder put it in
    karachi = sig(2, admin1="Sindh")
    assert not set(block_keys(karachi)) & set(home_keys(quetta))
    assert not set(block_keys(quetta)) & set(home_keys(karachi))
    assert not in_block(karachi, quetta) and not in_block(quetta, karachi)
    fuser = InMemoryFuser()
    assert fuser.add(quetta) != fuser.add(karachi)


def test_dates_more_than_the_gap_apart_do_not_share_a_block() -> None:
    # 12 March + 3 = 15 March is the last day the block reaches
    assert in_block(sig(2, first=DAY + dt.timedelta(days=3)), sig(1))
    assert not in_block(sig(2, first=DAY + dt.timedelta(days=4)), sig(1))
    # other family (a protest) and other country are other blocks
    assert not in_block(sig(2, event_type="Protests", sub="Peaceful protest"), sig(1))
    assert not in_block(sig(2, country="AF"), sig(1))


def test_report_without_country_or_date_gets_no_keys_and_never_merges() -> None:
    for vague in (sig(1, country=None), sig(1, first=None)):
        assert block_keys(vague) == [] and home_keys(vague) == []
    fuser = InMemoryFuser()
    # two otherwise identical reports without a country: nothing can rule out look-alikes
    first, second = fuser.add(sig(1, country=None)), fuser.add(sig(2, country=None))
    assert first != second


def test_window_wider_than_forty_days_gets_no_keys() -> None:
    # "sometime in the first quarter": 1 Jan .. 31 Mar is 90 days wide
    quarter = sig(1, first=dt.date(2024, 1, 1), last=dt.date(2024, 3, 31))
    assert block_keys(quarter) == []


def test_month_precise_report_gets_no_keys() -> None:
    march = sig(1, first=dt.date(2024, 3, 1), last=dt.date(2024, 3, 31))
    assert block_keys(march) == []


def test_month_precise_report_is_never_merged() -> None:
    fuser = InMemoryFuser()
    day_precise = fuser.add(sig(1))
    # the same bombing "in March" would score 0.8909 (overlapping windows: day gap 0), but a
    # month-wide window gets no block keys, so the two are never compared
    march = fuser.add(sig(2, first=dt.date(2024, 3, 1), last=dt.date(2024, 3, 31)))
    assert march != day_precise


# -- pair scores, worked by hand ------------------------------------------------------------


def test_same_day_same_town_same_sub_type_scores_high() -> None:
    features = pair_features(sig(1), sig(2))
    assert features["day_gap"] == 0 and features["km"] == 0.0
    assert features["same_town"] and features["sub_types"] == "same"
    # -2.0 + 1.6 (same day) + 1.6 (same town) + 0.9 (same sub-type) = 2.1 -> 0.8909
    assert pair_score(features) == logistic(2.1) == 0.8909


def test_grenade_and_ied_in_one_town_on_one_day_score_low() -> None:
    # -2.0 + 1.6 + 1.6 - 2.0 (different sub-types in one family) = -0.8 -> 0.31
    assert score(sig(1, sub="Grenade"), sig(2)) == logistic(-0.8) == 0.31


def test_neighbour_sub_types_and_equal_tolls() -> None:
    # suicide bomb vs IED are neighbours (+0.0); same toll adds 0.3:
    # -2.0 + 1.6 + 1.6 + 0.0 + 0.3 = 1.5
    a, b = sig(1, sub="Suicide bomb", fatalities=4), sig(2, fatalities=4)
    assert score(a, b) == logistic(1.5)
    # a toll that differs neither helps nor hurts: 1.2
    assert score(a, sig(2, fatalities=11)) == logistic(1.2)


def test_day_weights() -> None:
    # same town, same sub-type: -2.0 + 1.6 + 0.9 = 0.5 plus the day weight
    expected = {0: 0.5 + 1.6, 1: 0.5 + 0.6, 2: 0.5 - 0.4, 3: 0.5 - 1.2}
    for gap, logit in expected.items():
        later = sig(2, first=DAY + dt.timedelta(days=gap))
        assert score(sig(1), later) == logistic(logit), gap
    # beyond MAX_DAY_GAP, or undated: not the same event at all
    assert score(sig(1), sig(2, first=DAY + dt.timedelta(days=4))) == 0.0
    assert score(sig(1), sig(2, first=None)) == 0.0


def test_place_weights() -> None:
    # far apart (> 60 km) with both town-precise: 0 whatever else agrees
    # Quetta (30.19, 67.01) to a point one degree north is ~111 km
    far = sig(2, place="Pishin", admin2="Pishin", lat=31.19)
    assert score(sig(1), far) == 0.0
    # 0.2 degree north ~ 22 km, other town, other district: neighbouring towns +0.6
    # -2.0 + 1.6 + 0.6 + 0.9 = 1.1
    near = sig(2, place="Kuchlak", admin2="Kuchlak", lat=30.39)
    assert score(sig(1), near) == logistic(1.1)
    # ~44 km, other district: two towns far apart in one province -0.6
    # -2.0 + 1.6 - 0.6 + 0.9 = -0.1
    apart = sig(2, place="Kili", admin2="Kili", lat=30.59)
    assert score(sig(1), apart) == logistic(-0.1)
    # the other report names only the province (coarse, no town): same admin1 +0.8
    # -2.0 + 1.6 + 0.8 + 0.9 = 1.3
    province = sig(2, admin2=None, place=None, lat=None, lon=None, precision=3)
    assert score(sig(1), province) == logistic(1.3)
    # only the country: the place neither helps nor hurts -> 0.5
    country = sig(2, admin1=None, admin2=None, place=None, lat=None, lon=None, precision=3)
    assert score(sig(1), country) == logistic(0.5)
    # both name a province and they differ: -1.0 -> -0.5
    other = sig(2, admin1="Sindh", admin2=None, place=None, lat=None, lon=None, precision=3)
    assert score(sig(1), other) == logistic(-0.5)


def test_actor_weights() -> None:
    base = 2.1  # same day, same town, same sub-type
    ttp, bla = frozenset({"ttp"}), frozenset({"bla"})
    assert score(sig(1, actors=ttp), sig(2, actors=ttp)) == logistic(base + 0.7)
    # named groups differ, no claims: -0.4
    assert score(sig(1, actors=ttp), sig(2, actors=bla)) == logistic(base - 0.4)
    # two different groups claimed or confirmed: -1.4 (and not also -0.4)
    assert score(sig(1, actors=ttp, claimed=ttp), sig(2, actors=bla, claimed=bla)) == logistic(
        base - 1.4
    )


def test_embedding_similarity_weight() -> None:
    unit = np.array([1.0, 0.0])
    a = dataclasses.replace(sig(1), embedding=unit)
    b = dataclasses.replace(sig(2), embedding=np.array([0.6, 0.8]))
    # similarity 0.6: +4.0 * (0.6 - 0.45) = +0.6 -> 2.7
    assert pair_features(a, b)["similarity"] == 0.6
    assert score(a, b) == logistic(2.7)


# -- events --------------------------------------------------------------------------------


def test_best_member_speaks_for_the_event() -> None:
    report = sig(9)
    members = [sig(1, sub="Grenade"), sig(2), sig(3, event_type="Protests", sub="Peaceful protest")]
    match = score_event(report, 4, members)
    # member 1 scores 0.31, member 2 0.8909; the protest is another family and is skipped
    assert (match.event_id, match.score, match.features["member"]) == (4, 0.8909, 2)
    assert match.features["day_gap"] == 0


def test_same_article_vetoes_the_match() -> None:
    # the same article already decided these are two incidents
    match = score_event(sig(2, article_id=1), 1, [sig(1)])
    assert match.score == 0.0
    assert match.features == {"same_article": True, "member": 1}
    # the veto holds even when another member of the event matches well
    assert score_event(sig(3, article_id=1), 1, [sig(2), sig(1)]).score == 0.0
    fuser = InMemoryFuser()
    assert fuser.add(sig(1)) != fuser.add(sig(2, article_id=1))


def test_choose_event_threshold() -> None:
    assert choose_event(sig(9), {}) is None
    # 0.475 < 0.55: no event
    apart = sig(1, place="Kili", admin2="Kili", lat=30.59)
    assert choose_event(sig(9), {1: [apart]}) is None
    match = choose_event(sig(9), {1: [apart], 2: [sig(2)]})
    assert match is not None and match.event_id == 2 and match.score >= MERGE_THRESHOLD


def test_ties_go_to_the_lower_event_id() -> None:
    # two candidates that score exactly alike; the mapping lists the newer one first
    match = choose_event(sig(9), {7: [sig(1)], 3: [sig(2)]})
    assert match is not None and match.event_id == 3


def test_fuser_ties_go_to_the_older_event() -> None:
    # A and B are 40 km apart in Kano: -2.0 + 1.6 - 0.6 + 0.9 = -0.1 -> 0.475, two events.
    # C lies half way (20 km from each): -2.0 + 1.6 + 0.6 + 0.9 = 1.1 -> 0.7503 for both.
    def kano(report_id: int, lon: float, town: str) -> ReportSignal:
        return sig(
            report_id, country="NG", admin1="Kano", admin2=town, place=town, lat=12.0, lon=lon
        )

    a, b, c = kano(1, 8.0, "A"), kano(2, 8.37, "B"), kano(3, 8.185, "C")
    assert score(a, b) == logistic(-0.1)
    assert score(c, a) == score(c, b) == logistic(1.1)
    fuser = InMemoryFuser(keep_decisions=True)
    assert [fuser.add(r) for r in (a, b, c)] == [1, 2, 1]
    assert fuser.decisions[0].event_id == 1


def test_fuser_merges_one_incident_and_keeps_a_distractor_apart() -> None:
    fuser = InMemoryFuser()
    clusters = fuser.add_all(
        [
            sig(1),  # the bombing, day 1
            sig(2, first=DAY + dt.timedelta(days=1), sub="Suicide bomb"),  # next day
            sig(3, sub="Grenade"),  # grenade in the same town on the same day: 0.31 vs both
            sig(4, admin1=None, admin2=None, place=None, lat=None, lon=None, precision=3),
        ]
    )
    # report 2: -2.0 + 0.6 + 1.6 + 0.0 = 0.2 -> 0.5498 < 0.55, so it does NOT join; this is
    # the threshold doing its job on a next-day neighbour sub-type report
    assert logistic(0.2) < MERGE_THRESHOLD
    # report 4 (country only, same sub-type, same day): vs 1: 0.5 -> 0.6225, joins event 1
    assert clusters == {1: 1, 2: 2, 3: 3, 4: 1}


def test_replaying_a_stream_gives_identical_clusters() -> None:
    stream = [signal for signal, _ in synthetic_reports(600, seed=3, countries=4, provinces=3)]
    first = InMemoryFuser().add_all(stream)
    second = InMemoryFuser().add_all(list(stream))
    assert first == second
    # the stream is dense enough that merges happen, so the check is not vacuous
    assert len(set(first.values())) < len(first)


# -- properties ----------------------------------------------------------------------------

_TYPES = {
    "Explosions/Remote violence": (IED, "Suicide bomb", "Grenade", "Air/drone strike"),
    "Battles": ("Armed clash",),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention"),
}
assert set(_TYPES) <= set(FAMILIES)
_GROUPS = st.frozensets(st.sampled_from(["ttp", "bla", "isis"]), max_size=2)


@st.composite
def signals(draw: st.DrawFn, report_id: int = 1) -> ReportSignal:
    event_type = draw(st.sampled_from(sorted(_TYPES)))
    first = DAY + dt.timedelta(days=draw(st.integers(-5, 5)))
    located = draw(st.booleans())
    embedding = None
    if draw(st.booleans()):
        vector = np.array(draw(st.lists(st.floats(-1, 1), min_size=3, max_size=3)))
        norm = float(np.linalg.norm(vector))
        embedding = vector / norm if norm > 1e-6 else None
    return ReportSignal(
        report_id=report_id,
        article_id=report_id,
        event_type=event_type,
        sub_event_type=draw(st.sampled_from(_TYPES[event_type])),
        date_earliest=first,
        date_latest=first + dt.timedelta(days=draw(st.integers(0, 3))),
        country=draw(st.sampled_from(["PK", "AF", None])),
        admin1=draw(st.sampled_from(["Balochistan", "Sindh", None])),
        admin2=draw(st.sampled_from(["Quetta", "Pishin", None])),
        place=draw(st.sampled_from(["Quetta", "Pishin", None])),
        lat=draw(st.floats(29.0, 32.0)) if located else None,
        lon=draw(st.floats(66.0, 69.0)) if located else None,
        geo_precision=draw(st.sampled_from([1, 2, 3, None])),
        actor_ids=draw(_GROUPS),
        claimed_ids=draw(_GROUPS),
        fatalities=draw(st.none() | st.integers(0, 30)),
        embedding=embedding,
    )


@settings(max_examples=300, deadline=None)
@given(signals(1), signals(2))
def test_pair_score_is_a_probability_and_symmetric(a: ReportSignal, b: ReportSignal) -> None:
    forward = pair_score(pair_features(a, b))
    assert 0.0 <= forward <= 1.0
    assert forward == pair_score(pair_features(b, a))


@settings(max_examples=200, deadline=None)
@given(signals(1), st.integers(0, 6), st.integers(0, 6))
def test_further_apart_in_days_never_scores_higher(a: ReportSignal, k1: int, k2: int) -> None:
    near, far = sorted((k1, k2))

    def shifted(days: int) -> ReportSignal:
        step = dt.timedelta(days=days)
        return dataclasses.replace(
            a,
            report_id=2,
            article_id=2,
            date_earliest=a.date_earliest + step,  # type: ignore[operator]
            date_latest=a.date_latest + step,  # type: ignore[operator]
        )

    assert score(a, shifted(far)) <= score(a, shifted(near))
