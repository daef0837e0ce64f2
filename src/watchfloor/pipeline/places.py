"""Where each event happened: the article's place context and each event's own location.

The gazetteer finds toponyms; this stage decides which of them is the event's place (the one
the event's clause puts it in, not any place the sentence names), resolves it against the
article's countries and provinces, and sets ACLED's geo_precision: 1 for a town, 2 for "near
a town" or a district, 3 for a province or country only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from watchfloor.model import Place
from watchfloor.resolve.gazetteer import HOME_SHARE, Gazetteer, LocalLexicon, Toponym
from watchfloor.resolve.gazetteer import Place as GazPlace

KIND_RANK = {"city": 0, "admin2": 1, "admin1": 2, "country": 3}
LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|off|into|from|around|across|of|on)\s+(?:the\s+)?"
    r"(?:(?:\w+\s+){0,3}(?:town|city|village|district|area|region|province|state|outskirts|"
    r"capital|suburb|department|county)\s+(?:of\s+)?)?)$",
    re.IGNORECASE,
)
FACILITY_AFTER = re.compile(
    r"\s+(?:Hotel|Mosque|Church|Cathedral|Temple|Shrine|Street|Road|Avenue|Highway|Bridge|"
    r"University|College|School|Hospital|Airport|Stadium|Market|Mall|Square|Bank|Club|"
    r"Prison|Jail|Palace|Gate|Camp|Club|Company|Corporation|Group)\b"
)
# "the Caño Limón-Coveñas oil pipeline", "the Tarbela Dam": a facility's name, not its towns
FACILITY_RUN_AFTER = re.compile(
    r"(?:[\s-]+(?-i:[A-Z])[\w'’-]*){0,3}\s+(?:oil\s+|gas\s+|hydroelectric\s+)?(?:pipeline|"
    r"refinery|dam|oilfield|oil field|gas field|power plant|power station|mine|air ?base|"
    r"naval base|terminal)s?\b",
    re.IGNORECASE,
)
SUBURB_AFTER = re.compile(r"\s+(?:neighbou?rhood|quarter|suburb|estate|colony)\b", re.IGNORECASE)
# "the town of X" names the place outright, whatever verb comes before ("reached the town of")
TOWN_OF_BEFORE = re.compile(r"\b(?:town|city|village|hamlet)\s+of\s+$", re.IGNORECASE)
# "north of Idlib", "30 km from Quetta": a reference point, which a place named outright beats
RELATIVE_BEFORE = re.compile(
    r"\b(?:(?:north|south)(?:-?(?:east|west))?|east|west|km|kilometres|kilometers|miles)"
    r"\s+(?:of|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "took them towards the province of Sulu": where people were taken, not where it happened
DESTINATION_BEFORE = re.compile(
    r"\b(?:towards?|(?:taken|took|fled|flown|driven|moved|transferred|headed|heading|bound)"
    r"\s+(?:\w+\s+){0,4}?(?:to|for))\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$",
    re.IGNORECASE,
)
# "U.S. Navy helicopters sank ...", "a U.S. air strike", "the U.S. Africa Command said": the
# country names whose forces or officials acted, not where
FORCES_AFTER = re.compile(
    r"\s+(?:navy|military|army|air force|armed forces|forces|troops|soldiers|marines|coast guard|"
    r"officials|embassy|government|helicopters|jets|warplanes|drones|aircraft|warships?|"
    r"authorities|envoy|president|ambassador|intelligence|special forces|commandos|"
    r"(?:air |drone |missile )?strikes?|airstrikes?|raids?|"
    r"(?:Africa |Central |Indo-Pacific |European |Special Operations |Cyber )?Command)\b",
    re.IGNORECASE,
)
NEAR_BEFORE = re.compile(
    r"\b(?:near|outside|outskirts of|close to|km from|kilometres from|"
    r"miles from|off|north of|south of|east of|west of)\s+(?:the\s+)?"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """What the whole article says about geography, used to disambiguate every toponym."""

    countries: tuple[str, ...]  # ISO2, most salient first
    admin1s: tuple[str, ...]
    dateline: Toponym | None


@dataclass(frozen=True, slots=True)
class EventPlace:
    place: Place
    start: int | None  # evidence span of the toponym, None for a context fallback
    end: int | None


def build_context(
    toponyms: Sequence[Toponym],
    gazetteer: Gazetteer,
    local: LocalLexicon | None = None,
    text: str = "",
) -> PlaceContext:
    """Countries and provinces the article mentions, the dateline's country weighing most;
    then its outlet's home provinces and countries (``local``), after everything the text
    says. A country named for its forces ("the U.S. military said") hardly votes."""
    votes: Counter[str] = Counter()
    admin1s: list[str] = []
    dateline = next((t for t in toponyms if t.cue == "dateline"), None)
    for top in toponyms:
        if not top.candidates:
            continue
        best = top.candidates[0]
        if best.kind not in KIND_RANK:
            continue  # a continent names no country
        weight = 3 if top is dateline else 1
        if best.kind == "country":
            forces = bool(text) and FORCES_AFTER.match(text, top.end) is not None
            votes[best.country] += (0.25 if forces else 2) * weight
        elif best.kind == "admin1":
            votes[best.country] += weight
            admin1s.append(best.name)
        else:
            votes[best.country] += 0.5 * weight
    if dateline is not None:
        # "TANK, Pakistan (Wire)": the country part of a dateline is decisive
        tail = dateline.text.split(",")
        country = gazetteer.country(tail[-1].strip()) if len(tail) > 1 else None
        if country is None:
            # "MOGADISHU, Somalia (Desk)": the country was found as a toponym of its own
            country = next(
                (
                    t.candidates[0]
                    for t in toponyms
                    if t.cue == "dateline" and t.candidates and t.candidates[0].kind == "country"
                ),
                None,
            )
        if country is not None:
            votes[country.country] += 4  # strong, but a story told elsewhere outweighs it
    countries = [c for c, _ in votes.most_common()]
    if local is not None:
        home = sorted(local.provinces.items(), key=lambda kv: -kv[1])
        admin1s.extend(name for (_iso, name), share in home if share >= HOME_SHARE)
        countries.extend(c for c, _share in sorted(local.countries.items(), key=lambda kv: -kv[1]))
    return PlaceContext(
        countries=tuple(dict.fromkeys(countries)),
        admin1s=tuple(dict.fromkeys(admin1s)),
        dateline=dateline,
    )


def to_place(entry: GazPlace, precision: int) -> Place:
    name = entry.name if entry.kind in ("city", "admin2") else None
    return Place(
        name=name,
        admin1=entry.admin1 if entry.kind != "admin1" else entry.name,
        admin2=entry.admin2,
        country=entry.country or None,
        lat=entry.lat,
        lon=entry.lon,
        geonames_id=entry.geonames_id,
        geo_precision=min(3, max(1, precision)),  # type: ignore[arg-type]
    )


def district_seat(entry: GazPlace, gazetteer: Gazetteer) -> GazPlace:
    """'Bannu district' is coded at its namesake town, as ACLED does (precision 2)."""
    if entry.kind != "admin2":
        return entry
    base = re.sub(
        r"\s+(?:district|agency|tehsil|county|division)$", "", entry.name, flags=re.IGNORECASE
    )
    town = gazetteer.resolve(base, countries=(entry.country,), admin1s=(entry.admin1 or "",))
    if town is not None and town.kind == "city" and town.admin2 == entry.name:
        return town
    return entry


def _precision(entry: GazPlace, near: bool) -> int:
    if entry.kind == "city":
        return 2 if near else 1
    if entry.kind == "admin2":
        return 2
    return 3


def choose_location(
    text: str,
    region: tuple[int, int],
    anchor: int,
    toponyms: Sequence[Toponym],
    blocked: Sequence[tuple[int, int]],
    context: PlaceContext,
    gazetteer: Gazetteer,
) -> EventPlace | None:
    """The event's own place among the toponyms inside ``region`` (the event's clause)."""
    start, end = region
    scored: list[tuple[float, Toponym, GazPlace, bool]] = []
    main_country = context.countries[0] if context.countries else None
    # "Sagaing region's Kani township": a province of the story's country named in the clause
    # makes a namesake town abroad (Kani, Japan) a misreading, not the place
    home_unit = any(
        start <= t.start
        and t.end <= end
        and t.candidates
        and t.candidates[0].kind in ("admin1", "admin2")
        and t.candidates[0].country == main_country
        for t in toponyms
    )
    for top in toponyms:
        if top.start < start or top.end > end or top.cue == "dateline" or top.cue == "demonym":
            continue
        if any(top.start < b_end and top.end > b_start for b_start, b_end in blocked):
            continue
        if (
            FACILITY_AFTER.match(text, top.end)
            or SUBURB_AFTER.match(text, top.end)
            or FACILITY_RUN_AFTER.match(text, top.end)
        ):
            continue  # "the Corinthia Hotel", "Vostochny neighbourhood": not the town itself
        # the toponym's reading, settled against the whole article (and its outlet)
        entry = top.candidates[0] if top.candidates else None
        if entry is None or entry.kind not in KIND_RANK:
            continue  # "across Africa" is no event's place
        if home_unit and entry.kind == "city" and entry.country != main_country:
            continue
        before = text[max(start, top.start - 60) : top.start]
        near = bool(NEAR_BEFORE.search(before)) or top.cue in ("near", "outskirts")
        locative = bool(
            LOCATIVE_BEFORE.search(before) or TOWN_OF_BEFORE.search(before)
        ) or top.cue in ("district", "province")
        if entry.kind == "country" and not locative and FORCES_AFTER.match(text, top.end):
            continue
        possessive = text[top.end : top.end + 2] in ("'s", "’s")
        score = KIND_RANK.get(entry.kind, 3) * 10.0
        score += 0 if locative or possessive else 6
        score += 5 if RELATIVE_BEFORE.search(before) else 0
        score += 15 if DESTINATION_BEFORE.search(before) else 0
        score += min(abs(top.start - anchor), 400) / 100.0
        if entry.kind == "country" and not locative:
            score += 10
        scored.append((score, top, entry, near))
    if not scored:
        return None
    scored.sort(key=lambda item: item[0])
    _, top, entry, near = scored[0]
    precision = _precision(entry, near)
    place = to_place(district_seat(entry, gazetteer), precision)
    # a finer place named right after ("Tamou, in the Tillaberi region") fills admin gaps only
    return EventPlace(place, top.start, top.end)


def fallback_location(
    context: PlaceContext, gazetteer: Gazetteer, use_dateline: bool
) -> EventPlace | None:
    """No place in the event's clause: the dateline town when the story is set in its country,
    else the province the article names most in its main country, else that country."""
    main_country = context.countries[0] if context.countries else None
    if use_dateline and context.dateline is not None:
        head = context.dateline.text.split(",")[0].strip()
        entry = gazetteer.resolve(head, countries=context.countries, admin1s=context.admin1s)
        if entry is not None and entry.kind != "country" and entry.country == main_country:
            return EventPlace(
                to_place(entry, 2 if entry.kind == "city" else 3),
                context.dateline.start,
                context.dateline.end,
            )
    for name in context.admin1s:
        # the province itself, though a town shares its name ("Idlib")
        entry = gazetteer.admin1_of(name, main_country)
        if entry is not None:
            return EventPlace(to_place(entry, 3), None, None)
    if context.countries:
        country = gazetteer.country(context.countries[0])
        if country is not None:
            return EventPlace(to_place(country, 3), None, None)
    return None


# reverse geocoding: how far a record's point may lie from the nearest town for each precision
_TOWN_KM = 5.0  # at the town: precision 1
_NEAR_KM = 25.0  # "near" the town: precision 2


def place_from_coordinates(lat: float, lon: float, gazetteer: Gazetteer) -> Place | None:
    """A place for a record that carries only coordinates (a feed item, a reference event).

    The point is kept; the nearest town names it when it lies within 5 km (ACLED
    geo_precision 1) or within 25 km (precision 2, "near" the town); farther out only the
    town's provinces and country are given, at precision 3. None when no town lies within
    100 km (open sea) or the point is out of range.
    """
    town = gazetteer.reverse(lat, lon)
    if town is None or town.lat is None or town.lon is None:
        return None
    km = _distance_km(lat, lon, town.lat, town.lon)
    precision = 1 if km <= _TOWN_KM else 2 if km <= _NEAR_KM else 3
    return Place(
        name=town.name if precision < 3 else None,
        admin1=town.admin1,
        admin2=town.admin2,
        country=town.country or None,
        lat=lat,
        lon=lon,
        geonames_id=town.geonames_id if precision < 3 else None,
        geo_precision=precision,  # type: ignore[arg-type]
    )


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
