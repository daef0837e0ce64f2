"""Tests for date expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchfloor.errors import BadDate
from watchfloor.pipeline.dates import DateMention, find_dates, parse_published, rebase

WED = date(2020, 5, 13)  # a Wednesday
FRI = date(2020, 5, 15)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def only(text: str, published: date = WED) -> DateMention:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    return mentions[0]


def d(iso: str) -> date:
    return date.fromisoformat(iso)


# (sentence, expected span text, earliest, latest, precision), published on Wednesday 2020-05-13
CASES = [
    (
        "Gunmen attacked a checkpoint on Wednesday, police said.",
        "on Wednesday",
        "2020-05-13",
        "2020-05-13",
        "day",
    ),
    ("The bomb went off Monday in the market.", "Monday", "2020-05-11", "2020-05-11", "day"),
    ("Fighting broke out late on Monday.", "late on Monday", "2020-05-11", "2020-05-11", "day"),
    (
        "Rebels attacked the base on Monday night.",
        "on Monday night",
        "2020-05-11",
        "2020-05-11",
        "day",
    ),
    ("Last Friday a convoy was ambushed.", "Last Friday", "2020-05-08", "2020-05-08", "day"),
    (
        "On Sunday evening a blast hit the mosque.",
        "On Sunday evening",
        "2020-05-10",
        "2020-05-10",
        "day",
    ),
    ("Thursday's attack was claimed by the group.", "Thursday", "2020-05-07", "2020-05-07", "day"),
    ("Protesters gathered again today.", "today", "2020-05-13", "2020-05-13", "day"),
    ("Shelling resumed this morning.", "this morning", "2020-05-13", "2020-05-13", "day"),
    ("A curfew begins tonight.", "tonight", "2020-05-13", "2020-05-13", "day"),
    ("Two people were killed yesterday.", "yesterday", "2020-05-12", "2020-05-12", "day"),
    ("Troops raided the village last night.", "last night", "2020-05-12", "2020-05-12", "day"),
    (
        "The raid happened the day before yesterday.",
        "the day before yesterday",
        "2020-05-11",
        "2020-05-11",
        "day",
    ),
    ("Clashes continued overnight.", "overnight", "2020-05-12", "2020-05-13", "day"),
    ("Police made arrests last week.", "last week", "2020-05-04", "2020-05-10", "week"),
    (
        "Earlier this week the army said it had retaken the town.",
        "Earlier this week",
        "2020-05-11",
        "2020-05-13",
        "week",
    ),
    ("The group was banned last month.", "last month", "2020-04-01", "2020-04-30", "month"),
    (
        "Talks collapsed earlier this month.",
        "earlier this month",
        "2020-05-01",
        "2020-05-13",
        "month",
    ),
    ("The militia was formed last year.", "last year", "2019-01-01", "2019-12-31", "year"),
    (
        "Attacks have doubled earlier this year.",
        "earlier this year",
        "2020-01-01",
        "2020-05-13",
        "year",
    ),
    ("The group was founded in 2014.", "in 2014", "2014-01-01", "2014-12-31", "year"),
    ("Kidnappings peaked in March.", "in March", "2020-03-01", "2020-03-31", "month"),
    ("Kidnappings peaked in June.", "in June", "2019-06-01", "2019-06-30", "month"),
    ("The offensive began in May.", "in May", "2020-05-01", "2020-05-13", "month"),
    (
        "The ceasefire was signed in March 2019.",
        "in March 2019",
        "2019-03-01",
        "2019-03-31",
        "month",
    ),
    ("The siege started last March.", "last March", "2020-03-01", "2020-03-31", "month"),
    ("Fighting escalated in late March.", "in late March", "2020-03-21", "2020-03-31", "month"),
    ("He was detained on March 3 in the capital.", "on March 3", "2020-03-03", "2020-03-03", "day"),
    ("He was detained on June 3 in the capital.", "on June 3", "2019-06-03", "2019-06-03", "day"),
    (
        "The verdict of March 3, 2019 was appealed.",
        "March 3, 2019",
        "2019-03-03",
        "2019-03-03",
        "day",
    ),
    ("Voting took place on 3 March 2019.", "on 3 March 2019", "2019-03-03", "2019-03-03", "day"),
    (
        "Voting took place on the 3rd of March.",
        "on the 3rd of March",
        "2020-03-03",
        "2020-03-03",
        "day",
    ),
    ("The report is dated 2019-03-03.", "2019-03-03", "2019-03-03", "2019-03-03", "day"),
    (
        "Clashes between March 3 and 5 left dozens dead.",
        "between March 3 and 5",
        "2020-03-03",
        "2020-03-05",
        "week",
    ),
    (
        "Clashes from 3 to 5 March left dozens dead.",
        "from 3 to 5 March",
        "2020-03-03",
        "2020-03-05",
        "week",
    ),
    (
        "Clashes on April 10-11 left dozens dead.",
        "on April 10-11",
        "2020-04-10",
        "2020-04-11",
        "day",
    ),
    (
        "Clashes between March 25 and April 20 displaced thousands.",
        "between March 25 and April 20",
        "2020-03-25",
        "2020-04-20",
        "month",
    ),
    ("The group emerged in the 1990s.", "in the 1990s", "1990-01-01", "1999-12-31", "year"),
    ("Two days ago gunmen stormed a school.", "Two days ago", "2020-05-11", "2020-05-11", "day"),
    ("The ambush happened three weeks ago.", "three weeks ago", "2020-04-19", "2020-04-25", "week"),
    ("The town fell a month ago.", "a month ago", "2020-03-29", "2020-04-28", "month"),
    ("Riots broke out last weekend.", "last weekend", "2020-05-09", "2020-05-10", "day"),
    ("Riots broke out over the weekend.", "over the weekend", "2020-05-09", "2020-05-10", "day"),
    (
        "Between March and April fighting continued.",
        "Between March and April",
        "2020-03-01",
        "2020-04-30",
        "month",
    ),
    (
        "From 2015 to 2018 the group expanded.",
        "From 2015 to 2018",
        "2015-01-01",
        "2018-12-31",
        "year",
    ),
    ("The group grew in early 2019.", "in early 2019", "2019-01-01", "2019-04-30", "year"),
    ("The deal was signed on 03/04/2019.", "03/04/2019", "2019-04-03", "2019-04-03", "day"),
    ("The deal was signed on 12/25/2019.", "12/25/2019", "2019-12-25", "2019-12-25", "day"),
    (
        "It happened on Monday, May 4, near the border.",
        "on Monday, May 4",
        "2020-05-04",
        "2020-05-04",
        "day",
    ),
    ("Survivors of the 2015 massacre testified.", "2015", "2015-01-01", "2015-12-31", "year"),
    ("The 3 March attack was claimed.", "3 March", "2020-03-03", "2020-03-03", "day"),
    (
        "The station was hit on Sept. 11, 2001.",
        "on Sept. 11, 2001",
        "2001-09-11",
        "2001-09-11",
        "day",
    ),
]


@pytest.mark.parametrize(("sentence", "span", "earliest", "latest", "precision"), CASES)
def test_resolves_expression(
    sentence: str, span: str, earliest: str, latest: str, precision: str
) -> None:
    mention = only(sentence)
    assert mention.text == span
    assert sentence[mention.start : mention.end] == span
    assert (mention.earliest, mention.latest) == (d(earliest), d(latest))
    assert mention.precision == precision
    assert not mention.anaphoric
    assert mention.offset_days is None


def test_same_weekday_is_publication_day_but_last_goes_back_a_week() -> None:
    assert only("The attack happened on Friday.", FRI).earliest == FRI
    assert only("The attack happened last Friday.", FRI).earliest == FRI - timedelta(days=7)


def test_next_weekday_is_explicitly_future() -> None:
    assert only("Talks resume next Monday.").earliest == d("2020-05-18")


def test_explicit_future_year_is_kept() -> None:
    assert only("Elections are due on March 3, 2021.").earliest == d("2021-03-03")


ANAPHORIC = [
    ("Five days earlier, a bomb hit the market.", "Five days earlier", -5, "day"),
    ("Two days later, the group claimed it.", "Two days later", 2, "day"),
    ("The previous day, police had raided a house.", "The previous day", -1, "day"),
    ("Police had raided a house the day before.", "the day before", -1, "day"),
    ("The next day the bodies were found.", "The next day", 1, "day"),
    ("A day later, the group claimed it.", "A day later", 1, "day"),
    ("A week earlier, gunmen had attacked.", "A week earlier", -7, "week"),
    ("Later that day a second blast hit.", "Later that day", 0, "day"),
]


@pytest.mark.parametrize(("sentence", "span", "offset", "precision"), ANAPHORIC)
def test_anaphoric_offsets(sentence: str, span: str, offset: int, precision: str) -> None:
    mention = only(sentence)
    assert mention.text == span
    assert mention.anaphoric
    assert mention.offset_days == offset
    assert mention.precision == precision
    assert mention.earliest == mention.latest == WED + timedelta(days=offset)


def test_rebase_moves_anaphoric_mention_to_anchor() -> None:
    mention = only("Five days earlier, a bomb hit the market.")
    moved = rebase(mention, date(2019, 1, 10))
    assert (moved.earliest, moved.latest, moved.best) == (date(2019, 1, 5),) * 3
    assert (moved.start, moved.end, moved.text) == (mention.start, mention.end, mention.text)


def test_rebase_leaves_absolute_mentions_alone() -> None:
    mention = only("Police made arrests last week.")
    assert rebase(mention, date(2001, 1, 1)) == mention


def test_best_is_mid_point() -> None:
    mention = only("Police made arrests last week.")
    assert mention.best == d("2020-05-07")
    assert only("The town fell in 2014.").best == d("2014-07-02")


@pytest.mark.parametrize(
    "sentence",
    [
        "Protesters may march on the capital if talks fail.",
        "A march was held in the city centre.",
        "The March 23 Movement rebels seized the town.",
        "Officials said the army may deploy more troops.",
        "The group has 2000 fighters and 300 vehicles.",
        "The 2000 fighters withdrew.",
        "MAY DAY RALLY",
    ],
)
def test_words_that_look_like_dates_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence, WED) == []


def test_longest_expression_wins_and_results_are_sorted() -> None:
    text = "On Monday, May 4, gunmen attacked; two days later, on May 6, troops responded."
    mentions = find_dates(text, WED)
    assert [m.text for m in mentions] == ["On Monday, May 4", "two days later", "on May 6"]
    assert [m.earliest for m in mentions] == [d("2020-05-04"), d("2020-05-15"), d("2020-05-06")]


def test_bare_month_day_in_future_month_goes_to_previous_year() -> None:
    assert only("The raid on December 24 killed two.").earliest == d("2019-12-24")


def test_feb_29_without_year_uses_the_last_leap_year() -> None:
    assert only("The raid on February 29 killed two.", date(2021, 3, 1)).earliest == d("2020-02-29")


# --------------------------------------------------------------------------- parse_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-05-13", date(2020, 5, 13)),
        ("2020-05-13T08:30:00Z", date(2020, 5, 13)),
        ("2020-05-13T23:59:59+05:30", date(2020, 5, 13)),
        ("2020-05-13 08:30", date(2020, 5, 13)),
    ],
)
def test_parse_published_accepts_iso(value: str, expected: date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "13/05/2020",
        "May 13, 2020",
        "2020-5-13",
        "2020-02-30",
        "",
        "yesterday",
        "2020-05-13T25:00:00",
    ],
)
def test_parse_published_rejects_everything_else(value: str) -> None:
    with pytest.raises(ValueError, match="published date"):
        parse_published(value)
    with pytest.raises(BadDate):
        parse_published(value)


# --------------------------------------------------------------------------- properties

published_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
DATE_WORDS = [
    "on",
    "in",
    "last",
    "Monday",
    "March",
    "May",
    "3",
    "2019",
    "the",
    "day",
    "before",
    "yesterday",
    "week",
    "ago",
    "two",
    "earlier",
    "later",
    "between",
    "and",
    "to",
    "-",
    "1990s",
    "3rd",
    "of",
    ",",
    "12/25/2019",
    "2019-03-03",
    "this",
    "month",
    "overnight",
    "weekend",
    "next",
    "late",
    "early",
    "Friday",
]


def check_consistent(text: str, mentions: list[DateMention]) -> None:
    previous_end = 0
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= previous_end  # sorted and non-overlapping
        previous_end = mention.end
        assert mention.earliest <= mention.best <= mention.latest
        assert mention.anaphoric == (mention.offset_days is not None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), published_dates)
def test_arbitrary_text_gives_consistent_mentions(text: str, published: date) -> None:
    check_consistent(text, find_dates(text, published))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DATE_WORDS), max_size=14), published_dates)
def test_date_like_word_soup_gives_consistent_mentions(words: list[str], published: date) -> None:
    text = " ".join(words)
    check_consistent(text, find_dates(text, published))


@given(published_dates, st.sampled_from(WEEKDAYS), st.sampled_from(["on ", "", "late on "]))
def test_weekday_is_the_latest_such_day_not_after_publication(
    published: date, weekday: str, prefix: str
) -> None:
    mention = only(f"Gunmen struck {prefix}{weekday}.", published)
    assert mention.earliest == mention.latest
    assert mention.earliest.weekday() == WEEKDAYS.index(weekday)
    assert 0 <= (published - mention.earliest).days <= 6


@given(published_dates, st.integers(min_value=1, max_value=12), st.integers(1, 28))
def test_month_day_without_year_is_within_the_past_year(
    published: date, month: int, day: int
) -> None:
    mention = only(f"Troops withdrew on {MONTHS[month - 1]} {day}.", published)
    assert mention.precision == "day"
    assert (mention.earliest.month, mention.earliest.day) == (month, day)
    assert 0 <= (published - mention.earliest).days < 366


@given(published_dates, st.integers(min_value=1, max_value=12))
def test_bare_month_never_starts_after_publication(published: date, month: int) -> None:
    mention = only(f"Attacks increased in {MONTHS[month - 1]}.", published)
    assert mention.earliest.month == month
    assert mention.earliest <= published
    assert mention.latest <= published
    assert mention.precision == "month"


@given(published_dates, st.integers(min_value=-60, max_value=60), st.dates())
def test_rebase_applies_the_offset_to_the_anchor(published: date, n: int, anchor: date) -> None:
    if n == 0 or not (date(1, 3, 1) < anchor < date(9999, 10, 1)):
        return
    word = "earlier" if n < 0 else "later"
    mention = only(f"{abs(n)} days {word}, the group struck again.", published)
    assert mention.offset_days == n
    assert rebase(mention, anchor).best == anchor + timedelta(days=n)
