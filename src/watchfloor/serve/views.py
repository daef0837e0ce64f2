"""Pure shaping of stored records for pages and the API: no SQL, no HTTP.

Everything here takes plain data (stored events, knowledge-base actors) and returns
JSON-ready dicts, so the same shapes serve the dashboard's scripts and API clients.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from watchfloor.resolve.actors import ActorKB, KBActor
from watchfloor.store import StoredEvent

try:  # the store decides which fields a reviewer may correct; follow it when it says
    from watchfloor.store.writes import CORRECTABLE as _CORRECTABLE
except ImportError:  # an older store: the contract's top-level coded fields
    _CORRECTABLE = frozenset(
        {"event_type", "sub_event_type", "attack_type", "date", "date_precision"}
    )

#: Review decisions may accept or change these event fields (dotted paths into the event).
REVIEWABLE_FIELDS: tuple[str, ...] = tuple(sorted(_CORRECTABLE))


def field_value(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of a contract-shaped event ('location.name'), or None."""
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of graph attributes and other loosely typed values."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if hasattr(value, "to_json"):
        return jsonable(value.to_json())
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    return str(value)


def highlight(text: str, spans: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The article as tokens for the template: ("text", piece), ("open", field), ("close", "").

    Evidence spans that nest (a date inside the event's sentence) become nested marks; a span
    that crosses another one's edge is left out, so the marks always form a valid tree and
    the text between them is the article unchanged.
    """
    ranges = sorted(
        {
            (s["start"], s["end"], str(s.get("field") or "evidence"))
            for s in spans
            if isinstance(s.get("start"), int)
            and isinstance(s.get("end"), int)
            and 0 <= s["start"] < s["end"] <= len(text)
        },
        key=lambda r: (r[0], -r[1], r[2]),
    )
    tokens: list[tuple[str, str]] = []
    open_ends: list[int] = []
    position = 0

    def advance(to: int) -> None:
        nonlocal position
        if to > position:
            tokens.append(("text", text[position:to]))
            position = to

    for start, end, field in ranges:
        while open_ends and open_ends[-1] <= start:
            advance(open_ends.pop())
            tokens.append(("close", ""))
        if open_ends and end > open_ends[-1]:  # crosses the enclosing mark's edge
            continue
        advance(start)
        tokens.append(("open", field))
        open_ends.append(end)
    while open_ends:
        advance(open_ends.pop())
        tokens.append(("close", ""))
    advance(len(text))
    return tokens


def mark_class(field: str) -> str:
    """A CSS class for an evidence field: letters, digits and dashes only."""
    cleaned = "".join(c if c.isalnum() else "-" for c in field.lower()).strip("-")
    return f"ev-{cleaned or 'evidence'}"


def event_place(data: dict[str, Any]) -> str:
    loc = data.get("location") or {}
    return ", ".join(p for p in (loc.get("name"), loc.get("admin1"), loc.get("country")) if p)


def event_feature(event: StoredEvent) -> dict[str, Any]:
    """One GeoJSON Feature; events without coordinates keep a null geometry (valid GeoJSON)."""
    data = event.data
    loc = data.get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    geometry = (
        {"type": "Point", "coordinates": [lon, lat]}
        if isinstance(lat, int | float) and isinstance(lon, int | float)
        else None
    )
    perp = data.get("perpetrator") or {}
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": geometry,
        "properties": {
            "id": event.id,
            "date": data.get("date"),
            "date_precision": data.get("date_precision"),
            "event_type": data.get("event_type"),
            "sub_event_type": data.get("sub_event_type"),
            "place": event_place(data),
            "country": loc.get("country"),
            "admin1": loc.get("admin1"),
            "geo_precision": loc.get("geo_precision"),
            "perpetrator": perp.get("name"),
            "perpetrator_id": perp.get("actor_id"),
            "fatalities": (data.get("fatalities") or {}).get("best"),
            "injuries": (data.get("injuries") or {}).get("best"),
            "confidence": data.get("confidence"),
            "title": event.article_title,
        },
    }


def event_stats(events: Iterable[StoredEvent]) -> dict[str, Any]:
    """Counts by event type, by month (split by type, for the timeline) and by country."""
    by_type: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    undated = 0
    total = 0
    for event in events:
        data = event.data
        kind = str(data.get("event_type") or "unknown")
        total += 1
        by_type[kind] += 1
        by_country[str((data.get("location") or {}).get("country") or "unknown")] += 1
        date = data.get("date")
        if isinstance(date, str) and len(date) >= 7:
            by_month[date[:7]][kind] += 1
        else:
            undated += 1
    return {
        "total": total,
        "undated": undated,
        "by_type": dict(by_type.most_common()),
        "by_country": dict(by_country.most_common()),
        "by_month": [
            {"month": month, "total": sum(counts.values()), "by_type": dict(sorted(counts.items()))}
            for month, counts in sorted(by_month.items())
        ],
    }


def actor_summary(actor: KBActor) -> dict[str, Any]:
    return {
        "id": actor.actor_id,
        "name": actor.name,
        "kind": actor.kind,
        "inter": actor.inter,
        "countries": list(actor.countries),
        "parent_id": actor.parent_id,
        "generic": actor.generic,
    }


def actor_detail(kb: ActorKB, actor: KBActor) -> dict[str, Any]:
    """An actor with its spellings, its parents and its branches (children in the KB)."""
    branches = sorted(
        (a for a in kb if a.parent_id == actor.actor_id),
        key=lambda a: (a.branch_announced or a.founded or "9999", a.name),
    )
    return {
        **actor_summary(actor),
        "founded": actor.founded,
        "branch_announced": actor.branch_announced,
        "role": actor.role,
        "aliases": list(actor.aliases) + list(actor.aliases_case_sensitive),
        "aliases_dated": [
            {"alias": d.alias, "from": d.valid_from, "until": d.until} for d in actor.aliases_dated
        ],
        "ancestors": [actor_summary(a) for a in kb.ancestors(actor)],
        "branches": [
            {**actor_summary(b), "branch_announced": b.branch_announced, "founded": b.founded}
            for b in branches
        ],
    }


def search_actors(kb: ActorKB, query: str | None) -> list[KBActor]:
    """Actors whose id, name or an alias contains ``query`` (case-insensitive), by name."""
    actors = list(kb)
    if query:
        needle = query.casefold()
        actors = [
            a
            for a in actors
            if needle in a.actor_id.casefold()
            or needle in a.name.casefold()
            or any(needle in alias.casefold() for alias in (*a.aliases, *a.aliases_case_sensitive))
        ]
    return sorted(actors, key=lambda a: (a.generic, a.name.casefold()))


def review_sort_key(event: StoredEvent) -> tuple[float, int]:
    """Least confident first; among equals, the newest id first (the freshest extraction)."""
    confidence = event.data.get("confidence")
    return (float(confidence) if isinstance(confidence, int | float) else 0.0, -event.id)


def alert_view(alert: dict[str, Any]) -> dict[str, Any]:
    """A logged alert as the alerts page shows it: cited events, and each quote with its
    outlets (entries missing from older log rows default to empty)."""
    evidence = []
    for item in alert.get("evidence") or []:
        if not isinstance(item, dict):
            continue
        sources = [s for s in item.get("sources") or [] if isinstance(s, dict)]
        evidence.append(
            {
                "event_id": item.get("event_id"),
                "org_id": item.get("org_id"),
                "quote": item.get("quote"),
                "sources": sources,
            }
        )
    return {
        "id": alert.get("id"),
        "rule": alert.get("rule") or "",
        "title": alert.get("title") or "",
        "day": alert.get("day"),
        "raised_at": alert.get("raised_at"),
        "country": alert.get("country"),
        "admin1": alert.get("admin1"),
        "event_ids": [i for i in alert.get("event_ids") or [] if isinstance(i, int)],
        "evidence": evidence,
    }
