"""Coverage of a reference dataset (UCDP GED, ACLED) by our events, for the compare page.

The matching and the figures are ``watchfloor.reference.compare``, as for `watchfloor compare`;
this module loads both sides for a request and adds what a browser draws: our events per
month beside the reference's, and every located reference event marked matched or missed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from watchfloor.reference.compare import CompareReport, OurEvent, compare, kb_actor_keys
from watchfloor.reference.records import DATASETS, ReferenceEvent
from watchfloor.serve.deps import AppState, State
from watchfloor.serve.filters import parse_day
from watchfloor.store import EventFilter
from watchfloor.store.reference import count_reference_events, iter_reference_events

router = APIRouter(prefix="/api", tags=["compare"])

#: Reference points sent to the map at most; the response says how many were left out.
MAX_POINTS = 20_000

Dataset = Literal["ucdp", "acled"]


@dataclass(frozen=True, slots=True)
class CompareQuery:
    """The comparison a request asks for; empty filters mean no restriction."""

    reference: Dataset = "ucdp"
    since: str | None = None
    until: str | None = None
    country: str | None = None

    def form_values(self) -> dict[str, str]:
        return {
            "reference": self.reference,
            "since": self.since or "",
            "until": self.until or "",
            "country": self.country or "",
        }


def _compare_query(
    reference: Annotated[
        Dataset, Query(description="Reference dataset imported with `watchfloor import`.")
    ] = "ucdp",
    since: Annotated[
        str | None, Query(max_length=32, description="Earliest date YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        str | None, Query(max_length=32, description="Latest date YYYY-MM-DD.")
    ] = None,
    country: Annotated[
        str | None,
        Query(pattern=r"^\s*([A-Za-z]{2})?\s*$", description="ISO 3166 alpha-2 code, e.g. PK."),
    ] = None,
) -> CompareQuery:
    return CompareQuery(reference, since or None, until or None, (country or "").strip() or None)


CompareParams = Annotated[CompareQuery, Depends(_compare_query)]


def _monthly(
    report: CompareReport, ours: Sequence[OurEvent], since: dt.date | None, until: dt.date | None
) -> list[dict[str, Any]]:
    """Per month: reference events, those we matched, and our own events in the window.

    Our events were loaded a day wider than the window (to match at its edges); only those
    inside it are counted here.
    """
    counted = Counter(
        e.date.strftime("%Y-%m")
        for e in ours
        if e.date is not None
        and (since is None or e.date >= since)
        and (until is None or e.date <= until)
    )
    months = sorted(set(report.monthly) | set(counted))
    return [
        {
            "month": month,
            "reference": report.monthly.get(month, (0, 0))[0],
            "matched": report.monthly.get(month, (0, 0))[1],
            "ours": counted.get(month, 0),
        }
        for month in months
    ]


def _point(event: ReferenceEvent, our_id: int | None) -> dict[str, Any]:
    # UCDP often repeats a unit ("Mastung district" as place and district): name it once.
    parts = dict.fromkeys(p for p in (event.location, event.admin2, event.admin1) if p)
    place = ", ".join(parts)
    return {
        "id": event.external_id,
        "date": event.date_start.isoformat(),
        "date_end": event.date_end.isoformat(),
        "lat": event.latitude,
        "lon": event.longitude,
        "place": place or None,
        "actors": [a for a in (event.actor1, event.actor2) if a],
        "deaths": {"low": event.deaths_low, "best": event.deaths_best, "high": event.deaths_high},
        "matched": our_id is not None,
        "our_id": our_id,
    }


def compare_data(state: AppState, query: CompareQuery) -> dict[str, Any]:
    """The figures of `watchfloor compare`, our monthly counts and the reference points."""
    since = parse_day(query.since, "since")
    until = parse_day(query.until, "until")
    dataset = query.reference
    reference = list(iter_reference_events(state.store, dataset, since, until, query.country))
    one_day = dt.timedelta(days=1)
    widened = EventFilter(
        since=since - one_day if since else None,
        until=until + one_day if until else None,
        country=query.country,
    )
    ours = [OurEvent.from_stored(e) for e in state.store.iter_events(widened)]
    report = compare(dataset, reference, ours, kb_actor_keys(state.kb()))
    figures = report.figures()
    our_of = {m.reference_id: m.our_id for m in report.matches}
    located = [e for e in reference if e.latitude is not None and e.longitude is not None]
    # Matched events first, so a cut never drops the ones the page is about.
    located.sort(key=lambda e: e.external_id not in our_of)
    hint = None
    if not reference:
        hint = (
            f"no {dataset.upper()} events stored for these filters; import them with "
            f"`watchfloor import {dataset} FILE` or widen the filters"
        )
    return {
        **figures,
        "filters": {
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "country": query.country.upper() if query.country else None,
        },
        "hint": hint,
        "monthly": _monthly(report, ours, since, until),
        "points": [_point(e, our_of.get(e.external_id)) for e in located[:MAX_POINTS]],
        "points_total": len(located),
        "unlocated": len(reference) - len(located),
    }


def compare_page_data(state: AppState, query: CompareQuery) -> dict[str, Any]:
    """What the page's server-rendered shell shows: the form and the imported datasets."""
    return {
        "filters": query.form_values(),
        "datasets": DATASETS,
        "imported": count_reference_events(state.store),
    }


@router.get("/compare")
def compare_endpoint(state: State, query: CompareParams) -> dict[str, Any]:
    """Coverage of a reference dataset by our events, toll and admin-name agreement.

    A reference event is covered when one of our events (each used once) is within a day,
    in the same province or within 50 km, with compatible actors. ``monthly`` counts the
    reference events, those matched and ours; ``points`` are the located reference events.
    """
    return compare_data(state, query)
