"""Targets and responsibility statements, with a small fake knowledge base."""

from __future__ import annotations

from watchfloor.pipeline.participants import find_statements, find_targets
from watchfloor.resolve.actors import ActorMention, KBActor


def actor(actor_id: str, name: str, generic: bool = False) -> KBActor:
    return KBActor(
        actor_id=actor_id,
        name=name,
        aliases=(name,),
        kind="armed_group",
        inter=2,
        countries=("PK",),
        parent_id=None,
        founded=None,
        branch_announced=None,
        generic=generic,
    )


TTP = actor("ttp", "Tehrik-i-Taliban Pakistan")
IS = actor("islamic-state", "Islamic State")


def mentions(sentence: str, *pairs: tuple[str, KBActor]) -> list[ActorMention]:
    found = []
    for surface, kb_actor in pairs:
        start = sentence.index(surface)
        found.append(ActorMention(start, start + len(surface), surface, kb_actor))
    return found


def stances(sentence: str, *pairs: tuple[str, KBActor]) -> list[tuple[str, str]]:
    return [
        (s.stance, s.actor.actor_id if s.actor else "")
        for s in find_statements(sentence, 0, mentions(sentence, *pairs))
    ]


def test_claim_with_channel() -> None:
    sentence = "Islamic State claimed responsibility through its Amaq news agency."
    [statement] = find_statements(sentence, 0, mentions(sentence, ("Islamic State", IS)))
    assert (statement.stance, statement.channel) == ("claimed", "Amaq")


def test_claimed_that_attack() -> None:
    sentence = "The TTP claimed that attack in a message to journalists."
    assert stances(sentence, ("TTP", TTP)) == [("claimed", "ttp")]


def test_negated_claim_and_denial() -> None:
    sentence = "No group claimed the killing, and the TTP denied involvement."
    assert stances(sentence, ("TTP", TTP)) == [("denied", "ttp")]


def test_attribution_and_suspicion() -> None:
    assert stances("Officials blamed the TTP for the attack.", ("TTP", TTP)) == [
        ("attributed_by_officials", "ttp")
    ]
    assert stances("Police suspected a commander linked to the TTP.", ("TTP", TTP)) == [
        ("suspected", "ttp")
    ]


def test_no_statement_without_a_named_actor() -> None:
    assert stances("Militants claimed responsibility.") == []


def test_targets_and_civilian_flag() -> None:
    found = find_targets("Gunmen shot dead a police constable and two civilians.")
    assert [(t.text, t.category, t.civilian) for t in found] == [
        ("police constable", "police", False),
        ("civilians", "civilians", True),
    ]


def test_two_groups_claim_in_their_own_words() -> None:
    tjp = actor("tjp", "Tehreek-e-Jihad Pakistan")
    jua = actor("jua", "Jamaat-ul-Ahrar")
    first = (
        'Hours later, Tehreek-e-Jihad Pakistan said on Telegram that its "fighters" had '
        "carried out the operation."
    )
    second = "Jamaat-ul-Ahrar issued a statement saying the attack was the work of its men."
    assert stances(first, ("Tehreek-e-Jihad Pakistan", tjp)) == [("claimed", "tjp")]
    assert stances(second, ("Jamaat-ul-Ahrar", jua)) == [("claimed", "jua")]


def test_a_track_record_is_not_a_claim() -> None:
    sentence = "The area is a TTP stronghold; the TTP has said it carried out similar raids."
    assert stances(sentence, ("TTP", TTP)) == []
    sentence = "The TTP has claimed responsibility for many previous attacks on the police."
    assert stances(sentence, ("TTP", TTP)) == []


def test_suspected_unnamed_men_are_not_a_suspicion_of_a_named_group() -> None:
    sentence = "Suspected militants shot dead two members of the TTP in Bannu."
    assert stances(sentence, ("TTP", TTP)) == []
    sentence = "Suspected TTP militants shot dead two policemen in Bannu."
    assert stances(sentence, ("TTP", TTP)) == [("suspected", "ttp")]


def test_the_subject_of_was_behind_stands_before_a_relative_clause() -> None:
    sentence = (
        "The army said a faction of the TTP, which has pledged allegiance to Islamic State, "
        "was behind the attack."
    )
    assert stances(sentence, ("TTP", TTP), ("Islamic State", IS)) == [
        ("attributed_by_officials", "ttp")
    ]
    believed = "The army said it believed the TTP was behind the attack."
    assert stances(believed, ("TTP", TTP)) == [("suspected", "ttp")]


def test_groups_blaming_each_other_are_suspicions_of_both() -> None:
    sentence = (
        "The TTP said Islamic State fighters were behind the killings, while IS accused the TTP."
    )
    found = stances(sentence, ("TTP", TTP), ("Islamic State", IS), ("the TTP.", TTP))
    assert sorted(found) == [("suspected", "islamic-state"), ("suspected", "ttp")]
