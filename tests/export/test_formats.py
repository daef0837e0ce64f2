"""Exporters: golden files, codebook values, CSV round trips, STIX parse-back, GraphML."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import stix2
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.export.sample import SPAN, sample_events, sample_graph
from watchfloor.errors import ConfigError
from watchfloor.export import FORMATS, codebooks, get_format
from watchfloor.export.acled import COLUMNS as ACLED_COLUMNS
from watchfloor.export.acled import acled_row, write_acled
from watchfloor.export.geojson import GeoJsonTally, write_geojson
from watchfloor.export.graphml import write_graphml
from watchfloor.export.gtd import COLUMNS as GTD_COLUMNS
from watchfloor.export.gtd import gtd_row, write_gtd
from watchfloor.export.jsonl import write_jsonl
from watchfloor.export.plover import PLOVER_EVENTS, PLOVER_MODES, plover_record, write_plover
from watchfloor.export.stix import write_stix
from watchfloor.model import SUB_EVENT_TYPES, Event
from watchfloor.store import StoredEvent

GOLDEN = Path(__file__).parent / "golden"
STAMP = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _render(writer: Callable[..., int], *args: object, **kwargs: object) -> str:
    buffer = io.StringIO()
    writer(*args, buffer, **kwargs)
    return buffer.getvalue()


def _check_golden(name: str, text: str) -> None:
    """Compare with the golden file; WATCHFLOOR_UPDATE_GOLDEN=1 rewrites it after a review."""
    path = GOLDEN / name
    if os.environ.get("WATCHFLOOR_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("name", "writer"),
    [
        ("events.acled.csv", write_acled),
        ("events.gtd.csv", write_gtd),
        ("events.geojson", write_geojson),
        ("events.jsonl", write_jsonl),
        ("events.plover.json", write_plover),
    ],
)
def test_event_formats_match_golden_files(name: str, writer: Callable[..., int]) -> None:
    _check_golden(name, _render(writer, sample_events()))


def test_stix_matches_golden_file() -> None:
    _check_golden(
        "events.stix.json",
        _render(write_stix, sample_events(), graph=sample_graph(), timestamp=STAMP),
    )


def test_graphml_matches_golden_file() -> None:
    _check_golden("orgs.graphml", _render(write_graphml, sample_graph()))


def test_registry_names_every_format_and_rejects_others() -> None:
    assert set(FORMATS) == {"acled", "gtd", "geojson", "jsonl", "stix", "plover", "graphml"}
    assert get_format("ACLED").name == "acled"
    with pytest.raises(ConfigError, match="'xml' is not one of"):
        get_format("xml")


# -- ACLED ----------------------------------------------------------------------------------


def test_acled_csv_reads_back_with_pandas() -> None:
    text = _render(write_acled, sample_events())
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False, dtype=str)
    assert tuple(frame.columns) == ACLED_COLUMNS
    assert len(frame) == 4
    first = frame.iloc[0]
    assert first["event_id_cnty"] == "PAK1"
    assert first["iso"] == "586"
    assert first["interaction"] == "27"
    assert first["civilian_targeting"] == "Civilian targeting"
    assert first["source"] == "Frontier Daily; Coast Wire"
    assert first["notes"].endswith("Islamic State claimed responsibility.")
    for row, event in zip(csv.DictReader(io.StringIO(text)), sample_events(), strict=True):
        assert row == {k: str(v) for k, v in acled_row(event).items()}


def test_acled_codes_unknown_perpetrators_as_acled_does() -> None:
    event = _stored(_event("Violence against civilians", "Attack", civilian_targeting=True))
    row = acled_row(event)
    assert row["actor1"] == "Unidentified Armed Group (Pakistan)"
    assert (row["inter1"], row["actor2"], row["inter2"]) == (3, "Civilians (Pakistan)", 7)
    assert row["interaction"] == 37


def test_acled_time_precision_follows_the_codebook() -> None:
    codes = {e.data["date_precision"]: acled_row(e)["time_precision"] for e in sample_events()}
    assert codes == {"day": 1, "week": 2, "month": 3, "unknown": 3}


# -- codebook checks over every sub-type -----------------------------------------------------

ALL_SUB_TYPES = [(t, s) for t, subs in SUB_EVENT_TYPES.items() for s in subs]


def _event(event_type: str, sub_type: str, **fields: object) -> dict:
    base = {
        "event_type": event_type,
        "sub_event_type": sub_type,
        "evidence": [SPAN],
        "confidence": 0.5,
        "location": {"name": "Quetta", "admin1": "Balochistan", "country": "PK"},
    }
    base.update(fields)
    return Event.model_validate(base).model_dump(mode="json")


def _stored(data: dict, event_id: int = 7) -> StoredEvent:
    return StoredEvent(id=event_id, article_id=1, data=data)


actors = st.one_of(
    st.none(),
    st.builds(
        lambda name, inter, status: {"name": name, "inter": inter, "status": status},
        st.sampled_from(["TTP", "Islamic State", "Police Forces of Pakistan"]),
        st.one_of(st.none(), st.integers(1, 8)),
        st.sampled_from([None, "claimed", "attributed", "suspected", "confirmed", "denied"]),
    ),
)
targets = st.lists(
    st.builds(
        lambda name, category: {"name": name, "category": category},
        st.sampled_from(["police post", "bridge", "oil tanker", "school", "bus", "market"]),
        st.sampled_from(
            [
                None,
                "police",
                "military",
                "rival_militants",
                "journalists",
                "health_aid",
                "religious",
                "government",
                "education",
                "infrastructure",
                "civilians",
                "other",
            ]
        ),
    ),
    max_size=2,
)
claims = st.lists(
    st.builds(
        lambda by, stance, channel: {"by": by, "stance": stance, "channel": channel},
        st.sampled_from(["TTP", "Islamic State", "Jamaat-ul-Ahrar"]),
        st.sampled_from(["claimed", "denied", "attributed_by_officials", "suspected"]),
        st.sampled_from([None, "Amaq", "Telegram", "video", "statement", "phone call", "audio"]),
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(ALL_SUB_TYPES),
    perpetrator=actors,
    actor2=actors,
    target_list=targets,
    claim_list=claims,
    weapons=st.lists(st.sampled_from(["IED", "rifles", "knife", "grenade", "drone", "petrol"])),
    attack_type=st.sampled_from([None, *codebooks.GTD_ATTACK_TYPES.values()]),
    precision=st.sampled_from(["day", "week", "month", "year", "unknown"]),
    civilian=st.sampled_from([None, True, False]),
)
def test_every_emitted_code_is_in_its_codebook(
    kind, perpetrator, actor2, target_list, claim_list, weapons, attack_type, precision, civilian
) -> None:
    event_type, sub_type = kind
    data = _event(
        event_type,
        sub_type,
        perpetrator=perpetrator,
        actor2=actor2,
        targets=target_list,
        claims=claim_list,
        weapons=weapons,
        attack_type=attack_type,
        date="2021-05-04",
        date_precision=precision,
        civilian_targeting=civilian,
    )
    event = _stored(data)
    acled = acled_row(event)
    assert acled["event_type"] in SUB_EVENT_TYPES
    assert acled["sub_event_type"] in SUB_EVENT_TYPES[acled["event_type"]]
    assert acled["disorder_type"] in codebooks.ACLED_DISORDER_TYPES
    assert acled["time_precision"] in (1, 2, 3)
    assert acled["region"] in codebooks.ACLED_REGIONS
    for key in ("inter1", "inter2"):
        assert acled[key] == "" or acled[key] in codebooks.ACLED_INTER
    if acled["interaction"] != "":
        tens, units = divmod(acled["interaction"], 10)
        assert tens in codebooks.ACLED_INTER and (units == 0 or tens <= units <= 8)
    assert acled["civilian_targeting"] in ("", "Civilian targeting")

    gtd = gtd_row(event)
    assert codebooks.GTD_ATTACK_TYPES[gtd["attacktype1"]] == gtd["attacktype1_txt"]
    assert codebooks.GTD_TARGET_TYPES[gtd["targtype1"]] == gtd["targtype1_txt"]
    assert codebooks.GTD_WEAPON_TYPES[gtd["weaptype1"]] == gtd["weaptype1_txt"]
    assert gtd["claimed"] in (1, 0, -9)
    if gtd["claimed"] == 1:
        assert codebooks.GTD_CLAIM_MODES[gtd["claimmode"]] == gtd["claimmode_txt"]
        assert gtd["compclaim"] in (0, 1)
    else:
        assert gtd["claimmode"] == gtd["compclaim"] == ""
    assert gtd["guncertain1"] in (0, 1)
    assert gtd["specificity"] in range(1, 6)
    assert codebooks.GTD_REGIONS[gtd["region"]] == gtd["region_txt"]
    assert gtd["country"] == 153
    assert len(gtd["eventid"]) == 12 and gtd["eventid"].startswith("2021")
    assert (gtd["imonth"], gtd["iday"]) == {"day": (5, 4), "week": (5, 0), "month": (5, 0)}.get(
        precision, (0, 0)
    )

    record = plover_record(event)
    if record is not None:
        assert record["event"] in PLOVER_EVENTS
        assert record["mode"] in PLOVER_MODES[record["event"]]


def test_gtd_uncertainty_and_claims() -> None:
    rows = [gtd_row(e) for e in sample_events()]
    assert [r["guncertain1"] for r in rows[:2]] == [0, 1]
    assert (rows[0]["claimed"], rows[0]["claimmode"], rows[0]["compclaim"]) == (1, 7, 0)
    assert rows[1]["claimed"] == -9
    two = _event(
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        claims=[
            {"by": "TTP", "stance": "claimed", "channel": "phone call"},
            {"by": "Jamaat-ul-Ahrar", "stance": "claimed"},
        ],
    )
    row = gtd_row(_stored(two))
    assert (row["claimed"], row["claimmode"], row["compclaim"]) == (1, 2, 1)
    denied = _event("Battles", "Armed clash", claims=[{"by": "TTP", "stance": "denied"}])
    assert gtd_row(_stored(denied))["claimed"] == 0


def test_gtd_csv_round_trip() -> None:
    text = _render(write_gtd, sample_events())
    frame = pd.read_csv(io.StringIO(text))
    assert tuple(frame.columns) == GTD_COLUMNS
    assert frame["nkill"].tolist()[:2] == [3, 2]
    assert frame["nkillter"].tolist()[0] == 1  # the attackers among the dead, kept apart
    assert frame["dbsource"].unique().tolist() == ["watchfloor"]
    assert frame["iday"].tolist() == [1, 0, 0, 0]


def test_region_tables_agree_with_gtd_regions() -> None:
    assert codebooks.gtd_region("PK") == 6
    assert codebooks.gtd_region("MX") == 1 and codebooks.acled_region("MX") == "Central America"
    assert codebooks.gtd_region("UA") == 9 and codebooks.gtd_region("FR") == 8
    assert codebooks.gtd_region("SD") == 11 and codebooks.acled_region("SD") == "Northern Africa"
    assert codebooks.gtd_region("NG") == 11 and codebooks.gtd_region("IQ") == 10
    members = [c for codes in codebooks._ACLED_REGION_MEMBERS.values() for c in codes.split()]
    assert len(members) == len(set(members)), "a country is in two ACLED regions"


# -- GeoJSON, JSONL, PLOVER ------------------------------------------------------------------


def test_geojson_skips_events_without_coordinates_and_counts_them() -> None:
    tally = GeoJsonTally()
    buffer = io.StringIO()
    assert write_geojson(sample_events(), buffer, tally) == 2
    assert tally.skipped_without_coordinates == 2
    collection = json.loads(buffer.getvalue())
    assert collection["type"] == "FeatureCollection"
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert (lat, lon) == (30.18414, 67.00141)


def test_empty_exports_are_still_valid_documents() -> None:
    assert json.loads(_render(write_geojson, []))["features"] == []
    assert json.loads(_render(write_plover, [])) == []
    bundle = stix2.parse(_render(write_stix, [], timestamp=STAMP), allow_custom=False)
    assert [o.type for o in bundle.objects] == ["identity"]


def test_jsonl_round_trips_every_event() -> None:
    lines = _render(write_jsonl, sample_events()).splitlines()
    assert [json.loads(line) for line in lines] == [
        json.loads(json.dumps(e.to_json())) for e in sample_events()
    ]


def test_plover_maps_acled_types_to_plover_classes() -> None:
    records = json.loads(_render(write_plover, sample_events()))
    assert [(r["event"], r["mode"]) for r in records] == [
        ("ASSAULT", "suicide-attack"),
        ("FIGHT", "firearms"),
        ("PROTEST", ""),
    ]
    assert records[0]["context"] == "terrorism"
    assert records[1]["recipient"]["name"] == "Military Forces of Pakistan"
    assert records[0]["event_loc"]["country"] == "PAK"


# -- STIX -------------------------------------------------------------------------------------


def test_stix_bundle_parses_back_with_consistent_references() -> None:
    text = _render(write_stix, sample_events(), graph=sample_graph(), timestamp=STAMP)
    bundle = stix2.parse(text, allow_custom=False)
    by_id = {o.id: o for o in bundle.objects}
    assert len(by_id) == len(bundle.objects), "an object was written twice"
    kinds: dict[str, int] = {}
    for obj in bundle.objects:
        kinds[obj.type] = kinds.get(obj.type, 0) + 1
    # Islamic State, ISKP, TTP, Jamaat-ul-Ahrar; Quetta, Miran Shah, Karachi; 4 reports;
    # 3 graph relations + 2 "targets" (group -> place).
    assert kinds == {
        "identity": 1,
        "threat-actor": 4,
        "location": 3,
        "report": 4,
        "relationship": 5,
    }
    for obj in bundle.objects:
        if obj.type == "report":
            assert all(ref in by_id for ref in obj.object_refs)
        if obj.type == "relationship":
            assert obj.source_ref in by_id and obj.target_ref in by_id
        if obj.type != "identity":
            assert by_id[obj.created_by_ref].name == "watchfloor"
    merged = [
        o
        for o in bundle.objects
        if o.type == "relationship" and "merged" in o.get("description", "")
    ]
    assert len(merged) == 1 and merged[0].start_time.year == 2020
    quetta = next(o for o in bundle.objects if o.type == "report" and "Quetta" in o.name)
    assert [r.source_name for r in quetta.external_references] == ["Frontier Daily", "Coast Wire"]


def test_stix_ids_are_stable_across_exports() -> None:
    first = _render(write_stix, sample_events(), timestamp=STAMP)
    assert first == _render(write_stix, sample_events(), timestamp=STAMP)


# -- GraphML ------------------------------------------------------------------------------------


def test_graphml_reads_back_with_networkx() -> None:
    text = _render(write_graphml, sample_graph())
    graph = nx.read_graphml(io.BytesIO(text.encode()), force_multigraph=True)
    assert set(graph.nodes) == {"islamic-state", "iskp", "ttp", "jamaat-ul-ahrar"}
    assert graph.number_of_edges() == 3
    assert graph.nodes["iskp"]["name"] == "Islamic State Khorasan Province"
    kinds = sorted(d["kind"] for _, _, d in graph.edges(data=True))
    assert kinds == ["branch_of", "merged_into", "split_from"]
    split = next(d for _, _, d in graph.edges(data=True) if d["kind"] == "split_from")
    assert (split["start"], split["end"]) == ("2014-08-26", "2020-08-17")


def test_acled_codes_the_other_side_from_the_actor_kb() -> None:
    """The extractor leaves actor2 uncoded ("inter": None): the KB supplies its actor type."""
    battle = _event(
        "Battles",
        "Armed clash",
        actor1={"name": "Tehrik-i-Taliban Pakistan", "actor_id": "ttp", "inter": 2},
        actor2={"name": "Military Forces of Pakistan", "actor_id": None, "inter": None},
    )
    row = acled_row(_stored(battle))
    assert (row["inter1"], row["inter2"], row["interaction"]) == (2, 1, 12)
    nobody = _event(
        "Battles",
        "Armed clash",
        actor1={"name": "TTP", "inter": 2},
        actor2={"name": "a band of nobody knows whom", "inter": None},
    )
    assert (acled_row(_stored(nobody))["inter2"], acled_row(_stored(nobody))["interaction"]) == (
        "",
        20,
    )


def test_country_names_are_the_codebooks_not_iso() -> None:
    """ISO's "Congo, The Democratic Republic of the" is not how ACLED or the GTD spell it."""
    event = _stored(
        _event(
            "Violence against civilians",
            "Attack",
            civilian_targeting=True,
            location={"name": "Beni", "admin1": "Nord-Kivu", "country": "CD"},
        )
    )
    acled = acled_row(event)
    assert acled["country"] == "Democratic Republic of Congo"
    assert acled["actor2"] == "Civilians (Democratic Republic of Congo)"
    assert "Democratic Republic of Congo" in acled["notes"] and "Congo, The" not in acled["notes"]
    assert acled["iso"] == 180
    assert gtd_row(event)["country_txt"] == "Democratic Republic of the Congo"
    turkey = _stored(_event("Protests", "Peaceful protest", location={"country": "TR"}))
    assert (acled_row(turkey)["country"], gtd_row(turkey)["country_txt"]) == ("Turkey", "Turkey")


def test_acled_stand_in_actors_carry_their_country() -> None:
    """The extractor's "Unidentified Armed Group" is "Unidentified Armed Group (Pakistan)"."""
    event = _event(
        "Explosions/Remote violence",
        "Suicide bomb",
        perpetrator={"name": "Unidentified Armed Group", "inter": 3},
    )
    row = acled_row(_stored(event))
    assert (row["actor1"], row["inter1"]) == ("Unidentified Armed Group (Pakistan)", 3)
    named = _event("Battles", "Armed clash", actor1={"name": "TTP", "inter": 2})
    assert acled_row(_stored(named))["actor1"] == "TTP"
