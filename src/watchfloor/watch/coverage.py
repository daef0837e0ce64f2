"""Coverage diagnostics: tell "no events" from "no reporting", per region and per source.

For every region (country, admin1) and every outlet over a period: how many articles and
events arrived, the share of events only one outlet reported (fragile coverage), and the days
split into *silent* days (no articles at all: a reporting gap) and *quiet* days (articles came
but produced no events there). Pure: the store hands in events and article rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

UNKNOWN = "(unknown)"


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One line of the report; ``scope`` is "region" or "source"."""

    scope: str
    name: str
    country: str | None
    articles: int
    events: int
    single_source_share: float | None
    days_with_events: int
    quiet_days: int
    silent_days: int
    period_days: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    since: dt.date | None
    until: dt.date | None
    regions: tuple[CoverageRow, ...]
    sources: tuple[CoverageRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "regions": [r.to_json() for r in self.regions],
            "sources": [r.to_json() for r in self.sources],
        }


@dataclass(frozen=True, slots=True)
class EventRef:
    """What coverage needs of an event: where, when, and which articles and outlets told it."""

    id: int
    day: dt.date
    country: str | None
    admin1: str | None
    articles: tuple[tuple[int, str], ...]  # (article id, outlet)

    @classmethod
    def from_stored(cls, stored: Any) -> EventRef | None:
        raw = stored.data.get("date")
        day = dt.date.fromisoformat(raw) if raw else stored.published
        if day is None:
            return None
        loc = stored.data.get("location") or {}
        return cls(
            id=stored.id,
            day=day,
            country=loc.get("country"),
            admin1=loc.get("admin1"),
            articles=tuple((s.article_id, s.source or UNKNOWN) for s in stored.sources),
        )

    @property
    def outlets(self) -> frozenset[str]:
        return frozenset(outlet for _, outlet in self.articles)


def coverage(
    events: Iterable[EventRef],
    article_rows: Sequence[Any],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
) -> CoverageReport:
    """The report over [since, until] (default: the span of the articles)."""
    wanted = country.upper() if country else None
    evs = [
        e
        for e in events
        if (wanted is None or e.country == wanted)
        and (since is None or e.day >= since)
        and (until is None or e.day <= until)
    ]
    rows = [
        a
        for a in article_rows
        if (wanted is None or wanted in a.countries)
        and (since is None or a.day >= since)
        and (until is None or a.day <= until)
    ]
    days = [a.day for a in rows] + [e.day for e in evs]
    start = since or (min(days) if days else None)
    end = until or (max(days) if days else None)
    period = (end - start).days + 1 if start and end and end >= start else 0
    return CoverageReport(
        since=start,
        until=end,
        regions=tuple(_regions(evs, rows, period)),
        sources=tuple(_sources(evs, rows, period)),
    )


def _share(events: Sequence[EventRef]) -> float | None:
    if not events:
        return None
    return round(sum(1 for e in events if len(e.outlets) == 1) / len(events), 3)


def _regions(events: Sequence[EventRef], rows: Sequence[Any], period: int) -> list[CoverageRow]:
    reporting: dict[str, set[dt.date]] = defaultdict(set)
    for a in rows:
        for c in a.countries:
            reporting[c].add(a.day)
    grouped: dict[tuple[str, str], list[EventRef]] = defaultdict(list)
    for e in events:
        grouped[(e.country or UNKNOWN, e.admin1 or UNKNOWN)].append(e)
    out = []
    for (country, admin1), evs in sorted(grouped.items()):
        event_days = {e.day for e in evs}
        covered = reporting.get(country, set())
        out.append(
            CoverageRow(
                scope="region",
                name=admin1,
                country=country,
                articles=len({aid for e in evs for aid, _ in e.articles}),
                events=len(evs),
                single_source_share=_share(evs),
                days_with_events=len(event_days),
                quiet_days=len(covered - event_days),
                silent_days=max(0, period - len(covered | event_days)),
                period_days=period,
            )
        )
    return out


def _sources(events: Sequence[EventRef], rows: Sequence[Any], period: int) -> list[CoverageRow]:
    by_outlet: dict[str, list[Any]] = defaultdict(list)
    for a in rows:
        by_outlet[a.outlet or UNKNOWN].append(a)
    told: dict[str, list[EventRef]] = defaultdict(list)
    for e in events:
        for outlet in e.outlets:
            told[outlet].append(e)
    out = []
    for outlet in sorted(set(by_outlet) | set(told)):
        arts = by_outlet.get(outlet, [])
        evs = told.get(outlet, [])
        article_days = {a.day for a in arts}
        productive = {a.day for a in arts if a.countries}
        exclusive = [e for e in evs if e.outlets == {outlet}]
        out.append(
            CoverageRow(
                scope="source",
                name=outlet,
                country=None,
                articles=len(arts),
                events=len(evs),
                single_source_share=round(len(exclusive) / len(evs), 3) if evs else None,
                days_with_events=len({e.day for e in evs}),
                quiet_days=len(article_days - productive),
                silent_days=max(0, period - len(article_days)),
                period_days=period,
            )
        )
    return out


def from_store(
    store: Any,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    country: str | None = None,
) -> CoverageReport:
    """The report over a store's live events and articles (the CLI and the API call this)."""
    from watchfloor.store import EventFilter
    from watchfloor.store.watch import WatchStore

    flt = EventFilter(since=since, until=until, country=country)
    refs = [r for s in store.iter_events(flt) if (r := EventRef.from_stored(s)) is not None]
    rows = WatchStore(store).article_rows(since, until)
    return coverage(refs, rows, since=since, until=until, country=country)
