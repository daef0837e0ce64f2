"""SQL for review decisions on provisional actors (groups the knowledge base does not know).

One row per provisional id: a later decision replaces the earlier one, keeping who decided and
when. Whether the ids make sense (the provisional actor was seen, the merge target exists) is
checked by the caller against the knowledge base; this module only refuses malformed rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from watchfloor.errors import ConfigError, StoreError
from watchfloor.store.database import Store
from watchfloor.store.schema import actor_reviews

__all__ = [
    "DECISIONS",
    "ActorReview",
    "actor_review",
    "actor_review_map",
    "list_actor_reviews",
    "record_actor_review",
]

DECISIONS = ("confirmed", "rejected", "merged")
PROVISIONAL = "provisional:"


@dataclass(frozen=True, slots=True)
class ActorReview:
    """The standing decision on one provisional actor."""

    provisional_id: str
    decision: str
    name: str
    by: str
    decided_at: dt.datetime
    actor_id: str | None = None
    parent_id: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "provisional_id": self.provisional_id,
            "decision": self.decision,
            "actor_id": self.actor_id,
            "name": self.name,
            "parent_id": self.parent_id,
            "by": self.by,
            "note": self.note,
            "decided_at": self.decided_at.isoformat(),
        }


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands timezone-aware columns back naive; every stored time is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _row(row: Any) -> ActorReview:
    return ActorReview(
        provisional_id=row.provisional_id,
        decision=row.decision,
        name=row.name,
        by=row.by,
        decided_at=_utc(row.decided_at),
        actor_id=row.actor_id,
        parent_id=row.parent_id,
        note=row.note,
    )


def _check(review: ActorReview) -> None:
    pid = review.provisional_id
    if not pid.startswith(PROVISIONAL) or len(pid) > 160 or len(pid) == len(PROVISIONAL):
        raise ConfigError(
            f"{pid!r} is not a provisional actor id (provisional:<slug>, at most 160 characters)",
            source="PROVISIONAL_ID",
        )
    if review.decision not in DECISIONS:
        raise ConfigError(
            f"decision {review.decision!r} is not one of {', '.join(DECISIONS)}", source=pid
        )
    if (review.decision == "merged") != bool(review.actor_id):
        raise ConfigError("a merge names the known actor it folds into", source=pid)
    if not review.by.strip() or len(review.by) > 128:
        raise ConfigError("--by: give the reviewer's name (1-128 characters)", source=pid)
    if not review.name.strip() or len(review.name) > 256:
        raise ConfigError("the actor's name must be 1-256 characters", source=pid)
    for label, value in (("actor", review.actor_id), ("parent", review.parent_id)):
        if value is not None and len(value) > 128:
            raise ConfigError(f"{label} id {value[:40]!r}… is longer than 128", source=pid)


def record_actor_review(
    store: Store,
    provisional_id: str,
    decision: str,
    *,
    name: str,
    by: str,
    actor_id: str | None = None,
    parent_id: str | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> ActorReview:
    """Store (or replace) the decision on ``provisional_id`` and return it as stored."""
    review = ActorReview(
        provisional_id=provisional_id,
        decision=decision,
        name=name.strip(),
        by=by.strip(),
        decided_at=at or dt.datetime.now(dt.UTC),
        actor_id=actor_id if decision == "merged" else None,
        parent_id=parent_id if decision == "confirmed" else None,
        note=note,
    )
    _check(review)
    values = {k: v for k, v in review.to_json().items() if k != "provisional_id"}
    values["decided_at"] = review.decided_at
    try:
        # Store._write queues writers (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on
        # SQLite), so the look-up and the insert cannot race another decision.
        with store._write() as conn:
            done = conn.execute(
                update(actor_reviews)
                .where(actor_reviews.c.provisional_id == provisional_id)
                .values(**values)
            )
            if done.rowcount == 0:
                conn.execute(insert(actor_reviews).values(provisional_id=provisional_id, **values))
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot store the decision: {exc}", source=provisional_id) from exc
    return review


def list_actor_reviews(store: Store) -> list[ActorReview]:
    """Every standing decision, the most recent first."""
    query = select(actor_reviews).order_by(
        actor_reviews.c.decided_at.desc(), actor_reviews.c.id.desc()
    )
    try:
        with store.engine.connect() as conn:
            return [_row(r) for r in conn.execute(query)]
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read actor reviews: {exc}") from exc


def actor_review_map(store: Store) -> dict[str, ActorReview]:
    """Decisions keyed by provisional id: what ``org_graph(reviews=...)`` takes."""
    return {r.provisional_id: r for r in list_actor_reviews(store)}


def actor_review(store: Store, provisional_id: str) -> ActorReview | None:
    """The standing decision on one provisional actor, or None."""
    query = select(actor_reviews).where(actor_reviews.c.provisional_id == provisional_id)
    try:
        with store.engine.connect() as conn:
            row = conn.execute(query).first()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read actor reviews: {exc}") from exc
    return _row(row) if row is not None else None
