"""The in-process newsroom scorer: small worked cases, and agreement with the shared script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli, shared_path
from watchfloor.eval import newsroom

TEXT = (
    "Bomb kills three in Quetta\n\n"
    "QUETTA, Pakistan - A bomb killed three people at a market in Quetta on Monday, police "
    "said. The Balochistan Liberation Army claimed the attack. Separately, a man had a heart "
    "attack at the hospital."
)
GOLD = {
    "id": "t1",
    "published": "2019-05-14",
    "events": [
        {
            "gid": "e1",
            "required": True,
            "family": "bombing",
            "acled_event_type": "Explosions/Remote violence",
            "acled_sub_event_type": "Remote explosive/landmine/IED",
            "date": "2019-05-13",
            "date_earliest": "2019-05-13",
            "date_latest": "2019-05-13",
            "location": {"city": "Quetta", "admin1": "Balochistan", "country": "PK"},
            "perpetrator": ["Balochistan Liberation Army", "BLA"],
            "perpetrator_status": "claimed",
            "killed": 3,
            "wounded": None,
            "claimed_by": ["Balochistan Liberation Army"],
            "target_is_civilian": True,
            "evidence": "A bomb killed three people at a market in Quetta on Monday",
        }
    ],
    "org_developments": [],
    "non_events": ["heart attack"],
}


def _pred(**changes) -> dict:
    start = TEXT.index("A bomb killed")
    quote = "A bomb killed three people"
    event = {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "date": "2019-05-13",
        "location": {"name": "Quetta", "admin1": "Balochistan", "country": "PK"},
        "perpetrator": {"name": "Balochistan Liberation Army", "status": "claimed"},
        "fatalities": {"best": 3},
        "injuries": None,
        "claims": [{"by": "Balochistan Liberation Army", "stance": "claimed"}],
        "civilian_targeting": True,
        "evidence": [{"start": start, "end": start + len(quote), "text": quote}],
    }
    event.update(changes)
    return event


def _score(events: list[dict]) -> dict:
    case = newsroom.make_case("t1", TEXT, GOLD)
    _, figures = newsroom.score_all([case], {"t1": {"events": events, "org_developments": []}})
    return figures


def test_perfect_prediction_scores_100() -> None:
    figures = _score([_pred()])
    assert figures["event"]["f1"] == 100.0
    # the gold fills 11 of the 12 slots (not wounded); each one is a true positive
    assert figures["slots_micro"] == {
        "precision": 100.0,
        "recall": 100.0,
        "f1": 100.0,
        "tp": 11,
        "fp": 0,
        "fn": 0,
    }


def test_wrong_toll_is_one_fp_and_one_fn() -> None:
    figures = _score([_pred(fatalities={"best": 4})])
    assert figures["slots"]["killed"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "tp": 0,
        "fp": 1,
        "fn": 1,
    }
    assert figures["slots_micro"]["tp"] == 10


def test_event_on_a_non_event_phrase() -> None:
    start = TEXT.index("heart attack")
    stray = _pred(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        location=None,
        date=None,
        perpetrator=None,
        fatalities=None,
        claims=[],
        civilian_targeting=None,
        evidence=[{"start": start, "end": start + 12, "text": "heart attack"}],
    )
    figures = _score([_pred(), stray])
    assert figures["non_event_hits"] == 1
    assert figures["event"]["fp"] == 1 and figures["event"]["tp"] == 1


def test_names_and_places() -> None:
    assert newsroom.names_match(["The Islamic State (IS)"], ["IS"])
    assert newsroom.names_match(["Tehrik-i-Taliban Pakistan"], ["Tehrik-e-Taliban Pakistan"])
    assert not newsroom.names_match(["Taliban"], ["Tehrik-i-Taliban Pakistan"])
    assert newsroom.is_generic("unidentified gunmen") and not newsroom.is_generic("al-Shabaab")
    assert newsroom.place_match("Mastung District", ["Mastung"])
    assert newsroom.place_match("KPK", ["Khyber Pakhtunkhwa"], synonyms=True)
    assert not newsroom.place_match("KPK", ["Khyber Pakhtunkhwa"])


def test_best_pairing_prefers_total_weight_and_first_on_ties() -> None:
    assert newsroom.best_pairing([[5.0, 4.0], [4.0, 0.0]]) == {0: 1, 1: 0}
    assert newsroom.best_pairing([[1.0, 1.0]]) == {0: 0}
    assert newsroom.best_pairing([[0.0], [0.0]]) == {}


def test_evidence_with_wrong_offsets_is_found_by_its_text() -> None:
    stats = newsroom.new_stats()
    start = TEXT.index("market")
    spans = newsroom.evidence_spans([{"start": 0, "end": 6, "text": "market"}], TEXT, stats)
    assert spans == [(start, start + 6)] and stats["span_mismatch"] == 1


@pytest.mark.slow
def test_agrees_with_the_shared_script(tmp_path: Path, cli_env: dict[str, str], extractor) -> None:
    scorer = shared_path("eval", "score_newsroom.py")
    cases = shared_path("newsroom-dev", "cases")
    report = tmp_path / "script.json"
    command = " ".join(cli("extract")) + " --input {input} --output {output}"
    done = subprocess.run(
        [
            sys.executable,
            str(scorer),
            "--cases",
            str(cases),
            "--cmd",
            command,
            "--json-out",
            str(report),
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    theirs = json.loads(report.read_text(encoding="utf-8"))
    ours = newsroom.report_dict(newsroom.run(cases, extractor.extract), cases)
    for name, value in theirs["headline"].items():
        assert abs(ours["headline"][name] - value) <= 0.1, (name, ours["headline"], value)
    assert ours["metrics"]["non_event_hits"] == theirs["metrics"]["non_event_hits"]
