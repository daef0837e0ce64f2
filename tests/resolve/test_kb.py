"""Validation of the shipped knowledge base: the checks a reviewer of a data pull request needs."""

from __future__ import annotations

import csv
import json
from itertools import combinations
from pathlib import Path

import pytest

from tests.conftest import shared_path
from watchfloor.errors import WatchfloorError
from watchfloor.resolve.actors import DATA_PATH, RELATION_KINDS, ActorKB, normalize, period_start

RELATIONS_PATH = DATA_PATH.parent / "relations.json"


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(DATA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw_relations() -> list[dict]:
    return json.loads(RELATIONS_PATH.read_text(encoding="utf-8"))["relations"]


def _periods(actor: dict) -> dict[str, list[tuple[str | None, str | None]]]:
    """normalised name -> periods the actor holds it (None, None = always)."""
    out: dict[str, list[tuple[str | None, str | None]]] = {}
    dated = {d["alias"] for d in actor.get("aliases_dated", [])}
    for name in [actor["name"], *actor["aliases"], *actor.get("aliases_case_sensitive", [])]:
        if name not in dated:
            out.setdefault(normalize(name), []).append((None, None))
    for name in actor.get("aliases_resolve_only", []):
        out.setdefault(normalize(name), []).append((None, None))
    for d in actor.get("aliases_dated", []):
        out.setdefault(normalize(d["alias"]), []).append((d.get("from"), d.get("until")))
    return out


def _overlap(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    lo = [period_start(x) for x in (a[0], b[0]) if x]
    hi = [period_start(x) for x in (a[1], b[1]) if x]
    return not lo or not hi or max(lo) < min(hi)


def test_ids_unique_and_at_least_300_actors(raw: dict, kb: ActorKB) -> None:
    ids = [a["id"] for a in raw["actors"]]
    assert len(ids) == len(set(ids))
    assert len(kb) == len(ids) >= 300


def test_inter_codes_and_parents(kb: ActorKB) -> None:
    for actor in kb:
        assert actor.inter is None or 1 <= actor.inter <= 8, actor.actor_id
        if actor.parent_id is not None:
            assert kb.get(actor.parent_id) is not None, actor.actor_id
            assert actor not in kb.ancestors(actor), actor.actor_id


def test_dates_ordered(kb: ActorKB) -> None:
    for actor in kb:
        for d in actor.aliases_dated:
            if d.valid_from and d.until:
                assert period_start(d.valid_from) <= period_start(d.until), (actor.actor_id, d)
        if actor.founded and actor.branch_announced:
            # a branch is announced once the group exists (a pledge can come years later)
            assert period_start(actor.founded) <= period_start(actor.branch_announced), actor


def test_no_alias_names_two_actors_at_the_same_time(raw: dict) -> None:
    """Shared names are either declared for context to decide (SNA) or held at disjoint times."""
    by_context = {
        normalize(item["alias"]) for item in raw["ambiguous_aliases"] if not item.get("by_date")
    }
    holders: dict[str, list[tuple[str, list]]] = {}
    for actor in raw["actors"]:
        for key, spans in _periods(actor).items():
            holders.setdefault(key, []).append((actor["id"], spans))
    clashes = []
    for key, owners in holders.items():
        if key in by_context:
            continue
        for (a, spans_a), (b, spans_b) in combinations(owners, 2):
            if any(_overlap(x, y) for x in spans_a for y in spans_b):
                clashes.append((key, a, b))
    assert clashes == []
    dated_shared = [k for k, owners in holders.items() if len(owners) > 1 and k not in by_context]
    assert "ira" in dated_shared  # the check above has time-split names to look at


def test_relations_reference_actors_and_are_ordered(kb: ActorKB, raw_relations: list) -> None:
    assert len(raw_relations) >= 300
    assert len(kb.relations) == len(raw_relations)
    for rel in kb.relations:
        assert rel.kind in RELATION_KINDS
        assert kb.get(rel.source_id) is not None and kb.get(rel.target_id) is not None, rel
        assert rel.source_id != rel.target_id, rel
        assert rel.source.strip()
        if rel.start and rel.end:
            assert period_start(rel.start) <= period_start(rel.end), rel
    assert "://" not in RELATIONS_PATH.read_text(encoding="utf-8")  # citations, not URLs


def test_relations_cover_the_mmp_pairs(kb: ActorKB) -> None:
    """Every MMP relation whose two groups are in the KB is stored (as a pair, any direction)."""
    path = shared_path("data", "mmp_militant_relations", "Militant-Group-Relationships-clean.csv")
    pairs = {frozenset((r.source_id, r.target_id)) for r in kb.relations}
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    found = missing = 0
    for row in rows:
        a, b = kb.resolve(row["group1_name"].strip()), kb.resolve(row["group2_name"].strip())
        if a is None or b is None or a == b:
            continue
        if frozenset((a.actor_id, b.actor_id)) in pairs:
            found += 1
        else:
            missing += 1
    assert found >= 400 and missing <= found * 0.1


def test_branch_dates_of_the_main_provinces(kb: ActorKB) -> None:
    expected = {
        "iskp": ("islamic-state", "2015-01"),
        "ispp": ("islamic-state", "2019-05-15"),
        "ishp": ("islamic-state", "2019-05-10"),
        "iswap": ("islamic-state", "2015-03"),
        "iscap": ("islamic-state", "2019-04"),
        "is-mozambique": ("islamic-state", "2022-05"),
        "is-sinai": ("islamic-state", "2014-11"),
        "aqap": ("al-qaeda", "2009-01"),
        "aqim": ("al-qaeda", "2007-01"),
        "aqis": ("al-qaeda", "2014-09"),
        "al-shabaab": ("al-qaeda", "2012-02"),
        "jnim": ("al-qaeda", "2017-03"),
    }
    for actor_id, (parent, announced) in expected.items():
        actor = kb.get(actor_id)
        assert actor.parent_id == parent and actor.branch_announced.startswith(announced)


# ------------------------------------------------------------------ the loader enforces the rules
def _write(tmp_path: Path, actors: list[dict], **extra: object) -> Path:
    path = tmp_path / "actors.json"
    path.write_text(json.dumps({"actors": actors, **extra}), encoding="utf-8")
    return path


def _actor(actor_id: str, name: str, **fields: object) -> dict:
    return {
        "id": actor_id,
        "name": name,
        "kind": "armed_group",
        "inter": 2,
        "aliases": [],
        **fields,
    }


def test_time_split_alias_loads_and_follows_the_date(tmp_path: Path) -> None:
    actors = [
        _actor("old", "Old Front", aliases_dated=[{"alias": "The Front", "until": "2000"}]),
        _actor("new", "New Front", aliases_dated=[{"alias": "The Front", "from": "2000"}]),
    ]
    small = ActorKB.load(_write(tmp_path, actors))
    assert small.resolve("The Front", "1995-06-01").actor_id == "old"
    assert small.resolve("The Front", "2005-06-01").actor_id == "new"
    assert small.resolve("The Front").actor_id == "new"  # no date: the name in use now


def test_overlapping_dated_alias_is_refused(tmp_path: Path) -> None:
    actors = [
        _actor("old", "Old Front", aliases_dated=[{"alias": "The Front", "until": "2001"}]),
        _actor("new", "New Front", aliases_dated=[{"alias": "The Front", "from": "2000"}]),
    ]
    with pytest.raises(WatchfloorError, match=r"alias .front. is shared"):
        ActorKB.load(_write(tmp_path, actors))


@pytest.mark.parametrize(
    "relation, message",
    [
        ({"kind": "ally", "from": "a", "to": "zz", "source": "x"}, "'zz' does not exist"),
        ({"kind": "friend", "from": "a", "to": "b", "source": "x"}, "kind 'friend'"),
        ({"kind": "ally", "from": "a", "to": "b", "source": ""}, "needs a source"),
        (
            {"kind": "ally", "from": "a", "to": "b", "source": "x", "start": "2010", "end": "2009"},
            "after end",
        ),
        ({"kind": "ally", "from": "a", "to": "b", "source": "x", "start": "May 2010"}, "YYYY"),
    ],
)
def test_bad_relation_is_refused(tmp_path: Path, relation: dict, message: str) -> None:
    path = _write(tmp_path, [_actor("a", "Alpha"), _actor("b", "Beta")], relations=[relation])
    with pytest.raises(WatchfloorError, match=message):
        ActorKB.load(path)


def test_relations_file_is_read_next_to_the_actor_file(tmp_path: Path) -> None:
    (tmp_path / "rel.json").write_text(
        json.dumps({"relations": [{"kind": "rival", "from": "a", "to": "b", "source": "news"}]}),
        encoding="utf-8",
    )
    path = _write(tmp_path, [_actor("a", "Alpha"), _actor("b", "Beta")], relations_file="rel.json")
    small = ActorKB.load(path)
    assert [(r.kind, r.source_id, r.target_id) for r in small.relations] == [("rival", "a", "b")]
    assert small.relations_of("b") == list(small.relations)
