"""GTD-style CSV: the Global Terrorism Database's field names and numeric codes."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import Any, TextIO

from watchfloor.export import codebooks
from watchfloor.export.common import country, event_date, location, summary_sentence, toll
from watchfloor.store import StoredEvent

COLUMNS = (
    "eventid",
    "iyear",
    "imonth",
    "iday",
    "approxdate",
    "extended",
    "country",
    "country_txt",
    "region",
    "region_txt",
    "provstate",
    "city",
    "latitude",
    "longitude",
    "specificity",
    "summary",
    "attacktype1",
    "attacktype1_txt",
    "targtype1",
    "targtype1_txt",
    "weaptype1",
    "weaptype1_txt",
    "gname",
    "guncertain1",
    "claimed",
    "claimmode",
    "claimmode_txt",
    "compclaim",
    "nkill",
    "nkillter",
    "nwound",
    "property",
    "ishostkid",
    "dbsource",
)

_UNCERTAIN = {"suspected", "attributed"}
_HOSTAGE_SUB_TYPES = {"Abduction/forced disappearance"}
_PROPERTY_SUB_TYPES = {"Looting/property destruction"}


def _date_parts(data: dict[str, Any]) -> tuple[int, int, int, str]:
    """(iyear, imonth, iday, approxdate): GTD writes 0 for an unknown month or day."""
    day = event_date(data)
    if day is None:
        return 0, 0, 0, ""
    precision = data.get("date_precision")
    if precision == "day":
        return day.year, day.month, day.day, ""
    earliest, latest = data.get("date_earliest"), data.get("date_latest")
    approx = ""
    if earliest and latest and earliest != latest:
        approx = f"between {_long(earliest)} and {_long(latest)}"
    if precision == "week":
        return day.year, day.month, 0, approx or f"around {_long(day.isoformat())}"
    if precision == "month":
        return day.year, day.month, 0, approx
    return day.year, 0, 0, approx


def _long(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def _claims(data: dict[str, Any]) -> tuple[int, int | str, str, int | str]:
    """(claimed, claimmode, claimmode_txt, compclaim) from the event's claims."""
    claims = data.get("claims") or []
    claimed = [c for c in claims if c.get("stance") == "claimed"]
    status = (data.get("perpetrator") or {}).get("status")
    if claimed or status == "claimed":
        mode = codebooks.gtd_claim_mode(claimed[0].get("channel") if claimed else None)
        groups = {c["by"].casefold() for c in claimed}
        return 1, mode, codebooks.GTD_CLAIM_MODES[mode], 1 if len(groups) >= 2 else 0
    if status == "denied" or any(c.get("stance") == "denied" for c in claims):
        return 0, "", "", ""
    return -9, "", "", ""


def gtd_row(event: StoredEvent) -> dict[str, Any]:
    """One event as a GTD row (numeric codes with their *_txt labels)."""
    data = event.data
    loc = location(data)
    place = country(loc.get("country"))
    year, month, day, approx = _date_parts(data)
    region = codebooks.gtd_region(place.iso2 if place else None)
    targets = data.get("targets") or []
    first = targets[0] if targets else {}
    targtype = codebooks.gtd_target_type(first.get("category"), first.get("name") or "")
    sub = data.get("sub_event_type")
    attack = codebooks.gtd_attack_type(data.get("attack_type"), sub)
    weapon = codebooks.gtd_weapon_type(list(data.get("weapons") or []), sub)
    perp = data.get("perpetrator") or {}
    claimed, mode, mode_txt, compclaim = _claims(data)
    killed, wounded = toll(data, "fatalities"), toll(data, "injuries")
    summary = summary_sentence(data)
    if month and day:
        summary = f"{month:02d}/{day:02d}/{year}: {summary}"
    return {
        "eventid": f"{year:04d}{month:02d}{day:02d}{event.id:04d}",
        "iyear": year,
        "imonth": month,
        "iday": day,
        "approxdate": approx,
        "extended": 0,
        "country": codebooks.GTD_COUNTRIES.get(place.iso2, "") if place else "",
        "country_txt": codebooks.GTD_COUNTRY_NAMES.get(place.iso2, place.name) if place else "",
        "region": region or "",
        "region_txt": codebooks.GTD_REGIONS[region] if region else "",
        "provstate": loc.get("admin1") or "",
        "city": loc.get("name") or "",
        "latitude": "" if loc.get("lat") is None else f"{loc['lat']:.6f}",
        "longitude": "" if loc.get("lon") is None else f"{loc['lon']:.6f}",
        "specificity": codebooks.gtd_specificity(loc.get("geo_precision")),
        "summary": summary,
        "attacktype1": attack,
        "attacktype1_txt": codebooks.GTD_ATTACK_TYPES[attack],
        "targtype1": targtype,
        "targtype1_txt": codebooks.GTD_TARGET_TYPES[targtype],
        "weaptype1": weapon,
        "weaptype1_txt": codebooks.GTD_WEAPON_TYPES[weapon],
        "gname": perp.get("name") or "Unknown",
        "guncertain1": 1 if perp.get("status") in _UNCERTAIN else 0,
        "claimed": claimed,
        "claimmode": mode,
        "claimmode_txt": mode_txt,
        "compclaim": compclaim,
        "nkill": "" if killed is None else killed,
        "nkillter": _attackers_killed(data),
        "nwound": "" if wounded is None else wounded,
        "property": 1 if attack == 7 or sub in _PROPERTY_SUB_TYPES else -9,
        "ishostkid": 1 if attack in (5, 6) or sub in _HOSTAGE_SUB_TYPES else 0,
        "dbsource": "watchfloor",
    }


def _attackers_killed(data: dict[str, Any]) -> int | str:
    """GTD's nkillter: the perpetrators among the dead, blank when the text does not say."""
    attackers = (data.get("fatalities") or {}).get("attackers")
    return "" if attackers is None else attackers


def write_gtd(events: Iterable[StoredEvent], out: TextIO) -> int:
    """Write a GTD-style CSV (header first); returns the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for event in events:
        writer.writerow(gtd_row(event))
        count += 1
    return count
