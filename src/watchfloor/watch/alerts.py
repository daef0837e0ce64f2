"""Novelty alert rules: pure functions from the stored history to alerts.

Every rule looks at the whole history in time order and decides which events are *firsts*
(a branch's first attack, a group's first district, a pair's first clash...). Each alert has
a stable ``key`` naming what is new rather than which run found it, so the alert log (where the
key is unique) keeps it once however often the rules run, and a late report of an older event
cannot raise the same novelty twice. ``fresh_articles`` restricts the output to alerts that an
article of the current cycle helped to raise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from watchfloor.watch.config import AlertRules

#: ACLED interaction codes of armed non-state actors: rebels, political and identity militias.
GROUP_INTER = frozenset({2, 3, 4})
GROUP_KINDS = frozenset({"armed_group", "identity_militia"})
RESPONSIBLE = frozenset({"claimed", "attributed", "confirmed", "suspected"})


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What the rules need from the actor knowledge base, as plain lookups (testable fakes)."""

    announced: Mapping[str, dt.date] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    resolve: Callable[[str], str | None] = lambda _name: None

    def group_id(self, name: str | None, actor_id: str | None) -> str | None:
        if actor_id:
            return actor_id
        return self.resolve(name) if name else None

    def label(self, actor_id: str) -> str:
        return self.names.get(actor_id, actor_id)


def knowledge_from_kb(kb: Any) -> Knowledge:
    """Branch announcement dates, kinds and names from an ``ActorKB``; names resolve through it."""
    from watchfloor.resolve.actors import period_start

    announced = {a.actor_id: period_start(a.branch_announced) for a in kb if a.branch_announced}

    def resolve(name: str) -> str | None:
        actor = kb.resolve(name)
        return actor.actor_id if actor is not None else None

    return Knowledge(
        announced=announced,
        kinds={a.actor_id: a.kind for a in kb},
        names={a.actor_id: a.name for a in kb},
        resolve=resolve,
    )


@dataclass(frozen=True, slots=True)
class EventView:
    """The fields of a stored event the rules read (built from ``StoredEvent``)."""

    id: int
    day: dt.date
    country: str | None
    admin1: str | None
    admin2: str | None
    event_type: str
    perpetrator: str | None
    perpetrator_id: str | None
    perpetrator_status: str | None
    perpetrator_inter: int | None
    opponent: str | None
    opponent_id: str | None
    opponent_inter: int | None
    fatalities: int
    #: (who, stance) for every claim, denial, official attribution and suspicion.
    ledger: tuple[tuple[str, str], ...]
    article_ids: frozenset[int]
    quotes: tuple[str, ...]
    sources: tuple[dict[str, Any], ...]

    @classmethod
    def from_stored(cls, stored: Any) -> EventView | None:
        """None for an event with neither a date nor a dated source (it cannot be ordered)."""
        data = stored.data
        raw_day = data.get("date")
        day = dt.date.fromisoformat(raw_day) if raw_day else stored.published
        if day is None:
            return None
        loc = data.get("location") or {}
        perp = data.get("perpetrator") or data.get("actor1") or {}
        other = data.get("actor2") or {}
        quotes = [e["text"] for e in data.get("evidence") or () if e.get("field") == "event"]
        quotes += [c["evidence"]["text"] for c in data.get("claims") or () if c.get("evidence")]
        ledger = tuple((c.by, c.stance) for c in stored.ledger) or tuple(
            (c["by"], c["stance"]) for c in data.get("claims") or ()
        )
        return cls(
            id=stored.id,
            day=day,
            country=loc.get("country"),
            admin1=loc.get("admin1"),
            admin2=loc.get("admin2"),
            event_type=data.get("event_type") or "",
            perpetrator=perp.get("name"),
            perpetrator_id=perp.get("actor_id"),
            perpetrator_status=perp.get("status"),
            perpetrator_inter=perp.get("inter"),
            opponent=other.get("name"),
            opponent_id=other.get("actor_id"),
            opponent_inter=other.get("inter"),
            fatalities=int((data.get("fatalities") or {}).get("best") or 0),
            ledger=tuple(dict.fromkeys(ledger)),
            article_ids=frozenset(s.article_id for s in stored.sources) or {stored.article_id},
            quotes=tuple(dict.fromkeys(quotes))[:3],
            sources=tuple(
                {
                    "title": s.title,
                    "url": s.url,
                    "source": s.source,
                    "published": s.published.isoformat() if s.published else None,
                }
                for s in stored.sources
            ),
        )


@dataclass(frozen=True, slots=True)
class OrgView:
    """A stored organisational development as the rules read it."""

    id: int
    article_id: int
    kind: str
    group: str
    group_id: str | None
    parent: str | None
    other: str | None
    day: dt.date | None
    quote: str | None
    source: dict[str, Any]

    @classmethod
    def from_stored(cls, stored: Any) -> OrgView:
        data = stored.data
        raw_day = data.get("date")
        quotes = [e["text"] for e in data.get("evidence") or ()]
        return cls(
            id=stored.id,
            article_id=stored.article_id,
            kind=str(data.get("kind")),
            group=str(data.get("group") or ""),
            group_id=data.get("group_id"),
            parent=data.get("parent"),
            other=data.get("other"),
            day=dt.date.fromisoformat(raw_day) if raw_day else stored.published,
            quote=" … ".join(quotes) or None,
            source={
                "title": stored.article_title,
                "url": stored.article_url,
                "source": stored.article_source,
                "published": stored.published.isoformat() if stored.published else None,
            },
        )


@dataclass(frozen=True, slots=True)
class Alert:
    """One piece of news for an analyst, with the events and quotes that support it."""

    rule: str
    key: str
    title: str
    day: dt.date | None
    country: str | None = None
    admin1: str | None = None
    event_ids: tuple[int, ...] = ()
    org_ids: tuple[int, ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    #: Articles that raised it: an alert is "fresh" in a cycle when one of them is new.
    article_ids: frozenset[int] = frozenset()

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "key": self.key,
            "title": self.title,
            "day": self.day.isoformat() if self.day else None,
            "country": self.country,
            "admin1": self.admin1,
            "event_ids": list(self.event_ids),
            "org_ids": list(self.org_ids),
            "evidence": list(self.evidence),
            "details": self.details,
        }


def evaluate(
    events: Iterable[EventView],
    developments: Iterable[OrgView],
    knowledge: Knowledge,
    rules: AlertRules,
    fresh_articles: set[int] | None = None,
) -> list[Alert]:
    """Every alert the history supports (or only the fresh ones), ordered by day then rule."""
    ordered = sorted(events, key=lambda e: (e.day, e.id))
    orgs = sorted(developments, key=lambda o: (o.day or dt.date.max, o.id))
    found: list[Alert] = []
    for name in rules.enabled:
        found.extend(RULES[name](ordered, orgs, knowledge, rules))
    if fresh_articles is not None:
        found = [a for a in found if a.article_ids & fresh_articles]
    unique = {a.key: a for a in reversed(found)}  # the first alert for a key wins
    return sorted(unique.values(), key=lambda a: (a.day or dt.date.min, a.rule, a.key))


# -- helpers -------------------------------------------------------------------------------


def _is_group(actor_id: str | None, inter: int | None, knowledge: Knowledge) -> bool:
    if not actor_id:
        return False
    if inter is not None:
        return inter in GROUP_INTER
    return knowledge.kinds.get(actor_id, "armed_group") in GROUP_KINDS


def _perpetrator_group(ev: EventView, knowledge: Knowledge) -> str | None:
    if ev.perpetrator_status not in RESPONSIBLE:
        return None
    gid = knowledge.group_id(ev.perpetrator, ev.perpetrator_id)
    return gid if _is_group(gid, ev.perpetrator_inter, knowledge) else None


def _evidence(ev: EventView) -> tuple[dict[str, Any], ...]:
    return tuple({"event_id": ev.id, "quote": q, "sources": list(ev.sources)} for q in ev.quotes)


def _place(ev: EventView) -> str:
    return ", ".join(p for p in (ev.admin2, ev.admin1, ev.country) if p) or "an unknown place"


def _event_alert(rule: str, key: str, title: str, ev: EventView, **details: Any) -> Alert:
    return Alert(
        rule=rule,
        key=key,
        title=title,
        day=ev.day,
        country=ev.country,
        admin1=ev.admin1,
        event_ids=(ev.id,),
        evidence=_evidence(ev),
        details=details,
        article_ids=ev.article_ids,
    )


# -- rules ---------------------------------------------------------------------------------

Rule = Callable[[Sequence[EventView], Sequence[OrgView], Knowledge, AlertRules], list[Alert]]


def branch_first_event(
    events: Sequence[EventView], orgs: Sequence[OrgView], knowledge: Knowledge, rules: AlertRules
) -> list[Alert]:
    """A branch's first claimed or attributed event within N days of its announcement.

    The announcement date is the earliest stored ``branch_announced`` development naming the
    branch, else the knowledge base's date.
    """
    announced: dict[str, tuple[dt.date, int | None]] = {
        k: (v, None) for k, v in knowledge.announced.items()
    }
    news: dict[str, tuple[dt.date, int | None]] = {}
    for org in orgs:
        gid = knowledge.group_id(org.group, org.group_id)
        if org.kind == "branch_announced" and gid and org.day and gid not in news:
            news[gid] = (org.day, org.id)
    announced.update(news)
    window = dt.timedelta(days=rules.branch_window_days)
    seen: set[str] = set()
    out = []
    for ev in events:
        gid = knowledge.group_id(ev.perpetrator, ev.perpetrator_id)
        if ev.perpetrator_status not in RESPONSIBLE or not gid or gid in seen:
            continue
        seen.add(gid)
        if gid not in announced:
            continue
        day, org_id = announced[gid]
        if day <= ev.day <= day + window:
            alert = _event_alert(
                "branch_first_event",
                f"branch_first_event:{gid}",
                f"First {ev.perpetrator_status} event of {knowledge.label(gid)} "
                f"({(ev.day - day).days} days after its announcement) in {_place(ev)}",
                ev,
                group_id=gid,
                announced=day.isoformat(),
                days_after=(ev.day - day).days,
            )
            if org_id is not None:
                alert = _with_org(alert, org_id, orgs)
            out.append(alert)
    return out


def _with_org(alert: Alert, org_id: int, orgs: Sequence[OrgView]) -> Alert:
    org = next(o for o in orgs if o.id == org_id)
    extra = {"org_id": org.id, "quote": org.quote, "sources": [org.source]}
    return Alert(
        rule=alert.rule,
        key=alert.key,
        title=alert.title,
        day=alert.day,
        country=alert.country,
        admin1=alert.admin1,
        event_ids=alert.event_ids,
        org_ids=(org.id,),
        evidence=(*alert.evidence, extra),
        details=alert.details,
        article_ids=alert.article_ids,
    )


def first_in_admin2(
    events: Sequence[EventView], orgs: Sequence[OrgView], knowledge: Knowledge, rules: AlertRules
) -> list[Alert]:
    """A group's first event in a district (admin2) when it already had events elsewhere."""
    places: dict[str, set[tuple[str | None, str]]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    out = []
    for ev in events:
        gid = _perpetrator_group(ev, knowledge)
        if gid is None:
            continue
        if ev.admin2:
            where = (ev.country, ev.admin2)
            if where not in places[gid] and counts[gid] >= rules.min_prior_events:
                out.append(
                    _event_alert(
                        "first_in_admin2",
                        f"first_in_admin2:{gid}:{ev.country}:{ev.admin2}",
                        f"First event by {knowledge.label(gid)} in {_place(ev)} "
                        f"(after {counts[gid]} elsewhere)",
                        ev,
                        group_id=gid,
                        prior_events=counts[gid],
                    )
                )
            places[gid].add(where)
        counts[gid] += 1
    return out


def first_clash(
    events: Sequence[EventView], orgs: Sequence[OrgView], knowledge: Knowledge, rules: AlertRules
) -> list[Alert]:
    """The first battle between two armed groups (state forces do not count)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for ev in events:
        if ev.event_type != "Battles":
            continue
        one = knowledge.group_id(ev.perpetrator, ev.perpetrator_id)
        two = knowledge.group_id(ev.opponent, ev.opponent_id)
        if not (
            one
            and two
            and one != two
            and _is_group(one, ev.perpetrator_inter, knowledge)
            and _is_group(two, ev.opponent_inter, knowledge)
        ):
            continue
        pair = (min(one, two), max(one, two))
        if pair in seen:
            continue
        seen.add(pair)
        out.append(
            _event_alert(
                "first_clash",
                f"first_clash:{pair[0]}:{pair[1]}",
                f"First clash between {knowledge.label(pair[0])} and {knowledge.label(pair[1])}"
                f" in {_place(ev)}",
                ev,
                groups=list(pair),
            )
        )
    return out


def first_claim_in_country(
    events: Sequence[EventView], orgs: Sequence[OrgView], knowledge: Knowledge, rules: AlertRules
) -> list[Alert]:
    """A group's first claim in a country when it had claimed attacks in other countries."""
    countries: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    out = []
    for ev in events:
        claimants = {
            gid
            for who, stance in ev.ledger
            if stance == "claimed" and (gid := knowledge.group_id(who, None))
        }
        if ev.perpetrator_status == "claimed" and ev.perpetrator_id:
            claimants.add(ev.perpetrator_id)
        for gid in sorted(claimants):
            if ev.country and ev.country not in countries[gid]:
                if counts[gid] >= rules.min_prior_events and countries[gid]:
                    out.append(
                        _event_alert(
                            "first_claim_in_country",
                            f"first_claim_in_country:{gid}:{ev.country}",
                            f"First claim by {knowledge.label(gid)} in {ev.country} "
                            f"(before: {', '.join(sorted(countries[gid]))})",
                            ev,
                            group_id=gid,
                            earlier_countries=sorted(countries[gid]),
                        )
                    )
                countries[gid].add(ev.country)
            counts[gid] += 1
    return out


def fatality_spike(
    events: Sequence[EventView], orgs: Sequence[OrgView], knowledge: Knowledge, rules: AlertRules
) -> list[Alert]:
    """A day whose toll in an admin1 unit is far above that unit's recent daily average.

    The baseline averages the ``baseline_days`` before the day (days without events count as
    zero) and needs ``baseline_min_days`` of history, so a unit seen for the first time is
    never a spike.
    """
    daily: dict[tuple[str, str], dict[dt.date, list[EventView]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for ev in events:
        if ev.country and ev.admin1:
            daily[(ev.country, ev.admin1)][ev.day].append(ev)
    out = []
    for (country, admin1), days in daily.items():
        first = min(days)
        for day in sorted(days):
            span = min(rules.baseline_days, (day - first).days)
            if span < max(1, rules.baseline_min_days):
                continue
            total = sum(e.fatalities for e in days[day])
            start = day - dt.timedelta(days=span)
            before = sum(e.fatalities for d, evs in days.items() if start <= d < day for e in evs)
            baseline = before / span
            if total < rules.spike_min_fatalities or total <= rules.spike_factor * baseline:
                continue
            cited = sorted(days[day], key=lambda e: -e.fatalities)
            out.append(
                Alert(
                    rule="fatality_spike",
                    key=f"fatality_spike:{country}:{admin1}:{day.isoformat()}",
                    title=f"{total} killed in {admin1}, {country} on {day.isoformat()} "
                    f"(daily average over the previous {span} days: {baseline:.1f})",
                    day=day,
                    country=country,
                    admin1=admin1,
                    event_ids=tuple(e.id for e in cited),
                    evidence=tuple(q for e in cited[:3] for q in _evidence(e)),
                    details={"fatalities": total, "baseline": round(baseline, 2), "days": span},
                    article_ids=frozenset().union(*(e.article_ids for e in cited)),
                )
            )
    return out


def org_development(
    events: Sequence[EventView], orgs: Sequence[OrgView], knowledge: Knowledge, rules: AlertRules
) -> list[Alert]:
    """Each organisational development (branch, pledge, split, merger, leader change...).

    Keyed by what happened, not by article, so two outlets reporting one pledge raise it once.
    """
    out = []
    for org in orgs:
        gid = knowledge.group_id(org.group, org.group_id) or org.group.casefold()
        other = org.parent or org.other or ""
        day = org.day.isoformat() if org.day else "undated"
        title = f"{org.kind.replace('_', ' ')}: {org.group}"
        if other:
            title += f" ({other})"
        out.append(
            Alert(
                rule="org_development",
                key=f"org_development:{org.kind}:{gid}:{other.casefold()}:{day}",
                title=title,
                day=org.day,
                org_ids=(org.id,),
                evidence=({"org_id": org.id, "quote": org.quote, "sources": [org.source]},),
                details={"kind": org.kind, "group": org.group, "group_id": org.group_id},
                article_ids=frozenset({org.article_id}),
            )
        )
    return out


def claim_contradicts_attribution(
    events: Sequence[EventView], orgs: Sequence[OrgView], knowledge: Knowledge, rules: AlertRules
) -> list[Alert]:
    """A group claims an event that officials attribute to someone else."""
    out = []
    for ev in events:
        claimed = [who for who, stance in ev.ledger if stance == "claimed"]
        blamed = [who for who, stance in ev.ledger if stance == "attributed_by_officials"]
        for who in claimed:
            mine = knowledge.group_id(who, None) or who.casefold()
            for other in blamed:
                theirs = knowledge.group_id(other, None) or other.casefold()
                if mine == theirs:
                    continue
                out.append(
                    _event_alert(
                        "claim_contradicts_attribution",
                        f"claim_contradicts_attribution:{ev.id}:{mine}:{theirs}",
                        f"{who} claimed an event in {_place(ev)} that officials attribute "
                        f"to {other}",
                        ev,
                        claimed_by=who,
                        attributed_to=other,
                    )
                )
    return out


RULES: dict[str, Rule] = {
    "branch_first_event": branch_first_event,
    "first_in_admin2": first_in_admin2,
    "first_clash": first_clash,
    "first_claim_in_country": first_claim_in_country,
    "fatality_spike": fatality_spike,
    "org_development": org_development,
    "claim_contradicts_attribution": claim_contradicts_attribution,
}
