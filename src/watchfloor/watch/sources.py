"""Polling one source: fetch (conditionally for feeds), parse, hash items; health and backoff.

The fetch functions do the I/O and return every item with a content hash; the runner keeps
only hashes the source has not delivered before, so repeated feed entries, files and JSONL
lines are extracted once. Health is a pure function of the previous state and the outcome:
failures push the next poll back exponentially (with jitter, so many watchers do not retry in
step) up to ``max_backoff``, and one success resets it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from watchfloor.errors import InputError, UnreadableInput
from watchfloor.ingest.parse import article_from_json_line, articles_from_feed, decode_text
from watchfloor.ingest.readers import JSONL_SUFFIXES, SUPPORTED, IngestItem, read_file
from watchfloor.store.watch import SourceState
from watchfloor.watch.config import SourceConfig

#: Consecutive failures after which a source is "failing" rather than "degraded".
FAILING_AFTER = 3
USER_AGENT = "watchfloor-watch (+offline event monitoring)"


class SourceUnavailable(UnreadableInput):
    """A source could not be fetched or parsed this time (timeout, HTTP error, bad XML)."""


@dataclass(frozen=True, slots=True)
class Fetch:
    """One poll's result: every item with its hash, and the validators for the next poll."""

    items: list[tuple[str, IngestItem]] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    http_status: int | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(cfg: SourceConfig, state: SourceState, client: httpx.Client) -> Fetch:
    """Poll a source once; raises SourceUnavailable (naming it) when nothing could be read."""
    if cfg.kind == "rss":
        return fetch_feed(cfg, state, client)
    if cfg.kind == "folder":
        return fetch_folder(cfg)
    return fetch_jsonl(cfg)


def fetch_feed(cfg: SourceConfig, state: SourceState, client: httpx.Client) -> Fetch:
    """A conditional GET (ETag / Last-Modified); an unchanged body is skipped by its hash."""
    headers = {"User-Agent": USER_AGENT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    try:
        response = client.get(
            cfg.location, headers=headers, timeout=cfg.timeout, follow_redirects=True
        )
    except httpx.TimeoutException as exc:
        raise SourceUnavailable(
            f"timed out after {cfg.timeout:g}s ({type(exc).__name__})", source=cfg.name
        ) from exc
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"cannot fetch: {exc}", source=cfg.name) from exc
    validators = {
        "etag": response.headers.get("ETag") or state.etag,
        "last_modified": response.headers.get("Last-Modified") or state.last_modified,
        "http_status": response.status_code,
    }
    if response.status_code == 304:
        return Fetch(not_modified=True, body_hash=state.body_hash, **validators)
    if response.status_code >= 400:
        raise SourceUnavailable(f"HTTP {response.status_code} from {cfg.location}", source=cfg.name)
    body = response.content
    digest = sha256(body)
    if digest == state.body_hash:
        return Fetch(not_modified=True, body_hash=digest, **validators)
    try:
        parsed = list(articles_from_feed(body, source=cfg.name))
    except InputError as exc:
        raise SourceUnavailable(exc.message, source=cfg.name) from exc
    items = [(_item_hash(item), item) for item in parsed]
    return Fetch(items=items, body_hash=digest, **validators)


def _item_hash(item: IngestItem) -> str:
    if isinstance(item, InputError):
        return sha256(f"error\n{item.where()}\n{item.message}".encode())
    return item.content_hash


def fetch_folder(cfg: SourceConfig) -> Fetch:
    """Every supported file under the folder; items are hashed by content (renames are not news)."""
    root = Path(cfg.location)
    if not root.is_dir():
        raise SourceUnavailable(f"not a folder: {root}", source=cfg.name)
    items: list[tuple[str, IngestItem]] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() not in SUPPORTED:
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            items.append((sha256(str(path).encode()), UnreadableInput(str(exc), source=str(path))))
            continue
        if path.suffix.lower() in JSONL_SUFFIXES:
            items.extend(_jsonl_items(data, str(path)))
        else:
            items.extend((_item_hash(item), item) for item in read_file(path))
    return Fetch(items=items)


def fetch_jsonl(cfg: SourceConfig) -> Fetch:
    """A JSONL drop: one file, or every .jsonl file of a folder; each line is one item."""
    root = Path(cfg.location)
    if root.is_dir():
        files = sorted(p for p in root.iterdir() if p.suffix.lower() in JSONL_SUFFIXES)
    elif root.is_file():
        files = [root]
    else:
        raise SourceUnavailable(f"no such file or folder: {root}", source=cfg.name)
    items: list[tuple[str, IngestItem]] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceUnavailable(f"cannot read {path}: {exc}", source=cfg.name) from exc
        items.extend(_jsonl_items(data, str(path)))
    return Fetch(items=items)


def _jsonl_items(data: bytes, source: str) -> list[tuple[str, IngestItem]]:
    """Lines hashed by their bytes; a partly written last line (no newline yet) waits."""
    lines = data.split(b"\n")
    if lines and lines[-1].strip():
        lines = lines[:-1]  # a writer may still be appending it
    out: list[tuple[str, IngestItem]] = []
    stem = Path(source).stem
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        digest = sha256(raw.strip())
        try:
            text = decode_text(raw, source=source)
            item: IngestItem = article_from_json_line(
                text, source=source, line=number, default_id=f"{stem}:{number}"
            )
        except InputError as exc:
            exc.line = exc.line or number
            item = exc
        out.append((digest, item))
    return out


# -- health --------------------------------------------------------------------------------


def initial_state(cfg: SourceConfig) -> SourceState:
    return SourceState(name=cfg.name, kind=cfg.kind, location=cfg.location)


def is_due(state: SourceState, now: dt.datetime) -> bool:
    return state.next_due is None or now >= state.next_due


def backoff_seconds(failures: int, cfg: SourceConfig, rng: random.Random) -> float:
    """Exponential backoff from the poll interval, capped, with "equal jitter" (50-100%)."""
    base = min(cfg.max_backoff, cfg.interval * 2 ** max(0, failures - 1))
    return base / 2 + rng.uniform(0, base / 2)


def health(failures: int) -> str:
    if failures == 0:
        return "ok"
    return "failing" if failures >= FAILING_AFTER else "degraded"


def after_success(
    state: SourceState,
    cfg: SourceConfig,
    result: Fetch,
    now: dt.datetime,
    *,
    new_items: int,
    articles_added: int,
) -> SourceState:
    return replace(
        state,
        kind=cfg.kind,
        location=cfg.location,
        status="ok",
        failures=0,
        etag=result.etag,
        last_modified=result.last_modified,
        body_hash=result.body_hash,
        last_attempt=now,
        last_success=now,
        next_due=now + dt.timedelta(seconds=cfg.interval),
        last_error=None,
        http_status=result.http_status,
        articles_added=state.articles_added + articles_added,
        items_seen=state.items_seen + new_items,
    )


def after_failure(
    state: SourceState,
    cfg: SourceConfig,
    error: InputError,
    now: dt.datetime,
    rng: random.Random,
) -> SourceState:
    failures = state.failures + 1
    return replace(
        state,
        kind=cfg.kind,
        location=cfg.location,
        status=health(failures),
        failures=failures,
        last_attempt=now,
        next_due=now + dt.timedelta(seconds=backoff_seconds(failures, cfg, rng)),
        last_error=error.one_line(),
        http_status=_status_in(error.message),
    )


def _status_in(message: str) -> int | None:
    if message.startswith("HTTP "):
        code = message.split()[1]
        return int(code) if code.isdigit() else None
    return None
