"""`watchfloor export` and `watchfloor import` as a user runs them."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import stix2

from tests.conftest import cli, shared_path
from tests.reference.test_compare import (  # noqa: F401 - fixture data reused
    OURS,
    TEXT,
    filled_db,
)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli(*args), env=env, capture_output=True, text=True, timeout=300)


def test_export_acled_and_stix_from_the_database(filled_db, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "out.csv"
    done = _run(
        filled_db, "export", "--format", "acled", "-o", str(target), "--since", "2021-03-10"
    )
    assert done.returncode == 0, done.stderr
    assert "wrote 3 event(s) as acled" in done.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["event_date"] for r in rows] == ["2021-03-25", "2021-03-15", "2021-03-11"]
    assert not (tmp_path / "out.csv.part").exists()
    bundle_path = tmp_path / "bundle.json"
    done = _run(filled_db, "export", "--format", "stix", "-o", str(bundle_path))
    assert done.returncode == 0, done.stderr
    bundle = stix2.parse(bundle_path.read_text(), allow_custom=False)
    assert sum(o.type == "report" for o in bundle.objects) == 4


def test_export_geojson_reports_what_it_left_out(filled_db, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "events.geojson"
    done = _run(filled_db, "export", "--format", "geojson", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert "0 without coordinates left out" in done.stderr
    assert len(json.loads(target.read_text())["features"]) == 4


def test_export_rejects_an_unknown_format(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = _run(cli_env, "export", "--format", "xls", "-o", str(tmp_path / "x"))
    assert done.returncode == 2
    assert "[W100]" in done.stderr and "'xls' is not one of" in done.stderr


def test_export_graphml_writes_the_graph_or_says_why_not(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "orgs.graphml"
    done = _run(cli_env, "export", "--format", "graphml", "-o", str(target))
    try:
        import watchfloor.resolve.graph  # noqa: F401
    except ImportError:
        assert done.returncode == 1
        assert "organisation graph is not available" in done.stderr
        assert not target.exists()
    else:
        assert done.returncode == 0, done.stderr
        assert target.read_text().startswith("<graphml")


def test_import_ucdp_twice_adds_nothing_the_second_time(cli_env: dict[str, str]) -> None:
    path = shared_path("data", "ucdp_ged_pakistan", "conflict_data_pak.csv")
    first = _run(cli_env, "import", "ucdp", str(path))
    assert first.returncode == 0, first.stderr
    assert "6416 UCDP event(s) added, 0 already present, 0 bad row(s)" in first.stderr
    second = _run(cli_env, "import", "ucdp", str(path))
    assert "0 UCDP event(s) added, 6416 already present" in second.stderr


def test_import_reports_bad_rows_and_exits_3(cli_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,sub_event_type,actor1,country,iso,fatalities\n"
        "PAK1,2021-03-01,Battles,Armed clash,TTP,Pakistan,586,2\n"
        "PAK2,2021-03-02,Fights,Armed clash,TTP,Pakistan,586,2\n",
        encoding="utf-8",
    )
    done = _run(cli_env, "import", "acled", str(path))
    assert done.returncode == 3
    assert f"[W205] {path}:3: event_type 'Fights' is not an ACLED event type" in done.stderr
    assert "1 ACLED event(s) added" in done.stderr
