"""WARC files (ISO 28500) read without warcio: records in, articles or typed errors out.

A WARC file is a sequence of records, each a ``WARC/1.x`` version line, ``Name: value`` header
lines, a blank line, exactly ``Content-Length`` bytes of block and two CRLFs. Crawls such as
Common Crawl's news archive compress each record as its own gzip member, so a damaged record
costs only itself: the reader resynchronises on the next gzip member (or the next version
line in an uncompressed file) and reports the damaged one with its byte offset.

Only records that carry a page become articles: ``response`` records with an HTTP response
whose body is HTML or plain text, and ``resource``/``conversion`` records of those types.
Requests, metadata, ``warcinfo`` and non-text responses are skipped without complaint.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from watchfloor.errors import EncodingError, InputError, MalformedLine
from watchfloor.ingest.parse import article_from_html, article_from_text, decode_text
from watchfloor.model import Article

_GZIP_MAGIC = b"\x1f\x8b\x08"
_VERSION = re.compile(rb"WARC/\d+\.\d+\r?\n")
_BLANK = re.compile(rb"\r?\n\r?\n")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True, slots=True)
class WarcRecord:
    """One record: its headers (names lower-cased), its block and where it starts in the file."""

    headers: dict[str, str]
    block: bytes
    offset: int

    @property
    def type(self) -> str:
        return self.headers.get("warc-type", "").lower()


def iter_records(data: bytes, *, source: str) -> Iterator[WarcRecord | InputError]:
    """Every record of a WARC file (plain or gzip per record), errors in place of bad ones."""
    if data.startswith(_GZIP_MAGIC):
        yield from _gzip_records(data, source)
    else:
        yield from _plain_records(data, source, None)


def _gzip_records(data: bytes, source: str) -> Iterator[WarcRecord | InputError]:
    offset = 0
    while offset < len(data):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            plain = inflater.decompress(data[offset:])
            complete = inflater.eof
        except zlib.error as exc:
            plain, complete = b"", False
            reason = f"corrupt gzip member ({exc})"
        else:
            reason = "truncated gzip member"
        if not complete:
            yield MalformedLine(f"WARC gzip member at byte {offset}: {reason}", source=source)
            found = data.find(_GZIP_MAGIC, offset + 1)
            if found < 0:
                return
            offset = found
            continue
        # a record is located by its member's offset: what an index such as Common Crawl's
        # CDX points at, and what `dd skip=` needs
        yield from _plain_records(plain, source, offset)
        offset = len(data) - len(inflater.unused_data)


def _plain_records(
    data: bytes, source: str, member: int | None
) -> Iterator[WarcRecord | InputError]:
    """Records of uncompressed bytes; ``member`` is the gzip member's offset, if any."""
    pos = 0
    while pos < len(data):
        while pos < len(data) and data[pos : pos + 1] in (b"\r", b"\n"):
            pos += 1  # padding between records
        if pos >= len(data):
            return
        record, problem, end = _parse_one(data, pos)
        where = f"record at byte {pos}" if member is None else f"gzip member at byte {member}"
        if record is not None:
            yield record if member is None else WarcRecord(record.headers, record.block, member)
            pos = end
            continue
        yield MalformedLine(f"WARC {where}: {problem}", source=source)
        found = _VERSION.search(data, pos + 1)
        if found is None:
            return
        pos = found.start()


def _parse_one(data: bytes, pos: int) -> tuple[WarcRecord | None, str | None, int]:
    version = _VERSION.match(data, pos)
    if version is None:
        return None, "does not start with a WARC/1.x version line", pos
    blank = _BLANK.search(data, version.end())
    if blank is None:
        return None, "header block has no end", pos
    headers: dict[str, str] = {}
    for raw in re.split(rb"\r?\n", data[version.end() : blank.start()]):
        name, sep, value = raw.partition(b":")
        if not sep:
            return None, f"header line without a colon: {raw[:40]!r}", pos
        headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
    try:
        length = int(headers["content-length"])
    except (KeyError, ValueError):
        return None, "missing or invalid Content-Length", pos
    body_start = blank.end()
    if length < 0 or body_start + length > len(data):
        return None, f"Content-Length {length} runs past the end of the data", pos
    block = data[body_start : body_start + length]
    return WarcRecord(headers, block, pos), None, body_start + length


def _split_http(block: bytes) -> tuple[dict[str, str], bytes] | None:
    """HTTP response headers and body; None when the block is not an HTTP response."""
    if not block.startswith(b"HTTP/"):
        return None
    blank = _BLANK.search(block)
    if blank is None:
        return None
    headers: dict[str, str] = {}
    for raw in re.split(rb"\r?\n", block[: blank.start()])[1:]:
        name, _, value = raw.partition(b":")
        headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
    body = block[blank.end() :]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    if headers.get("content-encoding", "").lower() in ("gzip", "x-gzip"):
        body = zlib.decompress(body, wbits=16 + zlib.MAX_WBITS)
    return headers, body


def _dechunk(body: bytes) -> bytes:
    out, pos = bytearray(), 0
    while True:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            raise ValueError("chunked body without a size line")
        size = int(body[pos:eol].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return bytes(out)
        out += body[eol + 2 : eol + 2 + size]
        pos = eol + 2 + size + 2


def _decode(body: bytes, content_type: str, source: str) -> str:
    found = _CHARSET.search(content_type)
    if found and found.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return body.decode(found.group(1))
        except (LookupError, UnicodeDecodeError) as exc:
            raise EncodingError(
                f"body is not valid {found.group(1)} ({type(exc).__name__})", source=source
            ) from exc
    return decode_text(body, source=source)


def article_from_record(record: WarcRecord, *, source: str) -> Article | None:
    """The article a record carries, None for records that carry none (requests, images...).

    The publication date is the page's own when trafilatura finds one, else the capture date
    (``WARC-Date``): news crawls fetch pages within hours of publication.
    """
    if record.type not in ("response", "resource", "conversion"):
        return None
    where = f"{source}@{record.offset}"
    try:
        if record.type == "response":
            split = _split_http(record.block)
            if split is None:
                return None
            http, body = split
            content_type = http.get("content-type", "")
        else:
            body, content_type = record.block, record.headers.get("content-type", "")
    except (ValueError, zlib.error) as exc:
        raise MalformedLine(f"undecodable HTTP body ({exc})", source=where) from exc
    kind = content_type.split(";")[0].strip().lower()
    if kind not in _PAGE_TYPES:
        return None
    text = _decode(body, content_type, where)
    record_id = record.headers.get("warc-record-id", "").strip("<>") or where
    url = record.headers.get("warc-target-uri") or None
    captured = _capture_date(record.headers.get("warc-date", ""))
    if kind == "text/plain":
        article = article_from_text(
            text, article_id=record_id, source=where, published=captured, url=url
        )
    else:
        article = article_from_html(text, article_id=record_id, source=where, published=None)
        article = article.model_copy(
            update={"published": article.published or captured, "url": article.url or url}
        )
    return article


def _capture_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
