"""The fusion benchmark corpus, the synthetic stream and the scale run (no extractor needed)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from watchfloor.errors import MalformedLine
from watchfloor.eval.fusion import CORPUS, load_corpus, run_scale, synthetic_reports
from watchfloor.fuse.across import FAMILIES


def test_bundled_corpus_is_in_arrival_order() -> None:
    corpus = load_corpus()
    assert len(corpus) >= 60
    incidents = Counter(item.incident for item in corpus)
    assert len(incidents) >= 20
    # fusion has something to do: most incidents are told by more than one report
    assert sum(1 for n in incidents.values() if n > 1) >= 20
    ids = [item.article.id for item in corpus]
    assert len(set(ids)) == len(ids)
    order = [(item.article.published, item.article.id) for item in corpus]
    assert order == sorted(order)
    for item in corpus:
        assert item.gold["event_type"] in FAMILIES
        assert len(item.gold["country"]) == 2


def test_corpus_reads_every_file_sorted_by_date_then_id(tmp_path: Path) -> None:
    def line(rid: str, published: str) -> str:
        return (
            f'{{"id": "{rid}", "incident": "x1", "published": "{published}", '
            f'"text": "Bomb in Quetta\\n\\nQUETTA - A bomb went off.", '
            f'"gold": {{"date": "{published}", "country": "PK"}}}}'
        )

    (tmp_path / "b.jsonl").write_text(line("r-2", "2024-03-12") + "\n\n", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(
        line("r-9", "2024-03-13") + "\n" + line("r-3", "2024-03-12") + "\n", encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("not a report\n", encoding="utf-8")
    # 12 March: r-2 before r-3 (by id); 13 March: r-9; the blank line and the .txt are skipped
    assert [item.article.id for item in load_corpus(tmp_path)] == ["r-2", "r-3", "r-9"]


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        '{"id": "r-1", "published": "2024-03-12", "text": "t", "gold": {}}',  # no incident
        '{"id": "r-1", "incident": "x", "published": "12/03/2024", "text": "t", "gold": {}}',
    ],
)
def test_malformed_corpus_line_names_file_and_line(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "reports.jsonl"
    good = '{"id": "r-0", "incident": "x", "published": "2024-03-12", "text": "t", "gold": {}}'
    path.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(MalformedLine) as caught:
        load_corpus(tmp_path)
    assert caught.value.source == str(path) and caught.value.line == 2


def test_corpus_folder_is_package_data() -> None:
    assert CORPUS.is_dir() and sorted(p.name for p in CORPUS.glob("*.jsonl"))


def test_synthetic_reports_are_deterministic_and_exact() -> None:
    first = list(synthetic_reports(500, seed=11))
    assert first == list(synthetic_reports(500, seed=11))
    assert first != list(synthetic_reports(500, seed=12))
    for count in (0, 1, 7, 500):
        assert len(list(synthetic_reports(count, seed=11))) == count
    # report ids run 1..count; incidents come in order, each told by one to five reports
    assert [signal.report_id for signal, _ in first] == list(range(1, 501))
    incidents = [incident for _, incident in first]
    assert incidents == sorted(incidents)
    sizes = Counter(incidents)
    assert max(sizes.values()) <= 5 and set(sizes) == set(range(1, max(incidents) + 1))
    # reports of one incident share country, province and type, and stay within a day or so
    by_incident: dict[int, list] = {}
    for signal, incident in first:
        by_incident.setdefault(incident, []).append(signal)
    for signals in by_incident.values():
        assert len({(s.country, s.admin1, s.sub_event_type) for s in signals}) == 1
        days = [s.date_earliest.toordinal() for s in signals]  # type: ignore[union-attr]
        assert max(days) - min(days) <= 2


def test_scale_run_clusters_the_synthetic_stream_well() -> None:
    result = run_scale(3000)
    assert result["reports"] == 3000
    assert result["bcubed"]["items"] == 3000
    # measured: B-cubed P 1.0, R 0.965, F1 0.982; pairwise F1 0.973
    assert result["bcubed"]["f1"] >= 0.9
    assert result["pairwise"]["f1"] >= 0.9
    # fusion does merge: far fewer events than reports, but not everything into a few
    assert 3000 / 5 <= result["events"] < 3000
    assert result["reports_per_second"] > 0
