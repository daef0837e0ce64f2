"""Pure parsers from bytes or strings to ``Article`` records; no file or network access here."""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import orjson

from watchfloor.errors import BadDate, EmptyText, EncodingError, InputError, MalformedLine
from watchfloor.model import Article
from watchfloor.pipeline.dates import parse_published as strict_published


def parse_published(value: Any, *, source: str, line: int | None = None) -> dt.date | None:
    """An optional publication date (YYYY-MM-DD or ISO timestamp), errors naming the input."""
    if value is None or value == "":
        return None
    try:
        return strict_published(value)
    except BadDate as exc:
        raise BadDate(exc.message, source=source, line=line) from exc


def decode_text(data: bytes, *, source: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(f"invalid UTF-16 at byte {exc.start}", source=source) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}; "
            "convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)",
            source=source,
        ) from exc


def split_headline(text: str) -> str | None:
    """The first line is a headline when a blank line follows it (the contract's convention)."""
    head, sep, _rest = text.partition("\n\n")
    if sep and "\n" not in head.strip() and 0 < len(head.strip()) <= 300:
        return head.strip()
    return None


def article_from_text(
    text: str,
    *,
    article_id: str,
    source: str,
    published: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    line: int | None = None,
) -> Article:
    """Check and wrap a plain text; empty or whitespace-only text is an error, not an article."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyText("no text to extract from", source=source, line=line)
    return Article(
        id=article_id,
        text=text,
        published=published,
        title=title if title is not None else split_headline(text),
        url=url,
        source=outlet,
    )


def article_from_json_line(raw: str | bytes, *, source: str, line: int, default_id: str) -> Article:
    """One contract input line: {"id", "text", "published", "title"?, "url"?, "source"?}."""
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedLine(f"not valid JSON ({exc})", source=source, line=line) from exc
    if not isinstance(obj, dict):
        raise MalformedLine("expected a JSON object per line", source=source, line=line)
    text = obj.get("text")
    if not isinstance(text, str):
        raise MalformedLine('missing "text" (a string)', source=source, line=line)
    raw_id = obj.get("id")
    article_id = str(raw_id) if raw_id not in (None, "") else default_id
    return article_from_text(
        text,
        article_id=article_id,
        source=source,
        published=parse_published(obj.get("published"), source=source, line=line),
        title=_opt_str(obj.get("title")),
        url=_opt_str(obj.get("url")),
        outlet=_opt_str(obj.get("source")),
        line=line,
    )


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def article_from_html(
    html: str, *, article_id: str, source: str, published: dt.date | None = None
) -> Article:
    """Main text of a web page via trafilatura, with its title and date when the page has them."""
    import trafilatura  # heavy import, only needed for HTML

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise EmptyText("no main text found in the HTML page", source=source)
    title = getattr(doc, "title", None)
    page_date = getattr(doc, "date", None)
    if published is None and page_date:
        try:
            published = parse_published(page_date, source=source)
        except InputError:
            published = None
    body = f"{title}\n\n{text}" if title else text
    return article_from_text(
        body,
        article_id=article_id,
        source=source,
        published=published,
        title=title,
        url=getattr(doc, "url", None),
        outlet=getattr(doc, "sitename", None),
    )


def _html_to_text(fragment: str) -> str:
    """Feed summaries are HTML fragments: strip tags, keep paragraph breaks."""
    import html as htmllib

    fragment = re.sub(r"(?i)<\s*(br|/p|/div|/li)\s*/?>", "\n\n", fragment)
    fragment = re.sub(r"<[^>]+>", "", fragment)
    lines = [" ".join(part.split()) for part in htmllib.unescape(fragment).split("\n\n")]
    return "\n\n".join(p for p in lines if p)


def articles_from_feed(data: bytes | str, *, source: str) -> Iterator[Article | InputError]:
    """Each RSS/Atom entry with text becomes an article; entries without text become errors."""
    import feedparser

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise MalformedLine(f"not a readable RSS/Atom feed ({feed.bozo_exception})", source=source)
    for index, entry in enumerate(feed.entries, start=1):
        where = f"{source}#entry{index}"
        try:
            content = entry.get("content") or []
            body = content[0].get("value") if content else entry.get("summary", "")
            text = _html_to_text(body or "")
            title = _opt_str(entry.get("title"))
            parsed = entry.get("published_parsed") or entry.get("updated_parsed")
            published = (
                dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date()
                if parsed
                else None
            )
            article_id = str(entry.get("id") or entry.get("link") or where)
            full = f"{title}\n\n{text}" if title and text else text
            yield article_from_text(
                full,
                article_id=article_id,
                source=where,
                published=published,
                title=title,
                url=_opt_str(entry.get("link")),
                outlet=_opt_str(feed.feed.get("title")),
            )
        except InputError as exc:
            yield exc
