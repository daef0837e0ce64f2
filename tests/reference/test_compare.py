"""Coverage comparison: matching rules, agreement figures, and the whole run on a real store."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import cli
from watchfloor.model import (
    Actor,
    Article,
    CasualtyReport,
    Event,
    EvidenceSpan,
    ExtractResult,
    Place,
)
from watchfloor.reference import ReferenceEvent
from watchfloor.reference.compare import (
    OurEvent,
    admin_key,
    compare,
    kb_actor_keys,
    same_admin,
)
from watchfloor.resolve.actors import ActorKB
from watchfloor.store import Store
from watchfloor.store.reference import add_reference_events

TEXT = "Blast in the north\n\nA bomb killed people on Monday."


def _ref(
    ext: str, day: int, admin1: str, lat: float, lon: float, actor1: str, **kw
) -> ReferenceEvent:
    fields = dict(deaths_low=2, deaths_best=3, deaths_high=5, actor2="Civilians")
    fields.update(kw)
    return ReferenceEvent(
        dataset="ucdp",
        external_id=ext,
        date_start=dt.date(2021, 3, day),
        date_end=dt.date(2021, 3, day),
        country="PK",
        admin1=admin1,
        latitude=lat,
        longitude=lon,
        actor1=actor1,
        **fields,
    )


def _ours(
    i: int,
    day: int,
    admin1: str | None,
    lat: float | None,
    lon: float | None,
    perp: str | None,
    killed: int | None,
) -> Event:
    kb = ActorKB.load()
    actor = None
    if perp:
        found = kb.resolve(perp)
        actor = Actor(name=perp, actor_id=found.actor_id if found else None, status="claimed")
    return Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        date=dt.date(2021, 3, day),
        date_precision="day",
        location=Place(
            name=f"place {i}", admin1=admin1, country="PK", lat=lat, lon=lon, geo_precision=1
        ),
        perpetrator=actor,
        fatalities=CasualtyReport(low=killed, best=killed, high=killed)
        if killed is not None
        else None,
        evidence=[EvidenceSpan(field="trigger", start=20, end=24, text=TEXT[20:24])],
        confidence=0.7,
    )


REFERENCE = [
    # same day, 20 km apart, same group (TTP; ours names its faction Jamaat-ul-Ahrar)
    _ref("r1", 1, "Federally Administered Tribal Areas", 33.0, 70.1, "TTP"),
    # one day off, other admin spelling of the same province, far apart
    _ref("r2", 10, "Khyber Pakhtunkwa province", 34.0, 71.5, "Lashkar-e-Islam"),
    # right place and day but another group: not ours
    _ref("r3", 15, "Balochistan province", 30.2, 67.0, "BLA"),
    # nothing of ours near
    _ref("r4", 20, "Sindh province", 24.9, 67.0, "MQM"),
]
OURS = [
    _ours(1, 1, "Khyber Pakhtunkhwa", 33.1, 69.95, "Jamaat-ul-Ahrar", 4),
    _ours(2, 11, "Khyber Pakhtunkhwa", 33.0, 73.0, None, 9),
    _ours(3, 15, "Balochistan", 30.21, 67.01, "TTP", 1),
    _ours(4, 25, "Sindh", 24.9, 67.0, None, None),
]


def _our_records() -> list[OurEvent]:
    from watchfloor.store import StoredEvent

    return [
        OurEvent.from_stored(StoredEvent(id=i, article_id=i, data=e.model_dump(mode="json")))
        for i, e in enumerate(OURS, start=1)
    ]


def test_admin_names_compare_by_unit_not_spelling() -> None:
    assert admin_key("Balochistan province") == ("balochistan",)
    assert same_admin("Khyber Pakhtunkwa province", "Khyber Pakhtunkhwa")
    assert same_admin("Azad Jammu & Kashmir", "Azad Jammu and Kashmir")
    assert same_admin("Federally Administered Tribal Areas", "Khyber Pakhtunkhwa")
    assert same_admin("Islamabad Capital territory", "Islamabad")
    assert not same_admin("Sindh province", "Punjab")
    assert same_admin(None, "Sindh") is None


def test_matching_rules_and_figures() -> None:
    report = compare("ucdp", REFERENCE, _our_records(), kb_actor_keys(ActorKB.load()))
    assert [(m.reference_id, m.our_id) for m in report.matches] == [("r1", 1), ("r2", 2)]
    first, second = report.matches
    assert first.days == 0 and first.km is not None and first.km < 50
    assert first.toll_within is True and first.admin1_same_unit is True
    assert first.admin1_same_spelling is False
    assert second.days == 1 and second.km is not None and second.km > 50
    assert second.toll_within is False
    figures = report.figures()
    assert figures["coverage"] == 0.5
    assert figures["our_events_matched_share"] == 0.5
    assert figures["toll"] == {"compared": 2, "within_low_high": 1, "share": 0.5}
    assert figures["monthly"] == [{"month": "2021-03", "reference": 4, "matched": 2}]


def test_without_a_knowledge_base_only_identical_names_are_compatible() -> None:
    report = compare("ucdp", REFERENCE, _our_records())
    assert [m.reference_id for m in report.matches] == ["r2"]


def test_each_event_is_matched_once() -> None:
    twin = _ref("r1b", 1, "Khyber Pakhtunkhwa", 33.0, 70.1, "TTP")
    report = compare("ucdp", [*REFERENCE, twin], _our_records(), kb_actor_keys(ActorKB.load()))
    assert sum(m.our_id == 1 for m in report.matches) == 1
    assert report.figures()["coverage"] == pytest.approx(2 / 5)


@pytest.fixture
def filled_db(tmp_path: Path, cli_env: dict[str, str]) -> dict[str, str]:
    """The CLI's database with our four events and the four reference events."""
    store = Store.open(cli_env["WATCHFLOOR_DATABASE_URL"])
    batch = []
    for i, event in enumerate(OURS, start=1):
        article = Article(
            id=f"a{i}",
            text=TEXT + f" ({i})",
            published=dt.date(2021, 3, 28),
            source="Frontier Daily",
        )
        batch.append((article, ExtractResult(id=article.id, events=[event]), "test"))
    store.add_batch(batch, "test")
    assert add_reference_events(store, "ucdp", REFERENCE) == (4, 0)
    store.close()
    return cli_env


def test_compare_command_prints_writes_json_and_plots(
    filled_db: dict[str, str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "plots"
    figures_path = tmp_path / "figures.json"
    done = subprocess.run(
        cli(
            "compare",
            "--reference",
            "ucdp",
            "--country",
            "PK",
            "--out-dir",
            str(out_dir),
            "--json-out",
            str(figures_path),
        ),
        env=filled_db,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "coverage" in done.stdout and "50.0 %" in done.stdout
    figures = json.loads(figures_path.read_text())
    assert (figures["reference_events"], figures["matched"]) == (4, 2)
    for name in ("coverage_ucdp_map.png", "coverage_ucdp_monthly.png"):
        assert (out_dir / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_compare_without_reference_data_says_how_to_get_it(cli_env: dict[str, str]) -> None:
    done = subprocess.run(
        cli("compare", "--reference", "acled"),
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "watchfloor import acled FILE" in done.stderr


def test_monthly_plot_spans_decades_at_a_readable_width(tmp_path: Path) -> None:
    """Thirty years of months: every month on the axis (gaps as zero), width capped."""
    import struct

    from watchfloor.reference.compare import CompareReport
    from watchfloor.reference.plots import MAX_WIDTH_IN, _month_range, plot_monthly

    report = CompareReport(dataset="ucdp", reference_total=3)
    report.monthly = {"1989-01": (1, 0), "2004-07": (5, 1), "2021-12": (2, 2)}
    months = _month_range(list(report.monthly))
    assert (months[0], months[1], months[-1], len(months)) == ("1989-01", "1989-02", "2021-12", 396)
    assert _month_range(["2020-11", "2021-02"]) == ["2020-11", "2020-12", "2021-01", "2021-02"]
    path = plot_monthly(report, tmp_path / "monthly.png")
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the PNG's IHDR
    assert width <= MAX_WIDTH_IN * 110 + 1 and height < width
