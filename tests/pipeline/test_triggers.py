"""Triggers and non-event filters on sentences written for these tests."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchfloor.pipeline.segment import paragraphs, regex_splitter, segment
from watchfloor.pipeline.triggers import (
    article_is_fiction,
    find_triggers,
    is_hypothetical,
    non_event_reason,
)


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        ("A suicide bomber blew himself up at a checkpoint in Bannu.", "Suicide bomb"),
        ("Two bombers blew themselves up at the market.", "Suicide bomb"),
        ("A drone strike hit a car carrying commanders near Sablaale.", "Air/drone strike"),
        ("Several mortar shells landed inside the compound.", "Shelling/artillery/missile attack"),
        ("A roadside bomb killed two soldiers.", "Remote explosive/landmine/IED"),
        ("Attackers hurled a grenade at the bus stop.", "Grenade"),
        ("Gunmen abducted five fishermen from a trawler.", "Abduction/forced disappearance"),
        ("Troops recaptured the town of Marte.", "Government regains territory"),
        ("Fighters overran an army post near the border.", "Non-state actor overtakes territory"),
        ("Soldiers clashed with rebels for an hour.", "Armed clash"),
        ("Gunmen shot dead a police constable.", "Attack"),
        ("Hundreds of vaccinators held a protest outside the office.", "Peaceful protest"),
        ("Rioters torched a police post.", "Violent demonstration"),
        ("Police arrested four suspects in a raid.", "Arrests"),
        ("The bomb disposal squad defused the device.", "Disrupted weapons use"),
        ("The two sides agreed a ceasefire on Sunday.", "Agreement"),
        ("The fighters set up a base in the town.", "Headquarters or base established"),
    ],
)
def test_main_trigger_type(sentence: str, sub_type: str) -> None:
    triggers = find_triggers(sentence)
    assert triggers, sentence
    main = max(triggers, key=lambda t: t.rule.priority)
    assert main.rule.sub_event_type == sub_type


def test_a_grenade_launcher_handed_over_is_no_grenade_attack() -> None:
    sentence = "Eleven fighters surrendered, handing over nine rifles and a grenade launcher."
    assert not [t for t in find_triggers(sentence) if t.rule.sub_event_type == "Grenade"]


def test_shooting_down_a_drone_is_no_attack_but_shooting_a_man_is() -> None:
    def families(sentence: str) -> list[str]:
        return [t.rule.family for t in find_triggers(sentence)]

    assert families("The group said it had shot down an American MQ-9 drone.") == []
    assert "attack" in families("Gunmen shot a police officer in the market.")


def test_a_siege_is_an_attack_but_not_a_city_under_siege_or_its_end() -> None:
    def families(sentence: str) -> list[str]:
        return [t.rule.family for t in find_triggers(sentence)]

    assert "attack" in families("Fighters began a 30-hour siege of the Hayat Hotel.")
    assert families("The town has been under siege for months.") == []
    assert families("Troops ended the siege at midnight.") == []


def test_offsets_and_definite_reference() -> None:
    text = "x" * 10 + "The TTP claimed that attack in a message."
    [t] = find_triggers(text[10:], offset=10)
    assert text[t.start : t.end] == "attack" and t.definite
    [t2] = find_triggers("Gunmen attacked a convoy.")
    assert not t2.definite


@pytest.mark.parametrize(
    "sentence",
    [
        "The coach died of a heart attack on Sunday.",
        "The opposition launched an attack on the budget.",
        "Critics called the sequel a box-office bomb.",
        "The group has carried out dozens of bombings since 2009.",
        "Dozens of vaccinators have been killed in the past decade.",
        "Mourners marked the anniversary of the massacre.",
    ],
)
def test_non_events(sentence: str) -> None:
    assert non_event_reason(sentence, article_is_fiction=False) is not None


def test_real_event_is_not_filtered() -> None:
    assert non_event_reason("A bomb killed three people in Jolo on Monday.", False) is None


def test_hypothetical_threat() -> None:
    sentence = "The group threatened to attack polling stations."
    assert is_hypothetical(sentence, sentence.index("attack"))
    real = "The group attacked polling stations."
    assert not is_hypothetical(real, real.index("attacked"))


def test_fiction_needs_several_cues() -> None:
    review = (
        "The film, a thriller directed by a first-time director, premieres in cinemas "
        "next week; the movie follows a bomb-disposal officer."
    )
    assert article_is_fiction(review)
    assert not article_is_fiction("Police said the film crew was unhurt in the blast.")


@given(st.text(max_size=400))
def test_triggers_never_overlap_and_match_text(text: str) -> None:
    found = find_triggers(text, offset=5)
    padded = "#" * 5 + text
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for t in found:
        assert padded[t.start : t.end] == t.text


def test_segment_offsets_and_headline() -> None:
    text = "Headline here\n\nFirst sentence. Second one here.\n\n  Third paragraph.  "
    sentences = segment(text, regex_splitter, has_headline=True)
    assert [s.text for s in sentences] == [
        "Headline here",
        "First sentence.",
        "Second one here.",
        "Third paragraph.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 1, 2]
    assert sentences[0].headline and not sentences[1].headline
    for s in sentences:
        assert text[s.start : s.end] == s.text


@given(st.text(max_size=300))
def test_paragraph_spans_are_consistent(text: str) -> None:
    for start, end in paragraphs(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip()


def test_a_verb_after_a_definite_subject_is_not_a_reference() -> None:
    [seized] = [
        t
        for t in find_triggers("The militants seized the town of Masagawa.")
        if t.rule.family == "territory_nsa"
    ]
    assert not seized.definite
    [overran] = find_triggers("Then the rebels overran an army base.")
    assert not overran.definite
