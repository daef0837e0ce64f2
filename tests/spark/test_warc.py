"""The WARC reader (pure, no pyspark): round trips, damaged records, what becomes an article."""

from __future__ import annotations

import gzip

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.spark.inputs import warc_file, warc_record
from watchfloor.errors import InputError
from watchfloor.spark import readers, warc

_blocks = st.binary(max_size=300)
_ids = st.text(alphabet="abcdef0123456789", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_ids, _blocks), min_size=1, max_size=6), st.booleans())
def test_records_round_trip(records: list[tuple[str, bytes]], compress: bool) -> None:
    raw = [warc_record({"WARC-Type": "resource", "WARC-Record-ID": i}, b) for i, b in records]
    data = b"".join(gzip.compress(r) for r in raw) if compress else b"".join(raw)
    parsed = list(warc.iter_records(data, source="t.warc"))
    assert [(p.headers["warc-record-id"], p.block) for p in parsed] == records


@settings(max_examples=60, deadline=None)
@given(st.lists(_blocks, min_size=2, max_size=5), st.data())
def test_one_damaged_member_costs_only_itself(blocks: list[bytes], data: st.DataObject) -> None:
    members = [gzip.compress(warc_record({"WARC-Type": "resource"}, b)) for b in blocks]
    bad = data.draw(st.integers(0, len(members) - 1))
    members[bad] = members[bad][: len(members[bad]) // 2]  # truncated in transit
    offset = sum(len(m) for m in members[:bad])
    items = list(warc.iter_records(b"".join(members), source="t.warc.gz"))
    errors = [i for i in items if isinstance(i, InputError)]
    good = [i.block for i in items if not isinstance(i, InputError)]
    assert len(errors) == 1 and f"byte {offset}" in errors[0].message
    assert good == [b for n, b in enumerate(blocks) if n != bad]


@given(st.binary(max_size=200))
def test_garbage_never_raises(data: bytes) -> None:
    for item in warc.iter_records(data, source="g.warc"):
        assert isinstance(item, (warc.WarcRecord, InputError))


def test_plain_text_and_html_records_become_articles() -> None:
    items = list(readers.read_file("crawl.warc.gz", warc_file()))
    arrivals = [i for i in items if isinstance(i, readers.Arrival)]
    rejects = [i for i in items if isinstance(i, readers.Reject)]
    assert [a.article.id for a in arrivals] == ["urn:uuid:plain-1", "urn:uuid:html-1"]
    assert str(arrivals[0].article.published) == "2024-02-14"
    assert "Mogadishu" in arrivals[1].article.text
    assert arrivals[1].article.url == "https://example.org/mogadishu"
    assert len(rejects) == 1 and rejects[0].code == "W205" and rejects[0].position > 0


def test_non_page_records_are_skipped_silently() -> None:
    request = warc_record({"WARC-Type": "request"}, b"GET / HTTP/1.1\r\n\r\n")
    image = warc_record(
        {"WARC-Type": "response"}, b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"
    )
    assert list(readers.read_file("x.warc", request + image)) == []


def test_jsonl_bad_line_is_rejected_with_its_line() -> None:
    data = b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Caf\xe9"}\nnot json\n'
    items = list(readers.read_file("in.jsonl", data))
    assert [type(i).__name__ for i in items] == ["Arrival", "Reject", "Reject"]
    assert [(i.position, i.code) for i in items[1:]] == [(2, "W202"), (3, "W205")]
