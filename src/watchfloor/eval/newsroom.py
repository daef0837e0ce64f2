"""The newsroom development cases scored in-process: the figures of shared/eval/score_newsroom.py.

That script runs ``watchfloor extract`` in a subprocess and scores its JSON lines. Here the
extractor runs in this process and the same scoring is applied to its contract dicts:

* events: gold and predicted events are paired one-to-one by a maximum-weight matching on a
  compatibility score (evidence overlap, event family, date window, place, perpetrator); only
  ``required`` gold events count for recall, an unpaired prediction is a false positive;
* slots (MUC style) over the paired events: event and sub-event type, date, city, admin1,
  country, perpetrator and its status, killed, wounded, claimant, civilian target;
* organisational developments (kind + group, and with the parent too);
* non-event hits: unpaired predictions whose evidence overlaps a listed non-event phrase.

Everything is micro-averaged over the cases. The rules below (normalisation, name variants,
place matching, weights, tie-breaks) are those of the script, so both report the same
figures; a test runs both on shared/newsroom-dev and compares them. Schema validation, which
the script also reports, is not repeated: our results are pydantic records of the contract.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from watchfloor.errors import MalformedLine, UnreadableInput, WatchfloorError

SLOTS = (
    "event_type",
    "sub_event_type",
    "date",
    "city",
    "admin1",
    "country",
    "perpetrator",
    "perpetrator_status",
    "killed",
    "wounded",
    "claimed_by",
    "target_civilian",
)
_EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
_VIOLENT = {"Violence against civilians", "Battles", "Explosions/Remote violence"}
_BOMBS = {"Explosions/Remote violence"}
# the kinds of event a gold "family" admits, by ACLED event type
FAMILY_TYPES: dict[str, set[str]] = {
    "attack": _VIOLENT,
    "armed_clash": {"Battles", "Violence against civilians"},
    "bombing": _BOMBS,
    "suicide_bombing": _BOMBS,
    "air_strike": _BOMBS,
    "shelling": _BOMBS,
    "abduction": {"Violence against civilians"},
    "arrest": {"Strategic developments"},
    "protest": {"Protests", "Riots"},
    "riot": {"Riots", "Protests"},
    "org_change": {"Strategic developments"},
    "base_established": {"Strategic developments"},
    "agreement": {"Strategic developments"},
    "territory_change": {"Battles", "Strategic developments"},
    "other": set(_EVENT_TYPES),
}
ANNOTATED_ORG_KINDS = frozenset(
    [
        "branch_announced",
        "pledge",
        "split",
        "merger",
        "rename",
        "leader_change",
        "designation",
        "founded",
    ]
)
SYMMETRIC_ORG_KINDS = frozenset({"merger", "alliance", "rivalry"})

_PLACE_NOISE = frozenset(
    [
        "district",
        "districts",
        "city",
        "province",
        "provinces",
        "region",
        "regions",
        "state",
        "town",
        "village",
        "county",
        "governorate",
        "division",
        "tehsil",
        "territory",
        "municipality",
        "prefecture",
        "department",
        "departement",
        "township",
        "area",
        "commune",
        "cercle",
        "the",
        "of",
        "muhafazat",
        "wilayah",
        "oblast",
        "subdistrict",
        "sub",
        "locality",
        "capital",
        "metropolitan",
    ]
)
_ADMIN1_SAME = [
    {
        "khyber pakhtunkhwa",
        "kp",
        "kpk",
        "nwfp",
        "north west frontier",
        "northwest frontier",
        "pakhtunkhwa",
    },
    {"jammu and kashmir", "j and k", "jk", "jammu kashmir", "kashmir"},
    {"north kivu", "nord kivu"},
    {"south kivu", "sud kivu"},
    {"cabo delgado", "cape delgado"},
    {"federal capital territory", "fct", "abuja"},
    {"islamabad", "islamabad capital territory", "ict"},
    {"north sinai", "shamal sina", "north sinai governorate", "sinai"},
    {"salah al din", "salahuddin", "salah ad din", "saladin", "salaheddine"},
    {"banadir", "benadir"},
    {
        "bangsamoro",
        "barmm",
        "armm",
        "bangsamoro autonomous in muslim mindanao",
        "autonomous in muslim mindanao",
    },
    {"bavaria", "bayern"},
    {"north rhine westphalia", "nordrhein westfalen"},
    {"ile de france"},
]
_GENERIC = frozenset(
    {
        "unknown",
        "unidentified",
        "unidentified armed group",
        "unidentified gunmen",
        "gunmen",
        "unknown gunmen",
        "militants",
        "unidentified militants",
        "unknown militants",
        "assailants",
        "unknown assailants",
        "unidentified assailants",
        "attackers",
        "unknown attackers",
        "unidentified attackers",
        "armed men",
        "unidentified armed men",
        "none",
        "n a",
        "na",
        "insurgents",
        "terrorists",
        "unknown perpetrator",
        "unknown perpetrators",
        "unidentified armed group uag",
        "uag",
        "not stated",
        "unspecified",
    }
)
_GENERIC_PREFIX = re.compile(r"^(unidentified|unknown|unnamed|suspected|armed) ")
_GROUP_WORDS = ("state", "taliban", "shabaab", "qaeda", "front", "army")

MIN_COMPAT = 3.75  # evidence overlap alone (3.0) is not enough: one more feature must agree
_W_EVIDENCE, _W_FAMILY, _W_DATE = 3.0, 1.0, 1.0
_W_COUNTRY, _W_ADMIN1, _W_CITY, _W_PERP = 0.5, 0.75, 1.0, 1.0
_EXACT_MATCHING_LIMIT = 12


# ---------------------------------------------------------------------------------------------
# Normalisation and matching of names, places and quotes
# ---------------------------------------------------------------------------------------------


def _deaccent(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def norm(value: object) -> str:
    """Accents, case, apostrophes and punctuation away; '&' read as 'and'."""
    if not isinstance(value, str):
        return ""
    s = _deaccent(value).casefold().replace("&", " and ")
    s = re.sub(r"[’'`´ʼ‘ʻ]", "", s)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s).split())


def norm_place(value: object) -> str:
    """``norm`` without generic place words ('Mastung District' -> 'mastung')."""
    words = norm(value).split()
    kept = [w for w in words if w not in _PLACE_NOISE]
    return " ".join(kept or words)


def within_edits(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of a and b is at most ``limit`` (banded, early exit)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > limit:
        return False
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        nxt = [i]
        for j, cb in enumerate(b, start=1):
            nxt.append(min(row[j] + 1, nxt[j - 1] + 1, row[j - 1] + (ca != cb)))
        if min(nxt) > limit:
            return False
        row = nxt
    return row[-1] <= limit


def name_keys(name: object) -> set[str]:
    """Comparable keys of a group name: with and without a parenthesised part, the
    parenthesised part itself, the halves of 'A / B' or 'A aka B', each without spaces and
    also without a leading 'the', 'al' or 'el'."""
    if not isinstance(name, str) or not name.strip():
        return set()
    parts = [name, *re.findall(r"\(([^)]*)\)", name), re.sub(r"\([^)]*\)", " ", name)]
    for part in list(parts):
        if " / " in part or " aka " in part or "a.k.a." in part:
            parts.extend(re.split(r"\s+/\s+|\s+aka\s+|\s*a\.k\.a\.\s*", part))
    keys: set[str] = set()
    for part in parts:
        n = norm(part)
        if not n:
            continue
        words = n.split()
        while words and words[0] in ("the", "al", "el"):
            words.pop(0)
        if words:
            keys.add("".join(words))
        keys.add(n.replace(" ", ""))
    return {k for k in keys if k}


def names_match(predicted: Iterable[str], gold: Iterable[object]) -> bool:
    """Some predicted name equals a gold alias (or differs by one edit when both are long)."""
    gold_keys = set().union(*(name_keys(g) for g in gold)) if gold else set()
    if not gold_keys:
        return False
    for name in predicted:
        for key in name_keys(name):
            if key in gold_keys:
                return True
            if len(key) >= 8 and any(len(g) >= 8 and within_edits(key, g, 1) for g in gold_keys):
                return True
    return False


def is_generic(name: object) -> bool:
    """'gunmen', 'unknown assailants': an actor not identified."""
    n = norm(name)
    if not n or n in _GENERIC:
        return True
    return (
        bool(_GENERIC_PREFIX.match(n))
        and len(n.split()) <= 4
        and not any(w in n for w in _GROUP_WORDS)
    )


def _squash(values: Iterable[str]) -> set[str]:
    return {v.replace(" ", "") for v in values}


def place_match(
    predicted: object, golds: Iterable[object], tolerant: bool = False, synonyms: bool = False
) -> bool:
    p = norm_place(predicted)
    if not p:
        return False
    pk = p.replace(" ", "")
    for gold in golds:
        q = norm_place(gold)
        if not q:
            continue
        qk = q.replace(" ", "")
        if pk == qk:
            return True
        if synonyms and any(
            (p in same or pk in _squash(same)) and (q in same or qk in _squash(same))
            for same in _ADMIN1_SAME
        ):
            return True
        shortest = min(len(pk), len(qk))
        if tolerant and shortest >= 5:
            limit = 2 if shortest >= 10 else 1
            if within_edits(pk, qk, limit):
                return True
    return False


def iso_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def whole(value: object) -> int | None:
    """An integer value (floats with no fraction accepted, booleans refused)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def listed(value: object) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _alnum(text: str) -> tuple[str, list[int]]:
    """Letters and digits of ``text`` (accents off, case folded) and where each came from."""
    chars: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        for d in _deaccent(c).casefold():
            if d.isalnum():
                chars.append(d)
                where.append(i)
    return "".join(chars), where


def find_quote(text: str, quote: str) -> tuple[int, int, bool] | None:
    """(start, end, exact) of a quote: verbatim first, else ignoring case, punctuation,
    accents and spacing."""
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote), True
    folded, where = _alnum(text)
    key, _ = _alnum(quote)
    if not key:
        return None
    j = folded.find(key)
    if j < 0:
        return None
    return where[j], where[j + len(key) - 1] + 1, False


def find_all(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every case-insensitive occurrence (overlaps allowed); else the loose match, if any."""
    if not phrase:
        return []
    haystack, needle = text.casefold(), phrase.casefold()
    spans = []
    i = haystack.find(needle)
    while i >= 0:
        spans.append((i, i + len(phrase)))
        i = haystack.find(needle, i + 1)
    if not spans:
        loose = find_quote(text, phrase)
        if loose:
            spans.append(loose[:2])
    return spans


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) holding text[start:end]."""
    s = start
    while s > 0 and not (
        text[s - 1] == "\n" or (s >= 2 and text[s - 2] in ".!?" and text[s - 1] == " ")
    ):
        s -= 1
    e = end
    while e < len(text):
        if text[e] == "\n" or (
            text[e] in ".!?" and (e + 1 == len(text) or text[e + 1] in " \n\"”’'")
        ):
            e += 1
            break
        e += 1
    return s, min(e, len(text))


# ---------------------------------------------------------------------------------------------
# Cases and predictions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One gold case: the article text, its gold record and the spans located in the text."""

    id: str
    text: str
    gold: dict
    event_regions: tuple[tuple[int, int, int, int] | None, ...]
    non_event_spans: tuple[tuple[int, int], ...]

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0].strip()

    @property
    def published(self) -> object:
        return self.gold.get("published")

    @property
    def events(self) -> list[dict]:
        return self.gold.get("events") or []

    @property
    def orgs(self) -> list[dict]:
        return self.gold.get("org_developments") or []


def make_case(case_id: str, text: str, gold: dict) -> Case:
    regions = []
    for event in gold.get("events") or []:
        found = find_quote(text, event.get("evidence") or "")
        if found is None:
            regions.append(None)
        else:
            regions.append((found[0], found[1], *sentence_around(text, found[0], found[1])))
    spans: list[tuple[int, int]] = []
    for phrase in gold.get("non_events") or []:
        spans.extend(find_all(text, phrase))
    return Case(case_id, text, gold, tuple(regions), tuple(spans))


def load_cases(folder: Path) -> list[Case]:
    """``<id>.json`` gold plus ``<id>.txt`` article, in file-name order."""
    if not folder.is_dir():
        raise UnreadableInput("no such folder of newsroom cases", source=str(folder))
    cases = []
    for gold_path in sorted(folder.glob("*.json")):
        text_path = gold_path.with_suffix(".txt")
        if not text_path.is_file():
            continue
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            text = text_path.read_text(encoding="utf-8")
        except json.JSONDecodeError as exc:
            raise MalformedLine(
                f"not valid JSON: {exc.msg}", source=str(gold_path), line=exc.lineno
            ) from exc
        except OSError as exc:
            raise UnreadableInput(
                f"cannot read: {exc.strerror or exc}", source=str(gold_path)
            ) from exc
        if not isinstance(gold, dict):
            raise MalformedLine("a gold case must be a JSON object", source=str(gold_path))
        cases.append(make_case(str(gold.get("id") or gold_path.stem), text, gold))
    if not cases:
        raise UnreadableInput(
            "no cases (<id>.json with <id>.txt) in the folder", source=str(folder)
        )
    return cases


def _text_of(mapping: Mapping, key: str) -> str | None:
    value = mapping.get(key)
    return value if isinstance(value, str) and value.strip() else None


def evidence_spans(evidence: object, text: str, stats: dict[str, int]) -> list[tuple[int, int]]:
    """Evidence as (start, end) in ``text``; a quote whose offsets are off is found by its
    text (nearest occurrence) and counted in ``stats['span_mismatch']``."""
    spans = []
    for item in evidence if isinstance(evidence, list) else []:
        if not isinstance(item, dict):
            continue
        start, end, quote = whole(item.get("start")), whole(item.get("end")), item.get("text")
        valid = start is not None and end is not None and 0 <= start <= end <= len(text)
        if isinstance(quote, str) and quote:
            if valid and text[start:end] == quote:
                spans.append((start, end))
                continue
            stats["span_mismatch"] += 1
            hits = find_all(text, quote) if len(quote) >= 3 else []
            if hits:
                ref = start if start is not None else 0
                spans.append(min(hits, key=lambda h: (abs(h[0] - ref), h[0])))
            elif valid and end > start:
                spans.append((start, end))
        elif valid and end > start:
            spans.append((start, end))
    return spans


@dataclass(frozen=True)
class PredictedEvent:
    """The scored fields of one predicted event, read defensively."""

    event_type: str | None
    sub_event_type: str | None
    date: dt.date | None
    window: tuple[dt.date, dt.date] | None
    city: str | None
    admin1: str | None
    country: str | None
    perpetrators: tuple[str, ...]
    status: str | None
    killed: int | None
    wounded: int | None
    claimed_by: tuple[str, ...]
    civilian: bool | None
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def read(cls, raw: object, text: str, stats: dict[str, int]) -> PredictedEvent:
        e = raw if isinstance(raw, dict) else {}
        day = iso_date(e.get("date"))
        lo = iso_date(e.get("date_earliest")) or day
        hi = iso_date(e.get("date_latest")) or day
        if lo and hi and lo > hi:
            lo, hi = hi, lo
        loc = e.get("location") if isinstance(e.get("location"), dict) else {}
        country = loc.get("country")
        perp = e.get("perpetrator") if isinstance(e.get("perpetrator"), dict) else {}
        names = [
            n for n in (perp.get("name"), perp.get("parent")) if isinstance(n, str) and n.strip()
        ]
        status = perp.get("status")
        tolls = [
            e.get(k) if isinstance(e.get(k), dict) else None for k in ("fatalities", "injuries")
        ]
        claimants = tuple(
            c["by"]
            for c in e.get("claims") or []
            if isinstance(c, dict)
            and c.get("stance") == "claimed"
            and isinstance(c.get("by"), str)
            and c["by"].strip()
        )
        civilian = e.get("civilian_targeting")
        return cls(
            event_type=e.get("event_type") if isinstance(e.get("event_type"), str) else None,
            sub_event_type=_sub(e),
            date=day,
            window=(lo, hi) if lo and hi else None,
            city=_text_of(loc, "name"),
            admin1=_text_of(loc, "admin1"),
            country=country.strip().upper()
            if isinstance(country, str) and country.strip()
            else None,
            perpetrators=() if not names or all(is_generic(n) for n in names) else tuple(names),
            status=status if isinstance(status, str) and status not in ("", "unknown") else None,
            killed=whole(tolls[0].get("best")) if tolls[0] is not None else None,
            wounded=whole(tolls[1].get("best")) if tolls[1] is not None else None,
            claimed_by=claimants,
            civilian=civilian if isinstance(civilian, bool) else None,
            spans=tuple(evidence_spans(e.get("evidence"), text, stats)),
        )


def _sub(e: Mapping) -> str | None:
    value = e.get("sub_event_type")
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class PredictedOrg:
    kind: str | None
    group: str | None
    parent: str | None
    other: str | None
    date: dt.date | None

    @classmethod
    def read(cls, raw: object, text: str, stats: dict[str, int]) -> PredictedOrg:
        o = raw if isinstance(raw, dict) else {}

        def s(key: str) -> str | None:
            return o.get(key) if isinstance(o.get(key), str) else None

        evidence_spans(o.get("evidence"), text, stats)  # counts offset mismatches, as events do
        return cls(s("kind"), s("group"), s("parent"), s("other"), iso_date(o.get("date")))


# ---------------------------------------------------------------------------------------------
# Slots of one gold event against one prediction
# ---------------------------------------------------------------------------------------------


def _window(g: Mapping) -> tuple[dt.date, dt.date] | None:
    lo = iso_date(g.get("date_earliest")) or iso_date(g.get("date"))
    hi = iso_date(g.get("date_latest")) or iso_date(g.get("date"))
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    return (lo, hi) if lo and hi else None


def _loc(g: Mapping) -> dict:
    return g.get("location") if isinstance(g.get("location"), dict) else {}


def _places(g: Mapping, key: str) -> list[str]:
    loc = _loc(g)
    values = [loc.get(key), *listed(loc.get(f"{key}_alternatives"))]
    return [v for v in values if isinstance(v, str) and v]


def _statuses(g: Mapping) -> list[str]:
    return [s for s in listed(g.get("perpetrator_status")) if isinstance(s, str) and s != "unknown"]


def gold_has(slot: str, g: Mapping) -> bool:
    loc = _loc(g)
    checks: dict[str, Callable[[], bool]] = {
        "event_type": lambda: bool(listed(g.get("acled_event_type"))),
        "sub_event_type": lambda: bool(listed(g.get("acled_sub_event_type"))),
        "date": lambda: g.get("date") is not None and _window(g) is not None,
        "city": lambda: loc.get("city") is not None,
        "admin1": lambda: loc.get("admin1") is not None,
        "country": lambda: loc.get("country") is not None,
        "perpetrator": lambda: bool(listed(g.get("perpetrator"))),
        "perpetrator_status": lambda: bool(listed(g.get("perpetrator"))) and bool(_statuses(g)),
        "killed": lambda: g.get("killed") is not None,
        "wounded": lambda: g.get("wounded") is not None,
        "claimed_by": lambda: bool(listed(g.get("claimed_by"))),
        "target_civilian": lambda: isinstance(g.get("target_is_civilian"), bool),
    }
    return checks[slot]()


def pred_has(slot: str, p: PredictedEvent, gold_empty: bool = False) -> bool:
    """Whether the prediction fills ``slot``; a zero toll says nothing where the gold is empty."""
    if slot in ("killed", "wounded"):
        value = p.killed if slot == "killed" else p.wounded
        return value is not None and not (gold_empty and value == 0)
    value = {
        "event_type": p.event_type,
        "sub_event_type": p.sub_event_type,
        "date": p.date,
        "city": p.city,
        "admin1": p.admin1,
        "country": p.country,
        "perpetrator": p.perpetrators or None,
        "perpetrator_status": p.status,
        "claimed_by": p.claimed_by or None,
        "target_civilian": p.civilian,
    }[slot]
    return value is not None


def slot_correct(slot: str, g: Mapping, p: PredictedEvent) -> bool:
    if slot == "event_type":
        return p.event_type in listed(g.get("acled_event_type"))
    if slot == "sub_event_type":
        return norm(p.sub_event_type) in {norm(s) for s in listed(g.get("acled_sub_event_type"))}
    if slot == "date":
        w = _window(g)
        return bool(w and p.date and w[0] <= p.date <= w[1])
    if slot == "city":
        return place_match(p.city, _places(g, "city"))
    if slot == "admin1":
        return place_match(p.admin1, _places(g, "admin1"), tolerant=True, synonyms=True)
    if slot == "country":
        country = _loc(g).get("country")
        return isinstance(country, str) and p.country == country.upper()
    if slot == "perpetrator":
        return names_match(p.perpetrators, listed(g.get("perpetrator")))
    if slot == "perpetrator_status":
        return p.status in _statuses(g)
    if slot in ("killed", "wounded"):
        value = p.killed if slot == "killed" else p.wounded
        return value is not None and value in [g.get(slot), *listed(g.get(f"{slot}_alternatives"))]
    if slot == "claimed_by":
        return names_match(p.claimed_by, listed(g.get("claimed_by")))
    return p.civilian is g.get("target_is_civilian")


def contradicts_empty_gold(slot: str, g: Mapping, p: PredictedEvent) -> bool:
    """Where the gold has no value: is the prediction's value an error (else neutral)?"""
    if slot in ("killed", "wounded"):
        value = p.killed if slot == "killed" else p.wounded
        return value is not None and value > 0
    if slot == "date":
        w = _window(g)
        return bool(w and p.date and not w[0] <= p.date <= w[1])
    if slot == "perpetrator":
        return bool(p.perpetrators)
    if slot == "perpetrator_status":
        return bool(p.perpetrators) and p.status is not None
    if slot == "claimed_by":
        # a state actor acknowledging its own operation may be read as a claim
        if "confirmed" in listed(g.get("perpetrator_status")) and names_match(
            p.claimed_by, listed(g.get("perpetrator"))
        ):
            return False
        return bool(p.claimed_by)
    return False  # places and civilian targeting not stated in the text: neutral


def judge(slot: str, g: Mapping, p: PredictedEvent) -> tuple[int, int, int]:
    """(tp, fp, fn) of one slot for a required gold event paired with a prediction."""
    if gold_has(slot, g):
        if not pred_has(slot, p):
            return 0, 0, 1
        return (1, 0, 0) if slot_correct(slot, g, p) else (0, 1, 1)
    if pred_has(slot, p, gold_empty=True) and contradicts_empty_gold(slot, g, p):
        return 0, 1, 0
    return 0, 0, 0


# ---------------------------------------------------------------------------------------------
# Pairing
# ---------------------------------------------------------------------------------------------


def _family_ok(g: Mapping, p: PredictedEvent) -> bool:
    if p.event_type is None:
        return False
    if p.event_type in listed(g.get("acled_event_type")):
        return True
    return p.event_type in FAMILY_TYPES.get(g.get("family"), set(_EVENT_TYPES))


def compatibility(g: Mapping, region: tuple[int, int, int, int] | None, p: PredictedEvent) -> float:
    """How well a prediction fits a gold event; 0 below ``MIN_COMPAT``."""
    overlap = 0.0
    if region:
        qs, qe, ss, se = region
        for s, e in p.spans:
            if s < qe and e > qs:
                overlap = 1.0
                break
            if s < se and e > ss:
                overlap = 0.5
    total = _W_EVIDENCE * overlap + _W_FAMILY * _family_ok(g, p)
    w = _window(g)
    if w and p.window and p.window[0] <= w[1] and p.window[1] >= w[0]:
        total += _W_DATE
    country = _loc(g).get("country")
    if country and p.country == str(country).upper():
        total += _W_COUNTRY
    admin1s = _places(g, "admin1")
    if p.admin1 and admin1s and place_match(p.admin1, admin1s, tolerant=True, synonyms=True):
        total += _W_ADMIN1
    cities = _places(g, "city")
    if p.city and cities and place_match(p.city, cities):
        total += _W_CITY
    if p.perpetrators and names_match(p.perpetrators, listed(g.get("perpetrator"))):
        total += _W_PERP
    return total if total >= MIN_COMPAT else 0.0


def best_pairing(weights: Sequence[Sequence[float]]) -> dict[int, int]:
    """Row -> column pairs of maximum total weight (0 = not allowed).

    Exact by dynamic programming over the subsets of the smaller side when it has at most
    12 members, greedy by weight otherwise. Among equal totals the first found wins (rows in
    order, columns in order), and then the one with more pairs.
    """
    n = len(weights)
    m = len(weights[0]) if n else 0
    if not n or not m:
        return {}
    if min(n, m) > _EXACT_MATCHING_LIMIT:
        ranked = sorted(
            ((weights[i][j], -i, -j) for i in range(n) for j in range(m) if weights[i][j] > 0),
            reverse=True,
        )
        rows: set[int] = set()
        cols: set[int] = set()
        pairs: dict[int, int] = {}
        for _, ni, nj in ranked:
            if -ni not in rows and -nj not in cols:
                pairs[-ni] = -nj
                rows.add(-ni)
                cols.add(-nj)
        return pairs
    flipped = m > n
    grid = (
        [list(col) for col in zip(*weights, strict=True)] if flipped else [list(r) for r in weights]
    )
    states: dict[int, tuple[float, tuple[tuple[int, int], ...]]] = {0: (0.0, ())}
    for r, row in enumerate(grid):
        grown = dict(states)
        for mask, (total, chosen) in states.items():
            for c, weight in enumerate(row):
                if mask >> c & 1 or weight <= 0:
                    continue
                key = mask | 1 << c
                value = total + weight
                if key not in grown or value > grown[key][0] + 1e-12:
                    grown[key] = (value, (*chosen, (r, c)))
        states = grown
    _, best = max(states.values(), key=lambda s: (round(s[0], 9), len(s[1])))
    return {c: r for r, c in best} if flipped else dict(best)


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {"tp": 0, "fp": 0, "fn": 0}


def new_stats() -> dict[str, int]:
    return {"span_mismatch": 0, "error_lines": 0, "missing_lines": 0, "org_unscored_kind": 0}


def _org_fits(g: Mapping, p: PredictedOrg, with_parent: bool) -> bool:
    if p.kind is None or p.kind not in listed(g.get("kind")):
        return False
    names = [p.group] if p.group else []
    if p.kind in SYMMETRIC_ORG_KINDS and p.other:
        names.append(p.other)
    if not names_match(names, listed(g.get("group"))):
        return False
    return not with_parent or _parent_ok(g, p)


def _parent_ok(g: Mapping, p: PredictedOrg) -> bool:
    parents = listed(g.get("parent"))
    return not parents or names_match([x for x in (p.parent, p.other) if x], parents)


def score_case(
    case: Case, result: object, stats: dict[str, int], org_kinds: frozenset[str]
) -> dict[str, Any]:
    """Counts for one case; ``result`` is the contract dict (None when extraction failed)."""
    text = case.text
    res = result if isinstance(result, dict) else {}
    raw_events = res.get("events") if isinstance(res.get("events"), list) else []
    raw_orgs = res.get("org_developments") if isinstance(res.get("org_developments"), list) else []
    preds = [PredictedEvent.read(e, text, stats) for e in raw_events]
    all_orgs = [PredictedOrg.read(o, text, stats) for o in raw_orgs]
    orgs = [o for o in all_orgs if o.kind in org_kinds or o.kind is None]
    stats["org_unscored_kind"] += len(all_orgs) - len(orgs)
    golds = case.events
    weights = []
    for g, region in zip(golds, case.event_regions, strict=True):
        bonus = 0.01 if g.get("required", True) else 0.0  # required gold wins ties
        weights.append(
            [(c + bonus if c > 0 else 0.0) for c in (compatibility(g, region, p) for p in preds)]
        )
    pairs = best_pairing(weights) if golds and preds else {}
    paired_preds = set(pairs.values())

    events = _counts()
    slots = {s: _counts() for s in SLOTS}
    for i, g in enumerate(golds):
        if not g.get("required", True):
            continue
        if i in pairs:
            events["tp"] += 1
            for s in SLOTS:
                for key, n in zip(("tp", "fp", "fn"), judge(s, g, preds[pairs[i]]), strict=True):
                    slots[s][key] += n
        else:
            events["fn"] += 1
            for s in SLOTS:
                slots[s]["fn"] += gold_has(s, g)
    non_event_hits = 0
    for j, p in enumerate(preds):
        if j in paired_preds:
            continue
        events["fp"] += 1
        for s in SLOTS:
            slots[s]["fp"] += pred_has(s, p, gold_empty=True)
        if any(s < ne and e > ns for s, e in p.spans for ns, ne in case.non_event_spans):
            non_event_hits += 1

    def org_counts(with_parent: bool) -> dict[str, int]:
        grid = []
        for g in case.orgs:
            row = []
            for p in orgs:
                if not _org_fits(g, p, with_parent):
                    row.append(0.0)
                    continue
                weight = 1.0 + 0.5 * _parent_ok(g, p)
                w = _window(g)
                if w and p.date and w[0] <= p.date <= w[1]:
                    weight += 0.25
                row.append(weight)
            grid.append(row)
        matched = len(best_pairing(grid)) if case.orgs and orgs else 0
        return {"tp": matched, "fp": len(orgs) - matched, "fn": len(case.orgs) - matched}

    return {
        "id": case.id,
        "n_gold": len(golds),
        "n_required": sum(1 for g in golds if g.get("required", True)),
        "n_pred": len(preds),
        "event": events,
        "slots": slots,
        "org": org_counts(False),
        "org_parent": org_counts(True),
        "non_event_hits": non_event_hits,
        "n_gold_org": len(case.orgs),
        "n_pred_org": len(orgs),
    }


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Percent P, R, F1; nothing to find and nothing found scores 100."""
    if tp + fp + fn == 0:
        return 100.0, 100.0, 100.0
    p = 100.0 * tp / (tp + fp) if tp + fp else 0.0
    r = 100.0 * tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _figure(c: Mapping[str, int]) -> dict[str, Any]:
    p, r, f = prf(c["tp"], c["fp"], c["fn"])
    return {"precision": round(p, 2), "recall": round(r, 2), "f1": round(f, 2), **c}


def aggregate(per_case: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Micro-averaged figures over the cases."""

    def total(get: Callable[[Mapping], Mapping[str, int]]) -> dict[str, int]:
        return {k: sum(get(r)[k] for r in per_case) for k in ("tp", "fp", "fn")}

    slots = {s: total(lambda r, s=s: r["slots"][s]) for s in SLOTS}
    micro = {k: sum(slots[s][k] for s in SLOTS) for k in ("tp", "fp", "fn")}
    return {
        "event": _figure(total(lambda r: r["event"])),
        "org": _figure(total(lambda r: r["org"])),
        "org_with_parent": _figure(total(lambda r: r["org_parent"])),
        "slots": {s: _figure(c) for s, c in slots.items()},
        "slots_micro": _figure(micro),
        "non_event_hits": sum(r["non_event_hits"] for r in per_case),
    }


def score_all(
    cases: Sequence[Case], results: Mapping[str, object], stats: dict[str, int] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per-case counts and the aggregate for results keyed by case id."""
    stats = new_stats() if stats is None else stats
    kinds = ANNOTATED_ORG_KINDS | {k for c in cases for o in c.orgs for k in listed(o.get("kind"))}
    per_case = [score_case(c, results.get(c.id), stats, frozenset(kinds)) for c in cases]
    return per_case, aggregate(per_case)


def headline(figures: Mapping[str, Any]) -> dict[str, float]:
    """The three figures the script prints last (one decimal)."""
    return {
        "event_f1": round(figures["event"]["f1"], 1),
        "org_f1": round(figures["org"]["f1"], 1),
        "newsroom_slot_f1": round(figures["slots_micro"]["f1"], 1),
    }


@dataclass(frozen=True)
class NewsroomRun:
    cases: int
    per_case: list[dict[str, Any]]
    figures: dict[str, Any]
    stats: dict[str, int]
    seconds: float


def run(folder: Path, extract: Callable[[Any], Any]) -> NewsroomRun:
    """Extract every case in-process (``extract(Article) -> ExtractResult``) and score.

    Each case reaches the extractor as a line of the script's batch input would: its text,
    its gold publication date and its first line as the title.
    """
    from watchfloor.ingest.parse import article_from_text, parse_published

    cases = load_cases(folder)
    stats = new_stats()
    results: dict[str, object] = {}
    started = time.monotonic()
    for case in cases:
        try:
            article = article_from_text(
                case.text,
                article_id=case.id,
                source=str(folder),
                published=parse_published(case.published, source=case.id),
                title=case.title or None,
            )
            results[case.id] = extract(article).to_contract()
        except WatchfloorError:
            stats["error_lines"] += 1
            results[case.id] = None
    seconds = time.monotonic() - started
    per_case, figures = score_all(cases, results, stats)
    return NewsroomRun(len(cases), per_case, figures, stats, seconds)


def report_dict(run_: NewsroomRun, folder: Path) -> dict[str, Any]:
    """The figures in the layout of the script's --json-out (without the schema section)."""
    return {
        "benchmark": "newsroom",
        "cases_dir": str(folder.resolve()),
        "n_cases": run_.cases,
        "run": {
            "in_process": True,
            "seconds": round(run_.seconds, 3),
            "articles_per_second": round(run_.cases / run_.seconds, 4) if run_.seconds else None,
        },
        "stats": run_.stats,
        "metrics": run_.figures,
        "per_case": run_.per_case,
        "headline": headline(run_.figures),
    }
