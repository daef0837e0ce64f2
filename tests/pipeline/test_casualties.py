"""Tests for casualty counts: parsing figures and linking them to killed/injured words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.pipeline.casualties import CasualtyMention, Count, find_casualties, parse_count

# --------------------------------------------------------------------------- parse_count

COUNTS = [
    ("12", Count(12, 12, 12, None)),
    ("1,200", Count(1200, 1200, 1200, None)),
    ("twelve", Count(12, 12, 12, None)),
    ("twenty-one", Count(21, 21, 21, None)),
    ("one hundred and five", Count(105, 105, 105, None)),
    ("a", Count(1, 1, 1, None)),
    ("an", Count(1, 1, 1, None)),
    ("one", Count(1, 1, 1, None)),
    ("a dozen", Count(12, 12, 12, None)),
    ("half a dozen", Count(6, 6, 6, None)),
    ("two dozen", Count(24, 24, 24, None)),
    ("1.5 million", Count(1_500_000, 1_500_000, 1_500_000, None)),
    ("dozens", Count(12, 12, None, "dozens")),
    ("dozens of", Count(12, 12, None, "dozens")),
    ("scores", Count(20, 20, None, "scores")),
    ("tens of", Count(10, 10, None, "tens")),
    ("tens of thousands", Count(10_000, 10_000, None, "tens")),
    ("hundreds", Count(100, 100, None, "hundreds")),
    ("thousands", Count(1000, 1000, None, "thousands")),
    ("at least 12", Count(12, 12, None, "at least")),
    ("more than 20", Count(20, 20, None, "more than")),
    ("over 20", Count(20, 20, None, "over")),
    ("more than a dozen", Count(12, 12, None, "more than")),
    ("20 or more", Count(20, 20, None, "more than")),
    ("nearly 30", Count(None, 30, 30, "nearly")),
    ("almost 30", Count(None, 30, 30, "almost")),
    ("up to 30", Count(None, 30, 30, "up to")),
    ("as many as 30", Count(None, 30, 30, "as many as")),
    ("about 40", Count(None, 40, None, "about")),
    ("around 40", Count(None, 40, None, "around")),
    ("some 40", Count(None, 40, None, "some")),
    ("roughly 40", Count(None, 40, None, "roughly")),
    ("an estimated 40", Count(None, 40, None, "an estimated")),
    ("fewer than 10", Count(None, None, 10, "fewer than")),
    ("between 10 and 15", Count(10, 10, 15, "between")),
    ("10 to 15", Count(10, 10, 15, "between")),
    ("10-15", Count(10, 10, 15, "between")),
    ("two or three", Count(2, 2, 3, "between")),
    ("several", Count(2, 3, None, "several")),
    ("a few", Count(2, 3, None, "a few")),
    ("a couple of", Count(2, 2, 2, "a couple")),
    ("both", Count(2, 2, 2, None)),
    ("many", Count(None, None, None, "many")),
    ("no one", Count(0, 0, 0, None)),
    ("nobody", Count(0, 0, 0, None)),
    ("none", Count(0, 0, 0, None)),
    ("another 5", Count(5, 5, 5, "another")),
    ("At Least 7 soldiers", Count(7, 7, None, "at least")),
]


@pytest.mark.parametrize(("phrase", "expected"), COUNTS)
def test_parse_count(phrase: str, expected: Count) -> None:
    assert parse_count(phrase) == expected


@pytest.mark.parametrize(
    "phrase", ["", "the", "police", "12-year-old", "over the weekend", "hundred", "-", "5km"]
)
def test_parse_count_rejects_non_counts(phrase: str) -> None:
    assert parse_count(phrase) is None


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_count_reads_any_integer_in_digits(n: int) -> None:
    assert parse_count(str(n)) == Count(n, n, n, None)
    assert parse_count(f"{n:,}") == Count(n, n, n, None)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_ranges_are_conservative(low: int, extra: int) -> None:
    count = parse_count(f"between {low} and {low + extra}")
    assert count == Count(low, low, low + extra, "between")


# --------------------------------------------------------------------------- find_casualties


def summary(text: str) -> list[tuple[str, int | None, str | None, bool]]:
    return [(m.kind, m.count.best, m.victims, m.attackers) for m in find_casualties(text)]


K, J = "killed", "injured"

CASES: list[tuple[str, list[tuple[str, int | None, str | None, bool]]]] = [
    ("Gunmen killed 5 people in the market.", [(K, 5, "people", False)]),
    ("The blast, killing at least 12 soldiers, shook the town.", [(K, 12, "soldiers", False)]),
    (
        "Five people were killed and 12 were injured.",
        [(K, 5, "people", False), (J, 12, None, False)],
    ),
    ("At least 12 were killed in the attack.", [(K, 12, None, False)]),
    ("The attack left 3 dead.", [(K, 3, None, False)]),
    (
        "A car bomb on Tuesday left 3 people dead and 14 wounded.",
        [(K, 3, "people", False), (J, 14, None, False)],
    ),
    ("Officials counted 3 dead and dozens injured.", [(K, 3, None, False), (J, 12, None, False)]),
    ("The death toll rose to 20 on Thursday.", [(K, 20, None, False)]),
    (
        "The death toll from Sunday's bombing has risen to at least 40, officials said.",
        [(K, 40, None, False)],
    ),
    ("Fresh clashes brought the number of dead to 31.", [(K, 31, None, False)]),
    ("The violence claimed the lives of 7 villagers.", [(K, 7, "villagers", False)]),
    ("The floods of violence claimed 7 lives this year.", [(K, 7, None, False)]),
    ("Militants shot dead a police constable in Peshawar.", [(K, 1, "police constable", False)]),
    ("A police constable was shot dead in Peshawar.", [(K, 1, "police constable", False)]),
    ("Soldiers killed a civilian at a checkpoint.", [(K, 1, "civilian", False)]),
    (
        "The gunmen fled after killing one and wounding three.",
        [(K, 1, None, False), (J, 3, None, False)],
    ),
    (
        "Two soldiers and a policeman were killed when a roadside bomb exploded.",
        [(K, 3, "soldiers and policeman", False)],
    ),
    (
        "A roadside bomb killed two soldiers and a policeman.",
        [(K, 3, "soldiers and policeman", False)],
    ),
    (
        "The blast killed 10 policemen and their civilian driver.",
        [(K, 11, "policemen and civilian driver", False)],
    ),
    ("The blast killed three people and their houses burned.", [(K, 3, "people", False)]),
    (
        "The bombers killed 60 Afghans and 13 U.S. troops.",
        [(K, 73, "Afghans and U.S. troops", False)],
    ),
    (
        "16 soldiers and 11 civilians wounded in clashes.",
        [(J, 27, "soldiers and civilians", False)],
    ),
    (
        "Gunmen killed two soldiers and a policeman was wounded.",
        [(K, 2, "soldiers", False), (J, 1, "policeman", False)],
    ),
    ("The attackers wounded 9 before fleeing.", [(J, 9, None, False)]),
    ("He opened fire, injuring four.", [(J, 4, None, False)]),
    ("Four people were injured in the stampede.", [(J, 4, "people", False)]),
    ("At least 135 wounded were taken to hospital.", [(J, 135, None, False)]),
    ("67 people, including 20 children, were killed.", [(K, 67, "people", False)]),
    ("67 people, including 20 children were killed.", [(K, 67, "people", False)]),
    (
        "Three people, two of them police officers, were injured in the blast.",
        [(J, 3, "people", False)],
    ),
    ("No one was hurt in the explosion.", [(K, 0, None, False), (J, 0, None, False)]),
    ("There were no casualties.", [(K, 0, None, False), (J, 0, None, False)]),
    ("No deaths were reported.", [(K, 0, None, False)]),
    ("Nobody died.", [(K, 0, None, False)]),
    ("No soldiers were injured.", [(J, 0, "soldiers", False)]),
    (
        "The militants beheaded two villagers and executed three others.",
        [(K, 2, "villagers", False), (K, 3, "others", False)],
    ),
    ("Five attackers were killed in the ensuing gunfight.", [(K, 5, "attackers", True)]),
    ("Two attackers were also killed.", [(K, 2, "attackers", True)]),
    ("The bomber died instantly.", [(K, 1, "bomber", True)]),
    ("Three militants were killed in a clash with security forces.", [(K, 3, "militants", True)]),
    ("The strike killed dozens of fighters.", [(K, 12, "fighters", True)]),
    ("The explosion killed 12 people including two attackers.", [(K, 12, "people", False)]),
    ("Three gunmen killed two soldiers.", [(K, 2, "soldiers", False)]),
    ("Two gunmen killed in a shootout were identified.", [(K, 2, "gunmen", True)]),
    ("On March 3, 12 people were killed.", [(K, 12, "people", False)]),
    ("The attack on March 3 killed 12.", [(K, 12, None, False)]),
    ("A 12-year-old girl was among those killed.", [(K, 1, "12-year-old girl", False)]),
    (
        "More than 20 people were killed and over 50 injured.",
        [(K, 20, "people", False), (J, 50, None, False)],
    ),
    ("Nearly 30 people died.", [(K, 30, "people", False)]),
    ("Between 10 and 15 soldiers were killed.", [(K, 10, "soldiers", False)]),
    ("Several people were hurt.", [(J, 3, "people", False)]),
    ("Many were killed.", [(K, None, None, False)]),
    ("The blast killed 12 and wounded 30 at 5 pm.", [(K, 12, None, False), (J, 30, None, False)]),
    ("The bombing killed 5 people in Kabul, 15 km from the border.", [(K, 5, "people", False)]),
    ("Twenty-one people were killed.", [(K, 21, "people", False)]),
    ("In 2019, 1,200 people were killed in attacks.", [(K, 1200, "people", False)]),
    ("Officials said more than a dozen people were injured.", [(J, 12, "people", False)]),
    ("Taliban fighters killed 12 Afghan soldiers on Sunday.", [(K, 12, "Afghan soldiers", False)]),
    ("His wife and two children were killed.", [(K, 3, "wife and children", False)]),
    ("Police arrested 12 suspects and 3 people were injured.", [(J, 3, "people", False)]),
    ("Two of the injured later died in hospital.", [(K, 2, "injured", False)]),
    ("A soldier was fatally wounded.", [(K, 1, "soldier", False)]),
    ("Two killed, 12 injured in Kabul blast", [(K, 2, None, False), (J, 12, None, False)]),
    ("The killing of four aid workers was condemned.", [(K, 4, "aid workers", False)]),
    ("Hundreds of protesters were injured.", [(J, 100, "protesters", False)]),
    ("Some 300 people were injured.", [(J, 300, "people", False)]),
    # a describing phrase between the victims and their verb
    ("A nurse working at the clinic was stabbed to death.", [(K, 1, "nurse", False)]),
    ("Three policemen manning a checkpoint were gunned down.", [(K, 3, "policemen", False)]),
    (
        "A tribal elder who had criticised the militants was beheaded.",
        [(K, 1, "tribal elder", False)],
    ),
    ("A journalist based in Kabul was shot dead on Monday.", [(K, 1, "journalist", False)]),
    ("An engineer employed by the firm was seriously wounded.", [(J, 1, "engineer", False)]),
    ("Two civilians caught in the crossfire were hurt.", [(J, 2, "civilians", False)]),
    ("Four members of the same family were hacked to death.", [(K, 4, "members", False)]),
    ("The two soldiers that were on guard duty were killed.", [(K, 2, "soldiers", False)]),
    ("A boy playing near the road was maimed.", [(J, 1, "boy", False)]),
    ("A soldier on patrol later died.", [(K, 1, "soldier", False)]),
    ("Ten people from the village were killed on Sunday.", [(K, 10, "people", False)]),
    ("No one in the building was hurt.", [(K, 0, None, False), (J, 0, None, False)]),
    # wounded first, died later: the outcome is the death
    ("A soldier wounded in the clash later died in hospital.", [(K, 1, "soldier", False)]),
    ("A man who was injured in the attack died.", [(K, 1, "man", False)]),
    ("Two people injured in the blast were taken to hospital.", [(J, 2, "people", False)]),
    # the victims' verb is never taken from inside or across a phrase
    ("Five soldiers patrolling the area killed three militants.", [(K, 3, "militants", True)]),
    ("A witness at the scene said two people were killed.", [(K, 2, "people", False)]),
    ("A guard standing where a woman was killed spoke to reporters.", [(K, 1, "woman", False)]),
    (
        "Gunmen killed two soldiers guarding the base and a policeman was wounded.",
        [(K, 2, "soldiers", False), (J, 1, "policeman", False)],
    ),
    (
        "Two were injured on the day the leader died.",
        [(J, 2, None, False), (K, 1, "leader", False)],
    ),
    # verb phrases
    ("Two teachers returning from school were abducted and killed.", [(K, 2, "teachers", False)]),
    ("Three policemen were shot and critically wounded.", [(J, 3, "policemen", False)]),
    ("A vaccinator was shot and fatally wounded.", [(K, 1, "vaccinator", False)]),
    ("Four bus passengers were burned alive.", [(K, 4, "bus passengers", False)]),
    ("The mob burned alive two suspected thieves.", [(K, 2, "suspected thieves", False)]),
    ("Gunmen shot and wounded two traders.", [(J, 2, "traders", False)]),
    ("Two of the wounded succumbed to their injuries.", [(K, 2, "wounded", False)]),
    ("A deputy commissioner was hurt in the blast.", [(J, 1, "deputy commissioner", False)]),
    # lists of victims named by their set
    ("Among the injured were four children.", [(J, 4, "children", False)]),
    ("Among those killed was a district governor.", [(K, 1, "district governor", False)]),
    (
        "Those killed included a 12-year-old girl and her mother.",
        [(K, 2, "12-year-old girl and mother", False)],
    ),
    ("The wounded included 7 soldiers, officials said.", [(J, 7, "soldiers", False)]),
    # tolls and losses
    ("The toll has since climbed to 45.", [(K, 45, None, False)]),
    ("A second body was recovered, bringing the death toll to 9.", [(K, 9, None, False)]),
    ("The rebels lost 12 fighters in the battle.", [(K, 12, "fighters", True)]),
    ("Government forces lost two of their soldiers.", [(K, 2, "soldiers", False)]),
    ("Police recovered the bodies of 4 abducted men.", [(K, 4, "abducted men", False)]),
    # the source after a comma is no victim; a named person counts with "the other" ones
    (
        "Troops raided a house, killing three militants, a Taliban spokesman said.",
        [(K, 3, "militants", True)],
    ),
    ("The strike killed Godane and five other fighters.", [(K, 6, "other fighters", False)]),
    ("He took over after his predecessor was killed by the army.", [(K, 1, "predecessor", False)]),
    # "to death" after a past form, before or after the figure
    (
        "Rebels hacked and shot to death at least 14 villagers.",
        [(K, 14, "villagers", False)],
    ),
    ("They hacked 14 villagers to death.", [(K, 14, "villagers", False)]),
    # "them" in the object names the attackers just pursued; the subject does not
    ("Troops pursued the attackers and killed two of them.", [(K, 2, "attackers", True)]),
    ("Gunmen stormed the village and killed two of them.", [(K, 2, None, False)]),
    # a name set off by commas is the same person; companions after "along with" count
    (
        "The blast killed the governor, Mohammad Dawood Muzammil, and two other people.",
        [(K, 3, "governor and other people", False)],
    ),
    ("Gunmen shot dead a judge and his two bodyguards.", [(K, 3, "judge and bodyguards", False)]),
    (
        "A district commissioner was killed along with two of his guards.",
        [(K, 3, "district commissioner and guards", False)],
    ),
    ("The strike killed a commander together with his son.", [(K, 2, "commander and son", False)]),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_find_casualties(sentence: str, expected: list[tuple]) -> None:
    assert summary(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Police found a 12-year-old boy 15 kilometres away.",
        "The campaign vaccinated 2 million children in 2019.",
        "The group paid $500 to 12 families on March 3.",
        "The attack on 3 March was the third in 2019.",
        "The convoy of 40 vehicles left at 5 pm on Monday.",
        "Two people were killed or injured.",
        "The two vaccinators were unhurt.",
        "Officials said 12 people were arrested after the march.",
        "The attack killed 200 cattle.",
        "He was killed in 2019.",
        "Killing and wounding dozens is a war crime.",
        "Five people were not hurt.",
        "A policeman was shot.",
        "A policeman was shot in the leg during the clash.",
        "Two gunmen on a motorcycle shot a shopkeeper.",
        "The unit suffered 7 casualties in the fighting.",
        "The ruling party lost 3 seats in the election.",
        "The club lost 2 members to a rival faction.",
        "The dead and injured included 12 children.",
        "Two soldiers guarding the checkpoint was killed.",  # number disagreement
        "",
    ],
)
def test_figures_without_a_casualty_link_are_ignored(sentence: str) -> None:
    assert find_casualties(sentence) == []


def test_span_covers_the_whole_figure_phrase() -> None:
    text = "Officials said at least 12 soldiers were killed near the border."
    [mention] = find_casualties(text)
    assert mention.text == "at least 12 soldiers were killed"
    assert text[mention.start : mention.end] == mention.text
    assert mention.count == Count(12, 12, None, "at least")


def test_list_counts_are_summed_with_bounds() -> None:
    [mention] = find_casualties("At least two soldiers and a policeman were killed.")
    assert mention.count == Count(3, 3, None, "at least")


def test_mentions_come_in_text_order_across_a_paragraph() -> None:
    text = (
        "A suicide bomber killed 14 worshippers at a mosque on Friday. "
        "Another 30 people were wounded. The bomber also died."
    )
    assert summary(text) == [
        (K, 14, "worshippers", False),
        (J, 30, "people", False),
        (K, 1, "bomber", True),
    ]


def test_phrase_span_runs_from_victims_to_verb() -> None:
    text = "On Monday a policeman guarding vaccinators was shot and wounded in Karachi."
    [mention] = find_casualties(text)
    assert mention.text == "a policeman guarding vaccinators was shot and wounded"
    assert (mention.kind, mention.count.best, mention.victims) == (J, 1, "policeman")


# --------------------------------------------------------------------------- properties

CASUALTY_WORDS = [
    "killed",
    "killing",
    "wounded",
    "injured",
    "were",
    "was",
    "dead",
    "died",
    "people",
    "soldiers",
    "and",
    "a",
    "the",
    "at",
    "least",
    "12",
    "1,200",
    "two",
    "dozens",
    "of",
    "no",
    "one",
    "death",
    "toll",
    "rose",
    "to",
    ",",
    "including",
    "left",
    "March",
    "3",
    "km",
    "between",
    "more",
    "than",
    "attackers",
    "fatally",
    "or",
    "(",
    ")",
    "-",
    "10-15",
    "12-year-old",
    "guarding",
    "who",
    "on",
    "patrol",
    "shot",
    "among",
    "included",
    "lost",
    "alive",
    "burned",
    "later",
    "that",
    "policeman",
    "vaccinators",
    "those",
]


def check_consistent(text: str, mentions: list[CasualtyMention]) -> None:
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.kind in ("killed", "injured")
        count = mention.count
        if count.low is not None and count.best is not None:
            assert count.low <= count.best
        if count.high is not None and count.best is not None:
            assert count.best <= count.high
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    check_consistent(text, find_casualties(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CASUALTY_WORDS), max_size=16))
def test_casualty_word_soup_gives_consistent_mentions(words: list[str]) -> None:
    text = " ".join(words)
    check_consistent(text, find_casualties(text))


@given(
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from(["people", "soldiers", "civilians", "police officers"]),
    st.sampled_from(
        [
            ("were killed", "killed"),
            ("were wounded", "injured"),
            ("died", "killed"),
            ("were injured", "injured"),
        ]
    ),
)
def test_passive_figure_is_read_back(n: int, noun: str, verb: tuple[str, str]) -> None:
    text = f"Officials said {n:,} {noun} {verb[0]} in the attack."
    [mention] = find_casualties(text)
    assert (mention.kind, mention.count.best, mention.victims) == (verb[1], n, noun)


@given(
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from([("killing", "killed"), ("killed", "killed"), ("wounding", "injured")]),
)
def test_active_figure_is_read_back(n: int, verb: tuple[str, str]) -> None:
    text = f"The blast went off on March 3, {verb[0]} {n} people."
    [mention] = find_casualties(text)
    assert (mention.kind, mention.count.best) == (verb[1], n)


# Victims, a phrase describing them, and a verb, assembled in every combination.
VICTIMS = st.sampled_from(
    [
        ("soldier", "soldiers"),
        ("policeman", "policemen"),
        ("aid worker", "aid workers"),
        ("villager", "villagers"),
        ("district official", "district officials"),
    ]
)
PHRASES = st.sampled_from(
    [
        "guarding vaccinators",
        "patrolling the area",
        "travelling with the convoy",
        "escorting the governor",
        "on patrol",
        "at the checkpoint",
        "from the village",
        "near the border",
        "based in the town",
        "stationed there",
        "who {aux} on duty",
        "who {aux} returning home",
        "that {aux} on guard duty at the gate",
        "who had gathered at the market",
        "caught in the crossfire",
    ]
)
VERBS = st.sampled_from(
    [
        ("{aux} killed", K),
        ("{aux} shot dead", K),
        ("{aux} gunned down", K),
        ("{aux} beheaded", K),
        ("{aux} hacked to death", K),
        ("{aux} burned alive", K),
        ("{aux} shot and killed", K),
        ("later died", K),
        ("{aux} shot and wounded", J),
        ("{aux} seriously injured", J),
        ("{aux} hurt", J),
        ("{aux} maimed", J),
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.just(1), st.integers(min_value=2, max_value=10**5)),
    VICTIMS,
    PHRASES,
    VERBS,
    st.booleans(),
)
def test_figure_is_read_across_a_describing_phrase(
    n: int, victim: tuple[str, str], phrase: str, verb: tuple[str, str], digits: bool
) -> None:
    aux = "was" if n == 1 else "were"
    figure = (
        ("a" if victim[0][0] not in "aeiou" else "an")
        if n == 1
        else (f"{n:,}" if digits else f"{n:,} of the")
    )
    noun = victim[0] if n == 1 else victim[1]
    text = (
        f"Officials said {figure} {noun} {phrase.format(aux=aux)} "
        f"{verb[0].format(aux=aux)} in the attack."
    )
    [mention] = find_casualties(text)
    assert (mention.kind, mention.count.best, mention.victims) == (verb[1], n, noun)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=2, max_value=10**5),
    st.integers(min_value=1, max_value=10**5),
    VICTIMS,
    PHRASES,
)
def test_subject_of_an_active_verb_is_never_counted(
    n: int, m: int, victim: tuple[str, str], phrase: str
) -> None:
    text = f"{n} {victim[1]} {phrase.format(aux='were')} killed {m} militants."
    [mention] = find_casualties(text)
    assert (mention.kind, mention.count.best, mention.victims) == (K, m, "militants")


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**5),
    VICTIMS,
    PHRASES,
    st.sampled_from(["", " in the leg", " by unknown gunmen", " at close range"]),
)
def test_shot_without_an_outcome_is_not_coded(
    n: int, victim: tuple[str, str], phrase: str, tail: str
) -> None:
    aux = "was" if n == 1 else "were"
    noun = victim[0] if n == 1 else victim[1]
    text = f"{n:,} {noun} {phrase.format(aux=aux)} {aux} shot{tail}."
    assert find_casualties(text) == []
