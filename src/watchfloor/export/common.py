"""Helpers every writer shares: countries, coded actors, outlets and the one-sentence summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from watchfloor.store import StoredEvent


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    numeric: int
    name: str


@cache
def country(iso2: str | None) -> Country | None:
    """ISO 3166 facts for an alpha-2 code (None for a missing or unknown code)."""
    if not iso2:
        return None
    import pycountry

    found = pycountry.countries.get(alpha_2=iso2.upper())
    if found is None:
        return None
    name = getattr(found, "common_name", None) or found.name
    return Country(found.alpha_2, found.alpha_3, int(found.numeric), name)


def location(data: dict[str, Any]) -> dict[str, Any]:
    return data.get("location") or {}


def event_date(data: dict[str, Any]) -> dt.date | None:
    value = data.get("date")
    return dt.date.fromisoformat(value) if value else None


def toll(data: dict[str, Any], key: str, part: str = "best") -> int | None:
    value = (data.get(key) or {}).get(part)
    return int(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class CodedActor:
    """An actor as an ACLED coder would name it: the KB name or the unidentified stand-in."""

    name: str
    inter: int | None
    actor_id: str | None = None
    status: str | None = None


def acled_country_name(iso2: str | None) -> str | None:
    """The country as ACLED names it ("Democratic Republic of Congo", "Turkey")."""
    from watchfloor.export.codebooks import ACLED_COUNTRY_NAMES

    found = country(iso2)
    return ACLED_COUNTRY_NAMES.get(found.iso2, found.name) if found else None


@cache
def _kb() -> Any:
    from watchfloor.resolve.actors import ActorKB

    return ActorKB.load()


@cache
def kb_inter(actor_id: str | None, name: str) -> int | None:
    """The ACLED actor type of a named actor the extractor left uncoded, from the actor KB.

    The extractor codes actor1 but often leaves actor2 (the side attacked: "Military Forces
    of Pakistan", "Islamic State") without its ``inter``; the KB knows it.
    """
    kb = _kb()
    actor = kb.get(actor_id) if actor_id else None
    if actor is None:
        actor = kb.resolve(name)
    return actor.inter if actor is not None else None


def _coded(raw: dict[str, Any] | None) -> CodedActor | None:
    if not raw or not raw.get("name"):
        return None
    inter = raw.get("inter")
    if inter is None:
        inter = kb_inter(raw.get("actor_id"), raw["name"])
    return CodedActor(raw["name"], inter, raw.get("actor_id"), raw.get("status"))


def _country_label(data: dict[str, Any]) -> str:
    return acled_country_name(location(data).get("country")) or "International"


#: ACLED's stand-ins for an unnamed side, always written with the country in brackets.
_STAND_INS = frozenset(
    {"unidentified armed group", "protesters", "rioters", "civilians", "unidentified militia"}
)


def _with_country(actor: CodedActor | None, where: str) -> CodedActor | None:
    """ "Unidentified Armed Group" as the extractor names it -> "... (Pakistan)" as ACLED does."""
    if actor is None or actor.name.casefold() not in _STAND_INS:
        return actor
    return CodedActor(f"{actor.name} ({where})", actor.inter, actor.actor_id, actor.status)


def coded_actors(data: dict[str, Any]) -> tuple[CodedActor | None, CodedActor | None]:
    """(actor1, actor2) as ACLED codes them.

    actor1 is the initiator: the coded actor1, else the perpetrator, else ACLED's stand-in
    for an unknown side ("Unidentified Armed Group (Pakistan)", "Protesters (Pakistan)").
    actor2 falls back to "Civilians (<Country>)" when the event targeted civilians.
    """
    where = _country_label(data)
    actor1 = _with_country(_coded(data.get("actor1")) or _coded(data.get("perpetrator")), where)
    actor2 = _with_country(_coded(data.get("actor2")), where)
    event_type = data.get("event_type")
    if actor1 is None:
        if event_type == "Protests":
            actor1 = CodedActor(f"Protesters ({where})", 6)
        elif event_type == "Riots":
            actor1 = CodedActor(f"Rioters ({where})", 5)
        elif event_type != "Strategic developments":
            actor1 = CodedActor(f"Unidentified Armed Group ({where})", 3)
    if actor2 is None and data.get("civilian_targeting"):
        actor2 = CodedActor(f"Civilians ({where})", 7)
    return actor1, actor2


def outlets(event: StoredEvent) -> list[str]:
    """Every outlet that reported the event, in report order, each once."""
    names = [s.source for s in event.sources if s.source] or (
        [event.article_source] if event.article_source else []
    )
    return list(dict.fromkeys(names))


def last_update(event: StoredEvent) -> dt.datetime | None:
    """When the event last changed: its latest report's ingestion (or publication) time."""
    stamps = [s.ingested_at for s in event.sources if s.ingested_at]
    if stamps:
        return max(stamps)
    published = [s.published for s in event.sources if s.published] or (
        [event.published] if event.published else []
    )
    if published:
        return dt.datetime.combine(max(published), dt.time(), tzinfo=dt.UTC)
    return None


_VERB_PHRASE: dict[str, str] = {
    "Armed clash": "clashed with",
    "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from",
    "Chemical weapon": "used a chemical weapon against",
    "Air/drone strike": "carried out an air or drone strike on",
    "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled",
    "Remote explosive/landmine/IED": "detonated an explosive device against",
    "Grenade": "threw a grenade at",
    "Sexual violence": "sexually assaulted",
    "Attack": "attacked",
    "Abduction/forced disappearance": "abducted",
    "Peaceful protest": "protested",
    "Protest with intervention": "protested and were dispersed",
    "Excessive force against protesters": "used excessive force against",
    "Violent demonstration": "held a violent demonstration",
    "Mob violence": "attacked",
    "Agreement": "reached an agreement with",
    "Arrests": "arrested",
    "Change to group/activity": "changed its activity",
    "Disrupted weapons use": "defused or seized weapons of",
    "Headquarters or base established": "established a base",
    "Looting/property destruction": "looted or destroyed property of",
    "Non-violent transfer of territory": "took over territory without fighting",
    "Other": "was involved in a strategic development",
}
_NO_OBJECT = {
    "Peaceful protest",
    "Protest with intervention",
    "Violent demonstration",
    "Change to group/activity",
    "Headquarters or base established",
    "Non-violent transfer of territory",
    "Other",
}

_STATUS_NOTE = {
    "claimed": "{who} claimed responsibility.",
    "attributed": "Officials blamed {who}.",
    "suspected": "{who} was suspected.",
    "denied": "{who} denied involvement.",
    "confirmed": "{who} was confirmed as the perpetrator.",
}


def _place_phrase(data: dict[str, Any]) -> str:
    loc = location(data)
    parts = [p for p in (loc.get("name"), loc.get("admin1")) if p]
    if loc.get("name") and loc.get("admin1") == loc.get("name"):
        parts = parts[:1]
    where = _country_label(data) if loc.get("country") else ""
    if not parts:
        return f" in {where}" if where else ""
    inner = ", ".join(parts[1:] + ([where] if where else []))
    return f" in {parts[0]}" + (f" ({inner})" if inner else "")


def _day_phrase(data: dict[str, Any]) -> str:
    day = event_date(data)
    if day is None:
        return "On an unknown date"
    precision = data.get("date_precision")
    if precision == "month":
        return f"In {day.strftime('%B')} {day.year}"
    if precision == "year":
        return f"In {day.year}"
    prefix = "Around" if precision == "week" else "On"
    return f"{prefix} {day.day} {day.strftime('%B')} {day.year}"


def summary_sentence(data: dict[str, Any]) -> str:
    """One sentence in ACLED notes style: when, who did what to whom, where, the toll."""
    actor1, actor2 = coded_actors(data)
    sub = data.get("sub_event_type") or ""
    verb = _VERB_PHRASE.get(sub, "was involved in an event against")
    subject = actor1.name if actor1 else "an unidentified actor"
    targets = [t["name"] for t in data.get("targets") or [] if t.get("name")]
    if data.get("event_type") == "Battles" and actor2 is not None:
        targets = [actor2.name]  # a battle is fought with the other side, not its victims
    obj = ""
    if sub not in _NO_OBJECT:
        obj = " " + (", ".join(targets[:3]) or (actor2.name if actor2 else "unidentified targets"))
    sentence = f"{_day_phrase(data)}, {subject} {verb}{obj}{_place_phrase(data)}"
    killed, wounded = toll(data, "fatalities"), toll(data, "injuries")
    tolls = []
    if killed:
        tolls.append(f"killing {killed}")
    if wounded:
        tolls.append(f"wounding {wounded}")
    if tolls:
        sentence += ", " + " and ".join(tolls)
    return sentence + "."


def claim_note(data: dict[str, Any]) -> str:
    """The claim status as a short sentence, empty when nobody claimed or was blamed."""
    perp = data.get("perpetrator") or {}
    status = perp.get("status")
    if perp.get("name") and status in _STATUS_NOTE:
        return _STATUS_NOTE[status].format(who=perp["name"])
    claimants = [c["by"] for c in data.get("claims") or [] if c.get("stance") == "claimed"]
    if claimants:
        return f"{' and '.join(dict.fromkeys(claimants))} claimed responsibility."
    return ""


def notes(data: dict[str, Any]) -> str:
    return " ".join(p for p in (summary_sentence(data), claim_note(data)) if p)
