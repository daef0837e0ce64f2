"""Rule-based relation extraction between armed groups: one case per kind, negatives, spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.pipeline.relations import GroupRelation, find_relations, name_variants
from watchfloor.resolve.actors import ActorKB


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def _triples(rels: list[GroupRelation]) -> set[tuple[str, frozenset[str]]]:
    return {(r.kind, frozenset({r.group_a, r.group_b})) for r in rels}


CASES = [
    (
        "The Red Falcon Front and the Blue River Brigade conducted a joint attack on an army base.",
        ["Red Falcon Front", "Blue River Brigade"],
        "alliance",
        {"Red Falcon Front", "Blue River Brigade"},
    ),
    (
        "Blue River Brigade fighters clashed with the Red Falcon Front near the border.",
        ["Red Falcon Front", "Blue River Brigade"],
        "rivalry",
        {"Red Falcon Front", "Blue River Brigade"},
    ),
    (
        "The Red Falcon Front attacked Blue River Brigade positions and ousted them from the town.",
        ["Red Falcon Front", "Blue River Brigade"],
        "rivalry",
        {"Red Falcon Front", "Blue River Brigade"},
    ),
    (
        "In 2015 the Northern Sword Movement pledged allegiance to the Red Falcon Front.",
        ["Northern Sword Movement", "Red Falcon Front"],
        "affiliation",
        {"Northern Sword Movement", "Red Falcon Front"},
    ),
    (
        "The Northern Sword Movement (NSM) broke away from the Red Falcon Front in 2009; "
        "NSM later grew.",
        ["Northern Sword Movement (NSM)", "Red Falcon Front"],
        "splinter",
        {"Northern Sword Movement (NSM)", "Red Falcon Front"},
    ),
    (
        "Dissident members of the Red Falcon Front founded the Green Dawn Army.",
        ["Red Falcon Front", "Green Dawn Army"],
        "splinter",
        {"Red Falcon Front", "Green Dawn Army"},
    ),
    (
        "The Red Falcon Front and the Blue River Brigade merged in 2001 to form the Green Dawn "
        "Army.",
        ["Red Falcon Front", "Blue River Brigade"],
        "merger",
        {"Red Falcon Front", "Blue River Brigade"},
    ),
    (
        "Clashes between the Red Falcon Front and the Blue River Brigade killed twelve.",
        ["Red Falcon Front", "Blue River Brigade"],
        "rivalry",
        {"Red Falcon Front", "Blue River Brigade"},
    ),
]


@pytest.mark.parametrize(("text", "names", "kind", "pair"), CASES)
def test_each_kind(kb: ActorKB, text: str, names: list[str], kind: str, pair: set[str]) -> None:
    rels = find_relations(text, kb, extra_names=names)
    assert (kind, frozenset(pair)) in _triples(rels)
    for r in rels:
        assert text[r.start : r.end] == r.text


def test_cue_span_is_the_cue(kb: ActorKB) -> None:
    text = "The Red Falcon Front split from the Blue River Brigade."
    [rel] = find_relations(text, kb, extra_names=["Red Falcon Front", "Blue River Brigade"])
    assert (rel.kind, rel.group_a, rel.group_b, rel.text) == (
        "splinter",
        "Red Falcon Front",
        "Blue River Brigade",
        "split from",
    )


def test_kb_groups_and_known_name_wins(kb: ActorKB) -> None:
    text = "Boko Haram pledged allegiance to the Islamic State in March 2015."
    rels = find_relations(text, kb)
    assert [(r.kind, r.group_a) for r in rels] == [("affiliation", "Boko Haram")]
    assert "Islamic State" in rels[0].group_b
    # A caller-known spelling of a KB actor names that actor.
    rels = find_relations(text, kb, extra_names=["The Islamic State"])
    assert rels[0].group_b == "The Islamic State"


def test_several_relations_in_one_sentence(kb: ActorKB) -> None:
    text = (
        "The Green Dawn Army split from the Red Falcon Front, and the Blue River Brigade "
        "later clashed with the Black Hill Militia."
    )
    names = ["Green Dawn Army", "Red Falcon Front", "Blue River Brigade", "Black Hill Militia"]
    assert _triples(find_relations(text, kb, extra_names=names)) == {
        ("splinter", frozenset({"Green Dawn Army", "Red Falcon Front"})),
        ("rivalry", frozenset({"Blue River Brigade", "Black Hill Militia"})),
    }


def test_acronym_defined_in_text_is_the_group(kb: ActorKB) -> None:
    text = "Once the Red Falcon Front (RFF) rose, the Blue River Brigade fought against RFF."
    rels = find_relations(text, kb, extra_names=["Red Falcon Front", "Blue River Brigade"])
    assert _triples(rels) == {("rivalry", frozenset({"Red Falcon Front", "Blue River Brigade"}))}


@pytest.mark.parametrize(
    "text",
    [
        "The Red Falcon Front attacked an army base near the capital.",  # one group only
        "The Red Falcon Front and the Blue River Brigade both operate in the north.",  # no cue
        "The Red Falcon Front did not merge with the Blue River Brigade.",  # negated
        "The Red Falcon Front and the Blue River Brigade launched an attack on a police post.",
        "",
    ],
)
def test_negatives(kb: ActorKB, text: str) -> None:
    assert find_relations(text, kb, extra_names=["Red Falcon Front", "Blue River Brigade"]) == []


def test_cue_inside_a_name_is_not_a_cue(kb: ActorKB) -> None:
    text = "The Red Falcon Front and the Blue River Brigade recruit in the Northern Alliance Army."
    names = ["Northern Alliance Army", "Red Falcon Front", "Blue River Brigade"]
    assert find_relations(text, kb, extra_names=names) == []


def test_name_variants() -> None:
    assert name_variants("Jaysh Rijal al-Tariqa al-Naqshbandia (JRTN)") == [
        "Jaysh Rijal al-Tariqa al-Naqshbandia (JRTN)",
        "Jaysh Rijal al-Tariqa al-Naqshbandia",
        "JRTN",
    ]
    assert "PUK" in name_variants("Patriotic Union of Kurdistan")
    assert "Jabhat al-Nusra" in name_variants("Hay'at Tahrir al-Sham (Formerly Jabhat al-Nusra)")


def test_parenthesised_acronym_and_case(kb: ActorKB) -> None:
    text = "JRTN cooperated with the islamic army of iraq in Kirkuk."
    names = ["Jaysh Rijal al-Tariqa al-Naqshbandia (JRTN)", "Islamic Army of Iraq"]
    rels = find_relations(text, kb, extra_names=names)
    assert _triples(rels) == {("alliance", frozenset(names))}


_WORDS = st.sampled_from(
    [
        "Red Falcon Front",
        "Blue River Brigade",
        "RFF",
        "and",
        "the",
        "merged",
        "split from",
        "clashed with",
        "joint attack",
        "pledged allegiance to",
        "(",
        ")",
        ".",
        ",",
        "Al Qaeda",
        "Islamic State",
        "Taliban",
        "fighters",
        "members of",
        " ",
        "\n",
        "é",
        "'s",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.lists(_WORDS, max_size=25).map(" ".join), st.text(max_size=200)),
    st.lists(
        st.one_of(st.text(max_size=30), st.sampled_from(["Red Falcon Front (RFF)"])), max_size=3
    ),
)
def test_never_crashes_and_spans_are_consistent(text: str, names: list[str]) -> None:
    kb = ActorKB.load()
    rels = find_relations(text, kb, extra_names=names)
    pairs = [frozenset({r.group_a, r.group_b}) for r in rels]
    assert len(pairs) == len(set(pairs))
    for r in rels:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start : r.end] == r.text
        assert r.kind in {"alliance", "rivalry", "affiliation", "splinter", "merger"}
        assert r.group_a != r.group_b
