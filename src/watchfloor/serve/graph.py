"""The organisation graph as the API serves it: nodes and dated, sourced edges as of a date.

The graph comes from ``watchfloor.resolve.graph.org_graph`` when that module is installed;
otherwise :func:`fallback_graph` builds one from the knowledge base's parent links and the
stored organisational developments. Both give a ``networkx.MultiDiGraph`` with nodes keyed
by actor id (attrs name, kind, inter, country) and edges with kind, start, end, source,
evidence; :func:`graph_json` turns either into the JSON the dashboard draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import networkx as nx

from watchfloor.resolve.actors import ActorKB, fold
from watchfloor.serve.views import jsonable
from watchfloor.store import StoredOrgDevelopment

#: Development kinds that link the group to its parent (or the other group named).
_LINK_TARGET = {
    "branch_announced": "parent",
    "pledge": "parent",
    "split": "parent",
    "merger": "other",
    "rename": "other",
    "alliance": "other",
    "rivalry": "other",
}


def day(value: Any) -> str | None:
    """A sortable YYYY-MM-DD for full or partial dates ('2009-01' -> '2009-01-01')."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    parts = text[:10].split("-")
    if not parts[0].isdigit():
        return None
    while len(parts) < 3:
        parts.append("01")
    return "-".join(parts[:3])


def in_force(start: Any, end: Any, as_of: dt.date | None) -> bool:
    """Whether an edge dated [start, end) holds on ``as_of`` (always, without a date)."""
    if as_of is None:
        return True
    when = as_of.isoformat()
    first, last = day(start), day(end)
    return (first is None or first <= when) and (last is None or when < last)


def _node_attrs(kb: ActorKB, actor_id: str, fallback_name: str | None = None) -> dict[str, Any]:
    actor = kb.get(actor_id)
    if actor is None:
        return {
            "name": fallback_name or actor_id,
            "kind": "provisional",
            "inter": None,
            "country": None,
        }
    return {
        "name": actor.name,
        "kind": actor.kind,
        "inter": actor.inter,
        "country": actor.countries[0] if actor.countries else None,
    }


def _actor_id(kb: ActorKB, name: str | None, actor_id: str | None = None) -> str | None:
    if actor_id and kb.get(actor_id):
        return actor_id
    if not name:
        return None
    found = kb.resolve(name)
    return found.actor_id if found else f"provisional:{fold(name)}"


def fallback_graph(
    kb: ActorKB, developments: Sequence[StoredOrgDevelopment], as_of: dt.date | None
) -> nx.MultiDiGraph:
    """Parent links from the knowledge base plus edges from stored developments, as of a date."""
    graph = nx.MultiDiGraph()

    def add_edge(u: str, v: str, names: tuple[str | None, str | None], **attrs: Any) -> None:
        if not in_force(attrs.get("start"), attrs.get("end"), as_of):
            return
        for node, name in ((u, names[0]), (v, names[1])):
            if node not in graph:
                graph.add_node(node, **_node_attrs(kb, node, name))
        graph.add_edge(u, v, **attrs)

    for actor in kb:
        if actor.parent_id and kb.get(actor.parent_id):
            add_edge(
                actor.actor_id,
                actor.parent_id,
                (None, None),
                kind="branch_of",
                start=actor.branch_announced or actor.founded,
                end=None,
                source="knowledge base",
                evidence=None,
            )
    for dev in developments:
        data = dev.data
        role = _LINK_TARGET.get(str(data.get("kind")))
        target_name = data.get(role) if role else None
        group = _actor_id(kb, data.get("group"), data.get("group_id"))
        target = _actor_id(kb, target_name)
        if group is None or target is None or group == target:
            continue
        quotes = [e.get("text") for e in data.get("evidence") or [] if e.get("text")]
        add_edge(
            group,
            target,
            (data.get("group"), target_name),
            kind=data.get("kind"),
            start=data.get("date") or (dev.published.isoformat() if dev.published else None),
            end=None,
            source={
                "article_id": dev.article_id,
                "title": dev.article_title,
                "url": dev.article_url,
                "outlet": dev.article_source,
                "published": dev.published.isoformat() if dev.published else None,
            },
            evidence=quotes[0] if quotes else None,
        )
    return graph


def build_graph(
    kb: ActorKB, developments: Sequence[StoredOrgDevelopment], as_of: dt.date | None
) -> tuple[nx.MultiDiGraph, str]:
    """The organisation graph and which builder made it ('resolve.graph' or 'fallback')."""
    try:
        from watchfloor.resolve.graph import org_graph  # type: ignore[import-not-found]
    except ImportError:
        return fallback_graph(kb, developments, as_of), "fallback"
    return org_graph(kb, developments, as_of), "resolve.graph"


def graph_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes and edges for Cytoscape and API clients; edge 'reported_by' is its source."""
    nodes = [
        {
            "id": str(node),
            "name": str(attrs.get("name") or node),
            "kind": jsonable(attrs.get("kind")),
            "inter": jsonable(attrs.get("inter")),
            "country": jsonable(attrs.get("country")),
            "countries": _countries(attrs),
            "status": jsonable(attrs.get("status")),
        }
        for node, attrs in sorted(graph.nodes(data=True), key=lambda n: str(n[0]))
    ]
    edges = []
    for number, (u, v, attrs) in enumerate(graph.edges(data=True)):
        edges.append(
            {
                "id": f"e{number}",
                "source": str(u),
                "target": str(v),
                "kind": jsonable(attrs.get("kind")),
                "start": jsonable(attrs.get("start")),
                "end": jsonable(attrs.get("end")),
                "reported_by": jsonable(attrs.get("source")),
                "evidence": jsonable(attrs.get("evidence")),
                "symmetric": bool(attrs.get("symmetric")),
            }
        )
    return {"nodes": nodes, "edges": edges}


def _countries(attrs: dict[str, Any]) -> list[str]:
    """Every country of a node (the graph keeps them ';'-joined, GraphML-style)."""
    value = attrs.get("countries")
    if isinstance(value, str):
        found = [c for c in value.split(";") if c]
    elif isinstance(value, list | tuple):
        found = [str(c) for c in value]
    else:
        found = []
    country = attrs.get("country")
    return found or ([str(country)] if country else [])


def actor_relations(graph: nx.MultiDiGraph, actor_id: str) -> list[dict[str, Any]]:
    """Every edge touching one actor, oldest first, in the shape of the relations timeline."""
    if actor_id not in graph:
        return []
    names = {str(n): str(a.get("name") or n) for n, a in graph.nodes(data=True)}
    rows = []
    edges = [*graph.out_edges(actor_id, data=True), *graph.in_edges(actor_id, data=True)]
    for u, v, attrs in edges:
        other = str(v if u == actor_id else u)
        arrow = "→" if u == actor_id else "←"
        source = attrs.get("source")
        rows.append(
            {
                "date": jsonable(attrs.get("start")),
                "kind": jsonable(attrs.get("kind")),
                "text": f"{attrs.get('kind')} {arrow} {names.get(other, other)}",
                "other_id": other,
                "source": (source.get("outlet") or source.get("title"))
                if isinstance(source, dict)
                else jsonable(source),
                "evidence": jsonable(attrs.get("evidence")),
            }
        )
    return sorted(rows, key=lambda r: (day(r["date"]) or "9999", r["kind"] or ""))


def relations_timeline(
    kb: ActorKB, developments: Sequence[StoredOrgDevelopment], actor_id: str
) -> list[dict[str, Any]]:
    """The actor's dated history: ``resolve.graph.actor_timeline`` when installed."""
    try:
        from watchfloor.resolve.graph import actor_timeline  # type: ignore[import-not-found]
    except ImportError:
        return actor_relations(fallback_graph(kb, developments, None), actor_id)
    return [jsonable(entry) for entry in actor_timeline(kb, developments, actor_id)]
