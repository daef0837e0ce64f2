"""Geoparsing evaluation: corpus readers for each layout, matching, distances and summaries."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from watchfloor.errors import InputError, UnknownFormat, UnreadableInput
from watchfloor.eval.geo import (
    EARTH_RADIUS_KM,
    MAX_ERROR_KM,
    GeoDoc,
    GeoReport,
    GoldToponym,
    Prediction,
    error_auc,
    evaluate,
    haversine_km,
    load_corpus,
    match_spans,
    report_dict,
    score,
)

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # along a meridian

LGL_XML = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="a1">
    <title>t</title>
    <domain>www.TheTownTalk.com</domain>
    <text><![CDATA[Fire in Alexandria, Louisiana & Paris. Memphis St. was shut.]]></text>
    <toponyms count="4">
      <toponym>
        <start>8</start><end>18</end><phrase>Alexandria</phrase>
        <gaztag geonameid="4314550">
          <name>Alexandria</name><fclass>P</fclass><fcode>PPL</fcode>
          <lat>31.3113</lat><lon>-92.4451</lon>
          <country geonameid="6252001">United States</country>
          <admin1 geonameid="4331987">Louisiana</admin1>
        </gaztag>
      </toponym>
      <toponym>
        <start>20</start><end>29</end><phrase>Louisiana</phrase>
        <gaztag geonameid="4331987">
          <name>Louisiana</name><fclass>A</fclass><fcode>ADM1</fcode>
          <lat>31</lat><lon>-92</lon>
          <country>United States</country>
          <admin1>Louisiana</admin1>
        </gaztag>
      </toponym>
      <toponym>
        <start>32</start><end>37</end><phrase>Paris</phrase>
        <gaztag geonameid="3017382">
          <name>France</name><fclass>A</fclass><fcode>PCLI</fcode>
          <lat>46</lat><lon>2</lon>
          <country>Freedonia</country>
          <admin1>Centre</admin1>
        </gaztag>
      </toponym>
      <toponym>
        <start>39</start><end>50</end><phrase>Memphis St.</phrase>
      </toponym>
    </toponyms>
  </article>
</articles>
"""

GEOVIRUS_XML = """<articles>
    <article>
        <source>https://en.wikinews.org/wiki/x</source>
        <text>Hogs culled in Pandi, Bulacan on Sunday.</text>
        <locations>
            <location>
                <name>Bulacan</name><start>22</start><end>29</end>
                <lat>15</lat><lon>121.08</lon>
                <page>https://en.wikipedia.org/wiki/Bulacan</page>
            </location>
            <location>
                <name>Pandi</name><start>15</start><end>20</end>
                <lat>14.87</lat><lon>120.95</lon>
                <page>https://en.wikipedia.org/wiki/Pandi,_Bulacan</page>
            </location>
        </locations>
    </article>
    <article>
        <source>https://en.wikinews.org/wiki/y</source>
        <text>No places here.</text>
        <locations/>
    </article>
</articles>
"""

GWN_XML = """<?xml version="1.0" ?>
<articles>
  <!--comment-->
  <article>
    <text>Irish residents of Louisiana met on the street.</text>
    <toponyms>
      <toponym>
        <extractedName>residents</extractedName><normalisedName/>
        <type>Non_Lit_Expression</type><modifierType/><nonLocational>Yes</nonLocational>
        <start>6</start><end>15</end>
      </toponym>
      <toponym>
        <extractedName>Louisiana</extractedName><normalisedName>Louisiana</normalisedName>
        <type>Literal</type><modifierType/><nonLocational>No</nonLocational>
        <start>19</start><end>28</end>
        <geonamesID>4331987</geonamesID><latitude>31.00047</latitude>
        <longitude>-92.0004</longitude>
      </toponym>
      <toponym>
        <extractedName>Irish</extractedName><normalisedName>Ireland</normalisedName>
        <type>Non_Literal_Modifier</type><modifierType>Adjective</modifierType>
        <nonLocational>No</nonLocational>
        <start>0</start><end>5</end>
        <geonamesID/><latitude/><longitude/>
      </toponym>
      <toponym>
        <extractedName>street</extractedName><normalisedName/>
        <type>Literal_Expression</type><modifierType/><nonLocational>No</nonLocational>
        <start>40</start><end>46</end>
      </toponym>
    </toponyms>
  </article>
</articles>
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def gold(
    start: int, end: int, lat: float | None = 0.0, lon: float | None = 0.0, **kw
) -> GoldToponym:
    values = dict(phrase="x", geonames_id=None, country=None, admin1=None) | kw
    return GoldToponym(start=start, end=end, lat=lat, lon=lon, **values)


def pred(
    start: int, end: int, lat: float | None = 0.0, lon: float | None = 0.0, **kw
) -> Prediction:
    values = dict(text="x", geonames_id=None, country=None, admin1=None) | kw
    return Prediction(start=start, end=end, lat=lat, lon=lon, **values)


def north_of_origin(km: float) -> float:
    """The latitude that lies ``km`` north of (0, 0) on the sphere the metric uses."""
    return km / KM_PER_DEGREE


def doc(*toponyms: GoldToponym) -> GeoDoc:
    return GeoDoc(doc_id="d", text="x" * 200, toponyms=tuple(toponyms))


# ---------------------------------------------------------------------------------------------
# loading


def test_lgl_layout_reads_spans_coordinates_country_and_admin1(tmp_path: Path) -> None:
    (article,) = load_corpus(write(tmp_path, "lgl.xml", LGL_XML))
    assert article.doc_id == "a1"
    assert article.text.startswith("Fire in Alexandria, Louisiana & Paris.")
    alexandria, louisiana, paris, street = article.toponyms
    assert (alexandria.start, alexandria.end, alexandria.phrase) == (8, 18, "Alexandria")
    assert article.text[alexandria.start : alexandria.end] == "Alexandria"
    assert (alexandria.lat, alexandria.lon, alexandria.geonames_id) == (31.3113, -92.4451, 4314550)
    assert alexandria.country == "US"  # from the country's GeoNames id
    assert alexandria.admin1 == "Louisiana"
    assert louisiana.country == "US"  # from the name alone
    assert paris.country == "Freedonia"  # not a real country: kept as the gold name
    assert paris.admin1 is None  # a country (PCLI) has no admin1 to score
    assert street.phrase == "Memphis St."
    assert (street.lat, street.lon, street.geonames_id, street.country) == (None,) * 4
    assert article.outlet == "thetowntalk.com"


def test_geovirus_layout_reads_locations_in_text_order(tmp_path: Path) -> None:
    first, empty = load_corpus(write(tmp_path, "GeoVirus.xml", GEOVIRUS_XML))
    assert [t.phrase for t in first.toponyms] == ["Pandi", "Bulacan"]
    pandi, bulacan = first.toponyms
    assert first.text[pandi.start : pandi.end] == "Pandi"
    assert (bulacan.lat, bulacan.lon) == (15.0, 121.08)
    assert (pandi.country, pandi.admin1, pandi.geonames_id) == (None, None, None)
    assert empty.toponyms == ()
    assert first.doc_id != empty.doc_id
    assert first.outlet == empty.outlet == "en.wikinews.org"  # the host of <source>


def test_geowebnews_layout_skips_common_noun_expressions(tmp_path: Path) -> None:
    (article,) = load_corpus(write(tmp_path, "GWN.xml", GWN_XML))
    assert [t.phrase for t in article.toponyms] == ["Irish", "Louisiana"]
    irish, louisiana = article.toponyms
    assert (irish.lat, irish.lon, irish.geonames_id) == (None, None, None)
    assert (louisiana.geonames_id, louisiana.lat, louisiana.lon) == (4331987, 31.00047, -92.0004)


def test_tr_news_layout_is_read_like_lgl(tmp_path: Path) -> None:
    content = """<articles xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <article docid="7"><text><![CDATA[Turkish police.]]></text><toponyms><toponym>
        <phrase>Turkish</phrase><start>0</start><end>7</end>
        <gaztag geonameid="298795"><name>Turkey</name><fclass>A</fclass><fcode>PCLI</fcode>
          <lat>39</lat><lon>35</lon><country geonameid="298795">Turkey</country></gaztag>
      </toponym></toponyms></article></articles>"""
    (article,) = load_corpus(write(tmp_path, "TR-News.xml", content))
    (turkish,) = article.toponyms
    assert (turkish.phrase, turkish.country, turkish.lat, turkish.lon) == ("Turkish", "TR", 39, 35)


def test_malformed_xml_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.xml", "<articles>\n<article><text>x</text>\n</articles>")
    with pytest.raises(InputError) as info:
        load_corpus(path)
    assert info.value.source == str(path)
    assert "broken.xml" in str(info.value)
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("start", "end", "lat"),
    [("abc", "3", "1"), ("2", "99", "1"), ("3", "1", "1"), ("0", "3", "north")],
)
def test_bad_mention_fields_are_input_errors(
    tmp_path: Path, start: str, end: str, lat: str
) -> None:
    content = (
        "<articles><article><text>Some text</text><locations><location><name>S</name>"
        f"<start>{start}</start><end>{end}</end><lat>{lat}</lat><lon>2</lon>"
        "</location></locations></article></articles>"
    )
    path = write(tmp_path, "bad.xml", content)
    with pytest.raises(UnknownFormat, match=r"bad\.xml"):
        load_corpus(path)


def test_file_without_articles_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(UnknownFormat, match=r"other\.xml"):
        load_corpus(write(tmp_path, "other.xml", "<rss><item/></rss>"))
    with pytest.raises(UnreadableInput, match=r"absent\.xml"):
        load_corpus(tmp_path / "absent.xml")


SPANS = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 15), st.floats(-90, 90), st.floats(-180, 180)),
    max_size=8,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=80, max_size=120
    ),
    spans=SPANS,
)
def test_lgl_round_trip_keeps_every_mention(
    tmp_path: Path, text: str, spans: list[tuple[int, int, float, float]]
) -> None:
    """Whatever the text and spans, what we write in LGL form is what we read back."""
    items = []
    for start, length, lat, lon in spans:
        items.append(
            f"<toponym><start>{start}</start><end>{start + length}</end>"
            f"<phrase>{escape(text[start : start + length])}</phrase>"
            f'<gaztag geonameid="1"><lat>{lat!r}</lat><lon>{lon!r}</lon></gaztag></toponym>'
        )
    content = (
        f"<articles><article docid='z'><text>{escape(text)}</text>"
        f"<toponyms>{''.join(items)}</toponyms></article></articles>"
    )
    (article,) = load_corpus(write(tmp_path, "round.xml", content))
    assert article.text == text
    expected = sorted((s, s + n, lat, lon) for s, n, lat, lon in spans)
    got = [(t.start, t.end, t.lat, t.lon) for t in article.toponyms]
    assert sorted(got) == expected


# ---------------------------------------------------------------------------------------------
# distances


def test_haversine_known_distances() -> None:
    assert haversine_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(344, abs=2)
    assert haversine_km(40.7128, -74.0060, 34.0522, -118.2437) == pytest.approx(3936, abs=10)
    assert haversine_km(10, 20, 10, 20) == 0
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(0, 0, north_of_origin(100), 0) == pytest.approx(100)


def test_auc_of_known_errors() -> None:
    norm = math.log(20039)
    assert error_auc([0.0]) == 0.0
    assert error_auc([0.0, 0.0, 0.0]) == 0.0
    assert error_auc([20038.0]) == pytest.approx(1.0)
    # sorted ys: 0, ln(101)/L, ln(201)/L; two unit trapezoids divided by the x range 2
    y1, y2 = math.log(101) / norm, math.log(201) / norm
    assert error_auc([200.0, 0.0, 100.0]) == pytest.approx(((0 + y1) / 2 + (y1 + y2) / 2) / 2)
    assert error_auc([0.0, 20038.0]) == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------
# matching and scoring


def test_overlap_matching_is_one_to_one() -> None:
    # one long prediction covering two gold names matches only one of them
    assert match_spans([gold(0, 10), gold(12, 20)], [pred(5, 15)]) == [(0, 0)]
    # two predictions inside one gold name: the bigger overlap wins, the other is spurious
    assert match_spans([gold(0, 20)], [pred(0, 3), pred(5, 18)]) == [(0, 1)]
    # touching spans do not overlap
    assert match_spans([gold(0, 5)], [pred(5, 9)]) == []
    report = score([doc(gold(0, 10), gold(12, 20))], [[pred(5, 15), pred(30, 35)]])
    assert (report.gold, report.predicted, report.matched) == (2, 2, 1)
    assert report.precision == 0.5 and report.recall == 0.5 and report.f1 == 0.5


def test_distance_figures_for_known_errors() -> None:
    errors = [0.0, 100.0, 200.0, 1000.0]
    golds = [gold(10 * i, 10 * i + 5) for i in range(len(errors))]
    preds = [pred(10 * i, 10 * i + 5, lat=north_of_origin(e)) for i, e in enumerate(errors)]
    report = score([doc(*golds)], [preds])
    assert report.resolved == 4 and report.unlocated == 0
    assert report.acc_161 == pytest.approx(0.5)  # 0 and 100 km are within 161 km, 200 km is not
    assert report.median_error_km == pytest.approx(150)
    assert report.mean_error_km == pytest.approx(325)
    assert report.auc == pytest.approx(error_auc(errors))
    assert report.precision == report.recall == 1.0


def test_unlocated_prediction_counts_as_worst_error_and_gold_without_coordinates_is_skipped() -> (
    None
):
    golds = [gold(0, 5), gold(10, 15, lat=None, lon=None)]
    preds = [pred(0, 5, lat=None, lon=None), pred(10, 15)]
    report = score([doc(*golds)], [preds])
    assert report.matched == 2
    assert report.resolved == 1 and report.unlocated == 1
    assert report.median_error_km == MAX_ERROR_KM and report.acc_161 == 0.0
    assert report.auc == pytest.approx(1.0)


def test_country_and_admin1_accuracy_fold_names_and_codes() -> None:
    golds = [
        gold(0, 5, country="US", admin1="Louisiana"),
        gold(10, 15, country="United States", admin1="Île-de-France"),
        gold(20, 25, country="FR", admin1="Texas"),
        gold(30, 35, country=None, admin1=None),
    ]
    preds = [
        pred(0, 5, country="US", admin1="LOUISIANA"),
        pred(10, 15, country="US", admin1="ile de france"),
        pred(20, 25, country="DE", admin1=None),
        pred(30, 35, country="GB", admin1="England"),
    ]
    report = score([doc(*golds)], [preds])
    assert (report.country_total, report.country_correct) == (3, 2)
    assert report.country_accuracy == pytest.approx(2 / 3)
    assert (report.admin1_total, report.admin1_correct) == (3, 2)
    assert report.admin1_accuracy == pytest.approx(2 / 3)


def test_empty_and_unmatched_inputs_give_defined_figures() -> None:
    report = score([doc(gold(0, 5))], [[]])
    assert (report.precision, report.recall, report.f1) == (0.0, 0.0, 0.0)
    assert report.acc_161 is None and report.auc is None and report.country_accuracy is None
    with pytest.raises(ValueError):
        score([doc()], [])


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(st.integers(0, 180), st.floats(-80, 80), st.floats(-179, 179)),
        min_size=1,
        max_size=10,
        unique_by=lambda t: t[0],
    )
)
def test_perfect_predictions_score_perfectly(points: list[tuple[int, float, float]]) -> None:
    golds = [gold(s, s + 1, lat=lat, lon=lon, country="NG") for s, lat, lon in points]
    preds = [pred(s, s + 1, lat=lat, lon=lon, country="NG") for s, lat, lon in points]
    report = score([doc(*golds)], [preds])
    assert report.precision == report.recall == report.f1 == 1.0
    assert report.acc_161 == 1.0 and report.country_accuracy == 1.0
    assert report.median_error_km == pytest.approx(0, abs=1e-6)
    assert report.auc == pytest.approx(0, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# running a gazetteer


@dataclass(frozen=True)
class FakePlace:
    geonames_id: int | None
    lat: float | None
    lon: float | None
    country: str
    admin1: str | None


@dataclass(frozen=True)
class FakeToponym:
    start: int
    end: int
    text: str
    candidates: tuple[FakePlace, ...]


class FakeGazetteer:
    def find_toponyms(self, text: str) -> list[FakeToponym]:
        near = FakePlace(1, north_of_origin(50), 0.0, "US", "Louisiana")
        far = FakePlace(2, 45.0, 90.0, "CN", None)
        i = text.index("Alexandria")
        return [
            FakeToponym(i, i + 10, "Alexandria", (near, far)),
            FakeToponym(0, 4, "Fire", ()),
        ]


def test_evaluate_resolves_to_the_first_candidate() -> None:
    text = "Fire in Alexandria."
    docs = [GeoDoc("d", text, (gold(8, 18, country="US", admin1="Louisiana"),))]
    report = evaluate(docs, FakeGazetteer())
    assert (report.predicted, report.matched) == (2, 1)
    assert report.median_error_km == pytest.approx(50)
    assert report.country_accuracy == 1.0 and report.admin1_accuracy == 1.0


class RecordingGazetteer:
    """Reads "Alexandria" as Egypt's unless given a local lexicon; records what it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def find_toponyms(self, text: str, local: object = None) -> list[FakeToponym]:
        self.calls.append((text, local))
        egypt = FakePlace(1, 31.2, 29.9, "EG", "Alexandria")
        louisiana = FakePlace(2, 31.3113, -92.4451, "US", "Louisiana")
        i = text.index("Alexandria")
        order = (egypt, louisiana) if local is None else (louisiana, egypt)
        return [FakeToponym(i, i + 10, "Alexandria", order)]


def test_outlets_give_a_second_pass_with_their_lexicon_and_lone_articles_keep_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from watchfloor.eval import geo

    seen: list[list[str | None]] = []

    def fake_lexicons(readings: list, outlets: list[str | None]) -> list[object]:
        seen.append(list(outlets))
        return [f"lexicon of {o}" if outlets.count(o) > 1 else None for o in outlets]

    monkeypatch.setattr(geo, "local_lexicons", fake_lexicons)
    texts = ["Fire in Alexandria.", "Alexandria council met.", "Alexandria again."]
    docs = [
        GeoDoc(str(i), t, (), outlet)
        for i, (t, outlet) in enumerate(zip(texts, "aab", strict=True))
    ]
    finder = RecordingGazetteer()
    first, second, lone = geo.predict(docs, finder)
    assert seen == [["a", "a", "b"]]
    assert [local for _text, local in finder.calls] == [None] * 3 + ["lexicon of a"] * 2
    assert first[0].admin1 == second[0].admin1 == "Louisiana"
    assert lone[0].country == "EG"  # no sibling article: read on its own evidence


def test_without_outlets_each_article_is_read_once() -> None:
    finder = RecordingGazetteer()
    evaluate([GeoDoc("d", "Fire in Alexandria.", ())], finder)
    assert finder.calls == [("Fire in Alexandria.", None)]


def check_well_formed(report: GeoReport) -> None:
    data = report_dict(report)
    assert set(data) == {f.name for f in fields(GeoReport)}
    assert 0 <= report.matched <= min(report.gold, report.predicted)
    for name in ("precision", "recall", "f1", "acc_161", "auc", "country_accuracy"):
        assert data[name] is None or 0.0 <= data[name] <= 1.0, name
    assert data["admin1_accuracy"] is None or 0.0 <= data["admin1_accuracy"] <= 1.0
    assert report.resolved <= report.matched
    if report.resolved:
        assert 0 <= report.median_error_km <= MAX_ERROR_KM
        assert 0 <= report.mean_error_km <= MAX_ERROR_KM


@pytest.fixture(scope="module")
def gazetteer(cache_dir: Path):
    from watchfloor.resolve.gazetteer import Gazetteer

    return Gazetteer.open(cache_dir / "gazetteer")


def test_real_lgl_subset_gives_a_well_formed_report(gazetteer) -> None:
    docs = load_corpus(shared_path("data", "geoparsing", "lgl.xml"))[:20]
    assert len(docs) == 20
    for article in docs:
        for t in article.toponyms:
            assert article.text[t.start : t.end] == t.phrase
    report = evaluate(docs, gazetteer)
    check_well_formed(report)
    assert report.docs == 20 and report.gold == sum(len(d.toponyms) for d in docs)
    assert report.matched > 0 and report.resolved > 0


def test_admin1_names_match_through_the_gazetteer_aliases(gazetteer) -> None:
    """GeoNames' English names against the ISO names the index carries; other units stay
    different even when they share a word."""
    golds = [
        gold(0, 5, country="RU", admin1="Moscow"),
        gold(10, 15, country="EG", admin1="Muhafazat al Qahirah"),
        gold(20, 25, country="US", admin1="Texas"),
    ]
    preds = [
        pred(0, 5, country="RU", admin1="Moskva"),
        pred(10, 15, country="EG", admin1="Al Qāhirah"),
        pred(20, 25, country="US", admin1="Tennessee"),
    ]
    assert score([doc(*golds)], [preds]).admin1_correct == 0
    report = score([doc(*golds)], [preds], gazetteer.same_admin1)
    assert (report.admin1_total, report.admin1_correct) == (3, 2)
    assert not gazetteer.same_admin1("Moscow", "Moskovskaya oblast'", "RU")
