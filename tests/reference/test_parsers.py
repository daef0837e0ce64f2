"""Reference parsers (UCDP GED, ACLED) and the reference store: real file, bad rows, idempotence."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from tests.export.sample import sample_events
from watchfloor.errors import InputError, UnreadableInput
from watchfloor.export.acled import write_acled
from watchfloor.reference import ReferenceEvent
from watchfloor.reference.acled import read_acled
from watchfloor.reference.records import BadRow
from watchfloor.reference.ucdp import read_ucdp, ucdp_event
from watchfloor.store import Store
from watchfloor.store.reference import add_reference_events, iter_reference_events

UCDP_HEADER = (
    "id,year,type_of_violence,conflict_name,side_a,side_b,source_article,where_prec,"
    "where_coordinates,adm_1,adm_2,latitude,longitude,country,date_start,date_end,"
    "deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low"
)


def _ucdp_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(UCDP_HEADER.split(","), "")
    row.update(
        id="1",
        type_of_violence="3",
        side_a="TTP",
        side_b="Civilians",
        where_prec="1",
        where_coordinates="Quetta town",
        adm_1="Balochistan province",
        latitude="30.18",
        longitude="67.00",
        country="Pakistan",
        date_start="2021-03-01 00:00:00.000",
        date_end="2021-03-01 00:00:00.000",
        best="3",
        high="4",
        low="3",
    )
    row.update(values)
    return row


def _parse(items: list[ReferenceEvent | InputError]) -> tuple[list, list]:
    good = [i for i in items if isinstance(i, ReferenceEvent)]
    bad = [i for i in items if isinstance(i, InputError)]
    return good, bad


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(dt.date(1989, 1, 1), dt.date(2030, 12, 31)),
    length=st.integers(0, 40),
    low=st.integers(0, 500),
    extra=st.integers(0, 500),
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
    violence=st.sampled_from(["1", "2", "3"]),
    prec=st.integers(1, 7),
)
def test_ucdp_rows_parse_to_their_values(start, length, low, extra, lat, lon, violence, prec):
    end = start + dt.timedelta(days=length)
    event = ucdp_event(
        _ucdp_row(
            date_start=f"{start} 00:00:00.000",
            date_end=end.isoformat(),
            low=str(low),
            best=str(low + extra // 2),
            high=str(low + extra),
            latitude=repr(lat),
            longitude=repr(lon),
            type_of_violence=violence,
            where_prec=str(prec),
        )
    )
    assert (event.date_start, event.date_end) == (start, end)
    assert event.deaths_low <= event.deaths_best <= event.deaths_high
    assert (event.latitude, event.longitude) == (lat, lon)
    assert event.country == "PK"
    assert event.geo_precision in (1, 2, 3, None)
    assert (event.geo_precision is None) == (prec > 5)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("best", "many", "best 'many' is not a number"),
        ("best", "", "best is empty"),
        ("type_of_violence", "4", "type_of_violence 4"),
        ("date_start", "yesterday", "is not a date"),
        ("latitude", "123", "outside"),
        ("date_end", "2021-02-01", "before date_start"),
    ],
)
def test_bad_ucdp_values_say_which_field(field: str, value: str, message: str) -> None:
    with pytest.raises(BadRow, match=message):
        ucdp_event(_ucdp_row(**{field: value}))


def test_a_bad_row_names_file_and_line_and_the_import_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=UCDP_HEADER.split(","), lineterminator="\n")
    writer.writeheader()
    writer.writerow(_ucdp_row(id="1", where_coordinates="Quetta\ntown"))  # two lines
    writer.writerow(_ucdp_row(id="2", best="n/a"))
    writer.writerow(_ucdp_row(id="3"))
    path.write_text(buffer.getvalue(), encoding="utf-8")
    good, bad = _parse(list(read_ucdp(path)))
    assert [e.external_id for e in good] == ["1", "3"]
    assert len(bad) == 1
    assert bad[0].one_line() == f"[W205] {path}:4: best 'n/a' is not a number"


def test_a_file_of_another_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="missing column"):
        list(read_ucdp(path))


def test_our_acled_export_reads_back_as_acled(tmp_path: Path) -> None:
    path = tmp_path / "ours.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_acled(sample_events(), out)
    good, bad = _parse(list(read_acled(path)))
    assert [b.one_line() for b in bad] == [f"[W205] {path}:5: event_date is empty"]
    assert [e.external_id for e in good] == ["PAK1", "PAK2", "PAK3"]
    first = good[0]
    assert (first.country, first.admin1, first.deaths_best) == ("PK", "Balochistan", 3)
    assert first.actor2 == "Civilians (Pakistan)" and first.geo_precision == 1


def test_real_ucdp_pakistan_file_imports_once(tmp_path: Path) -> None:
    path = shared_path("data", "ucdp_ged_pakistan", "conflict_data_pak.csv")
    good, bad = _parse(list(read_ucdp(path)))
    assert (len(good), len(bad)) == (6416, 0)  # the HXL hashtag row is not an event
    assert {e.country for e in good} == {"PK"}
    store = Store.open(f"sqlite:///{tmp_path / 'wf.db'}")
    assert add_reference_events(store, "ucdp", good) == (6416, 0)
    assert add_reference_events(store, "ucdp", good) == (0, 6416)
    window = list(
        iter_reference_events(store, "ucdp", dt.date(2014, 1, 1), dt.date(2014, 12, 31), "pk")
    )
    assert window and all(e.date_end >= dt.date(2014, 1, 1) for e in window)
    assert all(e.date_start <= dt.date(2014, 12, 31) for e in window)
    stored = next(iter_reference_events(store, "ucdp"))
    original = next(e for e in good if e.external_id == stored.external_id)
    assert stored == original and stored.raw == original.raw
