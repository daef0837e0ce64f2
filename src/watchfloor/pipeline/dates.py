"""Find date expressions in news text and resolve them against the publication date.

News reports past events, so every expression without an explicit year or direction is read
as the most recent matching date on or before publication ("on Wednesday", "in March",
"on March 3"). Each mention carries the window it denotes (``earliest``..``latest``) and a
precision, so later stages can code ACLED-style time precision without re-parsing.

Expressions that count from another event ("five days earlier", "the next day") are marked
``anaphoric`` with their day offset; their window defaults to publication + offset and
``rebase`` moves them onto the date of the event they refer to.

Month names only count when capitalised and in a date context (a preposition, a modifier, a
day number or a year), so the verb "may" and the noun "a march" never become dates.
``dateparser`` is used only for numeric dates such as 03/04/2019, whose day/month order we
cannot settle with a regex alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

import dateparser

from watchfloor.errors import BadDate

Precision = Literal["day", "week", "month", "year"]

__all__ = [
    "DateMention",
    "Precision",
    "PublishedDateError",
    "find_dates",
    "parse_published",
    "rebase",
]


class PublishedDateError(BadDate, ValueError):
    """A publication date that is not ISO YYYY-MM-DD; also a ValueError for plain callers."""


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression: where it is, the window it denotes, and how precise it is."""

    start: int
    end: int
    text: str
    earliest: date
    latest: date
    precision: Precision
    anaphoric: bool = False
    offset_days: int | None = None

    @property
    def best(self) -> date:
        """The mid-point of the window (rounded towards the earlier day)."""
        return self.earliest + timedelta(days=(self.latest - self.earliest).days // 2)


# --------------------------------------------------------------------------- vocabulary

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_SMALL_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "a couple of": 2,
    "a few": 3,
    "several": 3,
}

# Capitalised month names (case-sensitive on purpose); abbreviations may carry a period.
_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
    r"(?![A-Za-z])"
)
_FULL_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)(?![A-Za-z])"
)
_WEEKDAY = r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![A-Za-z])"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?![\d])"
_NUMWORD = (
    r"(?i:\d{1,3}|a couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine"
    r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|twenty|thirty)"
)
# Organisations named after dates ("March 23 Movement") are not dates.
_NOT_ORG = r"(?!\s+(?:Movement|Brigades?|Alliance|Coalition|Group|Front|Revolution|Martyrs))"
# Plural nouns that show "the 2000 ..." is a count, not a year.
_COUNTED = (
    r"(?:people|persons|fighters|soldiers|troops|civilians|members|families|residents|refugees"
    r"|men|women|children|households|homes|houses|students|police|officers|militants|others"
    r"|more|or|to|and|of|km|kilometres|kilometers|miles|metres|meters|tons|tonnes|dollars)\b"
)
_PREP = r"(?i:on|in|since|by|until|till|from|during|through|throughout|before|after|of)"
_MOD = r"(?i:early|late|mid-?|the\s+(?:end|start|beginning|middle)\s+of)"
_RANGE_SEP = r"\s*(?:(?i:and|to|until|till|through|thru)|[-–—])\s*"
_DASH = r"\s*[-–—]\s*"


def _w(pattern: str) -> str:
    """Wrap plain words so they match in any case, leaving month names case-sensitive."""
    return f"(?i:{pattern})"


# --------------------------------------------------------------------------- date helpers


def _month_number(token: str) -> int:
    return _MONTHS[token.strip(".")[:3].lower()]


def _day_number(token: str) -> int:
    return int(re.match(r"\d+", token).group(0))  # type: ignore[union-attr]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _past_day(published: date, month: int, day: int) -> date:
    """The most recent ``month/day`` on or before publication (raises for impossible days)."""
    candidate = date(published.year, month, day) if _valid(published.year, month, day) else None
    if candidate is None or candidate > published:
        return date(published.year - 1, month, day)
    return candidate


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _past_month_year(published: date, month: int) -> int:
    """The year of the most recent month named ``month`` that has begun by publication."""
    return published.year if month <= published.month else published.year - 1


def _width_precision(earliest: date, latest: date) -> Precision:
    """Precision of an explicit range from its width, for ranges the text spells out."""
    days = (latest - earliest).days
    if days <= 1:
        return "day"
    if days <= 7:
        return "week"
    if days <= 31:
        return "month"
    return "year"


def _month_window(year: int, month: int, modifier: str | None) -> tuple[date, date]:
    """A whole month, or its first/middle/last third for 'early'/'mid'/'late' March."""
    first, last = date(year, month, 1), _month_end(year, month)
    mod = (modifier or "").lower()
    if mod.startswith("early") or "start" in mod or "beginning" in mod:
        return first, date(year, month, 10)
    if mod.startswith("mid") or "middle" in mod:
        return date(year, month, 11), date(year, month, 20)
    if mod.startswith("late") or "end" in mod:
        return date(year, month, 21), last
    return first, last


def _year_window(year: int, modifier: str | None) -> tuple[date, date]:
    """A whole year, or its first/middle/last third for 'early'/'mid'/'late' 2019."""
    mod = (modifier or "").lower()
    if mod.startswith("early") or "start" in mod or "beginning" in mod:
        return date(year, 1, 1), date(year, 4, 30)
    if mod.startswith("mid") or "middle" in mod:
        return date(year, 5, 1), date(year, 8, 31)
    if mod.startswith("late") or "end" in mod:
        return date(year, 9, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def _clip(latest: date, published: date) -> date:
    return min(latest, published)


def _count(token: str) -> int:
    token = " ".join(token.lower().split())
    return int(token) if token.isdigit() else _SMALL_NUMBERS[token]


# --------------------------------------------------------------------------- resolvers
# Each resolver gets the match and the publication date and returns
# (earliest, latest, precision, anaphoric offset or None), or None to reject the match.

_Window = tuple[date, date, Precision, int | None]
_Resolver = Callable[[re.Match[str], date], "_Window | None"]


def _iso(m: re.Match[str], published: date) -> _Window | None:
    day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    return day, day, "day", None


def _explicit_day(m: re.Match[str], published: date) -> _Window | None:
    month, day = _month_number(m["mon"]), _day_number(m["d"])
    when = date(int(m["y"]), month, day) if m["y"] else _past_day(published, month, day)
    return when, when, "day", None


def _day_range(m: re.Match[str], published: date) -> _Window | None:
    month2 = _month_number(m["mon2"]) if m["mon2"] else None
    month1 = _month_number(m["mon1"]) if m["mon1"] else month2
    month2 = month2 or month1
    if month1 is None or month2 is None:
        return None
    d1, d2 = _day_number(m["d1"]), _day_number(m["d2"])
    if m["y"]:
        year2 = int(m["y"])
    else:
        year2 = published.year
        if not _valid(year2, month2, d2) or date(year2, month2, d2) > published:
            year2 -= 1
    year1 = year2 if (month1, d1) <= (month2, d2) else year2 - 1
    earliest, latest = date(year1, month1, d1), date(year2, month2, d2)
    if (latest - earliest).days > 366:
        return None
    return earliest, latest, _width_precision(earliest, latest), None


def _numeric(m: re.Match[str], published: date) -> _Window | None:
    base = dt.datetime(published.year, published.month, published.day)
    settings = {"STRICT_PARSING": True, "PREFER_DATES_FROM": "past", "RELATIVE_BASE": base}
    parsed = dateparser.parse(
        m.group(0), languages=["en"], settings={**settings, "DATE_ORDER": "DMY"}
    )
    if parsed is not None and parsed.date() > published:
        other = dateparser.parse(
            m.group(0), languages=["en"], settings={**settings, "DATE_ORDER": "MDY"}
        )
        if other is not None and other.date() <= published:
            parsed = other
    if parsed is None:
        return None
    when = parsed.date()
    return when, when, "day", None


def _month_year(m: re.Match[str], published: date) -> _Window | None:
    earliest, latest = _month_window(int(m["y"]), _month_number(m["mon"]), m["mod"])
    return earliest, latest, "month", None


def _bare_month(m: re.Match[str], published: date) -> _Window | None:
    month = _month_number(m["mon"])
    last = (m["ctx"] or "").lower().startswith("last")
    if last:
        year = published.year if month < published.month else published.year - 1
    else:
        year = _past_month_year(published, month)
    earliest, latest = _month_window(year, month, m["mod"])
    if earliest > published:
        return None
    return earliest, _clip(latest, published), "month", None


def _month_range(m: re.Match[str], published: date) -> _Window | None:
    month1, month2 = _month_number(m["mon1"]), _month_number(m["mon2"])
    year2 = int(m["y"]) if m["y"] else _past_month_year(published, month2)
    year1 = year2 if month1 <= month2 else year2 - 1
    latest = _month_end(year2, month2)
    if not m["y"]:
        latest = _clip(latest, published)
    return date(year1, month1, 1), latest, "month", None


def _year(m: re.Match[str], published: date) -> _Window | None:
    earliest, latest = _year_window(int(m["y"]), m["mod"] or m["mod2"])
    return earliest, latest, "year", None


def _year_range(m: re.Match[str], published: date) -> _Window | None:
    first, last = int(m["y1"]), int(m["y2"])
    if first > last:
        return None
    return date(first, 1, 1), date(last, 12, 31), "year", None


def _decade(m: re.Match[str], published: date) -> _Window | None:
    start = int(m["y"])
    mod = (m["mod"] or "").lower()
    if mod.startswith("early"):
        return date(start, 1, 1), date(start + 3, 12, 31), "year", None
    if mod.startswith("mid"):
        return date(start + 4, 1, 1), date(start + 6, 12, 31), "year", None
    if mod.startswith("late"):
        return date(start + 7, 1, 1), date(start + 9, 12, 31), "year", None
    return date(start, 1, 1), date(start + 9, 12, 31), "year", None


def _weekday(m: re.Match[str], published: date) -> _Window | None:
    target = _WEEKDAYS[m["wd"].lower()]
    ctx = " ".join((m["ctx"] or "").lower().split())
    if ctx.startswith("next") or ctx.startswith("this coming"):
        ahead = (target - published.weekday()) % 7 or 7
        when = published + timedelta(days=ahead)
        return when, when, "day", None
    back = (published.weekday() - target) % 7
    if ctx.startswith("last") or ctx.startswith("this past") or ctx.startswith("past"):
        back = back or 7
    when = published - timedelta(days=back)
    if m["overnight"] or (m["part"] or "").lower() == "overnight":
        return when, _clip(when + timedelta(days=1), published), "day", None
    return when, when, "day", None


def _fixed(offset: int) -> _Resolver:
    def resolve(m: re.Match[str], published: date) -> _Window | None:
        when = published + timedelta(days=offset)
        return when, when, "day", None

    return resolve


def _overnight(m: re.Match[str], published: date) -> _Window | None:
    return published - timedelta(days=1), published, "day", None


def _this_period(m: re.Match[str], published: date) -> _Window | None:
    unit = m["unit"].lower()
    if unit == "week":
        return published - timedelta(days=published.weekday()), published, "week", None
    if unit == "month":
        return published.replace(day=1), published, "month", None
    return date(published.year, 1, 1), published, "year", None


def _last_period(m: re.Match[str], published: date) -> _Window | None:
    unit = m["unit"].lower()
    if unit == "week":
        monday = published - timedelta(days=published.weekday() + 7)
        return monday, monday + timedelta(days=6), "week", None
    if unit == "month":
        first = _shift_months(published.replace(day=1), -1)
        return first, _month_end(first.year, first.month), "month", None
    return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), "year", None


def _past_period(m: re.Match[str], published: date) -> _Window | None:
    unit = m["unit"].lower()
    span = {"week": 7, "month": 30, "year": 365}[unit]
    precision: Precision = "week" if unit == "week" else "month" if unit == "month" else "year"
    return published - timedelta(days=span), published, precision, None


def _weekend(m: re.Match[str], published: date) -> _Window | None:
    last = m["which"].lower() == "last"
    if last:
        sunday = published - timedelta(days=(published.weekday() - 6) % 7 or 7)
        return sunday - timedelta(days=1), sunday, "day", None
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)
    return saturday, _clip(saturday + timedelta(days=1), published), "day", None


def _ago(m: re.Match[str], published: date) -> _Window | None:
    n = _count(m["n"])
    unit = m["unit"].lower()
    vague = m["n"].lower() in ("a few", "several", "a couple of")
    if unit == "day":
        when = published - timedelta(days=n)
        if vague:
            return when - timedelta(days=2), when + timedelta(days=1), "week", None
        return when, when, "day", None
    if unit == "week":
        centre = published - timedelta(days=7 * n)
        latest = _clip(centre + timedelta(days=3), published)
        return centre - timedelta(days=3), latest, "week", None
    if unit == "month":
        centre = _shift_months(published, -n)
        return (
            centre - timedelta(days=15),
            _clip(centre + timedelta(days=15), published),
            "month",
            None,
        )
    year = published.year - n
    return date(year, 1, 1), date(year, 12, 31), "year", None


def _on_the_day(m: re.Match[str], published: date) -> _Window | None:
    day = _day_number(m["d"])
    month_start = published.replace(day=1)
    if day > published.day:
        month_start = _shift_months(month_start, -1)
    if not _valid(month_start.year, month_start.month, day):
        return None
    when = month_start.replace(day=day)
    return when, when, "day", None


def _relative_offset(m: re.Match[str], published: date) -> _Window | None:
    n = _count(m["n"])
    unit = m["unit"].lower()
    sign = -1 if m["dir"].lower() in ("earlier", "before", "previously", "prior", "ago") else 1
    days = n * {"day": 1, "week": 7, "month": 30}[unit]
    offset = sign * days
    precision: Precision = "day" if unit == "day" else "week" if unit == "week" else "month"
    when = published + timedelta(days=offset)
    return when, when, precision, offset


def _anaphor(offset: int, precision: Precision = "day") -> _Resolver:
    def resolve(m: re.Match[str], published: date) -> _Window | None:
        when = published + timedelta(days=offset)
        return when, when, precision, offset

    return resolve


# --------------------------------------------------------------------------- patterns

_LEAD_WEEKDAY = rf"(?:(?:{_w('on')}\s+)?{_WEEKDAY},?\s+)?"
_LEAD_PREP = rf"(?:{_w('on|in|since|by|until|till|from|during|before|after')}\s+)?"

_PATTERNS: tuple[tuple[str, _Resolver], ...] = (
    (r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])", _iso),
    (r"(?<![\d/.])\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])", _numeric),
    (r"(?<![\d/.])\d{1,2}\.\d{1,2}\.\d{4}(?![\d.])", _numeric),
    # March 3, 2019 / on Monday, March 3 / on March 3rd
    (
        rf"{_LEAD_WEEKDAY}{_LEAD_PREP}(?P<mon>{_MONTH})\s+(?P<d>{_DAY})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?{_NOT_ORG}",
        _explicit_day,
    ),
    # 3 March 2019 / on the 3rd of March
    (
        rf"{_LEAD_WEEKDAY}{_LEAD_PREP}(?:{_w('the')}\s+(?=\d+(?i:st|nd|rd|th)))?(?P<d>{_DAY})"
        rf"\s+(?:{_w('of')}\s+)?"
        rf"(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?{_NOT_ORG}",
        _explicit_day,
    ),
    # between March 3 and 5 / from March 3 to April 5 / March 3-5
    (
        rf"{_w('between|from')}\s+(?P<mon1>{_MONTH})\s+(?P<d1>{_DAY}){_RANGE_SEP}"
        rf"(?:(?P<mon2>{_MONTH})\s+)?(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
        _day_range,
    ),
    (
        rf"{_LEAD_PREP}(?P<mon1>{_MONTH})\s+(?P<d1>{_DAY}){_DASH}(?P<mon2>)(?P<d2>{_DAY})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?",
        _day_range,
    ),
    # between 3 and 5 March / from 3 March to 5 April / 3-5 March
    (
        rf"{_w('between|from')}\s+(?P<d1>{_DAY})(?:\s+(?P<mon1>{_MONTH}))?{_RANGE_SEP}"
        rf"(?P<d2>{_DAY})\s+(?:{_w('of')}\s+)?(?P<mon2>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
        _day_range,
    ),
    (
        rf"{_LEAD_PREP}(?P<d1>{_DAY})(?P<mon1>){_DASH}(?P<d2>{_DAY})\s+(?P<mon2>{_MONTH})"
        rf"(?:,?\s+(?P<y>{_YEAR}))?",
        _day_range,
    ),
    # between March and May 2019
    (
        rf"{_w('between|from')}\s+(?P<mon1>{_FULL_MONTH})\s+{_w('and|to|until|through')}\s+"
        rf"(?P<mon2>{_FULL_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
        _month_range,
    ),
    # in (early) March 2019
    (rf"{_LEAD_PREP}(?:(?P<mod>{_MOD})\s*)?(?P<mon>{_MONTH}),?\s+(?P<y>{_YEAR})", _month_year),
    # in March / last March / since early March  (context word required)
    (
        rf"(?P<ctx>{_w('last|this|in|on|since|by|until|till|during|through|throughout|from|of')}"
        rf"\s+|(?={_MOD}))(?:(?P<mod>{_MOD})\s*)?(?P<mon>{_FULL_MONTH}){_NOT_ORG}",
        _bare_month,
    ),
    # in 2020 / since early 2019
    (
        rf"(?:{_PREP}\s+(?:(?P<mod>{_MOD})\s*)?|(?P<mod2>{_MOD})\s*)(?<![\d,.])(?P<y>{_YEAR})"
        r"(?![-–]\d)(?!\s*(?:%|per\s*cent|percent))",
        _year,
    ),
    # "the 2019 attack": a year used as a modifier of an event noun
    (rf"(?<=[Tt]he\s)(?P<y>{_YEAR})(?=\s+[a-z])(?!\s+{_COUNTED})(?P<mod>)(?P<mod2>)", _year),
    (rf"{_w('between|from')}\s+(?P<y1>{_YEAR}){_RANGE_SEP}(?P<y2>{_YEAR})", _year_range),
    (
        rf"(?:{_PREP}\s+)?{_w('the')}\s+(?:(?P<mod>{_w('early|mid|late')})-?\s*)?"
        r"(?P<y>(?:1[89]|20)\d0)'?s(?![A-Za-z])",
        _decade,
    ),
    # weekdays
    (
        rf"(?P<overnight>{_w('overnight')}\s+(?:{_w('on|of|into')}\s+)?)?"
        rf"(?P<ctx>{_w('late|early')}\s+(?:{_w('on')}\s+)?|{_w('on|last|next|this past|past')}"
        rf"\s+|{_w('this coming')}\s+)?(?P<wd>{_WEEKDAY})"
        rf"(?:\s+(?P<part>{_w('morning|afternoon|evening|night|overnight')}))?",
        _weekday,
    ),
    # today / yesterday / the day before yesterday / overnight
    (
        _w(
            r"(?:(?:early|late|earlier|later)\s+)?today|this\s+(?:morning|afternoon|evening)"
            r"|tonight|(?:early|late)\s+this\s+morning"
        ),
        _fixed(0),
    ),
    (
        _w(r"(?:(?:early|late)\s+)?yesterday(?:\s+(?:morning|afternoon|evening))?|last\s+night"),
        _fixed(-1),
    ),
    (_w(r"the\s+day\s+before\s+yesterday"), _fixed(-2)),
    (_w(r"overnight"), _overnight),
    (_w(r"(?:(?:earlier|later)\s+)?this\s+(?P<unit>week|month|year)"), _this_period),
    (_w(r"last\s+(?P<unit>week|month|year)"), _last_period),
    (_w(r"(?:the\s+)?(?:past|last)\s+(?P<unit>week|month|year)"), _past_period),
    (_w(r"(?P<which>last|this|over\s+the|at\s+the|during\s+the)\s+weekend"), _weekend),
    (rf"(?P<n>{_NUMWORD})\s+{_w('(?P<unit>day|week|month|year)s?')}\s+{_w('ago')}", _ago),
    (_w(r"on\s+the\s+(?P<d>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))(?!\s+of)"), _on_the_day),
    # anaphoric: relative to another event
    (
        rf"(?P<n>{_NUMWORD})\s+{_w('(?P<unit>day|week|month)s?')}\s+"
        rf"{_w('(?P<dir>earlier|later|before|after|previously|prior)')}(?![A-Za-z])",
        _relative_offset,
    ),
    (
        _w(
            r"the\s+(?:previous|preceding)\s+(?:day|night|evening|morning)|the\s+(?:day|night)"
            r"\s+before|a\s+day\s+(?:earlier|before)"
        ),
        _anaphor(-1),
    ),
    (
        _w(
            r"the\s+(?:next|following)\s+(?:day|night|evening|morning)|the\s+day\s+after"
            r"|a\s+day\s+later"
        ),
        _anaphor(1),
    ),
    (
        _w(r"the\s+(?:previous|preceding)\s+week|a\s+week\s+(?:earlier|before)"),
        _anaphor(-7, "week"),
    ),
    (_w(r"the\s+(?:next|following)\s+week|a\s+week\s+later"), _anaphor(7, "week")),
    (
        _w(
            r"(?:on\s+)?(?:the|that)\s+same\s+day|(?:later|earlier)\s+that\s+"
            r"(?:day|night|morning|evening)|that\s+(?:night|evening)|(?:hours|minutes|moments)\s+"
            r"(?:later|earlier)"
        ),
        _anaphor(0),
    ),
)

_COMPILED: tuple[tuple[re.Pattern[str], _Resolver], ...] = tuple(
    (re.compile(rf"(?<![A-Za-z0-9]){pattern}"), resolver) for pattern, resolver in _PATTERNS
)


# --------------------------------------------------------------------------- public API


def find_dates(text: str, published: date) -> list[DateMention]:
    """All date expressions in ``text``, resolved against ``published``, sorted by start.

    Overlapping candidates are settled longest-first (then by pattern order), so
    "on Monday, March 3, 2019" is one mention, not three.
    """
    candidates: list[tuple[int, int, DateMention]] = []
    for priority, (pattern, resolver) in enumerate(_COMPILED):
        for match in pattern.finditer(text):
            mention = _resolve(match, published, resolver)
            if mention is not None:
                candidates.append((priority, match.start(), mention))
    candidates.sort(key=lambda c: (-(c[2].end - c[2].start), c[0], c[1]))
    chosen: list[DateMention] = []
    for _, _, mention in candidates:
        if all(mention.end <= kept.start or mention.start >= kept.end for kept in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)


def _resolve(match: re.Match[str], published: date, resolver: _Resolver) -> DateMention | None:
    """Run one resolver, trimming trailing spaces and dropping impossible dates."""
    text = match.group(0).rstrip()
    if not text.strip():
        return None
    start = match.start() + (len(text) - len(text.lstrip()))
    end = match.start() + len(text)
    try:
        window = resolver(match, published)
    except (ValueError, OverflowError, KeyError):
        return None
    if window is None:
        return None
    earliest, latest, precision, offset = window
    if earliest > latest:
        return None
    return DateMention(
        start=start,
        end=end,
        text=match.string[start:end],
        earliest=earliest,
        latest=latest,
        precision=precision,
        anaphoric=offset is not None,
        offset_days=offset,
    )


def rebase(mention: DateMention, anchor: date) -> DateMention:
    """Move an anaphoric mention onto ``anchor`` (the date of the event it counts from).

    The window keeps its width and is centred on ``anchor + offset_days``; mentions that are
    not anaphoric come back unchanged.
    """
    if not mention.anaphoric or mention.offset_days is None:
        return mention
    shift = anchor + timedelta(days=mention.offset_days) - mention.best
    return replace(mention, earliest=mention.earliest + shift, latest=mention.latest + shift)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def parse_published(value: str) -> date:
    """A publication date from strict ISO ``YYYY-MM-DD`` or a full ISO datetime (date kept).

    Raises ``PublishedDateError`` (a ``BadDate`` and a ``ValueError``) for anything else, so
    a sloppy feed date is reported rather than guessed.
    """
    if not isinstance(value, str):
        raise PublishedDateError(f"published date must be a string, got {type(value).__name__}")
    stripped = value.strip()
    if not (_ISO_DATE.fullmatch(stripped) or _ISO_DATETIME.fullmatch(stripped)):
        raise PublishedDateError(
            f"published date {value!r} is not ISO YYYY-MM-DD (or an ISO datetime)"
        )
    try:
        if len(stripped) > 10:
            return dt.datetime.fromisoformat(stripped).date()
        return date.fromisoformat(stripped)
    except ValueError as exc:
        raise PublishedDateError(f"published date {value!r} is not a real date ({exc})") from exc
