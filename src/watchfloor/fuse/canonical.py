"""The canonical view of an event told by several reports, by documented rules.

Each field is chosen the way a careful coder reconciles sources (docs/fusion.md):

- **type and sub-type**: the majority of reports, ties to the earliest report;
- **date**: the most precise date; among equally precise ones the most reported, ties to the
  earliest report;
- **place**: the most precise place (lowest ACLED geo_precision), then the most reported;
- **perpetrator**: the strongest responsibility status (confirmed > claimed > attributed >
  suspected > unknown), ties to the earliest report;
- **tolls**: ``low`` is the lowest figure any report gave, ``high`` the highest; ``best`` is
  the most conservative figure among the most recent reports that gave one, because tolls
  usually rise as bodies are found and ACLED codes the lowest credible figure;
- **claims**: every report's, in report order;
- **evidence**: the first report's, because evidence offsets point into one article's text;
  every report keeps its own evidence in the store;
- **corrections** made by a reviewer override all of the above, last one wins.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_STATUS_RANK = {
    "confirmed": 0,
    "claimed": 1,
    "attributed": 2,
    "suspected": 3,
    "denied": 4,
    "unknown": 5,
    None: 6,
}


@dataclass(frozen=True, slots=True)
class MemberReport:
    """One report of an event: the contract-shaped event and when its article appeared."""

    report_id: int
    data: dict[str, Any]
    published: dt.date | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Correction:
    """A reviewer's decision: ``field`` is a dotted path into the event ("location.admin1")."""

    field: str
    value: Any


def _first_by(members: Sequence[MemberReport], key: Callable[[MemberReport], Any]) -> MemberReport:
    """The member with the smallest key, ties to the earliest report (members are in order)."""
    return min(enumerate(members), key=lambda pair: (key(pair[1]), pair[0]))[1]


def _majority(values: Sequence[Any]) -> Any:
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in values if counts[v] == top)


def _toll(members: Sequence[MemberReport], key: str) -> dict[str, Any] | None:
    given = [
        (m, m.data[key]) for m in members if m.data.get(key) and m.data[key].get("best") is not None
    ]
    if not given:
        return None
    lows = [t.get("low") if t.get("low") is not None else t["best"] for _, t in given]
    highs = [t.get("high") if t.get("high") is not None else t["best"] for _, t in given]
    dated = [m.published for m, _ in given if m.published is not None]
    latest = max(dated) if dated else None
    recent = [t for m, t in given if latest is None or m.published == latest] or [
        t for _, t in given
    ]
    chosen = min(recent, key=lambda t: t["best"])
    return {
        "low": min(lows),
        "best": chosen["best"],
        "high": max(highs),
        "qualifier": chosen.get("qualifier"),
        "attackers": chosen.get("attackers"),
    }


def _date_rank(member: MemberReport) -> int:
    return _PRECISION_RANK.get(member.data.get("date_precision") or "unknown", 4)


def canonical_event(
    members: Sequence[MemberReport], corrections: Sequence[Correction] = ()
) -> dict[str, Any]:
    """The event as the database shows it, built from its reports in report order."""
    if not members:
        raise ValueError("an event needs at least one report")
    first = members[0]
    merged: dict[str, Any] = dict(first.data)

    kind = _majority([(m.data["event_type"], m.data["sub_event_type"]) for m in members])
    merged["event_type"], merged["sub_event_type"] = kind
    typed = [m for m in members if m.data.get("attack_type")]
    merged["attack_type"] = typed[0].data["attack_type"] if typed else None

    best_precision = min(_date_rank(m) for m in members)
    precise = [m for m in members if _date_rank(m) == best_precision and m.data.get("date")]
    if precise:
        day = _majority([m.data["date"] for m in precise])
        chosen = next(m for m in precise if m.data["date"] == day)
        for name in ("date", "date_earliest", "date_latest", "date_precision"):
            merged[name] = chosen.data.get(name)

    located = [m for m in members if m.data.get("location")]
    if located:
        finest = min(m.data["location"].get("geo_precision") or 3 for m in located)
        fine = [m for m in located if (m.data["location"].get("geo_precision") or 3) == finest]
        name = _majority([m.data["location"].get("name") for m in fine])
        merged["location"] = next(
            m.data["location"] for m in fine if m.data["location"].get("name") == name
        )

    named = [m for m in members if m.data.get("perpetrator")]
    if named:
        strongest = _first_by(named, lambda m: _STATUS_RANK.get(m.data["perpetrator"]["status"], 6))
        merged["perpetrator"] = strongest.data["perpetrator"]
        merged["actor1"] = strongest.data.get("actor1") or merged.get("actor1")
    for slot in ("actor2",):
        if not merged.get(slot):
            merged[slot] = next((m.data[slot] for m in members if m.data.get(slot)), None)

    merged["fatalities"] = _toll(members, "fatalities")
    merged["injuries"] = _toll(members, "injuries")
    merged["targets"] = _union([t for m in members for t in m.data.get("targets") or []])
    merged["weapons"] = _union([w for m in members for w in m.data.get("weapons") or []])
    claims = [c for m in members for c in m.data.get("claims") or []]
    merged["claims"] = _union([{k: v for k, v in c.items() if k != "evidence"} for c in claims])
    targeted = [m.data.get("civilian_targeting") for m in members]
    merged["civilian_targeting"] = (
        True if True in targeted else first.data.get("civilian_targeting")
    )
    merged["confidence"] = round(
        min(1.0, max(m.data.get("confidence") or 0.0 for m in members) + 0.05 * (len(members) - 1)),
        3,
    )
    merged["evidence"] = list(first.data.get("evidence") or [])
    for correction in corrections:
        merged = apply_correction(merged, correction)
    return merged


def _union(items: Sequence[Any]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def apply_correction(data: dict[str, Any], correction: Correction) -> dict[str, Any]:
    """A copy of ``data`` with the reviewer's value at the dotted path."""
    result = dict(data)
    parts = correction.field.split(".")
    node = result
    for part in parts[:-1]:
        child = node.get(part)
        child = dict(child) if isinstance(child, dict) else {}
        node[part] = child
        node = child
    node[parts[-1]] = correction.value
    return result
