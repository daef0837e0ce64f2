"""Event places: the toponym an event's clause puts it in, ACLED geo_precision, reverse
geocoding of records that carry only coordinates."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.pipeline.places import (
    build_context,
    choose_location,
    fallback_location,
    place_from_coordinates,
)
from watchfloor.resolve.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz(cache_dir: Path) -> Gazetteer:
    return Gazetteer.open(cache_dir / "gazetteer")


def locate(gaz: Gazetteer, text: str):
    toponyms = gaz.find_toponyms(text)
    context = build_context(toponyms, gaz)
    found = choose_location(text, (0, len(text)), 0, toponyms, [], context, gaz)
    assert found is not None, text
    return found.place


def test_mastung_south_west_balochistan_is_the_town(gaz: Gazetteer) -> None:
    place = locate(gaz, "A suicide bomber struck a rally in Mastung, south-west Balochistan.")
    assert (place.name, place.admin2, place.admin1, place.country) == (
        "Mastung",
        "Mastung District",
        "Balochistan",
        "PK",
    )
    assert place.geo_precision == 1


@pytest.mark.parametrize(
    ("text", "name", "precision"),
    [
        ("Gunmen attacked a checkpoint near Quetta on Monday.", "Quetta", 2),
        ("A bomb exploded on the outskirts of Quetta on Monday.", "Quetta", 2),
        ("Militants attacked a police post in Quetta on Monday.", "Quetta", 1),
        ("Troops clashed with militants in Bannu district on Monday.", "Bannu", 2),
    ],
)
def test_near_outskirts_and_district_set_precision(
    gaz: Gazetteer, text: str, name: str, precision: int
) -> None:
    place = locate(gaz, text)
    assert (place.name, place.country, place.geo_precision) == (name, "PK", precision)


def test_province_only_is_precision_three(gaz: Gazetteer) -> None:
    place = locate(gaz, "Militants attacked a convoy in Balochistan province.")
    assert (place.name, place.admin1, place.geo_precision) == (None, "Balochistan", 3)


def test_a_town_unknown_in_its_named_province_is_coded_at_the_province(gaz: Gazetteer) -> None:
    """No Stroud in Ontario in the gazetteer: the event is Ontario's (precision 3), never
    England's Stroud, which the name alone would give."""
    place = locate(gaz, "Gunmen shot two officers in Stroud, Ontario, Canada, on Monday.")
    assert (place.name, place.admin1, place.country, place.geo_precision) == (
        None,
        "Ontario",
        "CA",
        3,
    )
    place = locate(gaz, "Fighting flared in Hyderabad, India, on Monday.")
    assert (place.name, place.country, place.geo_precision) == ("Hyderabad", "IN", 1)


def test_a_town_named_outright_beats_the_reference_point_beside_it(gaz: Gazetteer) -> None:
    text = (
        "Rebels fought in Idlib province, Syria. On Thursday the fighting reached the town of "
        "Maarat Misrin, north of Idlib city, where at least 16 fighters were killed."
    )
    toponyms = gaz.find_toponyms(text)
    context = build_context(toponyms, gaz)
    anchor = text.index("killed")
    found = choose_location(text, (text.index("On"), len(text)), anchor, toponyms, [], context, gaz)
    assert found is not None
    assert (found.place.admin1, found.place.geo_precision) == ("Idlib", 1)
    assert text[found.start : found.end] == "Maarat Misrin"


def test_demonym_sets_the_country_but_is_never_the_place(gaz: Gazetteer) -> None:
    text = "Nigerian troops said gunmen killed ten villagers."
    toponyms = gaz.find_toponyms(text)
    assert [(t.text, t.cue) for t in toponyms] == [("Nigerian", "demonym")]
    context = build_context(toponyms, gaz)
    assert context.countries[:1] == ("NG",)
    assert choose_location(text, (0, len(text)), 0, toponyms, [], context, gaz) is None
    fallback = fallback_location(context, gaz, use_dateline=False)
    assert fallback is not None and fallback.place.country == "NG"
    assert fallback.place.geo_precision == 3


def test_where_captives_were_taken_is_not_where_they_were_seized(gaz: Gazetteer) -> None:
    text = (
        "Gunmen abducted five fishermen off Tambisan, in the Malaysian state of Sabah, and took "
        "them by speedboat towards the southern Philippine province of Sulu."
    )
    place = locate(gaz, text)
    assert (place.admin1, place.country, place.geo_precision) == ("Sabah", "MY", 3)


def test_the_fallback_is_the_province_though_a_town_shares_its_name(gaz: Gazetteer) -> None:
    text = "Strikes hit Idlib province, Syria, again."
    context = build_context(gaz.find_toponyms(text), gaz)
    fallback = fallback_location(context, gaz, use_dateline=False)
    assert fallback is not None
    assert (fallback.place.name, fallback.place.admin1, fallback.place.geo_precision) == (
        None,
        "Idlib",
        3,
    )


def test_a_continent_is_never_an_event_place(gaz: Gazetteer) -> None:
    text = "Attacks spread across Africa after gunmen stormed a base in Mali."
    place = locate(gaz, text)
    assert place.country == "ML"


def test_reverse_geocoding_names_the_town_and_its_provinces(gaz: Gazetteer) -> None:
    place = place_from_coordinates(29.80, 66.85, gaz)
    assert place is not None
    assert (place.name, place.admin2, place.admin1, place.country) == (
        "Mastung",
        "Mastung District",
        "Balochistan",
        "PK",
    )
    assert place.geo_precision == 1 and (place.lat, place.lon) == (29.80, 66.85)
    near = place_from_coordinates(29.95, 66.85, gaz)  # about 17 km north of Mastung
    assert near is not None and near.geo_precision == 2 and near.country == "PK"
    far = place_from_coordinates(25.5, 64.0, gaz)  # the Makran desert, far from any town
    assert far is None or (far.geo_precision == 3 and far.name is None)


def test_reverse_geocoding_rejects_open_sea_and_bad_points(gaz: Gazetteer) -> None:
    assert place_from_coordinates(0.0, -150.0, gaz) is None
    assert place_from_coordinates(95.0, 0.0, gaz) is None
    assert gaz.reverse(-16.5, 179.99) is not None  # across the antimeridian (Fiji)
