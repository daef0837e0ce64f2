"""The organisation graph as the API serves it: nodes and dated, sourced edges as of a date.

The graph is ``watchfloor.resolve.graph.org_graph`` (the knowledge base plus stored
organisational developments, with reviewers' decisions on provisional actors): a
``networkx.MultiDiGraph`` with nodes keyed by actor id (attrs name, kind, inter, country) and
edges with kind, start, end, source, evidence; :func:`graph_json` turns it into the JSON the
dashboard draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from watchfloor.resolve.actors import ActorKB
from watchfloor.resolve.graph import actor_timeline, org_graph
from watchfloor.serve.views import jsonable
from watchfloor.store import StoredOrgDevelopment


def build_graph(
    kb: ActorKB,
    developments: Sequence[StoredOrgDevelopment],
    as_of: dt.date | None,
    reviews: Mapping[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """The organisation graph as of a day, with reviewers' decisions on provisional actors."""
    return org_graph(kb, developments, as_of, reviews=reviews)


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


def relations_timeline(
    kb: ActorKB,
    developments: Sequence[StoredOrgDevelopment],
    actor_id: str,
    reviews: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The actor's dated history, for the actor page."""
    return [jsonable(e) for e in actor_timeline(kb, developments, actor_id, reviews)]
