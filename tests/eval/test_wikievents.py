"""WikiEvents end-to-end scorer: tiny hand-made documents with worked-out figures."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import shared_path
from watchfloor.errors import InputError, MalformedLine, UnreadableInput
from watchfloor.eval.wikievents import (
    ROLES,
    align,
    default_coref_path,
    evaluate,
    head_word,
    load_documents,
    report_dict,
    score,
)

# Text rebuilt from these tokens (single spaces) - character offsets used below:
#   Taliban 0-7, fighters 8-16, bombed 17-23, police 26-32, station 33-40, Kabul 44-49,
#   militants 56-65, killed 66-72, officers 77-85, Police 88-94, arrested 95-103.
TOKENS = [
    "Taliban",
    "fighters",
    "bombed",
    "a",
    "police",
    "station",
    "in",
    "Kabul",
    ".",
    "The",
    "militants",
    "killed",
    "two",
    "officers",
    ".",
    "Police",
    "arrested",
    "a",
    "man",
    ".",
]
SENTENCE_LENGTHS = (9, 6, 5)


def _sentences(tokens: list[str], lengths: tuple[int, ...]) -> list:
    out, first = [], 0
    for n in lengths:
        chunk = tokens[first : first + n]
        out.append([[[t, 0, 0] for t in chunk], " ".join(chunk)])
        first += n
    return out


def _mention(mid: str, start: int, end: int) -> dict:
    return {
        "id": mid,
        "sent_idx": 0,
        "start": start,
        "end": end,
        "entity_type": "PER",
        "mention_type": "UNK",
        "text": " ".join(TOKENS[start:end]),
    }


def _record() -> dict:
    return {
        "doc_id": "tiny",
        "tokens": TOKENS,
        "text": "ignored",
        "sentences": _sentences(TOKENS, SENTENCE_LENGTHS),
        "entity_mentions": [
            _mention("T1", 0, 2),  # Taliban fighters
            _mention("T2", 4, 6),  # police station
            _mention("T3", 7, 8),  # Kabul
            _mention("T4", 10, 11),  # militants (coreferent with T1)
            _mention("T5", 13, 14),  # officers
        ],
        "relation_mentions": [],
        "event_mentions": [
            {
                "id": "E1",
                "event_type": "Conflict.Attack.DetonateExplode",
                "trigger": {"start": 2, "end": 3, "text": "bombed", "sent_idx": 0},
                "arguments": [
                    {"entity_id": "T1", "role": "Attacker", "text": "fighters"},
                    {"entity_id": "T2", "role": "Target", "text": "station"},
                    {"entity_id": "T3", "role": "Place", "text": "Kabul"},
                ],
            },
            {
                "id": "E2",
                "event_type": "Life.Die.Unspecified",
                "trigger": {"start": 11, "end": 12, "text": "killed", "sent_idx": 1},
                "arguments": [
                    {"entity_id": "T4", "role": "Killer", "text": "militants"},
                    {"entity_id": "T5", "role": "Victim", "text": "officers"},
                ],
            },
            {
                "id": "E3",
                "event_type": "Justice.ArrestJailDetain.Unspecified",
                "trigger": {"start": 16, "end": 17, "text": "arrested", "sent_idx": 2},
                "arguments": [],
            },
        ],
    }


def _write(tmp: Path, records: list, coref: list | None = None) -> tuple[Path, Path | None]:
    path = tmp / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    if coref is None:
        return path, None
    (tmp / "coref").mkdir()
    cpath = tmp / "coref" / "dev.jsonlines"
    cpath.write_text(json.dumps({"doc_key": "tiny", "clusters": coref}) + "\n")
    return path, cpath


@pytest.fixture
def doc(tmp_path: Path):
    path, cpath = _write(tmp_path, [_record()], coref=[["T1", "T4"], ["T2"]])
    assert default_coref_path(path) == cpath
    (loaded,) = load_documents(path, cpath)
    return loaded


def _span(field: str, start: int, end: int) -> dict:
    return {"field": field, "start": start, "end": end, "text": " ".join(TOKENS)[start:end]}


def _event(
    perpetrator: str | None,
    targets: list[str],
    location: str | None,
    spans: list[dict],
    weapons: list[str] | None = None,
) -> dict:
    return {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "date": None,
        "date_precision": "unknown",
        "location": {"name": location} if location else None,
        "perpetrator": {"name": perpetrator} if perpetrator else None,
        "targets": [{"name": t} for t in targets],
        "fatalities": None,
        "injuries": None,
        "claims": [],
        "weapons": weapons or [],
        "evidence": spans,
        "confidence": 0.9,
    }


ATTACK = _event("Taliban fighters", ["police station"], "Kabul", [_span("trigger", 17, 23)])
DEATHS = _event("militants", ["two officers"], None, [_span("trigger", 66, 72)])


def test_text_is_rebuilt_with_single_spaces_and_only_scored_types_kept(doc) -> None:
    assert doc.text == " ".join(TOKENS)
    assert [e.event_id for e in doc.events] == ["E1", "E2"]
    assert [e.trigger_text for e in doc.events] == ["bombed", "killed"]
    assert [e.sentence for e in doc.events] == [0, 1]
    killer = doc.events[1].arguments[0]
    assert (killer.role, killer.head) == ("Attacker", "militant")
    assert killer.cluster_heads == {"militant", "fighter"}


def test_perfect_prediction_scores_one(doc) -> None:
    report = score([doc], [[ATTACK, DEATHS]])
    assert report.detection.precision == report.detection.recall == 1.0
    for table in (report.head, report.coref):
        assert (table["overall"].p_num, table["overall"].p_den, table["overall"].r_den) == (5, 5, 5)
        assert table["overall"].f1 == 1.0
    assert report.head["Instrument"].p_den == report.head["Instrument"].r_den == 0


def test_wrong_attacker_head_lowers_precision(doc) -> None:
    wrong = _event("Islamic State", ["police station"], "Kabul", [_span("trigger", 17, 23)])
    report = score([doc], [[wrong, DEATHS]])
    assert report.head["overall"].precision == pytest.approx(4 / 5)
    assert report.head["Attacker"].precision == pytest.approx(1 / 2)
    assert report.head["Target"].precision == 1.0
    assert report.detection.f1 == 1.0


def test_coreferent_mention_counts_only_under_coref_matching(doc) -> None:
    # "militants" is in the cluster of the attack's Attacker "Taliban fighters".
    coreferent = _event("the militants", ["police station"], "Kabul", [_span("trigger", 17, 23)])
    report = score([doc], [[coreferent, DEATHS]])
    assert report.head["Attacker"].p_num == 1
    assert report.coref["Attacker"].p_num == 2
    assert report.coref["overall"].f1 == 1.0
    assert report.head["overall"].recall == pytest.approx(4 / 5)


def test_without_coref_file_coref_equals_head(tmp_path: Path) -> None:
    path, _ = _write(tmp_path, [_record()])
    assert default_coref_path(path) is None
    docs = load_documents(path)
    coreferent = _event("militants", ["police station"], "Kabul", [_span("trigger", 17, 23)])
    report = score(docs, [[coreferent, DEATHS]])
    assert report.coref == report.head


def test_unaligned_predicted_event_is_a_detection_false_positive(doc) -> None:
    arrest = _event("Police", [], None, [_span("trigger", 95, 103)])
    report = score([doc], [[ATTACK, DEATHS, arrest]])
    assert (report.detection.p_num, report.detection.p_den) == (2, 3)
    assert report.detection.recall == 1.0
    # Its perpetrator is an Attacker false positive.
    assert (report.head["overall"].p_num, report.head["overall"].p_den) == (5, 6)


def test_missing_event_costs_recall(doc) -> None:
    report = score([doc], [[ATTACK]])
    assert (report.detection.r_num, report.detection.r_den) == (1, 2)
    assert report.detection.precision == 1.0
    assert (report.head["overall"].r_num, report.head["overall"].r_den) == (3, 5)


def test_one_event_serves_attack_and_death_in_their_own_role_frames(doc) -> None:
    both = _event(
        "Taliban fighters",
        ["police station", "two officers"],
        "Kabul",
        [_span("trigger", 17, 23), _span("trigger", 66, 72)],
    )
    report = score([doc], [[both]])
    assert report.detection.p_num == 1 and report.detection.r_num == 2
    # Attack frame: Attacker ok, Target station ok / officers wrong, Place ok  -> 3 of 4.
    # Death frame: Attacker (fighters vs militants: coref only), Victim officers ok / station
    # wrong, Place has no gold -> head 1 of 4, coref 2 of 4.
    assert (report.head["overall"].p_num, report.head["overall"].p_den) == (4, 8)
    assert (report.coref["overall"].p_num, report.coref["overall"].p_den) == (5, 8)
    assert report.head["Victim"].p_num == 1 and report.head["Target"].p_num == 1


def test_alignment_prefers_overlap_then_same_sentence(doc) -> None:
    same_sentence = _event(None, [], "Kabul", [_span("location", 44, 49)])
    overlapping = _event(None, [], None, [_span("trigger", 17, 23)])
    elsewhere = _event(None, [], None, [_span("trigger", 95, 103)])
    assert align(doc, [same_sentence, overlapping]) == {0: 1}
    assert align(doc, [same_sentence, elsewhere]) == {0: 0}
    assert align(doc, [elsewhere]) == {}


def test_weapons_score_as_instrument_for_attacks(doc) -> None:
    armed = _event(
        "Taliban fighters",
        ["police station"],
        "Kabul",
        [_span("trigger", 17, 23)],
        weapons=["car bomb"],
    )
    report = score([doc], [[armed, DEATHS]])
    assert (report.head["Instrument"].p_num, report.head["Instrument"].p_den) == (0, 1)


def test_evaluate_passes_rebuilt_text_and_report_dict_is_json(doc) -> None:
    seen = []

    def extract(doc_id: str, text: str) -> list[dict]:
        seen.append((doc_id, text))
        return [ATTACK, DEATHS]

    report = evaluate([doc], extract)
    assert seen == [("tiny", " ".join(TOKENS))]
    out = json.loads(json.dumps(report_dict(report)))
    assert out["event_detection"]["f1"] == 1.0
    assert set(out["arguments"]["head"]) == {*ROLES, "overall"}


def test_prediction_count_must_match_documents(doc) -> None:
    with pytest.raises(InputError):
        score([doc], [])


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (
            lambda r: r["event_mentions"][0]["arguments"].append(
                {"entity_id": "T99", "role": "Target"}
            ),
            "T99",
        ),
        (lambda r: r["entity_mentions"][0].update(end=99), "token span"),
        (lambda r: r.pop("tokens"), "tokens"),
        (lambda r: r["sentences"].pop(), "cover"),
    ],
)
def test_malformed_records_name_file_and_line(tmp_path: Path, mutate, needle: str) -> None:
    bad = _record()
    mutate(bad)
    good = dict(_record(), doc_id="other")
    path, _ = _write(tmp_path, [good, bad])
    with pytest.raises(MalformedLine) as caught:
        load_documents(path)
    assert caught.value.line == 2
    assert str(path) in str(caught.value) and needle in str(caught.value)


def test_invalid_json_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(_record()) + "\n{not json\n")
    with pytest.raises(MalformedLine) as caught:
        load_documents(path)
    assert caught.value.line == 2
    with pytest.raises(UnreadableInput):
        load_documents(tmp_path / "absent.jsonl")


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("the city of Deir ez-Zor", "city"),
        ("Syria’s army", "army"),
        ("Deir ez-Zor", "zor"),
        ("bombs", "bomb"),
        ("casualties", "casualty"),
        ("Islamic State", "state"),
        ("police, who arrived", "police"),
        ("", ""),
    ],
)
def test_head_word(text: str, head: str) -> None:
    assert head_word(text) == head


CLAUSE_WORDS = {"of", "in", "at", "from", "near", "on", "who", "which", "that", "with", "by"}
plain_word = st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True).filter(
    lambda w: w.lower() not in CLAUSE_WORDS  # "x of y" is headed by x: a clause break
)


@given(st.lists(plain_word, min_size=1, max_size=6))
def test_head_ignores_case_and_leading_words(words: list[str]) -> None:
    phrase = " ".join(words)
    assert head_word(phrase) == head_word(phrase.upper()) == head_word("the " + phrase)
    assert head_word(phrase) == head_word(words[-1])


token_text = st.text(st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=6)


@given(st.lists(token_text, min_size=1, max_size=12), st.data())
def test_trigger_offsets_index_the_rebuilt_text(tokens: list[str], data) -> None:
    i = data.draw(st.integers(0, len(tokens) - 1))
    record = {
        "doc_id": "p",
        "tokens": tokens,
        "sentences": _sentences(tokens, (len(tokens),)),
        "entity_mentions": [{"id": "A", "start": i, "end": i + 1}],
        "event_mentions": [
            {
                "id": "E",
                "event_type": "Life.Injure.Unspecified",
                "trigger": {"start": i, "end": i + 1},
                "arguments": [{"entity_id": "A", "role": "Victim"}],
            }
        ],
    }
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = _write(Path(tmp), [record])
        (loaded,) = load_documents(path)
    (event,) = loaded.events
    assert loaded.text == " ".join(tokens)
    assert loaded.text[event.trigger_start : event.trigger_end] == tokens[i]
    assert event.arguments[0].text == tokens[i]


def test_real_dev_split_with_empty_predictions() -> None:
    path = shared_path("data", "wikievents", "dev.jsonl")
    docs = load_documents(path, default_coref_path(path))
    assert len(docs) == 20
    for doc in docs:
        for event in doc.events:
            assert doc.text[event.trigger_start : event.trigger_end] == event.trigger_text
            start, end = doc.sentence_spans[event.sentence]
            assert start <= event.trigger_start < end
    report = score(docs, [[] for _ in docs])
    assert report.gold_events == sum(len(d.events) for d in docs) > 100
    assert report.detection.recall == 0.0 and report.detection.p_den == 0
    for table in (report.head, report.coref):
        assert table["overall"].recall == 0.0 and table["overall"].r_den > 100
    json.dumps(report_dict(report))
