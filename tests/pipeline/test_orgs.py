"""Organisational developments: a table of written sentences, roles, dates, spans, properties.

The knowledge base is a small fake with the same interface as ``watchfloor.resolve.actors``
(find_mentions / resolve / parent), so these tests do not depend on the real actor data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.model import OrgDevelopment
from watchfloor.pipeline.orgs import LEADER_ORGS, find_org_developments

# --------------------------------------------------------------------------- fake KB


@dataclass(frozen=True)
class FakeActor:
    actor_id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "group"
    inter: int | None = 2
    countries: tuple[str, ...] = ()
    parent_id: str | None = None
    founded: str | None = None
    branch_announced: str | None = None
    generic: bool = False


@dataclass(frozen=True)
class FakeMention:
    start: int
    end: int
    text: str
    actor: FakeActor


class FakeKB:
    """Exact alias matching; all-capital aliases match case-sensitively ('IS' is not 'is')."""

    def __init__(self, actors: list[FakeActor]):
        self.by_id = {a.actor_id: a for a in actors}
        self.aliases: dict[str, FakeActor] = {}
        for a in actors:
            for alias in (a.name, *a.aliases):
                self.aliases[alias] = a

    def resolve(self, surface: str) -> FakeActor | None:
        wanted = surface.strip().lower()
        for alias, actor in self.aliases.items():
            if alias.lower() == wanted:
                return actor
        return None

    def parent(self, actor: FakeActor) -> FakeActor | None:
        return self.by_id.get(actor.parent_id) if actor.parent_id else None

    def find_mentions(self, text: str) -> list[FakeMention]:
        taken: list[FakeMention] = []
        for alias in sorted(self.aliases, key=len, reverse=True):
            flags = 0 if alias.isupper() else re.IGNORECASE
            pattern = rf"(?<![\w-]){re.escape(alias)}(?![\w-])"
            for m in re.finditer(pattern, text, flags):
                if any(m.start() < t.end and m.end() > t.start for t in taken):
                    continue
                taken.append(FakeMention(m.start(), m.end(), m.group(0), self.aliases[alias]))
        return sorted(taken, key=lambda t: t.start)


KB = FakeKB(
    [
        FakeActor("is", "Islamic State", ("IS", "ISIS", "ISIL", "Daesh", "Islamic State group")),
        FakeActor("iswap", "Islamic State West Africa Province", ("ISWAP",), parent_id="is"),
        FakeActor("aq", "al-Qaeda", ("al-Qaida", "al Qaeda")),
        FakeActor("aqap", "al-Qaeda in the Arabian Peninsula", ("AQAP",), parent_id="aq"),
        FakeActor(
            "is-yemen", "Islamic State Yemen Province", ("Wilayat al-Yaman",), parent_id="is"
        ),
        FakeActor("shabaab", "al-Shabaab", ("al-Shabab", "Shabaab")),
        FakeActor("hizbul", "Hizbul Islam", ()),
        FakeActor("ansaru", "Ansaru", ()),
        FakeActor("ansar_sharia", "Ansar al-Sharia", ()),
        FakeActor("hts", "Hayat Tahrir al-Sham", ("HTS",)),
        FakeActor("nusra", "Jabhat al-Nusra", ("Nusra Front",)),
        FakeActor("ttp", "Tehrik-i-Taliban Pakistan", ("TTP", "Pakistani Taliban")),
        FakeActor("hamas", "Hamas", ()),
        FakeActor("houthis", "Houthis", ("Ansar Allah", "Houthi movement")),
        FakeActor("usa", "United States", ("Washington",), kind="state", inter=8),
        FakeActor("army", "Nigerian Army", (), kind="military", inter=1),
        FakeActor("gunmen", "Unidentified gunmen", ("gunmen",), generic=True),
    ]
)

PUBLISHED = date(2024, 5, 15)  # a Wednesday


def sentences(text: str) -> list[tuple[int, int]]:
    """A simple splitter: sentence-final punctuation followed by space and a capital."""
    spans = []
    for m in re.finditer(r"\S.*?(?:[.!?](?=\s+[A-Z\"“])|$)", text, re.DOTALL):
        spans.append((m.start(), m.end()))
    return spans


def run(text: str, published: date | None = PUBLISHED) -> list[OrgDevelopment]:
    return find_org_developments(text, sentences(text), published, KB)


# --------------------------------------------------------------------------- the table

# (sentence, expected [(kind, group, parent, other)] — None in a slot means "not checked")
POSITIVES: list[tuple[str, list[tuple[str, str, str | None, str | None]]]] = [
    (
        "The Ansar Baida Brigade pledged allegiance to Islamic State leader Abu Ibrahim "
        "al-Hashimi on Monday.",
        [("pledge", "Ansar Baida Brigade", "Islamic State", None)],
    ),
    (
        "In a video released on Friday, Ansaru swore allegiance to al-Qaeda.",
        [("pledge", "Ansaru", "al-Qaeda", None)],
    ),
    (
        "The Jund al-Khilafa Front had pledged its loyalty to Osama bin Laden.",
        [("pledge", "Jund al-Khilafa Front", "al-Qaeda", None)],
    ),
    (
        "Islamic State announced a new province in Mozambique on Tuesday.",
        [("branch_announced", "Islamic State Mozambique Province", "Islamic State", None)],
    ),
    (
        "The Islamic State group declared its Central Africa Province in April 2019.",
        [("branch_announced", "Islamic State Central Africa Province", "Islamic State", None)],
    ),
    (
        "Former rebel commanders formed the Patriotic Resistance Front on Sunday.",
        [("founded", "Patriotic Resistance Front", None, None)],
    ),
    (
        "The Mountain Lions Battalion was founded in 2012 by army defectors.",
        [("founded", "Mountain Lions Battalion", None, None)],
    ),
    (
        "A new coalition, the Northern Defence Council, announced its formation in a statement "
        "on Saturday.",
        [("founded", "Northern Defence Council", None, None)],
    ),
    (
        "The Hassan Brigades broke away from Ansar al-Sharia last month.",
        [("split", "Hassan Brigades", "Ansar al-Sharia", None)],
    ),
    (
        "Boko Haram, from which ISWAP split in 2016, has not commented.",
        [("split", "Islamic State West Africa Province", "Boko Haram", None)],
    ),
    (
        "Jaish al-Fursan quit Hayat Tahrir al-Sham in March after a dispute over funding.",
        [("split", "Jaish al-Fursan", "Hayat Tahrir al-Sham", None)],
    ),
    (
        "Jamaat-ul-Ahrar, a breakaway faction of the TTP, claimed the bombing.",
        [("split", "Jamaat-ul-Ahrar", "Tehrik-i-Taliban Pakistan", None)],
    ),
    (
        "The Sons of the Valley and the Eagles of the Desert merged to form the United Jihad "
        "Front in June.",
        [("merger", "United Jihad Front", None, "Sons of the Valley; Eagles of the Desert")],
    ),
    (
        "Hizbul Islam merged into al-Shabaab in 2010.",
        [("merger", "al-Shabaab", None, "Hizbul Islam")],
    ),
    (
        "Jabhat al-Nusra renamed itself Jabhat Fateh al-Sham in July 2016.",
        [("rename", "Jabhat Fateh al-Sham", None, "Jabhat al-Nusra")],
    ),
    (
        "Earlier this month, Jamaat-ul-Ahrar, a TTP faction, said it had renamed itself the "
        "Ahrar Mujahideen.",
        [("rename", "Ahrar Mujahideen", None, "Jamaat-ul-Ahrar")],
    ),
    (
        "Hayat Tahrir al-Sham, formerly known as the Nusra Front, controls much of Idlib.",
        [("rename", "Hayat Tahrir al-Sham", None, "Nusra Front")],
    ),
    (
        "al-Shabaab named Ahmed Diriye as its new emir on Saturday.",
        [("leader_change", "al-Shabaab", None, None)],
    ),
    (
        "Abu Ibrahim al-Hashimi succeeded Abu Bakr al-Baghdadi as leader of Islamic State in "
        "October 2019.",
        [("leader_change", "Islamic State", None, None)],
    ),
    (
        "Musa Baluku took over as leader of the Allied Democratic Forces in 2015.",
        [("leader_change", "Allied Democratic Forces", None, None)],
    ),
    (
        "ISWAP has appointed a new commander as its leader, the group said.",
        [("leader_change", "Islamic State West Africa Province", "Islamic State", None)],
    ),
    # a leader's death and a deputy's appointment change the leadership too
    (
        "Boko Haram leader Abubakar Shekau killed himself during a battle last month.",
        [("leader_change", "Boko Haram", None, None)],
    ),
    (
        "Islamic State confirmed that its leader Abu Hussein al-Qurashi had been killed.",
        [("leader_change", "Islamic State", None, None)],
    ),
    (
        "ISWAP confirmed the death of Boko Haram leader Abubakar Shekau.",
        [("leader_change", "Boko Haram", None, None)],
    ),
    (
        "al-Shabaab has appointed Abukar Ali Adan as its deputy leader.",
        [("leader_change", "al-Shabaab", None, None)],
    ),
    (
        "Washington on Monday designated Ansar Allah as a Foreign Terrorist Organization.",
        [("designation", "Houthis", None, None)],
    ),
    (
        "Hamas was proscribed as a terrorist group by Britain in November 2021.",
        [("designation", "Hamas", None, None)],
    ),
    (
        "The Southern Resistance Brigade announced its dissolution on Friday.",
        [("dissolved", "Southern Resistance Brigade", None, None)],
    ),
    (
        "The Popular Defence Army formed an alliance with the Tribal Shield Front.",
        [("alliance", "Popular Defence Army", None, "Tribal Shield Front")],
    ),
    (
        "Al-Shabaab declared war on Hizbul Islam after the talks collapsed.",
        [("rivalry", "al-Shabaab", None, "Hizbul Islam")],
    ),
]

NEGATIVES: list[str] = [
    "A tribal leader, Malik Khan, was killed by the TTP on Friday.",
    "Analysts said Ansaru could pledge allegiance to Islamic State.",
    "Jabhat al-Nusra denied reports that its top commander had defected from the group.",
    "The Hassan Brigades did not break away from Ansar al-Sharia, a spokesman said.",
    "There were rumours of a split from Ansar al-Sharia within the Hassan Brigades.",
    "Officials said Hizbul Islam would merge with al-Shabaab.",
    "The State Department designated the Wagner Group a transnational criminal organisation.",
    "The army took over the town of Marte on Sunday.",
    "Police found the Islamic State flag at the house.",
    "A committee was formed to investigate the attack.",
    "The group's leader said on Monday that fighters had killed 12 soldiers.",
    "Islamic State's West Africa Province claimed the attack in a statement.",
    "The United States lifted the designation of the Houthis as a terrorist organisation.",
    "Militant groups often pledge allegiance to distant leaders.",
    "Soldiers succeeded in pushing the militants out of the valley.",
    "Commanders who had left Hayat Tahrir al-Sham joined the new faction.",
    "Its Eastern Front was preparing to follow suit, according to officials.",
]


@pytest.mark.parametrize(("sentence", "expected"), POSITIVES)
def test_positive_sentences(sentence: str, expected: list[tuple]) -> None:
    got = run(sentence)
    assert [(d.kind, d.group) for d in got] == [(k, g) for k, g, _, _ in expected]
    for d, (_, _, parent, other) in zip(got, expected, strict=True):
        if parent is not None:
            assert d.parent == parent
        if other is not None:
            assert d.other == other


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_negative_sentences(sentence: str) -> None:
    assert run(sentence) == []


def test_table_covers_every_kind() -> None:
    kinds = {k for _, expected in POSITIVES for k, *_ in expected}
    assert kinds == set(OrgDevelopment.model_fields["kind"].annotation.__args__)
    assert len(POSITIVES) + len(NEGATIVES) >= 25


# --------------------------------------------------------------------------- roles and parents


def test_pledge_to_leader_maps_to_organisation() -> None:
    [d] = run("The Mujahideen Youth Front pledged allegiance to Ayman al-Zawahiri last year.")
    assert d.parent == "al-Qaeda"
    assert all(org for _, org in LEADER_ORGS)


def test_anaphoric_group_resolves_to_previous_mention() -> None:
    text = "Ansaru claimed the kidnapping. The group pledged allegiance to al-Qaeda in 2012."
    [d] = run(text)
    assert (d.kind, d.group, d.group_id, d.parent) == ("pledge", "Ansaru", "ansaru", "al-Qaeda")
    assert (d.date_earliest, d.date_latest, d.date_precision) == (
        date(2012, 1, 1),
        date(2012, 12, 31),
        "year",
    )


def test_kb_parent_filled_for_leader_change_of_a_branch() -> None:
    [d] = run("ISWAP named Abu Musab al-Barnawi as its new leader in August 2016.")
    assert d.group_id == "iswap" and d.parent == "Islamic State"


def test_state_actor_is_never_the_group() -> None:
    [d] = run(
        "The United States designated the Allied Democratic Forces a foreign terrorist "
        "organisation in March 2021."
    )
    assert d.group == "Allied Democratic Forces" and d.group_id is None


def test_new_group_name_keeps_acronym_out() -> None:
    [d] = run("Three factions joined to found the Frente Unido del Pacífico (FUP) in May.")
    assert d.kind == "founded" and d.group == "Frente Unido del Pacífico"


# --------------------------------------------------------------------------- dates


def test_weekday_resolved_against_published() -> None:
    [d] = run("al-Shabaab named Ahmed Diriye as its new emir on Monday.")
    assert d.date == date(2024, 5, 13) and d.date_precision == "day"


def test_news_without_date_gets_published_day() -> None:
    [d] = run("al-Shabaab has named Ahmed Diriye as its new leader.")
    assert (d.date, d.date_earliest, d.date_latest, d.date_precision) == (
        PUBLISHED,
        PUBLISHED,
        PUBLISHED,
        "day",
    )


def test_background_without_date_gets_no_date() -> None:
    [d] = run("Hayat Tahrir al-Sham, formerly known as the Nusra Front, controls Idlib.")
    assert d.date is None and d.date_precision == "unknown"


def test_relative_date_rebased_on_previous_date() -> None:
    text = (
        "The Pentagon confirmed the commander's death on Friday. Two days later, al-Shabaab "
        "named Ahmed Diriye as its new leader."
    )
    [d] = run(text)
    assert d.date == date(2024, 5, 12)  # Friday 10 May + 2


def test_month_precision_and_past_year() -> None:
    [d] = run("Jaish al-Fursan quit Hayat Tahrir al-Sham in July.")
    assert d.date_precision == "month"
    assert (d.date_earliest, d.date_latest) == (date(2023, 7, 1), date(2023, 7, 31))


def test_no_published_date_means_no_date() -> None:
    [d] = run("al-Shabaab named Ahmed Diriye as its new emir on Monday.", published=None)
    assert d.date is None


# --------------------------------------------------------------------------- merging and spans


def test_repeated_development_is_one_record_with_all_evidence() -> None:
    text = (
        "Boko Haram pledged allegiance to Islamic State on Saturday. In the recording, its "
        "leader pledged the group's loyalty to Abu Bakr al-Baghdadi."
    )
    kb_text = text.replace("Boko Haram", "Ansaru")
    got = run(kb_text)
    assert len(got) == 1
    d = got[0]
    assert (d.kind, d.group, d.parent) == ("pledge", "Ansaru", "Islamic State")
    assert len(d.evidence) == 2
    assert d.date == date(2024, 5, 11)


def test_evidence_spans_are_exact_and_state_the_development() -> None:
    text = (
        "Heavy fighting continued on Monday. The Hassan Brigades broke away from Ansar "
        "al-Sharia last month; the split weakened the alliance."
    )
    [d] = run(text)
    [span] = d.evidence
    assert text[span.start : span.end] == span.text
    assert span.field == "org_development"
    assert "broke away from" in span.text and "Heavy fighting" not in span.text
    assert d.date_precision == "month" and d.date_earliest == date(2024, 4, 1)


def test_distinct_developments_in_one_article() -> None:
    text = (
        "Ansaru pledged allegiance to Islamic State in January. In March, Hizbul Islam merged "
        "into al-Shabaab. The United States designated Hamas a terrorist organisation in "
        "1997."
    )
    kinds = [d.kind for d in run(text)]
    assert kinds == ["pledge", "merger", "designation"]


# --------------------------------------------------------------------------- branches


def test_branch_named_in_a_later_clause_resolves_through_the_kb() -> None:
    text = (
        "Islamic State announced a new province in Somalia on Tuesday. Clan fighters and "
        "al-Shabaab militants clashed near the border the same day. Three days earlier, the "
        "group had declared a branch for Yemen, which it named Wilayat al-Yaman, after a video "
        "showed its fighters in Shabwa."
    )
    somalia, yemen = run(text)
    assert (somalia.group, somalia.group_id, somalia.parent) == (
        "Islamic State Somalia Province",
        None,
        "Islamic State",
    )
    assert somalia.date == date(2024, 5, 14)
    # "the group" is the organisation announcing branches, not al-Shabaab named just before
    assert (yemen.kind, yemen.group, yemen.group_id, yemen.parent) == (
        "branch_announced",
        "Islamic State Yemen Province",
        "is-yemen",
        "Islamic State",
    )
    assert yemen.date == date(2024, 5, 11)  # Tuesday 14 May - 3 days
    [span] = yemen.evidence
    assert span.text.startswith("Three days earlier") and "Wilayat al-Yaman" in span.text
    assert text[span.start : span.end] == span.text


def test_wilayat_name_unknown_to_the_kb_becomes_a_province_of_the_parent() -> None:
    [d] = run("The Islamic State group declared Wilayat Sinai in November 2014.")
    assert (d.kind, d.group, d.group_id, d.parent) == (
        "branch_announced",
        "Islamic State Sinai Province",
        None,
        "Islamic State",
    )
    assert (d.date_earliest, d.date_latest) == (date(2014, 11, 1), date(2014, 11, 30))


def test_branch_for_a_place_is_named_after_parent_and_place() -> None:
    [known] = run("al-Qaeda announced a new branch for the Arabian Peninsula in January 2009.")
    assert (known.group, known.group_id, known.parent) == (
        "al-Qaeda in the Arabian Peninsula",
        "aqap",
        "al-Qaeda",
    )
    [new] = run("al-Qaeda declared a branch in Kenya on Monday.")
    assert (new.group, new.group_id, new.parent) == ("al-Qaeda in Kenya", None, "al-Qaeda")


def test_branch_name_does_not_come_from_a_person_named_later() -> None:
    [d] = run("Islamic State announced a new province in Congo, whose leader was named Musa Seka.")
    assert d.group == "Islamic State Congo Province"


def test_hedged_branch_is_not_coded() -> None:
    assert (
        run("Islamic State could declare a branch for India, which it would call Wilayat al-Hind.")
        == []
    )


def test_leading_time_phrase_does_not_hide_the_anaphoric_subject() -> None:
    [d] = run(
        "Ansaru claimed the raid on Monday. Two days later, the group pledged allegiance to "
        "al-Qaeda."
    )
    assert (d.kind, d.group, d.parent) == ("pledge", "Ansaru", "al-Qaeda")
    assert d.date == date(2024, 5, 15)


def test_a_date_in_an_aside_is_not_the_developments() -> None:
    [d] = run(
        "Jamaat-ul-Ahrar, a faction that broke away from the Tehrik-i-Taliban Pakistan in 2014, "
        "has merged back into the group, the TTP said in a statement on Sunday."
    )
    assert (d.kind, d.group) == ("merger", "Jamaat-ul-Ahrar")
    assert d.date_precision == "day" and d.date is not None and d.date.year == PUBLISHED.year


# --------------------------------------------------------------------------- properties

_FRAGMENTS = [
    "Ansaru",
    "Islamic State",
    "IS",
    "al-Shabaab",
    "The group",
    "it",
    "pledged allegiance to",
    "broke away from",
    "merged into",
    "merged with",
    "renamed itself",
    "formerly known as",
    "named",
    "as its new leader",
    "designated",
    "a terrorist organisation",
    "was founded",
    "formed the",
    "Front",
    "Brigade",
    "announced a new province in",
    "Mali",
    "on Monday",
    "in 2019",
    "two days later",
    ",",
    ".",
    ";",
    " — ",
    "(",
    ")",
    "did not",
    "could",
    "denied",
    "splinter group of",
    "the",
    "and",
    "to form",
    "succeeded",
    "took over",
    "Baghdadi",
    "dissolved itself",
    "formed an alliance with",
    "declared war on",
    "\n\n",
    "“",
    "’s",
]


def _assert_consistent(text: str, got: list[OrgDevelopment]) -> None:
    for d in got:
        assert d.group.strip()
        assert d.evidence
        for span in d.evidence:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text
        if d.date_earliest is not None and d.date_latest is not None:
            assert d.date_earliest <= d.date_latest


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_never_crashes_on_fragment_soup(parts: list[str]) -> None:
    text = " ".join(parts)
    _assert_consistent(text, run(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)))
def test_never_crashes_on_arbitrary_text(text: str, published: date) -> None:
    _assert_consistent(text, run(text, published))


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=200),
    st.lists(st.tuples(st.integers(-5, 250), st.integers(-5, 250)), max_size=6),
)
def test_tolerates_odd_sentence_offsets(text: str, spans: list[tuple[int, int]]) -> None:
    got = find_org_developments(text, spans, PUBLISHED, KB)
    _assert_consistent(text, got)
