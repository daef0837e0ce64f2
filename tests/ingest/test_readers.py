"""Ingest: every supported format becomes articles; every bad input becomes a named error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchfloor.errors import (
    BadDate,
    EmptyText,
    EncodingError,
    MalformedLine,
    UnknownFormat,
    UnreadableInput,
)
from watchfloor.ingest import read_paths
from watchfloor.ingest.parse import article_from_json_line, parse_published, split_headline
from watchfloor.model import Article

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_text_file_takes_headline_and_given_date(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Blast in Quetta\n\nA bomb exploded in Quetta on Monday.\n", encoding="utf-8")
    [item] = read_paths([str(path)], dt.date(2021, 3, 2))
    assert isinstance(item, Article)
    assert item.id == "story"
    assert item.title == "Blast in Quetta"
    assert item.published == dt.date(2021, 3, 2)


def test_jsonl_good_and_bad_lines_keep_going(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        '{"id": "a", "text": "Gunmen attacked a post.", "published": "2020-01-02"}\n'
        "not json\n"
        '{"id": "c", "published": "2020-01-02"}\n'
        '{"id": "d", "text": "x", "published": "02/01/2020"}\n'
        "\n"
        '{"id": "e", "text": "   ", "published": "2020-01-02"}\n'
        '{"id": "f", "text": "Troops clashed with militants.", "published": "2020-01-03"}\n',
        encoding="utf-8",
    )
    items = list(read_paths([str(path)]))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Article", "MalformedLine", "MalformedLine", "BadDate", "EmptyText", "Article"]
    bad = items[1]
    assert bad.line == 2 and bad.source == str(path)
    assert str(path) + ":2" in bad.one_line()
    assert "\n" not in bad.one_line()
    assert items[3].line == 4 and items[4].line == 6


def test_html_main_text_without_boilerplate() -> None:
    [item] = read_paths([str(FIXTURES / "page.html")])
    assert isinstance(item, Article)
    assert "ambushed a security convoy near Bannu" in item.text
    assert "Copyright Test Outlet" not in item.text
    assert "Home" not in item.text.split("\n")[0]
    assert item.published == dt.date(2022, 5, 2)


def test_rss_entries_become_articles_and_empty_entry_an_error() -> None:
    items = list(read_paths([str(FIXTURES / "feed.rss")]))
    assert isinstance(items[0], Article)
    assert items[0].id == "frontier-a1"
    assert items[0].published == dt.date(2023, 3, 14)
    assert items[0].text.startswith("Rocket hits market in Kandahar\n\nA rocket struck")
    assert "<p>" not in items[0].text
    assert isinstance(items[1], EmptyText)
    assert "#entry2" in items[1].one_line()


def test_folder_is_walked_in_sorted_order_and_unknown_types_reported(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second story text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First story text.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("Third story text.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    items = list(read_paths([str(tmp_path)]))
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "b", "c"]
    # a folder only yields supported files; naming an unsupported file is an error
    [err] = list(read_paths([str(tmp_path / "notes.docx")]))
    assert isinstance(err, UnknownFormat)


def test_unreadable_and_wrong_encoding(tmp_path: Path) -> None:
    [missing] = list(read_paths([str(tmp_path / "nope.txt")]))
    assert isinstance(missing, UnreadableInput)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Attaque à Niamey".encode("latin-1"))
    [bad] = list(read_paths([str(latin)]))
    assert isinstance(bad, EncodingError)
    assert "offset 8" in bad.one_line()
    utf16 = tmp_path / "wide.txt"
    utf16.write_bytes("Clashes in Idlib".encode("utf-16"))
    [ok] = list(read_paths([str(utf16)]))
    assert isinstance(ok, Article) and ok.text == "Clashes in Idlib"


def test_empty_text_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n \t", encoding="utf-8")
    [err] = list(read_paths([str(path)]))
    assert isinstance(err, EmptyText)


@pytest.mark.parametrize("value", ["2021-02-30", "yesterday", "20210101", 20210101])
def test_bad_published_dates(value: object) -> None:
    with pytest.raises(BadDate):
        parse_published(value, source="x")


def test_published_accepts_timestamps() -> None:
    assert parse_published("2021-02-03T10:00:00Z", source="x") == dt.date(2021, 2, 3)


def test_missing_id_gets_a_stable_default() -> None:
    article = article_from_json_line(
        '{"text": "Shelling hit Kharkiv."}', source="f.jsonl", line=7, default_id="f:7"
    )
    assert article.id == "f:7"


def test_json_line_must_be_object() -> None:
    with pytest.raises(MalformedLine):
        article_from_json_line("[1, 2]", source="f", line=1, default_id="x")


@given(st.text(max_size=300))
def test_split_headline_never_crashes_and_is_first_line(text: str) -> None:
    head = split_headline(text)
    if head is not None:
        assert text.lstrip().startswith(head) or text.startswith(head) or head in text
        assert "\n" not in head


def test_content_hash_depends_on_text_and_date() -> None:
    a = Article(id="1", text="Same text", published=dt.date(2020, 1, 1))
    b = Article(id="2", text="Same text", published=dt.date(2020, 1, 1))
    c = Article(id="1", text="Same text", published=dt.date(2020, 1, 2))
    assert a.content_hash == b.content_hash != c.content_hash
