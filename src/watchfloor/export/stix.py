"""STIX 2.1 bundle through the ``stix2`` library, for threat-intelligence platforms.

Objects: one identity for watchfloor (the producer), a threat-actor per perpetrator group,
a location per place, a report per event that references them, a ``targets`` relationship
from each group to the places it hit, and ``related-to`` relationships for the organisation
graph (branch, pledge, split, alliance...; the kind is in the description). Ids are UUIDv5
of stable keys, so exporting the same events twice gives the same ids.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, TextIO

import networkx as nx
import stix2

from watchfloor.export.common import location, notes, summary_sentence
from watchfloor.store import StoredEvent

NAMESPACE = uuid.UUID("6c0f3c1e-2f47-5b1a-9d3e-7a2b0e5f4c11")

_ACTOR_TYPES = {
    1: "nation-state",
    2: "terrorist",
    3: "terrorist",
    4: "terrorist",
    5: "activist",
    6: "activist",
    8: "nation-state",
}


def _sid(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def actor_key(actor_id: str | None, name: str) -> str:
    return f"actor:{actor_id}" if actor_id else f"name:{name.casefold()}"


class _Bundle:
    """Writes a bundle object by object, each id once, without holding the objects."""

    def __init__(self, out: TextIO, timestamp: dt.datetime):
        self.out = out
        self.stamp = timestamp
        self.seen: set[str] = set()
        self.identity = _sid("identity", "watchfloor")
        out.write('{"type": "bundle", "id": "')
        out.write(_sid("bundle", timestamp.isoformat()))
        out.write('", "objects": [')
        self.emit(
            stix2.Identity(
                id=self.identity,
                name="watchfloor",
                identity_class="system",
                description="Event database coded from news about political violence.",
                created=timestamp,
                modified=timestamp,
            )
        )

    def emit(self, obj: Any) -> None:
        self.out.write("\n" if not self.seen else ",\n")
        self.out.write(obj.serialize(sort_keys=True))
        self.seen.add(obj.id)

    def common(self) -> dict[str, Any]:
        return {"created_by_ref": self.identity, "created": self.stamp, "modified": self.stamp}

    def threat_actor(self, key: str, name: str, inter: int | None) -> str:
        sid = _sid("threat-actor", key)
        if sid not in self.seen:
            self.emit(
                stix2.ThreatActor(
                    id=sid,
                    name=name,
                    threat_actor_types=[_ACTOR_TYPES.get(inter or 0, "unknown")],
                    **self.common(),
                )
            )
        return sid

    def location(self, loc: dict[str, Any]) -> str | None:
        lat, lon, iso2 = loc.get("lat"), loc.get("lon"), loc.get("country")
        if (lat is None or lon is None) and not iso2:
            return None  # STIX needs a country or coordinates
        key = f"{loc.get('name')}|{loc.get('admin1')}|{iso2}|{lat}|{lon}"
        sid = _sid("location", key)
        if sid not in self.seen:
            fields: dict[str, Any] = {"name": loc.get("name") or loc.get("admin1") or iso2}
            if iso2:
                fields["country"] = iso2
            if loc.get("admin1"):
                fields["administrative_area"] = loc["admin1"]
            if loc.get("name") and loc.get("geo_precision") == 1:
                fields["city"] = loc["name"]
            if lat is not None and lon is not None:
                fields["latitude"], fields["longitude"] = lat, lon
            self.emit(stix2.Location(id=sid, **fields, **self.common()))
        return sid

    def relationship(self, rtype: str, source: str, target: str, key: str, **extra: Any) -> str:
        sid = _sid("relationship", f"{rtype}|{source}|{target}|{key}")
        if sid not in self.seen:
            self.emit(
                stix2.Relationship(
                    id=sid,
                    relationship_type=rtype,
                    source_ref=source,
                    target_ref=target,
                    **extra,
                    **self.common(),
                )
            )
        return sid

    def close(self) -> None:
        self.out.write("\n]}\n")


def _event_actor(data: dict[str, Any]) -> dict[str, Any] | None:
    for key in ("perpetrator", "actor1"):
        actor = data.get(key)
        if actor and actor.get("name"):
            return actor
    return None


def _published(event: StoredEvent, fallback: dt.datetime) -> dt.datetime:
    day = event.data.get("date")
    if day:
        return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.UTC)
    if event.published:
        return dt.datetime.combine(event.published, dt.time(), tzinfo=dt.UTC)
    return fallback


def _references(event: StoredEvent) -> list[dict[str, str]]:
    refs = []
    for src in event.sources or ():
        ref = {
            "source_name": src.source or "news report",
            "external_id": f"article:{src.article_id}",
        }
        if src.url:
            ref["url"] = src.url
        if src.title:
            ref["description"] = src.title
        refs.append(ref)
    if not refs:
        ref = {
            "source_name": event.article_source or "news report",
            "external_id": f"article:{event.article_id}",
        }
        if event.article_url:
            ref["url"] = event.article_url
        if event.article_title:
            ref["description"] = event.article_title
        refs.append(ref)
    return refs


def _date(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        # The graph may date a relation to the month or year only ("2007-02", "2014").
        parts = [int(p) for p in str(value)[:10].split("-") if p.isdigit()]
        if not parts:
            return None
        year, month, dom = [*parts, 1, 1][:3]
        day = dt.date(year, month, dom)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _graph_relationships(bundle: _Bundle, graph: nx.MultiDiGraph) -> None:
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        if u == v:
            continue  # news about one group alone (a leader change) relates it to nothing
        ends = []
        for node in (u, v):
            info = graph.nodes[node]
            ends.append(
                bundle.threat_actor(
                    actor_key(str(node), ""), str(info.get("name") or node), info.get("inter")
                )
            )
        kind = str(attrs.get("kind") or "related")
        extra: dict[str, Any] = {"description": f"{kind}: {u} -> {v}"}
        start, stop = _date(attrs.get("start")), _date(attrs.get("end"))
        if start:
            extra["start_time"] = start
        if stop and (start is None or stop > start):
            extra["stop_time"] = stop
        bundle.relationship("related-to", ends[0], ends[1], f"{kind}|{key}", **extra)


def write_stix(
    events: Iterable[StoredEvent],
    out: TextIO,
    graph: nx.MultiDiGraph | None = None,
    timestamp: dt.datetime | None = None,
) -> int:
    """Stream a STIX 2.1 bundle; returns the number of event reports written.

    ``timestamp`` sets every object's created/modified (default now); pass a fixed one for
    reproducible files.
    """
    stamp = timestamp or dt.datetime.now(dt.UTC)
    bundle = _Bundle(out, stamp)
    if graph is not None:
        _graph_relationships(bundle, graph)
    count = 0
    for event in events:
        data = event.data
        refs: list[str] = []
        actor = _event_actor(data)
        actor_ref = None
        if actor:
            actor_ref = bundle.threat_actor(
                actor_key(actor.get("actor_id"), actor["name"]), actor["name"], actor.get("inter")
            )
            refs.append(actor_ref)
        place_ref = bundle.location(location(data))
        if place_ref:
            refs.append(place_ref)
        if actor_ref and place_ref:
            refs.append(bundle.relationship("targets", actor_ref, place_ref, "event-place"))
        fields: dict[str, Any] = {}
        external = _references(event)
        if external:
            fields["external_references"] = external
        bundle.emit(
            stix2.Report(
                id=_sid("report", f"event:{event.id}"),
                name=summary_sentence(data),
                description=notes(data),
                report_types=["threat-report"],
                published=_published(event, stamp),
                object_refs=refs or [bundle.identity],
                confidence=round(float(data.get("confidence") or 0) * 100),
                labels=[data["event_type"], data["sub_event_type"]],
                **fields,
                **bundle.common(),
            )
        )
        count += 1
    bundle.close()
    return count
