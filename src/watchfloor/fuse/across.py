"""Across articles: decide whether a new report describes an event already in the database.

Ten outlets reporting one bombing must become one event, and two bombings in one city on one
day must stay two. The decision is made in two steps, both pure functions here so that the
store, the Spark job and the benchmark share them:

1. **Blocking** keeps only candidates that could possibly match: same country, same event
   family (violence, demonstrations, strategic developments), the same province (when both
   reports name one) and date windows no more than ``MAX_DAY_GAP`` days apart. This is the
   documented bound on what fusion can miss: two reports of one incident placed in different
   provinces, or dated more than three days apart, stay two events until a reviewer merges
   them.
2. **Scoring** combines evidence for (close dates, same town or within a few kilometres, the
   same sub-type, the same named group, similar wording of the evidence sentences) and against
   (named groups that differ, places far apart, different sub-types inside one family) into a
   score in [0, 1]. The report joins the best-scoring event when that score reaches
   ``MERGE_THRESHOLD``; otherwise it starts a new event. Every decision keeps its features so
   that ``watchfloor merges`` can explain it.

Two reports from the same article never merge: within-article fusion has already decided
that they are different incidents.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Reports whose date windows are further apart than this are never the same event.
MAX_DAY_GAP = 3
#: Places further apart than this (km) are never the same event when both are town-precise.
MAX_KM = 60.0
#: A report joins an event when its score reaches this.
MERGE_THRESHOLD = 0.55

FAMILIES: dict[str, str] = {
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "demonstration",
    "Riots": "demonstration",
    "Strategic developments": "strategic",
}

#: Sub-types that reporters commonly use for one and the same incident ("a suicide bomber" in
#: one outlet is "a bomb" in another; a massacre is "an attack" or "clashes").
_NEIGHBOUR_SUB_TYPES = (
    frozenset({"Remote explosive/landmine/IED", "Suicide bomb"}),
    frozenset({"Armed clash", "Attack"}),
    frozenset({"Attack", "Abduction/forced disappearance"}),
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}),
    frozenset({"Violent demonstration", "Excessive force against protesters", "Mob violence"}),
    frozenset({"Peaceful protest", "Protest with intervention"}),
    frozenset({"Protest with intervention", "Excessive force against protesters"}),
)


def sub_type_relation(a: str, b: str) -> str:
    """ "same", "neighbour" (often used for one incident) or "different"."""
    if a == b:
        return "same"
    if any(a in group and b in group for group in _NEIGHBOUR_SUB_TYPES):
        return "neighbour"
    return "different"


@dataclass(frozen=True, slots=True)
class ReportSignal:
    """What fusion needs to know about one report (one event as one article told it)."""

    report_id: int
    article_id: int
    event_type: str
    sub_event_type: str
    date_earliest: dt.date | None
    date_latest: dt.date | None
    country: str | None
    admin1: str | None = None
    admin2: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    actor_ids: frozenset[str] = frozenset()
    #: The groups that claimed it or were confirmed: two different ones argue for two events,
    #: while an official's blame or a suspicion may well be contradicted by a claim.
    claimed_ids: frozenset[str] = frozenset()
    fatalities: int | None = None
    embedding: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def family(self) -> str:
        return FAMILIES.get(self.event_type, "other")


@dataclass(frozen=True, slots=True)
class Match:
    """A scored pairing of a report with a candidate event, with the features behind it."""

    event_id: int
    score: float
    features: dict[str, Any]


BlockKey = tuple[str, str, int, str]
#: The admin1 slot under which every report is filed, for reports that name no province.
ANY_ADMIN1 = "*"
#: The admin1 slot of reports that name no province, for reports that do.
NO_ADMIN1 = "-"
#: Reports whose date window is wider than this many days (a month, a year) are never merged
#: automatically; a week-precise date still is.
MAX_WINDOW_DAYS = 7


def _window(signal: ReportSignal) -> tuple[int, int] | None:
    if not signal.country or signal.date_earliest is None or signal.date_latest is None:
        return None
    first, last = signal.date_earliest.toordinal(), signal.date_latest.toordinal()
    if last - first > MAX_WINDOW_DAYS:
        return None
    return first, last


def block_keys(signal: ReportSignal) -> list[BlockKey]:
    """The (country, family, day, admin1) cells a report looks for candidates in.

    Its date window widened by ``MAX_DAY_GAP`` days; in its own province and among reports
    that name no province (or anywhere in the country when it names none itself). A report
    with no country, no date or only a month gets no keys: nothing rules out the many
    incidents it could be confused with, so it is never merged automatically.
    """
    window = _window(signal)
    if window is None:
        return []
    admins = (signal.admin1, NO_ADMIN1) if signal.admin1 else (ANY_ADMIN1,)
    return [
        (signal.country, signal.family, day, admin)  # type: ignore[misc]
        for day in range(window[0] - MAX_DAY_GAP, window[1] + MAX_DAY_GAP + 1)
        for admin in admins
    ]


def home_keys(signal: ReportSignal) -> list[BlockKey]:
    """The cells a report is filed under, so that later reports of its event can find it."""
    window = _window(signal)
    if window is None:
        return []
    admins = (ANY_ADMIN1, signal.admin1 or NO_ADMIN1)
    return [
        (signal.country, signal.family, day, admin)  # type: ignore[misc]
        for day in range(window[0], window[1] + 1)
        for admin in admins
    ]


def in_block(report: ReportSignal, member: ReportSignal) -> bool:
    """Whether a stored report is a blocking candidate for a new one (same rule as the index)."""
    wanted = set(block_keys(report))
    return any(key in wanted for key in home_keys(member))


def day_gap(a: ReportSignal, b: ReportSignal) -> int | None:
    """Days between two date windows (0 when they overlap); None when either is undated."""
    if None in (a.date_earliest, a.date_latest, b.date_earliest, b.date_latest):
        return None
    if a.date_latest < b.date_earliest:  # type: ignore[operator]
        return (b.date_earliest - a.date_latest).days  # type: ignore[operator]
    if b.date_latest < a.date_earliest:  # type: ignore[operator]
        return (a.date_earliest - b.date_latest).days  # type: ignore[operator]
    return 0


def distance_km(a: ReportSignal, b: ReportSignal) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def pair_features(report: ReportSignal, other: ReportSignal) -> dict[str, Any]:
    """Comparable facts about two reports; every value is JSON-ready for the audit trail."""
    km = distance_km(report, other)
    both_fine = (report.geo_precision or 3) <= 2 and (other.geo_precision or 3) <= 2
    same_town = bool(report.place and other.place and report.place == other.place and both_fine)
    same_admin2 = bool(report.admin2 and report.admin2 == other.admin2)
    same_admin1 = bool(report.admin1 and report.admin1 == other.admin1)
    similarity = None
    if report.embedding is not None and other.embedding is not None:
        similarity = round(float(np.dot(report.embedding, other.embedding)), 4)
    shared_actor = bool(report.actor_ids & other.actor_ids)
    actor_conflict = bool(
        report.claimed_ids and other.claimed_ids and not report.claimed_ids & other.claimed_ids
    )
    actors_differ = bool(report.actor_ids and other.actor_ids and not shared_actor)
    tolls = (report.fatalities, other.fatalities)
    return {
        "day_gap": day_gap(report, other),
        "km": None if km is None else round(km, 1),
        "same_town": same_town,
        "same_admin2": same_admin2,
        "same_admin1": same_admin1,
        "both_name_admin1": bool(report.admin1 and other.admin1),
        "both_town_precise": both_fine,
        "sub_types": sub_type_relation(report.sub_event_type, other.sub_event_type),
        "shared_actor": shared_actor,
        "actor_conflict": actor_conflict,
        "actors_differ": actors_differ,
        "toll_gap": None if None in tolls else abs(tolls[0] - tolls[1]),  # type: ignore[operator]
        "similarity": similarity,
    }


def pair_score(features: Mapping[str, Any]) -> float:
    """Evidence for and against one incident, folded into [0, 1] through a logistic curve.

    The weights were set by reading the fusion benchmark's errors, not fitted: each one is a
    statement a coder would make ("same day, same town, same kind of attack: probably one").
    """
    gap = features["day_gap"]
    if gap is None or gap > MAX_DAY_GAP:
        return 0.0
    km = features["km"]
    if features["both_town_precise"] and km is not None and km > MAX_KM:
        return 0.0
    logit = -2.0
    logit += {0: 1.6, 1: 0.6, 2: -0.4}.get(gap, -1.2)
    fine = features["both_town_precise"]
    if features["same_town"] or (km is not None and km <= 5 and fine):
        logit += 1.6
    elif fine and km is not None and km <= 25:
        logit += 0.6  # neighbouring towns: one incident told from two ends
    elif features["same_admin2"]:
        logit += 0.6 if fine else 0.9
    elif fine and km is not None:
        logit -= 0.6  # two towns far apart in one province
    elif features["same_admin1"]:
        logit += 0.8  # one report names only the province: as close as it can say
    elif not features["both_name_admin1"]:
        logit += 0.0  # one report names only the country: the place neither helps nor hurts
    else:
        logit -= 1.0
    logit += {"same": 0.9, "neighbour": 0.0}.get(features["sub_types"], -2.0)
    if features["shared_actor"]:
        logit += 0.7
    if features["actor_conflict"]:
        logit -= 1.4
    elif features["actors_differ"]:
        logit -= 0.4
    toll_gap = features["toll_gap"]
    if toll_gap is not None and toll_gap == 0:
        logit += 0.3
    similarity = features["similarity"]
    if similarity is not None:
        logit += 4.0 * (similarity - 0.45)
    return round(1.0 / (1.0 + math.exp(-logit)), 4)


def score_event(report: ReportSignal, event_id: int, members: Sequence[ReportSignal]) -> Match:
    """The report against an event: its best-matching member speaks for the event.

    A member from the same article vetoes the match (score 0).
    """
    best: Match = Match(event_id, 0.0, {})
    for member in members:
        if member.article_id == report.article_id:
            return Match(event_id, 0.0, {"same_article": True, "member": member.report_id})
        if member.family != report.family or member.country != report.country:
            continue
        features = pair_features(report, member)
        score = pair_score(features)
        if score > best.score or not best.features:
            best = Match(event_id, score, {**features, "member": member.report_id})
    return best


def choose_event(
    report: ReportSignal, candidates: Mapping[int, Sequence[ReportSignal]]
) -> Match | None:
    """The event this report belongs to, or None when no candidate reaches the threshold.

    Ties go to the older event (lower id) so that replaying the same input in the same order
    always builds the same database.
    """
    best: Match | None = None
    for event_id in sorted(candidates):
        match = score_event(report, event_id, candidates[event_id])
        if match.score >= MERGE_THRESHOLD and (best is None or match.score > best.score):
            best = match
    return best


@dataclass(slots=True)
class InMemoryFuser:
    """Fusion without a database: for the benchmark, the million-event scale run and Spark.

    Reports are fused in the order given; ``clusters`` maps each report id to its event id.
    """

    members: dict[int, list[ReportSignal]] = field(default_factory=dict)
    index: dict[BlockKey, set[int]] = field(default_factory=lambda: defaultdict(set))
    clusters: dict[int, int] = field(default_factory=dict)
    decisions: list[Match] = field(default_factory=list)
    keep_decisions: bool = False
    _next_id: int = 1

    def add(self, report: ReportSignal) -> int:
        candidate_ids: set[int] = set()
        for key in block_keys(report):
            candidate_ids |= self.index.get(key, set())
        match = choose_event(report, {i: self.members[i] for i in candidate_ids})
        if match is None:
            event_id = self._next_id
            self._next_id += 1
            self.members[event_id] = []
        else:
            event_id = match.event_id
            if self.keep_decisions:
                self.decisions.append(match)
        self.members[event_id].append(report)
        for key in home_keys(report):
            self.index[key].add(event_id)
        self.clusters[report.report_id] = event_id
        return event_id

    def add_all(self, reports: Iterable[ReportSignal]) -> dict[int, int]:
        for report in reports:
            self.add(report)
        return self.clusters
