"""MUC-4 end to end: our events mapped to templates, the truecaser and the extra slots."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchfloor.eval import gtt, muc4
from watchfloor.model import Actor, Claim, Event, EvidenceSpan


@pytest.fixture(scope="module")
def nlp(extractor):
    import spacy

    return spacy.load(extractor.settings.spacy_model)


def _event(text: str, sentence: str, **fields) -> Event:
    start = text.index(sentence)
    span = EvidenceSpan(field="event", start=start, end=start + len(sentence), text=sentence)
    return Event(evidence=[span], confidence=0.8, **fields)


def _map(text: str, events: list[Event], extractor, nlp) -> list[dict]:
    from watchfloor.model import ExtractResult

    result = ExtractResult(id="t", events=events)
    return muc4.map_document(text, result, nlp(text), extractor.kb.find_mentions(text))


def _fillers(template: dict, role: str) -> list[str]:
    return [gtt.normalize_mention(e[0]) for e in template[role]]


# ---------------------------------------------------------------------------------------------
# Mapping hand-made events
# ---------------------------------------------------------------------------------------------


def test_bombing_claimed_by_a_group(extractor, nlp) -> None:
    text = (
        "Urban guerrillas set off a car bomb outside the U.S. embassy in San Salvador. "
        "The FMLN claimed responsibility for the attack."
    )
    fmln = extractor.kb.resolve("FMLN")
    assert fmln is not None
    event = _event(
        text,
        "Urban guerrillas set off a car bomb outside the U.S. embassy in San Salvador.",
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        attack_type="Bombing/Explosion",
        perpetrator=Actor(name=fmln.name, actor_id=fmln.actor_id, status="claimed"),
        claims=[Claim(by=fmln.name, stance="claimed")],
        weapons=["car bomb"],
    )
    [template] = _map(text, [event], extractor, nlp)
    assert template["incident_type"] == "bombing"
    # the group as the text writes it, not the knowledge base's canonical name
    assert template["PerpOrg"] == [["FMLN"]]
    assert _fillers(template, "PerpInd") == ["urban guerrillas"]
    assert _fillers(template, "Weapon") == ["car bomb"]
    assert _fillers(template, "Target") == ["us embassy"]
    assert template["Victim"] == []


def test_kidnapping_by_gunmen(extractor, nlp) -> None:
    text = "Gunmen kidnapped the mayor of Usulutan on Tuesday. Police are searching for him."
    event = _event(
        text,
        "Gunmen kidnapped the mayor of Usulutan on Tuesday.",
        event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance",
        attack_type="Hostage Taking (Kidnapping)",
        perpetrator=Actor(name="Unidentified Armed Group", status="unknown"),
    )
    [template] = _map(text, [event], extractor, nlp)
    assert template["incident_type"] == "kidnapping"
    assert _fillers(template, "PerpInd") == ["gunmen"]
    assert template["PerpOrg"] == []  # an unidentified perpetrator is never a group
    assert "mayor" in _fillers(template, "Victim")
    assert template["Weapon"] == []


def test_non_events_and_type_words() -> None:
    protest = _event(
        "Students marched downtown.",
        "Students marched downtown.",
        event_type="Protests",
        sub_event_type="Peaceful protest",
    )
    assert muc4.incident_type(protest, "Students marched downtown.") is None
    arrest = _event(
        "Police arrested two men.",
        "Police arrested two men.",
        event_type="Strategic developments",
        sub_event_type="Arrests",
    )
    assert muc4.incident_type(arrest, "Police arrested two men.") is None
    attack = _event(
        "Rebels burned a bus.",
        "Rebels burned a bus.",
        event_type="Violence against civilians",
        sub_event_type="Attack",
    )
    assert muc4.incident_type(attack, "Rebels burned a bus.") == "arson"
    assert muc4.incident_type(attack, "Gunmen robbed a bank and stole money.") == "robbery"
    assert muc4.incident_type(attack, "Gunmen shot a judge.") == "attack"
    assert muc4.incident_type(attack, "A bomb exploded near a bus.") == "bombing"


def test_merge_joins_one_incident_told_twice() -> None:
    a = {
        "incident_type": "bombing",
        "PerpInd": [],
        "PerpOrg": [["FMLN"]],
        "Target": [],
        "Victim": [],
        "Weapon": [["bomb"]],
    }
    b = {
        "incident_type": "bombing",
        "PerpInd": [["rebels"]],
        "PerpOrg": [["the FMLN"]],
        "Target": [],
        "Victim": [],
        "Weapon": [],
    }
    c = {
        "incident_type": "kidnapping",
        "PerpInd": [],
        "PerpOrg": [["FMLN"]],
        "Target": [],
        "Victim": [["judge"]],
        "Weapon": [],
    }
    merged = muc4.merge_templates([a, b, c])
    assert [t["incident_type"] for t in merged] == ["bombing", "kidnapping"]
    assert merged[0]["PerpInd"] == [["rebels"]] and merged[0]["PerpOrg"] == [["FMLN"]]


# ---------------------------------------------------------------------------------------------
# Truecasing and raw texts
# ---------------------------------------------------------------------------------------------

_PROFILE = muc4.CaseModel.from_texts(
    [
        "Yesterday the army said rebels attacked a town near San Miguel in El Salvador.",
        "On Monday the army and the police met. Officials in San Miguel said it was calm.",
        "Later the rebels fled to the hills.",
    ]
)


def test_truecase_restores_names_sentences_and_acronyms() -> None:
    names = muc4._names_index(["Farabundo Marti National Liberation Front"])
    raw = (
        "THE ARMY SAID REBELS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN] "
        "ATTACKED SAN MIGUEL. FMLN REBELS FLED TO CHALATENANGO."
    )
    got = muc4.truecase(raw, _PROFILE, names, muc4._document_acronyms(raw))
    assert got == (
        "The army said rebels of the Farabundo Marti National Liberation Front [FMLN] "
        "attacked San Miguel. FMLN rebels fled to Chalatenango."
    )


def test_truecase_keeps_known_common_words_lower() -> None:
    profile = muc4.CaseModel.from_texts(
        ["They met him."], lowered=["the soldiers advanced", "he met jaramillo"] * 4
    )
    assert muc4.truecase("THE SOLDIERS ADVANCED.", profile) == "The soldiers advanced."
    # a word the messages repeat without an English ending is a name they repeat
    assert muc4.truecase("HE MET JARAMILLO.", profile) == "He met Jaramillo."
    # unknown long words are taken for names; short ones are not
    assert muc4.truecase("HE MET CEREZO.", profile) == "He met Cerezo."
    assert muc4.truecase("OK, GO.", profile) == "Ok, go."


@given(st.text(alphabet="ABCDEFGHIJ .,\n-", max_size=80))
def test_truecase_changes_only_letter_case(raw: str) -> None:
    got = muc4.truecase(raw, _PROFILE)
    assert len(got) == len(raw) and got.lower() == raw.lower()


def test_unwrap_reads_the_dateline_date() -> None:
    raw = "\n   SAN SALVADOR, 18 FEB 90 (DPA) -- [TEXT] HEAVY FIGHTING\nRAGED.\n\n   MORE.\n"
    text, published = muc4.unwrap(raw)
    assert text == "SAN SALVADOR, 18 FEB 90 (DPA) -- HEAVY FIGHTING RAGED.\n\nMORE."
    assert published == dt.date(1990, 2, 18)


def test_split_raw_messages() -> None:
    content = "TST1-MUC3-0001\n\n  FIRST.\n\nTST1-MUC3-0002\n\n  SECOND.\n"
    messages = muc4.split_raw_messages(content)
    assert list(messages) == ["TST1-MUC3-0001", "TST1-MUC3-0002"]
    assert "SECOND" in messages["TST1-MUC3-0002"] and "SECOND" not in messages["TST1-MUC3-0001"]


# ---------------------------------------------------------------------------------------------
# Every filler is a mention of the text
# ---------------------------------------------------------------------------------------------

_WORDS = [
    "guerrillas",
    "terrorists",
    "gunmen",
    "urban",
    "unidentified",
    "men",
    "attacked",
    "bombed",
    "kidnapped",
    "burned",
    "the",
    "a",
    "embassy",
    "bus",
    "mayor",
    "peasants",
    "dynamite",
    "bomb",
    "car",
    "rifles",
    "office",
    "in",
    "of",
    "san",
    "salvador",
    "lima",
    "fmln",
    "shining",
    "path",
    "police",
    "army",
    "and",
    "with",
    "near",
    "yesterday",
    "judge",
    "killed",
    "two",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=3, max_size=12), min_size=1, max_size=3))
def test_every_filler_occurs_in_the_text(extractor, nlp, sentences: list[list[str]]) -> None:
    upper = " ".join(" ".join(words).upper() + "." for words in sentences)
    text = muc4.truecase(upper, _PROFILE)
    events = [
        _event(text, text, event_type="Violence against civilians", sub_event_type="Attack"),
        _event(
            text,
            text,
            event_type="Explosions/Remote violence",
            sub_event_type="Remote explosive/landmine/IED",
            weapons=["bomb"],
        ),
    ]
    for template in _map(text, events, extractor, nlp):
        assert template["incident_type"] in muc4.INCIDENT_TYPES
        for role in gtt.ROLES:
            for entity in template[role]:
                assert len(entity) == 1 and entity[0].lower() in text.lower()


# ---------------------------------------------------------------------------------------------
# Extra slots
# ---------------------------------------------------------------------------------------------


def test_date_ranges_and_judgement() -> None:
    assert muc4._date_ranges("02 FEB 90") == [(dt.date(1990, 2, 2), dt.date(1990, 2, 2))]
    assert muc4._date_ranges("- 04 FEB 90") == [(None, dt.date(1990, 2, 4))]
    assert muc4._date_ranges("(25 MAY 89 - 26 MAY 89) / (25 MAY 89)") == [
        (dt.date(1989, 5, 25), dt.date(1989, 5, 26)),
        (dt.date(1989, 5, 25), dt.date(1989, 5, 25)),
    ]
    gold = {
        "date": muc4._date_ranges("- 04 FEB 90"),
        "country": "EL SALVADOR",
        "city": None,
        "claimed": True,
        "killed": 2,
        "wounded": None,
    }
    assert muc4.slot_judgement("date", gold, {"date": "1990-02-01"}) == (True, True, True)
    assert muc4.slot_judgement("date", gold, {"date": "1990-02-05"}) == (True, True, False)
    assert muc4.slot_judgement("country", gold, {"country": "El Salvador"}) == (True, True, True)
    assert muc4.slot_judgement("city", gold, {"city": "San Salvador"}) == (False, True, False)
    assert muc4.slot_judgement("claimed", gold, {"claimed": False}) == (True, False, False)
    assert muc4.slot_judgement("killed", gold, {"killed": 2}) == (True, True, True)
    assert muc4.slot_judgement("wounded", gold, {"wounded": None}) == (False, False, False)


def test_full_slots_follow_the_metric_pairing() -> None:
    # two gold templates; the prediction matches the second one (kidnapping) only
    gold_templates = [
        {
            "incident_type": "bombing",
            "PerpInd": [],
            "PerpOrg": [],
            "Target": [[["bus", 1]]],
            "Victim": [],
            "Weapon": [],
        },
        {
            "incident_type": "kidnapping",
            "PerpInd": [],
            "PerpOrg": [],
            "Target": [],
            "Victim": [[["mayor", 5]]],
            "Weapon": [],
        },
    ]
    lines = [{"docid": "TST1-MUC3-0001", "templates": gold_templates}]
    keys = {
        "TST1-MUC3-0001": [
            {
                "incident_type": ["BOMBING"],
                "date_raw": "01 FEB 90",
                "location": {"country": "PERU"},
                "claimed": False,
                "killed_min": 0,
                "wounded_min": 3,
            },
            {
                "incident_type": ["KIDNAPPING"],
                "date_raw": "02 FEB 90",
                "location": {"country": "PERU", "city": "LIMA"},
                "claimed": True,
                "killed_min": 0,
                "wounded_min": 0,
            },
        ]
    }
    pred = {
        "10001": [
            {
                "incident_type": "kidnapping",
                "PerpInd": [],
                "PerpOrg": [],
                "Target": [],
                "Victim": [["mayor"]],
                "Weapon": [],
                "slots": {
                    "date": "1990-02-02",
                    "country": "Peru",
                    "city": "Lima",
                    "claimed": False,
                    "killed": None,
                    "wounded": None,
                },
            }
        ]
    }
    assert muc4.metric_assignment(pred["10001"], gold_templates, "TST1-MUC3-0001") == [(0, 1)]
    scores = muc4.score_full_slots(lines, pred, keys)
    assert scores["date"].tp == 1 and scores["date"].fn == 1  # the unpaired bombing's date
    assert scores["city"].tp == 1 and scores["city"].accuracy == 100.0
    assert scores["claimed"].fn == 1 and scores["claimed"].tp == 0
    assert scores["wounded"].fn == 1 and scores["wounded"].pairs == 1


def test_benchmarks_page_shows_end_to_end_and_slot_figures() -> None:
    from watchfloor.eval import report

    row = {
        "precision": 50.0,
        "recall": 25.0,
        "f1": 33.33,
        "p_num": 1,
        "p_den": 2,
        "r_num": 1,
        "r_den": 4,
    }
    slot = {
        "accuracy": 80.0,
        "precision": 60.0,
        "recall": 30.0,
        "f1": 40.0,
        "pairs": 5,
        "correct": 4,
        "tp": 3,
        "fp": 2,
        "fn": 7,
    }
    figures = {
        "documents": 200,
        "from_raw": 200,
        "truecased": True,
        "seconds": 90.0,
        "micro_avg": row,
        "full_slots": {"city": slot},
    }
    page = report.render({"muc4": figures}, "abc1234", dt.date(2024, 1, 2))
    assert "| micro_avg | 50.0 | 25.0 | 33.33 |" in page
    assert "| city | 5 | 80.0 | 60.0 | 30.0 | 40.0 |" in page
    assert "IterX (T5-large) 53.0" in page


def test_group_incidents_splits_one_type_told_far_apart() -> None:
    text = "x"
    kind = {"event_type": "Violence against civilians", "sub_event_type": "Attack"}
    a, b, c = (_event(text, "x", **kind) for _ in range(3))
    coded = [(a, "attack", [0]), (b, "bombing", [1]), (c, "attack", [5]), (None, "attack", [1])]
    groups = muc4.group_incidents(coded, gap=1)
    # the attacks in sentences 0 and 1 are one incident, the one in sentence 5 another
    assert [(g.kind, sorted(g.sentences), len(g.events)) for g in groups] == [
        ("attack", [0, 1], 1),
        ("bombing", [1], 1),
        ("attack", [5], 1),
    ]
    # an event bridging two incidents joins them, in the place of the first
    bridged = muc4.group_incidents([*coded, (b, "attack", [2, 3, 4])], gap=1)
    assert [(g.kind, sorted(g.sentences)) for g in bridged] == [
        ("attack", [0, 1, 2, 3, 4, 5]),
        ("bombing", [1]),
    ]
    assert [g.kind for g in muc4.group_incidents(coded, gap=10)] == ["attack", "bombing"]
    assert muc4.group_incidents([]) == []
