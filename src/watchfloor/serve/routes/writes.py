"""Write API: ingest one article, review decisions on events and on provisional actors (groups
the knowledge base does not know). Every write here needs a bearer token.

CSRF: writes authenticate only with an ``Authorization: Bearer`` header, never a cookie, so
a page on another site cannot make the browser send a credential; the dashboard keeps the
pasted token in sessionStorage and adds the header itself.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from watchfloor.errors import StoreError
from watchfloor.ingest.parse import article_from_text, parse_published
from watchfloor.resolve.graph import check_review, provisional_actors
from watchfloor.serve.deps import ApiError, State, Writer
from watchfloor.serve.views import REVIEWABLE_FIELDS, field_value, review_sort_key
from watchfloor.store import EventFilter
from watchfloor.store.actor_reviews import actor_review_map, record_actor_review

router = APIRouter(prefix="/api", tags=["writes"])

MAX_ID = 2**53
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Note = Annotated[str | None, Field(default=None, max_length=2000)]
ReviewField = Literal[REVIEWABLE_FIELDS]  # type: ignore[valid-type]


class ArticleIn(BaseModel):
    """One article as in the extraction contract's input lines."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=512)
    text: str = Field(min_length=1)
    published: str | None = Field(default=None, max_length=32, description="YYYY-MM-DD")
    title: str | None = Field(default=None, max_length=2000)
    url: str | None = Field(default=None, max_length=4000)
    source: str | None = Field(default=None, max_length=512)


class _Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: Note = None


class AcceptField(_Decision):
    """The coded value of a field is right as extracted."""

    action: Literal["accept"]
    event_id: Id
    field: ReviewField


class CorrectField(_Decision):
    """Replace the coded value of a field (JSON in the contract's shape for that field)."""

    action: Literal["correct"]
    event_id: Id
    field: ReviewField
    value: Any = None


class MergeEvents(_Decision):
    """Two events are one incident: keep ``keep_id``, fold ``other_id`` into it."""

    action: Literal["merge"]
    keep_id: Id
    other_id: Id


class UnmergeReport(_Decision):
    """A report was fused into the wrong event: split it off as a new event."""

    action: Literal["unmerge"]
    event_id: Id
    report_id: Id


class ActorDecision(_Decision):
    """A group the knowledge base does not know: confirm it as a real group (optionally a
    branch of ``parent_id``), reject it, or merge it into the known actor ``actor_id``."""

    action: Literal["confirm_actor", "reject_actor", "merge_actor"]
    provisional_id: str = Field(max_length=160, pattern=r"^provisional:[a-z0-9-]+$")
    actor_id: str | None = Field(default=None, min_length=1, max_length=128)
    parent_id: str | None = Field(default=None, min_length=1, max_length=128)


ACTOR_DECISIONS = {
    "confirm_actor": "confirmed",
    "reject_actor": "rejected",
    "merge_actor": "merged",
}

ReviewDecision = Annotated[
    AcceptField | CorrectField | MergeEvents | UnmergeReport | ActorDecision,
    Field(discriminator="action"),
]


def _store_method(state: State, name: str) -> Any:
    method = getattr(state.store, name, None)
    if not callable(method):
        raise ApiError(
            501, f"this database cannot take review decisions yet (no Store.{name}); update it"
        )
    return method


@router.post("/articles", status_code=201)
def ingest_article(
    state: State, token: Writer, article_in: ArticleIn, response: Response
) -> dict[str, Any]:
    """Extract and store one article (at most 1 MB of JSON); 200 when it is stored already."""
    from watchfloor.pipeline.extractor import EXTRACTOR_VERSION  # spaCy: load on first write

    source = f"POST /api/articles ({token.name})"
    article = article_from_text(
        article_in.text,
        article_id=article_in.id,
        source=source,
        published=parse_published(article_in.published, source="published"),
        title=article_in.title,
        url=article_in.url,
        outlet=article_in.source,
    )
    if state.store.has_article(article.content_hash):
        response.status_code = 200
        return {"duplicate": True, "article_id": None, "events_added": 0}
    result = state.extractor().extract(article)
    with state.write_lock:
        outcome = state.store.add_batch([(article, result, source)], EXTRACTOR_VERSION)
    if not outcome.articles_added:  # another request stored it between our check and write
        response.status_code = 200
    return {
        "duplicate": outcome.articles_added == 0,
        "article_id": outcome.added_ids[0] if outcome.added_ids else None,
        "events_added": outcome.events_added,
        "org_developments_added": outcome.org_developments_added,
    }


def _decide_actor(state: State, decision: ActorDecision, by: str) -> dict[str, Any]:
    """Check an actor decision against the stored news and the knowledge base, then store it."""
    kb = state.kb()
    seen = {p.provisional_id: p for p in provisional_actors(kb, state.store.org_developments())}
    kind = ACTOR_DECISIONS[decision.action]
    found, target, parent = check_review(
        kb,
        seen,
        decision.provisional_id,
        kind,
        actor_id=decision.actor_id,
        parent_id=decision.parent_id,
    )
    stored = record_actor_review(
        state.store,
        found.provisional_id,
        kind,
        name=found.name,
        by=by,
        actor_id=target,
        parent_id=parent,
        note=decision.note,
    )
    return {
        "provisional_id": stored.provisional_id,
        "name": stored.name,
        "decision": stored.decision,
        "actor_id": stored.actor_id,
        "parent_id": stored.parent_id,
    }


@router.post("/review")
def review(state: State, token: Writer, decision: ReviewDecision) -> dict[str, Any]:
    """Record a review decision under the token's name: accept, correct, merge or unmerge an
    event; confirm_actor, reject_actor or merge_actor for a provisional actor."""
    done: dict[str, Any] = {"action": decision.action, "by": token.name}
    try:
        with state.write_lock:
            if isinstance(decision, ActorDecision):
                done.update(_decide_actor(state, decision, token.name))
            elif isinstance(decision, AcceptField | CorrectField):
                correct = _store_method(state, "correct_field")
                if isinstance(decision, AcceptField):
                    stored, _article = state.store.event(decision.event_id)
                    value = field_value(stored.data, decision.field)
                    note = decision.note or "accepted as extracted"
                else:
                    value, note = decision.value, decision.note
                correct(decision.event_id, decision.field, value, by=token.name, note=note)
                done.update(event_id=decision.event_id, field=decision.field)
            elif isinstance(decision, MergeEvents):
                if decision.keep_id == decision.other_id:
                    raise ApiError(400, "keep_id and other_id are the same event")
                merge = _store_method(state, "merge_events")
                merge(decision.keep_id, decision.other_id, by=token.name, note=decision.note)
                done.update(event_id=decision.keep_id, merged=decision.other_id)
            else:
                unmerge = _store_method(state, "unmerge")
                new_id = unmerge(
                    decision.event_id, decision.report_id, by=token.name, note=decision.note
                )
                done.update(event_id=decision.event_id, new_event_id=new_id)
    except StoreError as exc:
        # The store refuses decisions it cannot apply (a field it does not correct, a report
        # that is the event's only one) with StoreError: a conflict with the data, not an outage.
        raise ApiError(409, exc.one_line()) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise ApiError(400, f"the store refused the decision: {exc}") from exc
    return done


def review_queue_events(state: State, limit: int) -> list[Any]:
    """Low-confidence events first: the store's queue, or ordered here by confidence."""
    queue = getattr(state.store, "review_queue", None)
    if callable(queue):
        return list(queue(limit))
    return sorted(state.store.iter_events(EventFilter()), key=review_sort_key)[:limit]


@router.get("/review/queue", tags=["review"])
def review_queue(state: State, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """Events that most need a person's eye, least confident first."""
    events = review_queue_events(state, limit)
    return {"items": [e.to_json() for e in events], "count": len(events), "limit": limit}


@router.get("/review/actors", tags=["review"])
def review_actors(
    state: State,
    include_decided: Annotated[
        bool, Query(alias="all", description="Also list the actors already decided.")
    ] = False,
) -> dict[str, Any]:
    """Groups the stored news names that the knowledge base does not know, oldest first, each
    with the quote and article that introduced it; undecided ones unless ``all`` is set."""
    reviews = actor_review_map(state.store)
    items = []
    for found in provisional_actors(state.kb(), state.store.org_developments()):
        review = reviews.get(found.provisional_id)
        if review is not None and not include_decided:
            continue
        items.append({**asdict(found), "review": review.to_json() if review else None})
    return {"items": items, "count": len(items)}
