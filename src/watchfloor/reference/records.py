"""The reference record: one event of an outside dataset, in the columns we compare on."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from watchfloor.errors import InputError, MalformedLine, UnreadableInput

DATASETS = ("ucdp", "acled")


@dataclass(frozen=True, slots=True)
class ReferenceEvent:
    """One reference event; ``raw`` keeps the source row as read (stored as JSON)."""

    dataset: str
    external_id: str
    date_start: dt.date
    date_end: dt.date
    country: str | None = None  # ISO 3166 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    deaths_low: int | None = None
    deaths_best: int | None = None
    deaths_high: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


class BadRow(ValueError):
    """A field of one row that cannot be read; the parser adds the file and line."""


def text(row: dict[str, str], key: str) -> str | None:
    value = (row.get(key) or "").strip()
    return value or None


def integer(row: dict[str, str], key: str, *, required: bool = False) -> int | None:
    value = text(row, key)
    if value is None:
        if required:
            raise BadRow(f"{key} is empty")
        return None
    try:
        number = float(value)
    except ValueError:
        raise BadRow(f"{key} {value!r} is not a number") from None
    if not number.is_integer():
        raise BadRow(f"{key} {value!r} is not a whole number")
    return int(number)


def decimal(row: dict[str, str], key: str, low: float, high: float) -> float | None:
    value = text(row, key)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise BadRow(f"{key} {value!r} is not a number") from None
    if not low <= number <= high:
        raise BadRow(f"{key} {number} is outside {low}..{high}")
    return number


_DAY_FIRST = re.compile(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$")


def date(row: dict[str, str], key: str) -> dt.date:
    """A date as UCDP ("2021-03-01 00:00:00.000") or ACLED ("01 March 2021") write it."""
    value = text(row, key)
    if value is None:
        raise BadRow(f"{key} is empty")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    match = _DAY_FIRST.match(value)
    if match:
        try:
            return dt.datetime.strptime(value, "%d %B %Y").date()
        except ValueError:
            pass
    raise BadRow(f"{key} {value!r} is not a date (YYYY-MM-DD or 'DD Month YYYY')")


_COUNTRY_ALIASES = {
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "bosnia-herzegovina": "BA",
    "kingdom of eswatini": "SZ",
    "north macedonia": "MK",
    "macedonia, fyr": "MK",
    "east timor": "TL",
    "palestine": "PS",
    "kosovo": "XK",
    "yemen (north yemen)": "YE",
}


@cache
def country_iso2(name: str) -> str | None:
    """ISO2 for a country name as the datasets write it ("DR Congo (Zaire)", "Pakistan")."""
    from watchfloor.eval.geo import country_code

    cleaned = " ".join(name.split())
    for candidate in (cleaned, re.sub(r"\s*\(.*\)\s*$", "", cleaned)):
        code = _COUNTRY_ALIASES.get(candidate.casefold()) or (
            country_code(candidate) if len(candidate) != 2 else None
        )
        if code:
            return code
    return None


def iso2_from_codes(iso3: str | None = None, numeric: int | None = None) -> str | None:
    import pycountry

    found = None
    if iso3:
        found = pycountry.countries.get(alpha_3=iso3.upper())
    if found is None and numeric is not None:
        found = pycountry.countries.get(numeric=f"{numeric:03d}")
    return found.alpha_2 if found else None


def _is_annotation(row: dict[str, str]) -> bool:
    """An HXL hashtag row (HDX exports put one under the header): not data."""
    values = [v.strip() for v in row.values() if isinstance(v, str) and v.strip()]
    return bool(values) and all(v.startswith("#") for v in values)


RowParser = Callable[[dict[str, str]], ReferenceEvent]


def read_csv(
    path: Path, parse: RowParser, required: tuple[str, ...]
) -> Iterator[ReferenceEvent | InputError]:
    """Parse a reference CSV row by row; a bad row becomes an error naming file and line."""
    source = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UnreadableInput(f"cannot read file: {exc.strerror or exc}", source=source) from exc
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (csv.Error, UnicodeDecodeError) as exc:
            raise UnreadableInput(f"not a CSV file: {exc}", source=source, line=1) from exc
        missing = [c for c in required if c not in header]
        if missing:
            raise UnreadableInput(
                f"not this dataset's layout: missing column(s) {', '.join(missing)}",
                source=source,
                line=1,
            )
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                yield MalformedLine(f"unreadable CSV row: {exc}", source=source, line=line)
                line = reader.line_num + 1
                continue
            start, line = line, reader.line_num + 1
            if None in row:
                yield MalformedLine(
                    f"{len(header) + len(row[None])} fields where the header has {len(header)}",
                    source=source,
                    line=start,
                )
                continue
            if _is_annotation(row):
                continue
            try:
                yield parse(row)
            except BadRow as exc:
                yield MalformedLine(str(exc), source=source, line=start)
