"""PLOVER-style JSON: events recoded into the PLOVER ontology (event, mode, context, actors).

PLOVER codes interactions between an actor and a recipient; ACLED codes incidents. The map
below goes from ACLED sub-event types to PLOVER event classes and modes (the vocabulary of
the PLOVER gold-standard records). Sub-types PLOVER has no class for are left out and counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

import orjson

from watchfloor.export import codebooks
from watchfloor.export.common import CodedActor, coded_actors, country, location, outlets, toll
from watchfloor.store import StoredEvent

PLOVER_EVENTS = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
)

#: ACLED sub-event type -> (PLOVER event, default mode); None: no PLOVER class.
SUB_TYPE_TO_PLOVER: dict[str, tuple[str, str] | None] = {
    "Armed clash": ("FIGHT", "firearms"),
    "Government regains territory": ("FIGHT", ""),
    "Non-state actor overtakes territory": ("FIGHT", ""),
    "Chemical weapon": ("FIGHT", "other"),
    "Air/drone strike": ("FIGHT", "heavy-weapons"),
    "Shelling/artillery/missile attack": ("FIGHT", "heavy-weapons"),
    "Suicide bomb": ("ASSAULT", "suicide-attack"),
    "Remote explosive/landmine/IED": ("ASSAULT", "explosives"),
    "Grenade": ("ASSAULT", "explosives"),
    "Attack": ("ASSAULT", ""),
    "Sexual violence": ("ASSAULT", "sexual"),
    "Abduction/forced disappearance": ("ASSAULT", "abduct"),
    "Peaceful protest": ("PROTEST", ""),
    "Protest with intervention": ("PROTEST", ""),
    "Excessive force against protesters": ("COERCE", ""),
    "Violent demonstration": ("PROTEST", "riot"),
    "Mob violence": ("ASSAULT", "beat"),
    "Agreement": ("AGREE", ""),
    "Arrests": ("COERCE", "arrest"),
    "Change to group/activity": None,
    "Disrupted weapons use": ("COERCE", "confiscate"),
    "Headquarters or base established": ("MOBILIZE", "troops"),
    "Looting/property destruction": ("COERCE", "destroy"),
    "Non-violent transfer of territory": ("RETREAT", ""),
    "Other": None,
}

PLOVER_MODES: dict[str, frozenset[str]] = {
    "FIGHT": frozenset({"", "firearms", "explosives", "heavy-weapons", "assassinate", "other"}),
    "ASSAULT": frozenset(
        {
            "",
            "abduct",
            "assassinate",
            "beat",
            "explosives",
            "primitive",
            "sexual",
            "suicide-attack",
            "torture",
        }
    ),
    "PROTEST": frozenset({"", "demo-org", "demo-spon", "obstruct", "riot", "riot-spon"}),
    "COERCE": frozenset({"", "arrest", "confiscate", "destroy", "detain"}),
    "AGREE": frozenset({""}),
    "MOBILIZE": frozenset({"", "troops", "police", "weapons"}),
    "RETREAT": frozenset({""}),
}


@dataclass(slots=True)
class PloverTally:
    written: int = 0
    skipped_no_class: int = 0


def _mode(event: str, default: str, data: dict[str, Any]) -> str:
    """Refine the default mode from the attack type and weapons where PLOVER has a mode."""
    if data.get("attack_type") == "Assassination" and event in ("FIGHT", "ASSAULT"):
        return "assassinate"
    if event == "ASSAULT" and not default:
        weapon = codebooks.gtd_weapon_type(list(data.get("weapons") or []), None)
        return {6: "explosives", 9: "primitive"}.get(weapon, "")
    return default


def _context(event: str, data: dict[str, Any], actor1: CodedActor | None) -> str:
    contexts: list[str] = []
    sub = data.get("sub_event_type")
    if sub == "Chemical weapon":
        contexts.append("cbrn")
    remote = data.get("event_type") == "Explosions/Remote violence"
    fighting = data.get("event_type") == "Battles" or event == "MOBILIZE"
    if fighting or (remote and not data.get("civilian_targeting")):
        contexts.append("military")
    if (
        actor1
        and actor1.inter in (2, 3)
        and (
            data.get("civilian_targeting") or data.get("event_type") == "Explosions/Remote violence"
        )
    ):
        contexts.append("terrorism")
    if data.get("event_type") in ("Protests", "Riots"):
        contexts.append("political")
    if sub == "Arrests":
        contexts.append("legal")
    return ", ".join(dict.fromkeys(contexts))


def _actor(actor: CodedActor | None, iso3: str | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {
        "name": actor.name,
        "code": actor.actor_id,
        "type": codebooks.ACLED_INTER.get(actor.inter) if actor.inter else None,
        "country": iso3,
    }


def plover_record(event: StoredEvent) -> dict[str, Any] | None:
    """One event as a PLOVER-style record; None when PLOVER has no class for its sub-type."""
    data = event.data
    mapped = SUB_TYPE_TO_PLOVER.get(data.get("sub_event_type") or "")
    if mapped is None:
        return None
    plover_event, default_mode = mapped
    actor1, actor2 = coded_actors(data)
    loc = location(data)
    place = country(loc.get("country"))
    iso3 = place.iso3 if place else None
    recipient = _actor(actor2, iso3)
    if recipient is None and data.get("targets"):
        target = data["targets"][0]
        recipient = {"name": target["name"], "code": None, "type": None, "country": iso3}
    return {
        "id": f"watchfloor-{event.id}",
        "date": data.get("date"),
        "event": plover_event,
        "mode": _mode(plover_event, default_mode, data),
        "context": _context(plover_event, data, actor1),
        "actor": _actor(actor1, iso3),
        "recipient": recipient,
        "event_loc": {
            "name": loc.get("name"),
            "admin1": loc.get("admin1"),
            "admin2": loc.get("admin2"),
            "country": iso3,
            "lat": loc.get("lat"),
            "lon": loc.get("lon"),
            "geonames_id": loc.get("geonames_id"),
        },
        "fatalities": toll(data, "fatalities"),
        "injuries": toll(data, "injuries"),
        "source": outlets(event),
        "acled_event_type": data.get("event_type"),
        "acled_sub_event_type": data.get("sub_event_type"),
    }


def write_plover(
    events: Iterable[StoredEvent], out: TextIO, tally: PloverTally | None = None
) -> int:
    """Stream a JSON array of PLOVER-style records; returns records written."""
    tally = tally if tally is not None else PloverTally()
    out.write("[")
    for event in events:
        record = plover_record(event)
        if record is None:
            tally.skipped_no_class += 1
            continue
        out.write("\n" if tally.written == 0 else ",\n")
        out.write(orjson.dumps(record).decode())
        tally.written += 1
    out.write("\n]\n")
    return tally.written
