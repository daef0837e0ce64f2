"""Within one article, an incident told twice (lead and recap) is one event.

The assembler already folds follow-up sentences into the incident they describe; this pass
catches what it cannot see, such as a recap paragraph far from the lead ("The attack in Tank on
Thursday was the second this week"). Two events merge when their types agree, their date
windows overlap, they sit in the same place, and their perpetrators do not contradict each
other. The merged event keeps the first report's values and fills gaps from the second, with
the evidence and claims of both.
"""

from __future__ import annotations

from collections.abc import Sequence

from watchfloor.model import Event, Place


def same_incident(a: Event, b: Event) -> bool:
    if (a.event_type, a.sub_event_type) != (b.event_type, b.sub_event_type):
        return False
    if not (a.date_earliest and a.date_latest and b.date_earliest and b.date_latest):
        return False
    if a.date_earliest > b.date_latest or b.date_earliest > a.date_latest:
        return False
    if a.location is None or b.location is None or not _same_place(a.location, b.location):
        return False
    named = [
        p
        for p in (a.perpetrator, b.perpetrator)
        if p is not None and p.actor_id and p.status != "unknown"
    ]
    if len(named) == 2 and named[0].actor_id != named[1].actor_id:
        return False  # "gunmen" (status unknown) never contradicts a named group
    ka = a.fatalities.best if a.fatalities else None
    kb = b.fatalities.best if b.fatalities else None
    return ka is None or kb is None or ka == kb


def _same_place(a: Place, b: Place) -> bool:
    """One town, or a province-level report and a town inside that province."""
    if a.geo_precision == 3 and b.geo_precision == 3:
        return False  # two province-level reports are too vague to call one incident
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True
    coarse, fine = (a, b) if (a.geo_precision or 3) >= (b.geo_precision or 3) else (b, a)
    return (
        coarse.geo_precision == 3
        and coarse.name is None
        and coarse.country == fine.country
        and coarse.admin1 is not None
        and coarse.admin1 == fine.admin1
    )


def _merge(first: Event, second: Event) -> Event:
    updates = {
        name: getattr(second, name)
        for name in (
            "perpetrator",
            "actor1",
            "actor2",
            "fatalities",
            "injuries",
            "attack_type",
            "civilian_targeting",
        )
        if getattr(first, name) is None and getattr(second, name) is not None
    }
    if (
        first.perpetrator is not None
        and first.perpetrator.status == "unknown"
        and (second.perpetrator is not None and second.perpetrator.status != "unknown")
    ):
        updates.update(perpetrator=second.perpetrator, actor1=second.actor1)
    if (
        second.location
        and first.location
        and (second.location.geo_precision or 3) < (first.location.geo_precision or 3)
    ):
        updates["location"] = second.location
    if first.date_precision != "day" and second.date_precision == "day":
        updates.update(
            date=second.date,
            date_earliest=second.date_earliest,
            date_latest=second.date_latest,
            date_precision="day",
        )
    seen_spans = {(s.field, s.start, s.end) for s in first.evidence}
    evidence = first.evidence + [
        s for s in second.evidence if (s.field, s.start, s.end) not in seen_spans
    ]
    seen_claims = {(c.by, c.stance) for c in first.claims}
    claims = first.claims + [c for c in second.claims if (c.by, c.stance) not in seen_claims]
    targets = first.targets or second.targets
    weapons = sorted(set(first.weapons) | set(second.weapons))
    confidence = min(0.95, max(first.confidence, second.confidence) + 0.05)
    return first.model_copy(
        update={
            **updates,
            "evidence": evidence,
            "claims": claims,
            "targets": targets,
            "weapons": weapons,
            "confidence": round(confidence, 2),
        }
    )


def fuse_events(events: Sequence[Event]) -> list[Event]:
    """Merge the events of one article that report the same incident; order is kept."""
    fused: list[Event] = []
    for event in events:
        for index, kept in enumerate(fused):
            if same_incident(kept, event):
                fused[index] = _merge(kept, event)
                break
        else:
            fused.append(event)
    return fused
