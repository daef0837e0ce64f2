"""GraphML of the organisation graph (groups, branches, pledges, splits, alliances).

The graph itself is built by ``watchfloor.resolve.graph.org_graph``; this module only loads
it from a store and writes it, turning attribute values into types GraphML can hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

import networkx as nx
import orjson


def load_org_graph(store: Any, as_of: dt.date | None = None) -> nx.MultiDiGraph:
    """The organisation graph from the actor KB and the store's developments up to ``as_of``,
    with reviewers' decisions on provisional actors applied."""
    from watchfloor.resolve.actors import ActorKB
    from watchfloor.resolve.graph import org_graph
    from watchfloor.store.actor_reviews import actor_review_map

    developments = store.org_developments(until=as_of)
    return org_graph(ActorKB.load(), developments, as_of, reviews=actor_review_map(store))


def _plain(value: Any) -> str | int | float | bool | None:
    """A GraphML-typed attribute value: dates as ISO text, collections as JSON."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        if all(isinstance(v, str) for v in items):
            return "; ".join(items)
        return orjson.dumps(items, default=str).decode()
    if isinstance(value, dict):
        return orjson.dumps(value, default=str).decode()
    return str(value)


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in attrs.items():
        plain = _plain(value)
        if plain is not None:
            out[str(key)] = plain
    return out


def plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML can store (None dropped, dates and lists as text)."""
    clean = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        clean.add_node(str(node), **_clean(attrs))
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        clean.add_edge(str(u), str(v), key=key, **_clean(attrs))
    return clean


def write_graphml(graph: nx.MultiDiGraph, out: TextIO) -> int:
    """Write the graph as GraphML; returns the number of nodes written."""
    clean = plain_graph(graph)
    for line in nx.generate_graphml(clean, prettyprint=True):
        out.write(line)
        out.write("\n")
    return clean.number_of_nodes()
