"""Actor knowledge base: file integrity, alias resolution, mention scanning and load errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchfloor.errors import WatchfloorError
from watchfloor.resolve.actors import DATA_PATH, ActorKB, ActorMention, KBActor, normalize


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(DATA_PATH.read_text(encoding="utf-8"))


def ids(mentions: list[ActorMention]) -> list[str]:
    return [m.actor.actor_id for m in mentions]


def write_kb(tmp_path: Path, actors: list[dict], **extra: object) -> Path:
    path = tmp_path / "actors.json"
    path.write_text(json.dumps({"actors": actors, **extra}), encoding="utf-8")
    return path


def actor(actor_id: str, name: str, **fields: object) -> dict:
    base = {
        "id": actor_id,
        "name": name,
        "aliases": [],
        "kind": "armed_group",
        "inter": 2,
        "countries": ["PK"],
        "parent": None,
        "founded": None,
        "branch_announced": None,
    }
    return {**base, **fields}


# ---------------------------------------------------------------- integrity of the shipped file
def test_kb_is_large_and_ids_unique(kb: ActorKB, raw: dict) -> None:
    all_ids = [a["id"] for a in raw["actors"]]
    assert len(all_ids) == len(set(all_ids))
    assert len(kb) == len(all_ids) >= 200


def test_parents_exist_and_inter_codes_valid(kb: ActorKB) -> None:
    for a in kb:
        assert a.inter is None or 1 <= a.inter <= 8, a.actor_id
        if a.parent_id is not None:
            assert kb.get(a.parent_id) is not None, a.actor_id
            assert a not in kb.ancestors(a), f"cycle at {a.actor_id}"


def test_no_alias_shared_unless_declared_ambiguous(raw: dict) -> None:
    declared = {normalize(item["alias"]) for item in raw["ambiguous_aliases"]}
    owner: dict[str, str] = {}
    clashes = []
    for a in raw["actors"]:
        names = {
            a["name"],
            *a["aliases"],
            *a.get("aliases_case_sensitive", []),
            *(d["alias"] for d in a.get("aliases_dated", [])),
            *a.get("aliases_resolve_only", []),
        }
        for name in names:
            key = normalize(name)
            if key in owner and owner[key] != a["id"] and key not in declared:
                clashes.append((name, owner[key], a["id"]))
            owner.setdefault(key, a["id"])
    assert clashes == []


def test_state_forces_cover_forty_countries(kb: ActorKB, raw: dict) -> None:
    countries = {entry["country"] for entry in raw["state_forces"]}
    assert len(countries) >= 40
    for iso2 in countries:
        forces = kb.state_forces(iso2)
        assert forces is not None and forces.kind == "state_forces" and forces.inter == 1, iso2
        assert iso2 in forces.countries


def test_branches_point_to_their_parent(kb: ActorKB) -> None:
    expected = {
        "iskp": "islamic-state",
        "iswap": "islamic-state",
        "issp": "islamic-state",
        "aqap": "al-qaeda",
        "jnim": "al-qaeda",
        "al-shabaab": "al-qaeda",
        "aqim": "al-qaeda",
        "haqqani-network": "taliban",
        "jamaat-ul-ahrar": "ttp",
    }
    for child, parent in expected.items():
        actor = kb.get(child)
        assert actor is not None and actor.parent_id == parent
        assert kb.parent(actor) == kb.get(parent)
    assert kb.get("iskp").branch_announced == "2015-01-26"


def test_ambiguous_english_words_are_case_sensitive(kb: ActorKB) -> None:
    for actor_id, alias in [
        ("islamic-state", "IS"),
        ("al-qaeda", "AQ"),
        ("syrian-liberation-front", "SLF"),
    ]:
        assert alias in kb.get(actor_id).aliases_case_sensitive


def test_canonical_names(kb: ActorKB) -> None:
    names = {a.name for a in kb}
    for name in [
        "Islamic State",
        "Islamic State Khorasan Province",
        "Tehrik-i-Taliban Pakistan",
        "al-Shabaab",
        "Boko Haram",
        "Islamic State West Africa Province",
        "Jama'at Nusrat al-Islam wal-Muslimin",
        "Taliban",
        "Houthis",
        "Abu Sayyaf",
        "Hayat Tahrir al-Sham",
        "Syrian Democratic Forces",
        "National Liberation Army",
        "Military Forces of Pakistan",
    ]:
        assert name in names


# ---------------------------------------------------------------- resolve()
@pytest.mark.parametrize(
    "surface, actor_id",
    [
        ("Daesh", "islamic-state"),
        ("ISIL", "islamic-state"),
        ("IS", "islamic-state"),
        ("ISIS-K", "iskp"),
        ("IS-K", "iskp"),
        ("Wilayat Khurasan", "iskp"),
        ("TTP", "ttp"),
        ("Tehreek-e-Taliban", "ttp"),
        ("Tehreek e Taliban", "ttp"),
        ("tehrik-i-taliban pakistan", "ttp"),
        ("the Pakistani Taliban", "ttp"),
        ("JNIM", "jnim"),
        ("Jama’at Nusrat al-Islam wal-Muslimin", "jnim"),
        ("Jamaat Nusrat al Islam wal Muslimin", "jnim"),
        ("Shabaab", "al-shabaab"),
        ("Al-Shabab", "al-shabaab"),
        ("Ejército de Liberación Nacional", "eln"),
        ("ELN", "eln"),
        ("Sendero Luminoso", "shining-path"),
        ("Ansar Allah", "houthis"),
        ("GSPC", "aqim"),
        ("Abu Sayyaf Group (ASG)", "abu-sayyaf"),
        ("Military Forces of Pakistan", "pakistan-military"),
        ("Nigerian soldiers", "nigeria-military"),
        ("U.S. forces", "united-states-military"),
        ("gunmen", "unidentified-armed-group"),
    ],
)
def test_resolve_aliases(kb: ActorKB, surface: str, actor_id: str) -> None:
    found = kb.resolve(surface)
    assert found is not None and found.actor_id == actor_id


@pytest.mark.parametrize("surface", ["is", "this is", "Aq", "group", "the", "", "Islamic"])
def test_resolve_rejects_non_names(kb: ActorKB, surface: str) -> None:
    assert kb.resolve(surface) is None


def test_candidates_lists_every_reading(kb: ActorKB) -> None:
    readings = [a.actor_id for a in kb.candidates("SNA")]
    assert readings == ["somalia-military", "syrian-national-army"]


def test_state_forces_by_date(kb: ActorKB) -> None:
    assert kb.state_forces("PK").name == "Military Forces of Pakistan"
    assert kb.state_forces("pk") == kb.state_forces("PK")
    assert kb.state_forces("AF", on="2019-05-01").actor_id == "afghanistan-military-2004-2021"
    assert kb.state_forces("AF", on="2023-05-01").actor_id == "afghanistan-military-2021"
    assert kb.state_forces("XX") is None


# ---------------------------------------------------------------- find_mentions()
def test_mentions_spans_match_text(kb: ActorKB) -> None:
    text = (
        "Pakistani troops killed six Tehreek-e-Taliban Pakistan (TTP) militants, while ISIS-K "
        "and Daesh claimed a bombing. Jama'at Nusrat al-Islam wal-Muslimin (JNIM) fighters and "
        "al-Shabaab were also named."
    )
    mentions = kb.find_mentions(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert ids(mentions) == [
        "pakistan-military",
        "ttp",
        "ttp",
        "unidentified-armed-group",
        "iskp",
        "islamic-state",
        "jnim",
        "jnim",
        "al-shabaab",
    ]
    texts = [m.text for m in mentions]
    assert texts[:3] == ["Pakistani troops", "Tehreek-e-Taliban Pakistan", "TTP"]
    assert mentions[7].text == "JNIM"  # the parenthesis stops the member noun from attaching


def test_is_only_as_a_word_in_exact_case(kb: ActorKB) -> None:
    assert ids(kb.find_mentions("This is what it is, and this island is his.")) == []
    assert ids(kb.find_mentions("IS claimed the attack.")) == ["islamic-state"]
    assert ids(kb.find_mentions("THIS IS AN ALL-CAPS HEADLINE")) == []


def test_acronyms_matched_as_whole_words(kb: ActorKB) -> None:
    assert ids(kb.find_mentions("The ELN and the BLA both denied it.")) == ["eln", "bla"]
    assert ids(kb.find_mentions("Officials in BLANTYRE and the ELNINO office said")) == []
    assert ids(kb.find_mentions("a tablature of elnino")) == []


def test_longest_match_wins(kb: ActorKB) -> None:
    mentions = kb.find_mentions("Fighters of Islamic State Khorasan Province attacked.")
    assert ids(mentions) == ["iskp"]
    assert mentions[0].text == "Islamic State Khorasan Province"
    assert ids(kb.find_mentions("The Libyan National Army advanced.")) == ["lna"]


def test_pakistani_taliban_is_not_pakistan_forces(kb: ActorKB) -> None:
    mentions = kb.find_mentions("the Pakistani Taliban said")
    assert ids(mentions) == ["ttp"] and mentions[0].text == "Pakistani Taliban"


@pytest.mark.parametrize(
    "text, actor_id",
    [
        ("Pakistani troops returned fire.", "pakistan-military"),
        ("Nigerian soldiers repelled the raid.", "nigeria-military"),
        ("Somali forces retook the town.", "somalia-military"),
        ("A US drone hit the car.", "united-states-military"),
        ("A U.S. air strike hit the car.", "united-states-military"),
        ("The Israeli army said", "israel-military"),
        ("Pakistan's security forces said", "pakistan-military"),
        ("Somali government troops said", "somalia-military"),
        ("Kenyan police officers were hurt", "kenya-police"),
    ],
)
def test_demonym_state_forces(kb: ActorKB, text: str, actor_id: str) -> None:
    mentions = kb.find_mentions(text)
    assert ids(mentions) == [actor_id]
    assert mentions[0].actor.kind == "state_forces"


def test_demonym_needs_a_force_noun(kb: ActorKB) -> None:
    assert ids(kb.find_mentions("Pakistani officials and US diplomats met.")) == []
    assert ids(kb.find_mentions("us forces")) == []  # "US" only as written


def test_afghan_forces_follow_the_date(kb: ActorKB) -> None:
    before = kb.find_mentions("Afghan forces killed them.", on="2018-03-01")
    after = kb.find_mentions("Afghan forces killed them.", on="2022-03-01")
    assert ids(before) == ["afghanistan-military-2004-2021"]
    assert ids(after) == ["afghanistan-military-2021"]
    assert kb.parent(after[0].actor).actor_id == "taliban"


def test_generic_actor_classes(kb: ActorKB) -> None:
    mentions = kb.find_mentions(
        "Gunmen on motorbikes and unknown assailants shot at protesters "
        "while rioters burned cars and civilians fled; police arrived."
    )
    by_id = {m.actor.actor_id: m for m in mentions}
    assert set(by_id) == {
        "unidentified-armed-group",
        "protesters",
        "rioters",
        "civilians",
        "police",
    }
    assert all(m.actor.generic for m in mentions)
    assert by_id["unidentified-armed-group"].actor.inter == 3
    assert kb.resolve("gunmen").actor_id == "unidentified-armed-group"


def test_named_group_absorbs_member_noun(kb: ActorKB) -> None:
    mentions = kb.find_mentions("Abu Sayyaf gunmen seized them.")
    assert ids(mentions) == ["abu-sayyaf"] and mentions[0].text == "Abu Sayyaf gunmen"


def test_pronouns_and_the_group_not_resolved(kb: ActorKB) -> None:
    assert ids(kb.find_mentions("The group said it carried out the attack; they fled.")) == []


def test_no_match_across_sentences(kb: ActorKB) -> None:
    mentions = kb.find_mentions("Members of Tehrik-i-Taliban. Pakistan said otherwise.")
    assert [m.text for m in mentions] == ["Tehrik-i-Taliban"]
    mentions = kb.find_mentions("He joined the Islamic State.\n\nKhorasan Province officials said")
    assert mentions[0].text == "Islamic State"


def test_ambiguous_name_follows_context(kb: ActorKB) -> None:
    syria = kb.find_mentions("Turkish troops and the SNA shelled SDF positions.")
    somalia = kb.find_mentions("Somali police and the SNA fought al-Shabaab.")
    assert ids(syria)[1] == "syrian-national-army"
    assert ids(somalia)[1] == "somalia-military"
    hinted = kb.find_mentions("Ansar al-Sharia claimed it.", countries=["TN"])
    assert ids(hinted) == ["ansar-al-sharia-tunisia"]


def test_resolve_only_alias_is_not_scanned(kb: ActorKB) -> None:
    assert kb.resolve("AFP").actor_id == "philippines-military"
    assert ids(kb.find_mentions("AFP reported the attack.")) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(
                [
                    "IS",
                    "is",
                    "TTP",
                    "Taliban",
                    "'s",
                    "-",
                    " ",
                    "\n",
                    "Pakistani",
                    "troops",
                    "U.S.",
                    "al-Shabaab",
                    "Islamic State",
                    "Khorasan",
                    "Province",
                    "(",
                    ")",
                    "é",
                ]
            ),
        ),
        max_size=40,
    ).map(" ".join)
)
def test_find_mentions_property(text: str) -> None:
    kb = ActorKB.load()
    mentions = kb.find_mentions(text)
    last_end = -1
    for m in mentions:
        assert isinstance(m.actor, KBActor)
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end  # sorted, non-overlapping
        last_end = m.end
        assert not text[m.start].isspace() and not text[m.end - 1].isspace()


@given(st.text(max_size=60))
def test_resolve_never_crashes(text: str) -> None:
    found = ActorKB.load().resolve(text)
    assert found is None or isinstance(found, KBActor)


# ---------------------------------------------------------------- load errors
def test_load_error_names_file_for_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "actors.json"
    path.write_text('{"actors": [', encoding="utf-8")
    with pytest.raises(WatchfloorError) as info:
        ActorKB.load(path)
    assert str(path) in str(info.value)


def test_load_error_names_file_and_actor_for_missing_parent(tmp_path: Path) -> None:
    path = write_kb(tmp_path, [actor("child", "Child Group", parent="nobody")])
    with pytest.raises(WatchfloorError) as info:
        ActorKB.load(path)
    message = str(info.value)
    assert str(path) in message and "child" in message and "nobody" in message


@pytest.mark.parametrize(
    "bad",
    [
        [actor("dup", "One"), actor("dup", "Two")],
        [actor("x", "X Group", inter=9)],
        [actor("x", "X Group", inter="2")],
        [actor("x", "X Group", kind="gang")],
        [actor("x", "X Group", founded="last year")],
        [actor("Bad Id", "X Group")],
        [actor("a", "Shared Name"), actor("b", "Other", aliases=["shared-name"])],
        [actor("a", "A", parent="b"), actor("b", "B", parent="a")],
    ],
)
def test_load_rejects_broken_kb(tmp_path: Path, bad: list[dict]) -> None:
    path = write_kb(tmp_path, bad)
    with pytest.raises(WatchfloorError) as info:
        ActorKB.load(path)
    assert str(path) in str(info.value)


def test_declared_ambiguity_loads(tmp_path: Path) -> None:
    pair = [actor("a", "Shared Name"), actor("b", "Other", aliases=["Shared Name"])]
    declared = [{"alias": "Shared Name", "actors": ["b", "a"]}]
    path = write_kb(tmp_path, pair, ambiguous_aliases=declared)
    small = ActorKB.load(path)
    assert len(small) == 2
    assert small.resolve("shared name").actor_id == "b"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(WatchfloorError) as info:
        ActorKB.load(path)
    assert str(path) in str(info.value)
