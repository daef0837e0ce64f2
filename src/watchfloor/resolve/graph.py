"""The organisation graph: who is a branch of, split from, allied with or fighting whom, since when.

The knowledge base holds the slow-moving facts (parents with announcement dates, names held for a
period, relations seeded from Mapping Militant Organizations); the news keeps changing them. Both
become dated, sourced edges of one ``networkx.MultiDiGraph`` so that the graph can be cut at any
day: ``org_graph(kb, developments, as_of=day)`` is the movement as an analyst knew it then.

Edges point from the actor that acts to the one it relates to (branch -> parent, splinter -> the
group it left, pledging group -> the group pledged to, member -> merged group, old -> new name);
ally, rival, affiliate and merger carry ``symmetric=True``. A development about one group alone
(leader change, designation, founding, dissolution, a rename without a former name) is a
self-loop. A group the knowledge base does not know becomes a node ``provisional:<slug>`` with
``status="provisional"`` and the quote that introduced it, to be confirmed in review: with
``reviews`` a confirmed one becomes a group (``status="confirmed"``), a rejected one disappears
with its edges, and a merged one is folded into the known actor it was found to be.

Attribute values may be None (``end``, ``evidence``, ``inter``...); GraphML cannot store None,
so writers should pass the graph through :func:`graphml_ready` first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from watchfloor.errors import ConfigError, NotFound
from watchfloor.resolve.actors import (
    SYMMETRIC_KINDS,
    ActorKB,
    KBActor,
    date_precision,
    normalize,
    period_start,
)

__all__ = [
    "DEVELOPMENT_EDGE_KINDS",
    "REVIEW_DECISIONS",
    "Development",
    "ProvisionalActor",
    "Review",
    "TimelineEntry",
    "actor_timeline",
    "as_development",
    "as_review",
    "check_review",
    "graphml_ready",
    "org_graph",
    "provisional_actors",
    "provisional_id",
]

#: Organisational development kind (the contract's) -> graph edge kind.
DEVELOPMENT_EDGE_KINDS: Mapping[str, str] = {
    "branch_announced": "branch_of",
    "pledge": "pledge",
    "split": "splinter",
    "merger": "merger",
    "rename": "rename",
    "alliance": "ally",
    "rivalry": "rival",
    "leader_change": "leader_change",
    "designation": "designation",
    "founded": "founded",
    "dissolved": "dissolved",
}
# Kinds that may always be drawn, even without an announcement: the groups that make the graph.
_ORG_KINDS = frozenset({"armed_group", "identity_militia", "political"})
KB_SOURCE = "KB"
PROVISIONAL = "provisional:"
REVIEW_DECISIONS = ("confirmed", "rejected", "merged")


@dataclass(frozen=True, slots=True)
class Development:
    """One organisational development with the article it came from (the graph's input)."""

    kind: str
    group: str
    group_id: str | None = None
    parent: str | None = None
    other: str | None = None
    date: str | None = None
    precision: str | None = None
    evidence: str | None = None
    article_id: int | str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None

    @property
    def start(self) -> str | None:
        """When the development counts from: its own date, else the article's publication."""
        return self.date or self.published


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated line of an actor's history; ``date`` is YYYY[-MM[-DD]] or None (undated)."""

    date: str | None
    precision: str | None
    kind: str
    text: str
    other_id: str | None
    source: str
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's decision on a provisional actor (what ``org_graph(reviews=...)`` applies)."""

    decision: str
    actor_id: str | None = None
    parent_id: str | None = None
    name: str | None = None
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ProvisionalActor:
    """A group the knowledge base does not know, as first seen in the stored news."""

    provisional_id: str
    name: str
    first_seen: str | None
    evidence: str | None
    source: str
    url: str | None
    article_id: int | str | None
    mentions: int


def as_review(item: Any) -> Review:
    """Read a decision: a Review, the store's ActorReview, a dict, or just the decision word."""
    if isinstance(item, Review):
        review = item
    elif isinstance(item, str):
        review = Review(decision=item)
    else:
        get = item.get if isinstance(item, Mapping) else lambda k: getattr(item, k, None)
        review = Review(
            decision=str(get("decision")),
            actor_id=get("actor_id"),
            parent_id=get("parent_id"),
            name=get("name"),
            by=get("by"),
            note=get("note"),
        )
    if review.decision not in REVIEW_DECISIONS:
        raise ConfigError(
            f"review decision {review.decision!r} is not one of {', '.join(REVIEW_DECISIONS)}"
        )
    if review.decision == "merged" and not review.actor_id:
        raise ConfigError("a merged review must name the actor it is merged into")
    return review


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def as_development(item: Any) -> Development:
    """Read a stored development (``Store.org_developments``), a contract record or a dict."""
    if isinstance(item, Development):
        return item
    data = getattr(item, "data", None)
    if isinstance(data, Mapping):  # StoredOrgDevelopment
        raw: Mapping[str, Any] = data
        article = {
            "article_id": getattr(item, "article_id", None),
            "title": getattr(item, "article_title", None),
            "url": getattr(item, "article_url", None),
            "outlet": getattr(item, "article_source", None),
            "published": _iso(getattr(item, "published", None)),
        }
    else:
        if hasattr(item, "model_dump"):
            raw = item.model_dump(mode="json")
        elif isinstance(item, Mapping):
            raw = item
        else:
            raise TypeError(f"not an organisational development: {type(item).__name__}")
        source = raw.get("source") if isinstance(raw.get("source"), Mapping) else {}
        article = {
            "article_id": raw.get("article_id", raw.get("id")),
            "title": source.get("title", raw.get("title")),
            "url": source.get("url", raw.get("url")),
            "outlet": source.get("source", raw.get("outlet")),
            "published": _iso(source.get("published", raw.get("published"))),
        }
    quotes = [e.get("text", "") for e in raw.get("evidence") or () if isinstance(e, Mapping)]
    date = _iso(raw.get("date"))
    return Development(
        kind=str(raw.get("kind")),
        group=str(raw.get("group") or ""),
        group_id=raw.get("group_id"),
        parent=raw.get("parent"),
        other=raw.get("other"),
        date=date,
        precision=raw.get("date_precision") if date else None,
        evidence=" … ".join(q for q in quotes if q) or None,
        **article,
    )


def provisional_id(name: str) -> str:
    """Node id of a group the knowledge base does not know: ``provisional:<slug>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", normalize(name)).strip("-")
    return PROVISIONAL + (slug or "unnamed")


def _node_kind(actor: KBActor) -> str:
    if actor.kind in ("state_forces", "external"):
        return "state"
    return "branch" if actor.parent_id else "group"


def _node_attrs(actor: KBActor) -> dict[str, Any]:
    return {
        "name": actor.name,
        "kind": _node_kind(actor),
        "inter": actor.inter,
        "country": actor.countries[0] if actor.countries else None,
        "countries": ";".join(actor.countries),
        "parent": actor.parent_id,
        "founded": actor.founded,
        "announced": actor.branch_announced,
        "status": "kb",
        "evidence": None,
    }


@dataclass(frozen=True, slots=True)
class _Edge:
    source: str
    target: str
    attrs: dict[str, Any]


def _in_force(start: str | None, end: str | None, day: dt.date) -> bool:
    if start is not None and period_start(start) > day:
        return False
    return end is None or period_start(end) > day


def _kb_edges(kb: ActorKB) -> list[_Edge]:
    """Relations of the knowledge base, its parent links and the renames its dated names imply."""
    out: list[_Edge] = []
    explicit_branch = set()
    for rel in kb.relations:
        if rel.kind == "branch_of":
            explicit_branch.add((rel.source_id, rel.target_id))
        out.append(
            _Edge(
                rel.source_id,
                rel.target_id,
                {
                    "kind": rel.kind,
                    "start": rel.start,
                    "end": rel.end,
                    "precision": rel.precision,
                    "source": rel.source,
                    "evidence": None,
                    "note": rel.note,
                    "symmetric": rel.kind in SYMMETRIC_KINDS,
                },
            )
        )
    for actor in kb:
        if actor.parent_id and (actor.actor_id, actor.parent_id) not in explicit_branch:
            start = actor.branch_announced or actor.founded
            out.append(
                _Edge(
                    actor.actor_id,
                    actor.parent_id,
                    {
                        "kind": "branch_of",
                        "start": start,
                        "end": None,
                        "precision": date_precision(start),
                        "source": KB_SOURCE,
                        "evidence": None,
                        "note": None,
                        "symmetric": False,
                    },
                )
            )
        former: dict[str, list[str]] = {}
        for alias in actor.aliases_dated:
            if alias.until is not None:
                former.setdefault(alias.until, []).append(alias.alias)
        for until, names in sorted(former.items(), key=lambda kv: period_start(kv[0])):
            out.append(
                _Edge(
                    actor.actor_id,
                    actor.actor_id,
                    {
                        "kind": "rename",
                        "start": until,
                        "end": None,
                        "precision": date_precision(until),
                        "source": KB_SOURCE,
                        "evidence": None,
                        "note": "formerly " + " / ".join(names),
                        "symmetric": False,
                    },
                )
            )
    return out


class _Namer:
    """Maps names in developments to node ids, creating provisional nodes for unknown groups."""

    def __init__(self, kb: ActorKB):
        self.kb = kb
        self.provisional: dict[str, dict[str, Any]] = {}
        self.first: dict[str, Development] = {}
        self.mentions: dict[str, int] = {}

    def node(self, name: str | None, dev: Development, actor_id: str | None = None) -> str | None:
        if actor_id and self.kb.get(actor_id) is not None:
            return actor_id
        if not name or not name.strip():
            return None
        try:
            actor = self.kb.resolve(name, dev.start)
        except ValueError:  # a malformed date in a stored record: resolve without it
            actor = self.kb.resolve(name)
        if actor is not None and not actor.generic:
            return actor.actor_id
        node_id = provisional_id(name)
        self.mentions[node_id] = self.mentions.get(node_id, 0) + 1
        known = self.provisional.get(node_id)
        if known is None or _earlier(dev.start, known["first_seen"]):
            self.first[node_id] = dev
            self.provisional[node_id] = {
                "name": name.strip(),
                "kind": "provisional",
                "inter": None,
                "country": None,
                "countries": "",
                "parent": None,
                "founded": None,
                "announced": None,
                "status": "provisional",
                "evidence": dev.evidence,
                "first_seen": dev.start,
            }
        return node_id


def _earlier(a: str | None, b: str | None) -> bool:
    if a is None:
        return False
    return b is None or period_start(a) < period_start(b)


def _news_source(dev: Development) -> str:
    label = dev.title or dev.url or (f"article {dev.article_id}" if dev.article_id else "article")
    outlet = f"{dev.outlet}: " if dev.outlet else ""
    return f"news: {outlet}{label}"


def _news_edges(kb: ActorKB, developments: Iterable[Any], namer: _Namer) -> list[_Edge]:
    out: list[_Edge] = []
    for item in developments:
        dev = as_development(item)
        kind = DEVELOPMENT_EDGE_KINDS.get(dev.kind)
        group = namer.node(dev.group, dev, dev.group_id)
        if kind is None or group is None:
            continue
        targets: list[str | None] = []
        sources = [group]
        if dev.kind in ("branch_announced", "pledge", "split"):
            parent = namer.node(dev.parent, dev)
            if parent is None and dev.kind == "branch_announced":
                actor = kb.get(group)
                parent = actor.parent_id if actor is not None else None
            targets = [parent]
        elif dev.kind == "merger":
            members = [namer.node(m, dev) for m in (dev.other or "").split(";")]
            sources = [m for m in members if m is not None and m != group] or [group]
            targets = [group]
        elif dev.kind == "rename":
            former = namer.node(dev.other, dev)
            sources = [former] if former is not None else [group]
            targets = [group]
        elif dev.kind in ("alliance", "rivalry"):
            targets = [namer.node(o, dev) for o in (dev.other or "").split(";")]
        attrs = {
            "kind": kind,
            "start": dev.start,
            "end": None,
            "precision": dev.precision if dev.date else ("day" if dev.published else None),
            "source": _news_source(dev),
            "evidence": dev.evidence,
            "note": dev.other if kind in ("leader_change", "designation") else None,
            "symmetric": kind in SYMMETRIC_KINDS,
            "article_id": dev.article_id,
            "url": dev.url,
        }
        real_targets = [t for t in targets if t is not None] or [group]
        for src in sources:
            for dst in real_targets:
                out.append(_Edge(src, dst, dict(attrs)))
    return out


def _apply_reviews(edges: list[_Edge], decided: Mapping[str, Review], namer: _Namer) -> list[_Edge]:
    """Edges after the reviewers' decisions: rejected ends dropped, merged ends folded."""

    def final(node: str) -> str:
        seen: set[str] = set()
        while node not in seen:
            review = decided.get(node)
            if review is None or review.decision != "merged" or not review.actor_id:
                break
            seen.add(node)
            node = review.actor_id
        return node

    def rejected(node: str) -> bool:
        review = decided.get(node)
        return review is not None and review.decision == "rejected"

    out: list[_Edge] = []
    for edge in edges:
        src, dst = final(edge.source), final(edge.target)
        if rejected(src) or rejected(dst):
            continue
        if (src, dst) == (edge.source, edge.target):
            out.append(edge)
            continue
        if src == dst and edge.source != edge.target:
            continue  # a group pledging to what it turned out to be: no relation left
        folded = [n for n in (edge.source, edge.target) if n != final(n)]
        out.append(_Edge(src, dst, {**edge.attrs, "merged_from": ";".join(folded)}))
    for node_id, review in decided.items():
        if review.decision != "confirmed" or not review.parent_id:
            continue
        if node_id not in namer.provisional:
            continue
        start = namer.provisional[node_id]["first_seen"]
        out.append(
            _Edge(
                node_id,
                final(review.parent_id),
                {
                    "kind": "branch_of",
                    "start": start,
                    "end": None,
                    "precision": date_precision(start) if start else None,
                    "source": f"review: {review.by}" if review.by else "review",
                    "evidence": review.note,
                    "note": None,
                    "symmetric": False,
                },
            )
        )
    return out


def _confirmed_attrs(attrs: Mapping[str, Any], review: Review) -> dict[str, Any]:
    return {
        **attrs,
        "name": review.name or attrs["name"],
        "kind": "branch" if review.parent_id else "group",
        "parent": review.parent_id,
        "status": "confirmed",
        "reviewed_by": review.by,
    }


def org_graph(
    kb: ActorKB,
    developments: Iterable[Any] = (),
    as_of: dt.date | None = None,
    reviews: Mapping[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """The organisation graph from the knowledge base plus stored developments, cut at ``as_of``.

    Nodes are keyed by actor id (``name``, ``kind`` group/branch/state/provisional, ``inter``,
    ``country``, ``status``); edges carry ``kind``, ``start``, ``end``, ``precision``,
    ``source`` and ``evidence``. With ``as_of`` an edge is kept when it started on or before that
    day (undated KB relations always; undated news from the article's date) and had not ended,
    and a group appears once founded or announced. Without ``as_of`` the whole history is drawn.

    ``reviews`` maps provisional ids to decisions (see :func:`as_review`): confirmed nodes
    become groups (branches, with a ``branch_of`` edge, when the reviewer named a parent),
    rejected ones are dropped with their edges, and merged ones are folded into the actor they
    name, their edges marked ``merged_from``.
    """
    decided = {pid: as_review(r) for pid, r in (reviews or {}).items()}
    namer = _Namer(kb)
    edges = _kb_edges(kb) + _news_edges(kb, developments, namer)
    if decided:
        edges = _apply_reviews(edges, decided, namer)
    graph = nx.MultiDiGraph(as_of=as_of.isoformat() if as_of else None)
    if as_of is not None:
        edges = [e for e in edges if _in_force(e.attrs["start"], e.attrs["end"], as_of)]
    wanted: set[str] = set()
    for edge in edges:
        wanted.update((edge.source, edge.target))
    for actor in kb:
        if actor.generic:
            continue
        if actor.actor_id in wanted or (
            actor.kind in _ORG_KINDS and (as_of is None or actor.exists_on(as_of))
        ):
            graph.add_node(actor.actor_id, **_node_attrs(actor))
    for node_id, attrs in namer.provisional.items():
        review = decided.get(node_id)
        if node_id not in wanted or (review is not None and review.decision != "confirmed"):
            continue
        graph.add_node(node_id, **(_confirmed_attrs(attrs, review) if review else attrs))
    for edge in edges:
        if edge.source in graph and edge.target in graph:
            graph.add_edge(edge.source, edge.target, **edge.attrs)
    return graph


def provisional_actors(kb: ActorKB, developments: Iterable[Any]) -> list[ProvisionalActor]:
    """Every group the stored news names that the knowledge base does not know, with the
    development that first named it; oldest first."""
    namer = _Namer(kb)
    _news_edges(kb, developments, namer)
    found = []
    for node_id, attrs in namer.provisional.items():
        dev = namer.first[node_id]
        found.append(
            ProvisionalActor(
                provisional_id=node_id,
                name=attrs["name"],
                first_seen=attrs["first_seen"],
                evidence=attrs["evidence"],
                source=_news_source(dev),
                url=dev.url,
                article_id=dev.article_id,
                mentions=namer.mentions.get(node_id, 1),
            )
        )
    undated = dt.date.max.isoformat()
    return sorted(found, key=lambda p: (period_start(p.first_seen or undated), p.provisional_id))


def _known_actor(kb: ActorKB, ref: str, option: str) -> str:
    actor = kb.get(ref) or kb.resolve(ref)
    if actor is None or actor.generic:
        raise NotFound(
            f"{option}: no actor {ref!r} in the knowledge base; try `watchfloor actors search`"
        )
    return actor.actor_id


def check_review(
    kb: ActorKB,
    seen: Mapping[str, ProvisionalActor],
    provisional: str,
    decision: str,
    *,
    actor_id: str | None = None,
    parent_id: str | None = None,
) -> tuple[ProvisionalActor, str | None, str | None]:
    """Check a decision before it is stored: the provisional actor must have been seen in the
    news, a merge target and a parent must be known actors (ids or names, returned as ids)."""
    if decision not in REVIEW_DECISIONS:
        raise ConfigError(f"decision {decision!r} is not one of {', '.join(REVIEW_DECISIONS)}")
    found = seen.get(provisional)
    if found is None:
        raise NotFound(
            f"no provisional actor {provisional!r} in the stored news; "
            "`watchfloor actors provisional` lists them"
        )
    target = parent = None
    if decision == "merged":
        if not actor_id:
            raise ConfigError("a merge needs the id of the known actor (ACTOR_ID)")
        target = _known_actor(kb, actor_id, "ACTOR_ID")
    if decision == "confirmed" and parent_id:
        parent = _known_actor(kb, parent_id, "--parent")
    return found, target, parent


_PHRASES: Mapping[str, tuple[str, str]] = {
    # kind -> (said of the source, said of the target); {other} is the other node's name
    "branch_of": ("became a branch of {other}", "{other} announced as its branch"),
    "pledge": ("pledged allegiance to {other}", "{other} pledged allegiance"),
    "splinter": ("split from {other}", "{other} split away"),
    "merger": ("merged with {other}", "{other} merged in"),
    "rename": ("renamed as {other}", "renamed from {other}"),
    "ally": ("allied with {other}", "allied with {other}"),
    "rival": ("rivalry with {other}", "rivalry with {other}"),
    "affiliate": ("affiliated with {other}", "affiliated with {other}"),
}


def _phrase(kind: str, outgoing: bool, other: str | None, note: str | None) -> str:
    if other is None:  # a self-loop: the development concerns the actor alone
        label = kind.replace("_", " ")
        return f"{label}: {note}" if note else label
    pair = _PHRASES.get(kind, (kind.replace("_", " ") + " {other}",) * 2)
    return pair[0 if outgoing else 1].format(other=other)


def _sort_key(entry: TimelineEntry) -> tuple[bool, dt.date, bool, str]:
    first = entry.kind not in ("founded", "name")  # on one day, the founding comes first
    if entry.date is None:
        return (True, dt.date.min, first, entry.kind)
    return (False, period_start(entry.date), first, entry.kind)


def actor_timeline(
    kb: ActorKB,
    developments: Iterable[Any],
    actor_id: str,
    reviews: Mapping[str, Any] | None = None,
) -> list[TimelineEntry]:
    """The dated history of one actor: founding, names, branches, relations and news, oldest
    first (undated relations last); ``reviews`` as for :func:`org_graph`."""
    graph = org_graph(kb, developments, reviews=reviews)
    entries: list[TimelineEntry] = []
    actor = kb.get(actor_id)
    if actor is not None:
        if actor.founded:
            entries.append(
                TimelineEntry(
                    actor.founded,
                    date_precision(actor.founded),
                    "founded",
                    f"{actor.name} founded",
                    None,
                    KB_SOURCE,
                )
            )
        for alias in actor.aliases_dated:
            if alias.valid_from:
                entries.append(
                    TimelineEntry(
                        alias.valid_from,
                        date_precision(alias.valid_from),
                        "name",
                        f"known as {alias.alias}",
                        None,
                        KB_SOURCE,
                    )
                )
    if actor_id not in graph:
        return sorted(entries, key=_sort_key)
    for u, v, data in [*graph.out_edges(actor_id, data=True), *graph.in_edges(actor_id, data=True)]:
        outgoing = u == actor_id
        if u == v and not outgoing:
            continue  # a self-loop is listed once, as outgoing
        other_id = None if u == v else (v if outgoing else u)
        other = graph.nodes[other_id]["name"] if other_id is not None else None
        text = _phrase(data["kind"], outgoing, other, data.get("note"))
        entries.append(
            TimelineEntry(
                data["start"],
                data["precision"],
                data["kind"],
                text,
                other_id,
                data["source"],
                data.get("evidence"),
            )
        )
        if data["end"] is not None:
            entries.append(
                TimelineEntry(
                    data["end"],
                    date_precision(data["end"]),
                    data["kind"] + "_ended",
                    "ended: " + text,
                    other_id,
                    data["source"],
                )
            )
    return sorted(entries, key=_sort_key)


def graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy GraphML can store: None attributes dropped, other non-scalars as text."""

    def clean(attrs: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in attrs.items():
            if value is None:
                continue
            out[key] = value if isinstance(value, str | int | float | bool) else str(value)
        return out

    copy = nx.MultiDiGraph(**clean(graph.graph))
    for node, attrs in graph.nodes(data=True):
        copy.add_node(node, **clean(attrs))
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        copy.add_edge(u, v, key=key, **clean(attrs))
    return copy
