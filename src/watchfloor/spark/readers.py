"""Input files to articles for the Spark jobs: pure functions over a file's path and bytes.

Spark hands each task whole files (``binaryFiles``) from local paths or any Hadoop-compatible
file system, so the readers here never open anything themselves. Every item either becomes an
``Arrival`` (an article and where it came from, which fixes the arrival order fusion replays)
or a ``Reject`` naming the file and position, so bad input is counted and skipped, never fatal.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from watchfloor.errors import InputError, MalformedLine, UnknownFormat
from watchfloor.ingest.parse import (
    article_from_json_line,
    article_from_text,
    decode_text,
    parse_published,
)
from watchfloor.model import Article
from watchfloor.spark import warc

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True, slots=True)
class Arrival:
    """An article with its input file and position (line number, byte offset or row index)."""

    article: Article
    source: str
    position: int


@dataclass(frozen=True, slots=True)
class Reject:
    """An input item that was skipped, with where it was and why (the error's one line)."""

    source: str
    position: int
    code: str
    message: str

    @classmethod
    def from_error(cls, exc: InputError, source: str, position: int) -> Reject:
        return cls(source, position, exc.code, exc.one_line())


def file_kind(path: str) -> str | None:
    """ "jsonl" or "warc" from the file name (a trailing .gz allowed), None otherwise."""
    name = path.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.removesuffix(".gz").endswith(JSONL_SUFFIXES):
        return "jsonl"
    return None


def read_file(path: str, data: bytes) -> Iterator[Arrival | Reject]:
    """Every article of one JSONL or WARC file, rejects in place of the bad items."""
    kind = file_kind(path)
    if kind == "warc":
        yield from read_warc(path, data)
    elif kind == "jsonl":
        if path.lower().endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as exc:
                yield Reject(path, 0, "W201", f"[W201] {path}: not a gzip file ({exc})")
                return
        yield from read_jsonl(path, data)
    else:
        error = UnknownFormat("not a .jsonl, .warc or .warc.gz file", source=path)
        yield Reject.from_error(error, path, 0)


def read_jsonl(path: str, data: bytes) -> Iterator[Arrival | Reject]:
    """One article per line (the contract's input); position is the 1-based line number."""
    stem = path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            line = decode_text(raw, source=path)
            article = article_from_json_line(
                line, source=path, line=number, default_id=f"{stem}:{number}"
            )
        except InputError as exc:
            exc.line = exc.line or number
            yield Reject.from_error(exc, path, number)
            continue
        yield Arrival(article, path, number)


def read_warc(path: str, data: bytes) -> Iterator[Arrival | Reject]:
    """Articles of a WARC file; position is the record's (or its gzip member's) byte offset."""
    for item in warc.iter_records(data, source=path):
        if isinstance(item, InputError):
            offset = _offset_of(item.message)
            yield Reject.from_error(item, path, offset)
            continue
        try:
            article = warc.article_from_record(item, source=path)
        except InputError as exc:
            yield Reject.from_error(exc, path, item.offset)
            continue
        if article is not None:
            yield Arrival(article, path, item.offset)


def _offset_of(message: str) -> int:
    """The byte offset named in a WARC error message ("... at byte 1234: ...")."""
    _, _, rest = message.partition("at byte ")
    digits = rest.split(":", 1)[0]
    return int(digits) if digits.isdigit() else 0


def article_from_mapping(row: Mapping[str, Any], *, source: str, position: int) -> Article:
    """A Parquet row with the contract's input columns (id, text, published, title, url, source)."""
    text = row.get("text")
    if not isinstance(text, str):
        raise MalformedLine('missing "text" (a string)', source=source, line=position)
    raw_id = row.get("id")
    published = row.get("published")
    return article_from_text(
        text,
        article_id=str(raw_id) if raw_id not in (None, "") else f"{source}:{position}",
        source=source,
        published=parse_published(
            published.isoformat() if hasattr(published, "isoformat") else published,
            source=source,
            line=position,
        ),
        title=_opt_str(row.get("title")),
        url=_opt_str(row.get("url")),
        outlet=_opt_str(row.get("source")),
        line=position,
    )


def read_row(row: Mapping[str, Any], source: str, position: int) -> Arrival | Reject:
    try:
        article = article_from_mapping(row, source=source, position=position)
    except InputError as exc:
        return Reject.from_error(exc, source, position)
    return Arrival(article, source, position)


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
