"""The organisation graph: KB relations plus stored developments, cut at a day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest

from watchfloor.commands.actors import render_graph, to_dot
from watchfloor.errors import ConfigError, NotFound
from watchfloor.resolve.actors import ActorKB
from watchfloor.resolve.graph import (
    Development,
    Review,
    actor_timeline,
    as_development,
    as_review,
    check_review,
    graphml_ready,
    org_graph,
    provisional_actors,
    provisional_id,
)

GOLDEN = Path(__file__).parent / "data" / "small_graph.dot"
QUOTE = 'The Islamic State group has announced a new "Pakistan Province".'


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def branch(**fields: object) -> dict:
    base = {
        "kind": "branch_announced",
        "group": "Islamic State Pakistan Province",
        "group_id": "ispp",
        "parent": "Islamic State",
        "other": None,
        "date": "2019-05-16",
        "date_precision": "day",
        "evidence": [{"field": "org_development", "start": 0, "end": len(QUOTE), "text": QUOTE}],
    }
    return {**base, **fields}


def test_nodes_and_edges_carry_the_documented_attributes(kb: ActorKB) -> None:
    graph = org_graph(kb)
    assert isinstance(graph, nx.MultiDiGraph)
    node = graph.nodes["iskp"]
    assert node["name"] == "Islamic State Khorasan Province"
    assert node["kind"] == "branch" and node["inter"] == 2 and node["country"] == "AF"
    assert graph.nodes["islamic-state"]["kind"] == "group"
    for _, _, attrs in graph.edges(data=True):
        assert {"kind", "start", "end", "precision", "source", "evidence"} <= set(attrs)
    kinds = {attrs["kind"] for _, _, attrs in graph.edges(data=True)}
    assert {"ally", "rival", "affiliate", "splinter", "merger", "pledge", "branch_of"} <= kinds
    assert "rename" in kinds  # GSPC -> AQIM and the other names held for a period
    assert not any(n in graph for n in ("civilians", "unidentified-armed-group"))


def test_as_of_cuts_branches_and_relations(kb: ActorKB) -> None:
    before = org_graph(kb, as_of=dt.date(2019, 5, 1))
    after = org_graph(kb, as_of=dt.date(2019, 6, 1))
    assert "ispp" not in before and "ishp" not in before
    assert after.has_edge("ispp", "islamic-state") and after.has_edge("ishp", "islamic-state")
    # Nusra was al-Qaeda's branch from 2013 until the July 2016 break
    assert org_graph(kb, as_of=dt.date(2015, 1, 1)).has_edge("nusra-front", "al-qaeda")
    cut = org_graph(kb, as_of=dt.date(2016, 8, 1))
    assert not any(
        a["kind"] == "branch_of"
        for a in cut.get_edge_data("nusra-front", "al-qaeda", default={}).values()
    )


def test_edge_in_force_boundaries(kb: ActorKB) -> None:
    # ends are exclusive, starts inclusive: 2016-07-28 is the first day without the branch link
    day_before = org_graph(kb, as_of=dt.date(2016, 7, 27))
    on_the_day = org_graph(kb, as_of=dt.date(2016, 7, 28))
    assert day_before.has_edge("nusra-front", "al-qaeda")
    data = on_the_day.get_edge_data("nusra-front", "al-qaeda", default={})
    assert all(a["kind"] != "branch_of" for a in data.values())
    assert org_graph(kb, as_of=dt.date(2019, 5, 15)).has_node("ispp")
    assert not org_graph(kb, as_of=dt.date(2019, 5, 14)).has_node("ispp")


def test_development_becomes_a_sourced_news_edge(kb: ActorKB) -> None:
    stored = branch(published="2019-05-16", title="IS declares Pakistan Province")
    graph = org_graph(kb, [stored], as_of=dt.date(2019, 6, 1))
    news = [
        a
        for a in graph.get_edge_data("ispp", "islamic-state").values()
        if a["source"].startswith("news")
    ]
    assert len(news) == 1
    assert news[0]["evidence"] == QUOTE and news[0]["start"] == "2019-05-16"
    assert news[0]["kind"] == "branch_of" and news[0]["precision"] == "day"
    assert "IS declares Pakistan Province" in news[0]["source"]


def test_undated_development_counts_from_publication(kb: ActorKB) -> None:
    dev = branch(date=None, date_precision=None, published="2019-05-20")
    assert as_development(dev).start == "2019-05-20"
    early = org_graph(kb, [dev], as_of=dt.date(2019, 5, 18))
    late = org_graph(kb, [dev], as_of=dt.date(2019, 5, 21))

    def news(graph: nx.MultiDiGraph) -> int:
        data = graph.get_edge_data("ispp", "islamic-state", default={})
        return sum(a["source"].startswith("news") for a in data.values())

    assert news(early) == 0 and news(late) == 1


def test_unknown_group_becomes_provisional(kb: ActorKB) -> None:
    dev = {
        "kind": "pledge",
        "group": "Katibat al-Fursan al-Jadida",
        "parent": "Islamic State",
        "date": "2020-02-01",
        "evidence": [{"field": "org_development", "start": 0, "end": 9, "text": "they swore"}],
    }
    node = provisional_id("Katibat al-Fursan al-Jadida")
    assert node == "provisional:katibat-al-fursan-al-jadida"
    graph = org_graph(kb, [dev])
    assert graph.nodes[node]["status"] == "provisional"
    assert graph.nodes[node]["kind"] == "provisional"
    assert graph.nodes[node]["evidence"] == "they swore"
    assert graph.has_edge(node, "islamic-state")
    assert node not in org_graph(kb, [dev], as_of=dt.date(2020, 1, 1))


def test_merger_and_self_loops(kb: ActorKB) -> None:
    merger = {
        "kind": "merger",
        "group": "Hayat Tahrir al-Sham",
        "other": "Jabhat Fateh al-Sham; Nour al-Din al-Zenki",
        "date": "2017-01-28",
        "evidence": [{"field": "org_development", "start": 0, "end": 1, "text": "m"}],
    }
    leader = {**merger, "kind": "leader_change", "group": "al-Shabaab", "other": None}
    graph = org_graph(kb, [merger, leader], as_of=dt.date(2017, 2, 1))
    news = [(u, v) for u, v, a in graph.edges(data=True) if a["source"].startswith("news")]
    assert ("nusra-front", "hts") in news and ("nour-al-din-al-zenki", "hts") in news
    assert ("al-shabaab", "al-shabaab") in news


def test_timeline_is_ordered_and_includes_news(kb: ActorKB) -> None:
    entries = actor_timeline(kb, [branch(published="2019-05-16")], "ispp")
    dated = [e.date for e in entries if e.date]
    assert dated == sorted(dated)
    assert entries[0].kind == "founded"
    assert any(e.source.startswith("news") and e.evidence == QUOTE for e in entries)
    parent = actor_timeline(kb, [], "islamic-state")
    assert any(e.other_id == "ispp" and "branch" in e.text for e in parent)
    assert any(e.kind == "rename" for e in actor_timeline(kb, [], "aqim"))


def test_as_development_reads_stored_records() -> None:
    class Stored:  # the shape of store.database.StoredOrgDevelopment
        article_id = 7
        data = branch()
        article_title = "title"
        article_url = "https://example.invalid/a"
        article_source = "Wire"
        published = dt.date(2019, 5, 16)

    dev = as_development(Stored())
    assert isinstance(dev, Development)
    assert dev.article_id == 7 and dev.published == "2019-05-16" and dev.outlet == "Wire"
    with pytest.raises(TypeError):
        as_development(42)


def test_graphml_and_json_round_trip(kb: ActorKB, tmp_path: Path) -> None:
    graph = org_graph(kb, [branch(published="2019-05-16")], as_of=dt.date(2019, 6, 1))
    path = tmp_path / "g.graphml"
    nx.write_graphml(graphml_ready(graph), path)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    data = json.loads(render_graph(graph, "json"))
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)


def small_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("a", name='Alpha "A"', kind="group", status="kb")
    graph.add_node("provisional:b", name="Beta", kind="provisional", status="provisional")
    graph.add_edge("provisional:b", "a", kind="pledge", start="2020-01", end=None, source="news")
    graph.add_edge("a", "a", kind="rename", start="2019", end="2021", source="KB", symmetric=False)
    graph.add_edge(
        "a", "provisional:b", kind="ally", start=None, end=None, source="MMP: x", symmetric=True
    )
    return graph


def test_dot_golden() -> None:
    assert to_dot(small_graph()) == GOLDEN.read_text(encoding="utf-8")


def _unknown_groups() -> list[dict]:
    """Two unknown groups: one pledges to Islamic State, then allies with the other."""
    pledge = {
        "kind": "pledge",
        "group": "Liwa al-Sahil al-Akhdar",
        "parent": "Islamic State",
        "date": "2021-03-04",
        "evidence": [{"field": "org_development", "start": 0, "end": 6, "text": "sworn"}],
        "published": "2021-03-05",
        "title": "Coastal brigade swears allegiance",
    }
    alliance = {
        "kind": "alliance",
        "group": "Liwa al-Sahil al-Akhdar",
        "other": "Saraya al-Qamar",
        "date": "2021-06-01",
        "evidence": [{"field": "org_development", "start": 0, "end": 6, "text": "joined"}],
    }
    return [pledge, alliance]


SAHIL = provisional_id("Liwa al-Sahil al-Akhdar")
QAMAR = provisional_id("Saraya al-Qamar")


def test_provisional_actors_lists_first_sighting(kb: ActorKB) -> None:
    found = {p.provisional_id: p for p in provisional_actors(kb, _unknown_groups())}
    assert set(found) == {SAHIL, QAMAR}
    sahil = found[SAHIL]
    assert sahil.first_seen == "2021-03-04" and sahil.evidence == "sworn"
    assert sahil.mentions == 2 and "Coastal brigade" in sahil.source
    assert found[QAMAR].first_seen == "2021-06-01"
    assert [p.provisional_id for p in provisional_actors(kb, _unknown_groups())] == [SAHIL, QAMAR]


def test_reviews_confirm_reject_and_merge(kb: ActorKB) -> None:
    devs = _unknown_groups()
    plain = org_graph(kb, devs)
    assert plain.nodes[SAHIL]["status"] == "provisional" and QAMAR in plain

    confirmed = org_graph(kb, devs, reviews={SAHIL: "confirmed"})
    assert confirmed.nodes[SAHIL]["kind"] == "group"
    assert confirmed.nodes[SAHIL]["status"] == "confirmed"
    assert confirmed.nodes[QAMAR]["status"] == "provisional"  # undecided stays provisional
    assert confirmed.has_edge(SAHIL, "islamic-state") and confirmed.has_edge(SAHIL, QAMAR)

    branch = org_graph(
        kb, devs, reviews={SAHIL: Review("confirmed", parent_id="islamic-state", by="ana")}
    )
    assert branch.nodes[SAHIL]["kind"] == "branch"
    kinds = {a["kind"]: a for a in branch.get_edge_data(SAHIL, "islamic-state").values()}
    assert kinds["branch_of"]["source"] == "review: ana" and "pledge" in kinds

    rejected = org_graph(kb, devs, reviews={QAMAR: "rejected"})
    assert QAMAR not in rejected
    assert not any(QAMAR in (u, v) for u, v in rejected.edges())
    assert rejected.has_edge(SAHIL, "islamic-state")

    merged = org_graph(kb, devs, reviews={QAMAR: {"decision": "merged", "actor_id": "al-shabaab"}})
    assert QAMAR not in merged
    folded = merged.get_edge_data(SAHIL, "al-shabaab")
    assert folded and next(iter(folded.values()))["merged_from"] == QAMAR
    # merged into what it pledged to: the pledge is no relation of a group with itself
    into_is = org_graph(kb, devs, reviews={SAHIL: Review("merged", actor_id="islamic-state")})
    assert SAHIL not in into_is
    assert not any(
        a.get("merged_from") == SAHIL and a["kind"] == "pledge"
        for _, _, a in into_is.edges("islamic-state", data=True)
    )
    assert into_is.has_edge("islamic-state", QAMAR)
    # the as_of cut still applies to reviewed nodes
    assert SAHIL not in org_graph(kb, devs, as_of=dt.date(2021, 1, 1), reviews={SAHIL: "confirmed"})


def test_review_checks(kb: ActorKB) -> None:
    seen = {p.provisional_id: p for p in provisional_actors(kb, _unknown_groups())}
    found, target, parent = check_review(kb, seen, SAHIL, "merged", actor_id="Daesh")
    assert found.name == "Liwa al-Sahil al-Akhdar" and target == "islamic-state" and parent is None
    assert check_review(kb, seen, SAHIL, "confirmed", parent_id="ISIS")[2] == "islamic-state"
    with pytest.raises(NotFound):
        check_review(kb, seen, "provisional:nobody", "confirmed")
    with pytest.raises(NotFound):
        check_review(kb, seen, SAHIL, "merged", actor_id="no such group at all")
    with pytest.raises(ConfigError):
        check_review(kb, seen, SAHIL, "merged")
    with pytest.raises(ConfigError):
        as_review("approved")
    with pytest.raises(ConfigError):
        as_review({"decision": "merged"})
