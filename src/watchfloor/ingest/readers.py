"""The ingest stage's I/O edge: walk paths and URLs, read bytes, hand them to the parsers.

Every item is either an ``Article`` or the ``InputError`` that explains why an input was
dropped, so a batch always goes on past bad items and the caller decides how to report them.
"""

from __future__ import annotations

import datetime as dt
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

from watchfloor.errors import InputError, UnknownFormat, UnreadableInput
from watchfloor.ingest.parse import (
    article_from_html,
    article_from_json_line,
    article_from_text,
    articles_from_feed,
    decode_text,
)
from watchfloor.model import Article

IngestItem = Article | InputError

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


def read_paths(paths: Iterable[str], published: dt.date | None = None) -> Iterator[IngestItem]:
    """Articles from files, folders (recursively, sorted) and feed URLs, in a stable order."""
    for raw in paths:
        if is_feed_url(raw):
            yield from _read_feed_url(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
            )
            for file in files:
                yield from read_file(file, published)
        else:
            yield from read_file(path, published)


def is_feed_url(raw: str) -> bool:
    """An input fetched over the network rather than read from disk."""
    return raw.startswith(("http://", "https://"))


def read_file(path: Path, published: dt.date | None = None) -> Iterator[IngestItem]:
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        yield UnknownFormat(
            f"unknown file type {suffix or '(none)'!r}; watchfloor reads "
            + ", ".join(sorted(SUPPORTED)),
            source=source,
        )
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield UnreadableInput(f"cannot read file: {exc.strerror or exc}", source=source)
        return
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(data, source)
        elif suffix in FEED_SUFFIXES:
            yield from articles_from_feed(data, source=source)
        elif suffix in HTML_SUFFIXES:
            yield article_from_html(
                decode_text(data, source=source),
                article_id=path.stem,
                source=source,
                published=published,
            )
        else:
            yield article_from_text(
                decode_text(data, source=source),
                article_id=path.stem,
                source=source,
                published=published,
            )
    except InputError as exc:
        yield exc


def _read_jsonl(data: bytes, source: str) -> Iterator[IngestItem]:
    stem = Path(source).stem
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            line = decode_text(raw, source=source)
            yield article_from_json_line(
                line, source=source, line=number, default_id=f"{stem}:{number}"
            )
        except InputError as exc:
            exc.line = exc.line or number
            yield exc


def _read_feed_url(url: str) -> Iterator[IngestItem]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = response.read()
    except OSError as exc:
        yield UnreadableInput(f"cannot fetch feed: {exc}", source=url)
        return
    try:
        yield from articles_from_feed(data, source=url)
    except InputError as exc:
        yield exc
