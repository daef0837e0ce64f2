"""`watchfloor eval actors`: mention -> actor accuracy, on hand-made rows worked out here."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import cli
from watchfloor.errors import MalformedLine, UnreadableInput
from watchfloor.eval.actors import evaluate, load_mentions, report_dict
from watchfloor.resolve.actors import ActorKB

HEADER = "mention\tactor_id\tdate\tcountry\tcontext\torigin\n"
# 1. right by alias; 2. right, but a generic class, so unresolved; 3. resolves, to the wrong
# actor; 4. resolves to nothing. So 2 of 4 right (50 %), own 2/3, ucdp 0/1, one unresolved.
ROWS = (
    "# a comment line\n"
    + HEADER
    + "Daesh\tislamic-state\t2020-01-01\t\t\town:alias\n"
    + "gunmen\tunidentified-armed-group\t2020-01-01\tPK\t\town:generic\n"
    + "TTP\tjnim\t\t\t\town\n"
    + "No Such Front Anywhere\thamas\t\t\t\tucdp\n"
)


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def test_accuracy_by_hand(kb: ActorKB, tmp_path: Path) -> None:
    path = tmp_path / "m.tsv"
    path.write_text(ROWS, encoding="utf-8")
    rows = load_mentions(path)
    assert [r.group for r in rows] == ["own", "own", "own", "ucdp"]
    figures = report_dict(evaluate(kb, rows))
    assert figures["overall"] == {"right": 2, "total": 4, "accuracy": 50.0}
    assert figures["by_origin"]["own"] == {"right": 2, "total": 3, "accuracy": 66.67}
    assert figures["by_origin"]["ucdp"] == {"right": 0, "total": 1, "accuracy": 0.0}
    assert figures["unresolved"] == 1
    assert [(m["mention"], m["got"]) for m in figures["misses"]] == [
        ("TTP", "ttp"),
        ("No Such Front Anywhere", None),
    ]


def test_context_and_date_decide_the_branch(kb: ActorKB, tmp_path: Path) -> None:
    path = tmp_path / "m.tsv"
    path.write_text(
        HEADER
        + 'Islamic State\tispp\t2019-05-20\tPK\tIt announced a "Pakistan Province".\town\n'
        + "Islamic State\tispp\t2019-05-20\tPK\tIt claimed the killing in Quetta.\town\n",
        encoding="utf-8",
    )
    figures = report_dict(evaluate(kb, load_mentions(path)))
    # the second sentence names no branch: the parent is the answer, so that row is a miss
    assert figures["overall"]["right"] == 1
    assert figures["misses"][0]["got"] == "islamic-state"


def test_bad_files_name_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput):
        load_mentions(tmp_path / "absent.tsv")
    short = tmp_path / "short.tsv"
    short.write_text(HEADER + "Daesh\tislamic-state\n", encoding="utf-8")
    with pytest.raises(MalformedLine) as caught:
        load_mentions(short)
    assert caught.value.line == 2
    no_column = tmp_path / "cols.tsv"
    no_column.write_text("mention\tactor_id\nDaesh\tislamic-state\n", encoding="utf-8")
    with pytest.raises(MalformedLine, match="origin"):
        load_mentions(no_column)


def test_shipped_test_set_loads_every_row() -> None:
    from watchfloor.commands.actors import MENTIONS

    assert len(load_mentions(MENTIONS)) >= 200


def test_eval_actors_command(cli_env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "m.tsv"
    data.write_text(ROWS, encoding="utf-8")
    out = tmp_path / "actors.json"
    done = subprocess.run(
        cli("eval", "actors", "--data", str(data), "--json-out", str(out)),
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Actor resolution (4 mentions)" in done.stdout and "50.00" in done.stdout
    assert "miss: 'TTP' -> ttp (expected jnim" in done.stdout
    figures = json.loads(out.read_text())
    assert figures["benchmark"] == "actors" and figures["overall"]["accuracy"] == 50.0
    assert figures["measured"] and "commit" in figures  # stamped for docs/benchmarks.md
    bad = subprocess.run(
        cli("eval", "actors", "--data", str(tmp_path / "absent.tsv")),
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode != 0 and "absent.tsv" in bad.stderr
