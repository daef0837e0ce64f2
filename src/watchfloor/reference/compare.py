"""Coverage of a reference dataset by our events: matching, toll and admin-name agreement.

A reference event is covered when one of our events (each used once) falls within a day of
it, in the same first-level admin unit or within 50 km, with compatible actors when both
sides name a specific one. Pairs are taken greedily, closest in time then in space first.
Everything here is pure: the CLI loads the events and draws the plots.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from watchfloor.eval.geo import haversine_km
from watchfloor.reference.records import ReferenceEvent
from watchfloor.store import StoredEvent

MAX_DAYS = 1
MAX_KM = 50.0

#: Given an actor's KB id (or None) and name, the keys it can be matched on (itself and its
#: parents); empty when the actor is not a specific one (civilians, "unidentified gunmen").
ActorKeys = Callable[[str | None, str | None], frozenset[str]]


@dataclass(frozen=True, slots=True)
class OurEvent:
    """The fields of one of our events that matching needs."""

    id: int
    date: dt.date | None
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    fatalities: int | None
    actors: tuple[tuple[str | None, str], ...] = ()

    @classmethod
    def from_stored(cls, event: StoredEvent) -> OurEvent:
        data = event.data
        loc = data.get("location") or {}
        actors = []
        for key in ("perpetrator", "actor1", "actor2"):
            actor = data.get(key) or {}
            if actor.get("name"):
                actors.append((actor.get("actor_id"), actor["name"]))
        day = data.get("date")
        return cls(
            id=event.id,
            date=dt.date.fromisoformat(day) if day else None,
            country=loc.get("country"),
            admin1=loc.get("admin1"),
            admin2=loc.get("admin2"),
            lat=loc.get("lat"),
            lon=loc.get("lon"),
            fatalities=(data.get("fatalities") or {}).get("best"),
            actors=tuple(actors),
        )


@dataclass(frozen=True, slots=True)
class Match:
    reference_id: str
    our_id: int
    days: int
    km: float | None
    admin1_same_unit: bool | None
    admin1_same_spelling: bool | None
    admin2_same_unit: bool | None
    toll_within: bool | None


@dataclass(slots=True)
class CompareReport:
    dataset: str
    reference_total: int = 0
    our_total: int = 0
    matches: list[Match] = field(default_factory=list)
    monthly: dict[str, tuple[int, int]] = field(default_factory=dict)  # YYYY-MM -> (ref, matched)

    @property
    def matched(self) -> int:
        return len(self.matches)

    def _share(self, values: Iterable[bool | None]) -> tuple[int, int, float | None]:
        known = [v for v in values if v is not None]
        hits = sum(known)
        return hits, len(known), (hits / len(known) if known else None)

    def figures(self) -> dict[str, Any]:
        """Every figure, JSON-ready (shares are None when nothing could be compared)."""
        toll_hits, toll_n, toll_share = self._share(m.toll_within for m in self.matches)
        a1_hits, a1_n, a1_share = self._share(m.admin1_same_unit for m in self.matches)
        sp_hits, sp_n, sp_share = self._share(m.admin1_same_spelling for m in self.matches)
        a2_hits, a2_n, a2_share = self._share(m.admin2_same_unit for m in self.matches)
        return {
            "dataset": self.dataset,
            "reference_events": self.reference_total,
            "our_events": self.our_total,
            "matched": self.matched,
            "coverage": self.matched / self.reference_total if self.reference_total else None,
            "our_events_matched_share": self.matched / self.our_total if self.our_total else None,
            "toll": {"compared": toll_n, "within_low_high": toll_hits, "share": toll_share},
            "admin1_same_unit": {"compared": a1_n, "agree": a1_hits, "share": a1_share},
            "admin1_same_spelling": {"compared": sp_n, "agree": sp_hits, "share": sp_share},
            "admin2_same_unit": {"compared": a2_n, "agree": a2_hits, "share": a2_share},
            "monthly": [
                {"month": month, "reference": ref, "matched": hit}
                for month, (ref, hit) in sorted(self.monthly.items())
            ],
            "matches": [
                {
                    "reference_id": m.reference_id,
                    "our_id": m.our_id,
                    "days": m.days,
                    "km": None if m.km is None else round(m.km, 1),
                    "toll_within": m.toll_within,
                    "admin1_same_unit": m.admin1_same_unit,
                }
                for m in self.matches
            ],
        }


# -- admin names ----------------------------------------------------------------------------

_ADMIN_NOISE = frozenset(
    {
        "province",
        "provinces",
        "region",
        "state",
        "governorate",
        "district",
        "division",
        "territory",
        "territories",
        "capital",
        "county",
        "department",
        "prefecture",
        "oblast",
        "the",
        "of",
    }
)
#: Units absorbed by another, so that old and new names denote one place
#: (Pakistan merged the Federally Administered Tribal Areas into Khyber Pakhtunkhwa in 2018).
ADMIN_SUCCESSORS = {"federally administered tribal areas": "khyber pakhtunkhwa"}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", bare.replace("&", " and ")).split())


def admin_key(name: str) -> tuple[str, ...]:
    """The words that identify an admin unit ("Balochistan province" -> ("balochistan",))."""
    folded = _fold(name)
    folded = ADMIN_SUCCESSORS.get(folded, folded)
    return tuple(w for w in folded.split() if w not in _ADMIN_NOISE) or tuple(folded.split())


def same_admin(a: str | None, b: str | None) -> bool | None:
    """Whether two admin names denote one unit despite spelling; None when one is missing."""
    if not a or not b:
        return None
    ka, kb = admin_key(a), admin_key(b)
    if ka == kb:
        return True
    sa, sb = set(ka), set(kb)
    if sa and sb and (sa <= sb or sb <= sa):
        return True
    return difflib.SequenceMatcher(None, "".join(ka), "".join(kb)).ratio() >= 0.85


def same_spelling(a: str | None, b: str | None) -> bool | None:
    if not a or not b:
        return None
    return _fold(a) == _fold(b)


# -- actors ---------------------------------------------------------------------------------


def name_keys(actor_id: str | None, name: str | None) -> frozenset[str]:
    """Actor keys without a knowledge base: the id, else the folded name."""
    if actor_id:
        return frozenset({actor_id})
    return frozenset({_fold(name)}) if name else frozenset()


_GOVERNMENT_OF = re.compile(r"^government of (?:the )?(.+)$", re.IGNORECASE)
_SPECIFIC_KINDS = frozenset({"armed_group", "state_forces", "political", "identity_militia"})


def kb_actor_keys(kb: Any) -> ActorKeys:
    """Actor keys from the actor knowledge base: the actor and its ancestors.

    "Government of Pakistan" (UCDP's name for a state side) means the country's forces.
    """
    from watchfloor.reference.records import country_iso2

    cache: dict[tuple[str | None, str | None], frozenset[str]] = {}

    def keys(actor_id: str | None, name: str | None) -> frozenset[str]:
        if (actor_id, name) in cache:
            return cache[(actor_id, name)]
        actor = kb.get(actor_id) if actor_id else None
        if actor is None and name:
            actor = kb.resolve(name)
            government = _GOVERNMENT_OF.match(name.strip())
            if actor is None and government:
                iso2 = country_iso2(government.group(1))
                actor = kb.state_forces(iso2) if iso2 else None
        found: frozenset[str] = frozenset()
        if actor is not None and actor.kind in _SPECIFIC_KINDS and not actor.generic:
            found = frozenset({actor.actor_id, *(a.actor_id for a in kb.ancestors(actor))})
        cache[(actor_id, name)] = found
        return found

    return keys


def actors_compatible(
    ours: Iterable[tuple[str | None, str]], theirs: Iterable[str | None], keys: ActorKeys
) -> bool:
    """True unless both sides name specific actors and none of them is shared."""
    our_keys = [keys(actor_id, name) for actor_id, name in ours]
    their_keys = [keys(None, name) for name in theirs if name]
    mine = frozenset().union(*our_keys) if our_keys else frozenset()
    other = frozenset().union(*their_keys) if their_keys else frozenset()
    if not mine or not other:
        return True
    return bool(mine & other)


# -- matching -------------------------------------------------------------------------------


def _place(ref: ReferenceEvent, ours: OurEvent) -> tuple[bool, float | None]:
    km = None
    if None not in (ref.latitude, ref.longitude, ours.lat, ours.lon):
        km = haversine_km(ref.latitude, ref.longitude, ours.lat, ours.lon)  # type: ignore[arg-type]
    if ref.country and ours.country and ref.country.upper() != ours.country.upper():
        return False, km
    if km is not None and km <= MAX_KM:
        return True, km
    return bool(same_admin(ref.admin1, ours.admin1)), km


def _toll_within(ref: ReferenceEvent, ours: OurEvent) -> bool | None:
    if ours.fatalities is None:
        return None
    low = ref.deaths_low if ref.deaths_low is not None else ref.deaths_best
    high = ref.deaths_high if ref.deaths_high is not None else ref.deaths_best
    if low is None or high is None:
        return None
    return low <= ours.fatalities <= high


def compare(
    dataset: str,
    reference: Sequence[ReferenceEvent],
    ours: Sequence[OurEvent],
    keys: ActorKeys = name_keys,
) -> CompareReport:
    """Match reference events to ours one to one and measure coverage and agreement."""
    by_day: dict[dt.date, list[OurEvent]] = {}
    for event in ours:
        if event.date is not None:
            by_day.setdefault(event.date, []).append(event)
    candidates: list[tuple[int, float, int, int, float | None]] = []
    for index, ref in enumerate(reference):
        first = ref.date_start - dt.timedelta(days=MAX_DAYS)
        last = ref.date_end + dt.timedelta(days=MAX_DAYS)
        span = min((last - first).days, 62)  # a months-long reference window says little
        for offset in range(span + 1):
            day = first + dt.timedelta(days=offset)
            for event in by_day.get(day, ()):
                near, km = _place(ref, event)
                if not near or not actors_compatible(event.actors, (ref.actor1, ref.actor2), keys):
                    continue
                if ref.date_start <= day <= ref.date_end:
                    days = 0
                else:
                    days = min(abs((day - ref.date_start).days), abs((day - ref.date_end).days))
                candidates.append((days, km if km is not None else MAX_KM, index, event.id, km))
    candidates.sort(key=lambda c: (c[0], c[1], c[2], c[3]))
    report = CompareReport(dataset=dataset, reference_total=len(reference), our_total=len(ours))
    our_by_id = {e.id: e for e in ours}
    used_ref: set[int] = set()
    used_ours: set[int] = set()
    for days, _, index, our_id, km in candidates:
        if index in used_ref or our_id in used_ours:
            continue
        used_ref.add(index)
        used_ours.add(our_id)
        ref, event = reference[index], our_by_id[our_id]
        report.matches.append(
            Match(
                reference_id=ref.external_id,
                our_id=our_id,
                days=days,
                km=km,
                admin1_same_unit=same_admin(ref.admin1, event.admin1),
                admin1_same_spelling=same_spelling(ref.admin1, event.admin1),
                admin2_same_unit=same_admin(ref.admin2, event.admin2),
                toll_within=_toll_within(ref, event),
            )
        )
    report.matches.sort(key=lambda m: (m.reference_id, m.our_id))
    totals = Counter(r.date_start.strftime("%Y-%m") for r in reference)
    hits = Counter(reference[i].date_start.strftime("%Y-%m") for i in used_ref)
    report.monthly = {month: (count, hits.get(month, 0)) for month, count in totals.items()}
    return report


def matched_reference_ids(report: CompareReport) -> frozenset[str]:
    return frozenset(m.reference_id for m in report.matches)
