"""The whole extractor on articles written for these tests and on the bundled sample corpus."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from watchfloor.model import Article, ExtractResult

pytestmark = pytest.mark.slow


def run(extractor, text: str, published: str, article_id: str = "t") -> ExtractResult:
    return extractor.extract(
        Article(id=article_id, text=text, published=dt.date.fromisoformat(published))
    )


def spans_consistent(result: ExtractResult, text: str) -> None:
    for event in result.events:
        for span in event.evidence:
            assert text[span.start : span.end] == span.text
        for claim in event.claims:
            if claim.evidence:
                assert text[claim.evidence.start : claim.evidence.end] == claim.evidence.text
    for dev in result.org_developments:
        for span in dev.evidence:
            assert text[span.start : span.end] == span.text


STORY = (
    "Bomb kills three soldiers in Bannu\n\n"
    "BANNU, Pakistan (Test Wire) — A roadside bomb killed three soldiers and wounded two "
    "others in Bannu district on Tuesday, the military said. The Pakistani Taliban claimed "
    "responsibility in a statement on Telegram.\n\n"
    "On Sunday, gunmen abducted two engineers near Tank. No group has claimed the kidnapping."
)


def test_events_with_date_place_actor_toll_and_claim(extractor) -> None:
    result = run(extractor, STORY, "2023-05-11")
    spans_consistent(result, STORY)
    bomb, kidnap = result.events
    assert (bomb.event_type, bomb.sub_event_type) == (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    )
    assert bomb.date == dt.date(2023, 5, 9) and bomb.date_precision == "day"
    assert bomb.location and bomb.location.name == "Bannu" and bomb.location.country == "PK"
    assert bomb.location.admin1 == "Khyber Pakhtunkhwa"
    assert bomb.fatalities and bomb.fatalities.best == 3
    assert bomb.injuries and bomb.injuries.best == 2
    assert bomb.perpetrator and bomb.perpetrator.status == "claimed"
    assert bomb.perpetrator.name == "Tehrik-i-Taliban Pakistan"
    assert [(c.stance, c.channel) for c in bomb.claims] == [("claimed", "Telegram")]
    assert kidnap.sub_event_type == "Abduction/forced disappearance"
    assert kidnap.date == dt.date(2023, 5, 7)
    assert kidnap.location and kidnap.location.name == "Tank"
    assert not kidnap.claims  # "No group has claimed" is not a claim
    assert kidnap.perpetrator is None or kidnap.perpetrator.status == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "Former captain dies of heart attack\n\nThe former national captain died of a heart "
        "attack in Lahore on Sunday, his family said. He was 61.",
        "Minister defends plan\n\nThe finance minister said the opposition's attack on the "
        "budget was unfair and that the plan would cut the deficit.",
        "Militants threaten polls\n\nThe group threatened to attack polling stations if the "
        "election goes ahead next month.",
    ],
)
def test_non_events_give_no_events(extractor, text: str) -> None:
    assert run(extractor, text, "2022-06-01").events == []


def test_isis_pakistan_province_story(extractor) -> None:
    lines = [json.loads(x) for x in SAMPLES.read_text(encoding="utf-8").splitlines()]
    story = next(x for x in lines if x["id"] == "wf-001")
    result = run(extractor, story["text"], story["published"], "wf-001")
    spans_consistent(result, story["text"])
    branches = {d.group: d for d in result.org_developments if d.kind == "branch_announced"}
    [pakistan] = [d for name, d in branches.items() if "Pakistan" in name]
    [hind] = [d for name, d in branches.items() if "Hind" in name]
    assert pakistan.parent == hind.parent == "Islamic State"
    # "five days earlier" than the Wednesday (2019-05-15) the text dates
    assert hind.date == dt.date(2019, 5, 10)
    by_place = {(e.location.name if e.location else None): e for e in result.events}
    mastung = by_place["Mastung"]
    assert mastung.date == dt.date(2019, 5, 15)  # "on Wednesday", published on a Thursday
    assert mastung.fatalities and mastung.fatalities.best == 1
    assert mastung.perpetrator and mastung.perpetrator.status == "claimed"
    # the claim came from the new branch: its name, with the parent organisation kept
    assert mastung.perpetrator.name == "Islamic State Pakistan Province"
    assert mastung.perpetrator.parent == "Islamic State"
    assert [(c.stance, c.channel) for c in mastung.claims] == [("claimed", "Amaq")]
    market = next(e for e in result.events if e.date_precision == "month")
    assert market.date_earliest == dt.date(2019, 4, 1) and market.date_latest == dt.date(
        2019, 4, 30
    )
    assert market.fatalities and market.fatalities.best == 20  # "more than 20"


def test_sample_corpus_no_event_articles(extractor) -> None:
    lines = [json.loads(x) for x in SAMPLES.read_text(encoding="utf-8").splitlines()]
    quiet = [x for x in lines if x["id"] in ("wf-045", "wf-046", "wf-047")]
    assert len(quiet) == 3
    for item in quiet:
        result = run(extractor, item["text"], item["published"], item["id"])
        assert result.events == [], item["id"]


def test_reduced_spacy_pipeline_keeps_the_full_pipelines_sentences(extractor) -> None:
    """Extraction loads only what sentence boundaries need; they match the full pipeline's."""
    import spacy

    from watchfloor.pipeline.segment import paragraphs

    assert not {"tagger", "attribute_ruler", "lemmatizer", "ner"} & set(extractor.nlp.pipe_names)
    full = spacy.load(extractor.settings.spacy_model)
    texts = [json.loads(x)["text"] for x in SAMPLES.read_text(encoding="utf-8").splitlines()]
    chunks = [t[s:e] for t in texts for s, e in paragraphs(t)]
    ours = [[(s.start_char, s.end_char) for s in d.sents] for d in extractor.nlp.pipe(chunks)]
    theirs = [[(s.start_char, s.end_char) for s in d.sents] for d in full.pipe(chunks)]
    assert ours == theirs


def test_extract_many_matches_extract_and_isolates_failures(extractor, monkeypatch) -> None:
    from watchfloor.errors import ExtractionError
    from watchfloor.pipeline import extractor as module

    lines = [json.loads(x) for x in SAMPLES.read_text(encoding="utf-8").splitlines()][:12]
    articles = [
        Article(id=x["id"], text=x["text"], published=dt.date.fromisoformat(x["published"]))
        for x in lines
    ]
    one = [extractor.extract(a) for a in articles]
    assert extractor.extract_many(articles) == one
    real = module.find_org_developments

    def flaky(text, *args, **kwargs):
        if text == articles[3].text:
            raise RuntimeError("boom")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(module, "find_org_developments", flaky)
    got = extractor.extract_many(articles)
    assert isinstance(got[3], ExtractionError) and got[3].source == articles[3].id
    assert got[:3] + got[4:] == one[:3] + one[4:]


def test_missing_publication_date_warns_and_still_extracts(extractor) -> None:
    result = extractor.extract(Article(id="x", text=STORY, published=None))
    assert result.warnings and result.events
    assert all(e.date is None or e.date_precision != "unknown" for e in result.events)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.sampled_from(
            [
                "Gunmen",
                "killed",
                "three",
                "soldiers",
                "in",
                "Quetta",
                "on",
                "Monday",
                ".",
                "The",
                "Taliban",
                "claimed",
                "the",
                "attack",
                "\n\n",
                "bomb",
                "exploded",
                "near",
                "Kabul",
                "protest",
                "police",
                "arrested",
                "dozens",
                "wounded",
                "ISIS",
                "last",
                "month",
                ",",
            ]
        ),
        min_size=1,
        max_size=60,
    )
)
def test_never_crashes_and_spans_hold(extractor, words: list[str]) -> None:
    text = " ".join(words)
    if not text.strip():
        return
    result = run(extractor, text, "2021-02-03")
    spans_consistent(result, text)
    assert result.to_contract()["schema_version"].startswith("1.")


def test_one_kidnapping_told_twice_is_one_event(extractor) -> None:
    text = (
        "Priest freed\n\nKADUNA, Nigeria (Test Wire) — A priest abducted by gunmen in Kaduna "
        "state two weeks ago has been released, the diocese said on Friday. He was taken from "
        "his parish house in Kajuru district on Feb. 7 by armed men who demanded a ransom."
    )
    result = run(extractor, text, "2020-02-21")
    kidnaps = [e for e in result.events if e.sub_event_type == "Abduction/forced disappearance"]
    assert len(kidnaps) == 1
    assert kidnaps[0].date == dt.date(2020, 2, 7) and kidnaps[0].date_precision == "day"
    assert kidnaps[0].location and kidnaps[0].location.admin1 == "Kaduna"


def test_an_army_operation_is_not_a_claim(extractor) -> None:
    text = (
        "Wedding attacked\n\nOUAGADOUGOU (Test Wire) — Gunmen killed seven guests at a wedding "
        "in Sebba on Tuesday. No group claimed the attack, but the area is a stronghold of the "
        "Islamic State Sahel Province. The army said it had launched an operation to track "
        "down the attackers."
    )
    [event] = run(extractor, text, "2023-07-20").events
    assert event.claims == [] or all(c.stance != "claimed" for c in event.claims)
    assert event.perpetrator is None or event.perpetrator.status != "claimed"


@pytest.mark.parametrize(
    ("follow_on", "wounded"),
    [
        ("Two Taliban fighters were wounded.", 2),
        ("In a separate attack in Kunar, two Taliban fighters were wounded.", None),
        ("On Friday, two Taliban fighters were wounded.", None),
    ],
)
def test_a_toll_told_in_the_next_sentence_joins_the_incident(
    extractor, follow_on: str, wounded: int | None
) -> None:
    text = (
        "Raid in Jalalabad\n\nJALALABAD, Afghanistan (Test Wire) — Taliban forces raided a house "
        "in Jalalabad on Wednesday night, killing three militants, a Taliban spokesman said. "
        + follow_on
    )
    result = run(extractor, text, "2022-03-03")
    raid = result.events[0]
    assert raid.fatalities is not None and raid.fatalities.best == 3
    assert (raid.injuries.best if raid.injuries else None) == wounded
