"""Actor resolution accuracy on a mention → actor test set (tests/resolve/data/mentions.tsv).

Each row is a mention as a story writes it, the actor id it should resolve to, and optionally
the story's date, country (ISO2) and sentence; ``origin`` says where the row comes from (``ucdp``,
``newsroom:<case>``, ``own:<what>``). A row is right when :meth:`ActorKB.resolve` gives exactly
that actor id; no answer is a miss. Generic mentions ("gunmen") are right when they give the
generic class, and their share of unresolved answers is reported beside the accuracy.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.errors import MalformedLine, UnreadableInput
from watchfloor.resolve.actors import ActorKB

COLUMNS = ("mention", "actor_id", "date", "country", "context", "origin")


@dataclass(frozen=True, slots=True)
class Mention:
    mention: str
    actor_id: str
    date: str | None
    country: str | None
    context: str | None
    origin: str

    @property
    def group(self) -> str:
        """The origin without its detail: ``newsroom:case-03`` -> ``newsroom``."""
        return self.origin.split(":", 1)[0]


@dataclass(slots=True)
class Tally:
    right: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass(slots=True)
class ActorReport:
    overall: Tally = field(default_factory=Tally)
    by_origin: dict[str, Tally] = field(default_factory=dict)
    unresolved: int = 0  # answers marked unresolved (generic classes)
    misses: list[dict[str, Any]] = field(default_factory=list)


def load_mentions(path: Path) -> list[Mention]:
    """Rows of a mention TSV (``#`` lines are comments); a bad row names its line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UnreadableInput(f"cannot read mention test set: {exc}", source=str(path)) from exc
    numbered = [(n, line) for n, line in enumerate(lines, 1) if not line.startswith("#")]
    if not numbered:
        raise MalformedLine("no header line", source=str(path))
    header_line, header = numbered[0]
    names = header.split("\t")
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise MalformedLine(
            f"missing column(s) {', '.join(missing)}", source=str(path), line=header_line
        )
    rows = []
    reader = csv.reader([line for _, line in numbered[1:]], delimiter="\t", quoting=csv.QUOTE_NONE)
    for (number, _), cells in zip(numbered[1:], reader, strict=True):
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            raise MalformedLine(
                f"expected {len(names)} tab-separated fields, found {len(cells)}",
                source=str(path),
                line=number,
            )
        row = dict(zip(names, cells, strict=True))
        if not row["mention"].strip() or not row["actor_id"].strip():
            raise MalformedLine("empty mention or actor_id", source=str(path), line=number)
        rows.append(
            Mention(
                mention=row["mention"],
                actor_id=row["actor_id"].strip(),
                date=row["date"].strip() or None,
                country=row["country"].strip() or None,
                context=row["context"].strip() or None,
                origin=row["origin"].strip() or "unknown",
            )
        )
    return rows


def evaluate(kb: ActorKB, rows: Sequence[Mention]) -> ActorReport:
    report = ActorReport()
    for row in rows:
        found = kb.resolution(row.mention, on=row.date, country=row.country, context=row.context)
        got = found.actor.actor_id if found is not None else None
        right = got == row.actor_id
        tally = report.by_origin.setdefault(row.group, Tally())
        for t in (report.overall, tally):
            t.total += 1
            t.right += right
        if found is not None and not found.resolved:
            report.unresolved += 1
        if not right:
            report.misses.append(
                {"mention": row.mention, "expected": row.actor_id, "got": got, "origin": row.origin}
            )
    return report


def report_dict(report: ActorReport) -> dict[str, Any]:
    def tally(t: Tally) -> dict[str, Any]:
        return {"right": t.right, "total": t.total, "accuracy": round(100 * t.accuracy, 2)}

    return {
        "overall": tally(report.overall),
        "by_origin": {k: tally(v) for k, v in sorted(report.by_origin.items())},
        "unresolved": report.unresolved,
        "misses": report.misses,
        "missed_actors": dict(Counter(m["expected"] for m in report.misses).most_common(10)),
    }
