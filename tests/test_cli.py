"""The command line as a user runs it: extract (contract), ingest, events, show, demo."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLES, cli, shared_path


def run(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def sample_lines() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]


def test_sample_corpus_is_big_and_varied(sample_lines: list[dict]) -> None:
    assert len(sample_lines) >= 30
    assert len({line["id"] for line in sample_lines}) == len(sample_lines)
    assert any("Pakistan Province" in line["text"] for line in sample_lines)


def test_batch_extract_validates_against_the_contract(
    tmp_path: Path, cli_env: dict[str, str], sample_lines: list[dict]
) -> None:
    import jsonschema

    schema = json.loads(shared_path("contract", "extract-result.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    output = tmp_path / "out.jsonl"
    done = run(cli("extract", "--input", str(SAMPLES), "--output", str(output)), cli_env)
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["id"] for r in results] == [line["id"] for line in sample_lines]
    texts = {line["id"]: line["text"] for line in sample_lines}
    events = 0
    for result in results:
        errors = sorted(validator.iter_errors(result), key=lambda e: list(e.path))
        assert not errors, f"{result['id']}: {errors[0].message} at {list(errors[0].path)}"
        text = texts[result["id"]]
        for event in result["events"]:
            events += 1
            for span in event["evidence"]:
                assert text[span["start"] : span["end"]] == span["text"]
        for dev in result["org_developments"]:
            for span in dev["evidence"]:
                assert text[span["start"] : span["end"]] == span["text"]
    assert events >= len(results)  # real text yields real events


def test_batch_extract_reports_bad_lines_and_goes_on(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "ok", "text": "Gunmen shot dead two policemen in Peshawar on Monday.", '
        '"published": "2023-05-10"}\n'
        "{broken\n"
        '{"id": "late", "text": "A bomb exploded.", "published": "10 May 2023"}\n'
        '{"id": "empty", "text": "", "published": "2023-05-10"}\n',
        encoding="utf-8",
    )
    output = tmp_path / "out.jsonl"
    done = run(cli("extract", "--input", str(source), "--output", str(output)), cli_env)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(x) for x in output.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["ok", "line-2", "late", "empty"]
    assert "events" in lines[0] and lines[0]["events"]
    assert "W205" in lines[1]["error"] and ":2" in lines[1]["error"]
    assert "W204" in lines[2]["error"]
    assert "W203" in lines[3]["error"]
    assert "3 line(s) could not be processed" in done.stderr


def test_batch_extract_with_two_workers_matches_one(
    tmp_path: Path, cli_env: dict[str, str], sample_lines: list[dict]
) -> None:
    """Chunks go to forked workers; the output is the in-process one, line for line."""
    lines = [json.dumps(x) for x in sample_lines[:20]]
    lines.insert(7, "{broken")
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        output = tmp_path / f"out-{workers}.jsonl"
        done = run(
            cli("extract", "--workers", workers, "--input", str(source), "--output", str(output)),
            cli_env,
        )
        assert done.returncode == 0, done.stderr
        assert "1 line(s) could not be processed" in done.stderr
        outputs.append(output.read_text())
    assert outputs[0] == outputs[1]
    ids = [json.loads(x)["id"] for x in outputs[0].splitlines()]
    assert ids == [x["id"] for x in sample_lines[:7]] + ["line-8"] + [
        x["id"] for x in sample_lines[7:20]
    ]


def test_single_file_mode_and_its_errors(tmp_path: Path, cli_env: dict[str, str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text(
        "Bomb kills three in Quetta\n\nA roadside bomb killed three soldiers in Quetta on "
        "Tuesday, officials said.\n",
        encoding="utf-8",
    )
    done = run(cli("extract", str(story), "--published", "2021-06-10"), cli_env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["id"] == "story" and result["published"] == "2021-06-10"
    [event] = result["events"]
    assert event["sub_event_type"] == "Remote explosive/landmine/IED"
    assert event["date"] == "2021-06-08"
    assert event["fatalities"]["best"] == 3
    piped = run(
        cli("extract", "-", "--published", "2021-06-10", "--id", "x"),
        cli_env,
        input=story.read_text(),
    )
    assert json.loads(piped.stdout)["id"] == "x"

    bad_date = run(cli("extract", str(story), "--published", "June 10"), cli_env)
    assert bad_date.returncode == 3
    assert bad_date.stderr.strip().count("\n") == 0 and "W204" in bad_date.stderr
    missing = run(cli("extract", str(tmp_path / "nope.txt"), "--published", "2021-06-10"), cli_env)
    assert missing.returncode == 3 and "nope.txt" in missing.stderr


def test_ingest_outlet_context_flag_reads_a_local_paper_as_local(cli_env: dict[str, str]) -> None:
    town_talk = Path(__file__).parent / "fixtures" / "towntalk.jsonl"
    done = run(cli("ingest", str(town_talk), "--outlet-context"), cli_env)
    assert done.returncode == 0, done.stderr
    (event,) = json.loads(run(cli("events", "--format", "json"), cli_env).stdout)
    assert (event["location"]["country"], event["location"]["admin1"]) == ("US", "Louisiana")


def test_ingest_twice_is_idempotent_then_query(tmp_path: Path, cli_env: dict[str, str]) -> None:
    first = run(cli("ingest", str(SAMPLES)), cli_env)
    assert first.returncode == 0, first.stderr
    counts = run(cli("status"), cli_env).stdout
    second = run(cli("ingest", str(SAMPLES)), cli_env)
    assert second.returncode == 0, second.stderr
    assert "0 new article(s)" in second.stderr
    assert run(cli("status"), cli_env).stdout == counts

    listed = json.loads(run(cli("events", "--format", "json"), cli_env).stdout)
    assert len(listed) >= 30
    assert all({"id", "event_type", "location", "evidence"} <= set(e) for e in listed)
    pk = json.loads(run(cli("events", "--country", "PK", "--format", "json"), cli_env).stdout)
    assert pk and all(e["location"]["country"] == "PK" for e in pk)
    rows = list(
        csv.DictReader(
            io.StringIO(run(cli("events", "--format", "csv", "--type", "Battles"), cli_env).stdout)
        )
    )
    assert rows and all(r["event_type"] == "Battles" for r in rows)

    shown = run(cli("show", str(listed[0]["id"])), cli_env)
    assert shown.returncode == 0, shown.stderr
    assert "Evidence" in shown.stdout and listed[0]["evidence"][0]["text"][:30] in " ".join(
        shown.stdout.split()
    )
    absent = run(cli("show", "999999"), cli_env)
    assert absent.returncode == 6 and "W404" in absent.stderr


def test_ingest_reports_bad_items_and_keeps_the_good(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Troops clashed with militants in Bannu on Sunday.", encoding="utf-8"
    )
    (folder / "b.txt").write_bytes(b"caf\xe9 attack")
    done = run(cli("ingest", str(folder), "--published", "2022-01-04"), cli_env)
    assert done.returncode == 3
    assert "b.txt" in done.stderr and "1 new article(s)" in done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_ingests_samples_and_serves_the_event_page(cli_env: dict[str, str]) -> None:
    port = _free_port()
    env = dict(cli_env, WATCHFLOOR_PORT=str(port))
    server = subprocess.Popen(
        cli("demo"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        page = None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and server.poll() is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert page is not None, server.stderr.read() if server.stderr else "server exited"
        assert page.status_code == 200
        assert "Content-Security-Policy" in page.headers
        html = page.text
        assert html.count('href="/events/') >= 30
        assert "Mastung" in html and "Balochistan" in html
        first = html.split('href="/events/')[1].split('"')[0]
        detail = httpx.get(f"http://127.0.0.1:{port}/events/{first}", timeout=5)
        assert detail.status_code == 200 and "<mark" in detail.text
        api = httpx.get(f"http://127.0.0.1:{port}/api/events?limit=5", timeout=5).json()
        assert api["count"] == 5
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_gazetteer_build_reports_its_index(cli_env: dict[str, str]) -> None:
    done = run(cli("gazetteer", "build"), cli_env)
    assert done.returncode == 0, done.stderr
    assert "entries" in done.stdout and ".sqlite" in " ".join(done.stdout.split())


def test_eval_case_prints_table_and_writes_json(tmp_path: Path, cli_env: dict[str, str]) -> None:
    data = tmp_path / "snippets.tsv"
    data.write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tA suicide bomber blew himself up at a checkpoint in Kabul, killing six.\tSUIC_BOMB\n"
        "2\tPolice arrested four suspects in Lahore on Monday.\tARREST\n"
        "3\tThe cabinet discussed the budget.\tDIPLO\n",
        encoding="utf-8",
    )
    figures = tmp_path / "case.json"
    done = run(cli("eval", "case", "--data", str(data), "--json-out", str(figures)), cli_env)
    assert done.returncode == 0, done.stderr
    assert "weighted F1" in done.stdout
    saved = json.loads(figures.read_text())
    assert saved["subsets"]["25"]["snippets"] == 2
    assert saved["subsets"]["25"]["accuracy"] == 100.0
    assert saved["no_event"] == 1


def test_eval_geo_on_a_small_corpus(tmp_path: Path, cli_env: dict[str, str]) -> None:
    from tests.eval.test_geo import GEOVIRUS_XML

    data = tmp_path / "geovirus.xml"
    data.write_text(GEOVIRUS_XML, encoding="utf-8")
    figures = tmp_path / "geo.json"
    done = run(cli("eval", "geo", "--data", str(data), "--json-out", str(figures)), cli_env)
    assert done.returncode == 0, done.stderr
    saved = json.loads(figures.read_text())
    assert (saved["docs"], saved["gold"]) == (2, 2)
    assert saved["matched"] >= 1 and 0 <= saved["f1"] <= 1
    broken = tmp_path / "broken.xml"
    broken.write_text("<articles><article>", encoding="utf-8")
    failed = run(cli("eval", "geo", "--data", str(broken)), cli_env)
    assert failed.returncode == 3 and "broken.xml" in failed.stderr


def test_eval_muc4_reproduces_a_check_figure(tmp_path: Path, cli_env: dict[str, str]) -> None:
    gold = shared_path("data", "muc4", "gtt_processed", "dev.json")
    pred = shared_path("data", "muc4", "metric_check", "pred_b_dropped.json")
    figures = tmp_path / "muc4.json"
    done = run(
        cli("eval", "muc4", "--gold", str(gold), "--pred", str(pred), "--json-out", str(figures)),
        cli_env,
    )
    assert done.returncode == 0, done.stderr
    assert "F1: 43.14%" in done.stdout  # micro average, GTT_METRIC.md section 9
    assert json.loads(figures.read_text())["benchmark"] == "muc4-gtt"


def test_bench_reports_the_spacy_ratio(tmp_path: Path, cli_env: dict[str, str]) -> None:
    figures = tmp_path / "bench.json"
    done = run(cli("bench", "--articles", "4", "--json-out", str(figures)), cli_env)
    assert done.returncode == 0, done.stderr
    assert "spaCy pipeline speed" in done.stdout
    saved = json.loads(figures.read_text())
    assert saved["articles"] == 4 and saved["ceiling_ratio"] > 0
    names = [t["name"] for t in saved["timings"]]
    assert names[:3] == [
        "extract (1 worker)",
        "extract (2 workers)",
        "spaCy ceiling: tokenizer + NER (1 process)",
    ]
    assert "ingest (extract+store+fuse)" in names
    assert saved["words_per_article"] == round(saved["words"] / 4, 1)


def test_eval_relations_and_wikievents(tmp_path: Path, cli_env: dict[str, str]) -> None:
    data = tmp_path / "rel.csv"
    data.write_text(
        "unique_id,type,group1_id,group2_id,date,description,group1_name,group2_name\n"
        '1,spl,1,2,2014-02-00,"Jamaat-ul-Ahrar split from the TTP in 2014.",'
        "Tehrik-i-Taliban Pakistan,Jamaat-ul-Ahrar\n",
        encoding="utf-8",
    )
    figures = tmp_path / "rel.json"
    done = run(cli("eval", "relations", "--data", str(data), "--json-out", str(figures)), cli_env)
    assert done.returncode == 0, done.stderr
    assert json.loads(figures.read_text())["per_kind"]["splinter"]["correct"] == 1

    dev = shared_path("data", "wikievents", "dev.jsonl")
    wiki = tmp_path / "wiki.json"
    done = run(cli("eval", "wikievents", "--data", str(dev), "--json-out", str(wiki)), cli_env)
    assert done.returncode == 0, done.stderr
    saved = json.loads(wiki.read_text())
    assert saved["documents"] == 20 and saved["event_detection"]["r_den"] > 0
