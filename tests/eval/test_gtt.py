"""Tests for the GTT template-filling metric (shared/eval/GTT_METRIC.md)."""

from __future__ import annotations

import itertools
import json
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from watchfloor.errors import InputError, MalformedLine
from watchfloor.eval.gtt import (
    CATEGORIES,
    ROLES,
    doc_key,
    load_gold,
    load_predictions,
    normalize_mention,
    render,
    report_dict,
    score,
)


def tpl(itype: object, **roles: list) -> dict:
    """A template with every role present; unspecified roles are empty."""
    return {"incident_type": itype, **{role: roles.get(role, []) for role in ROLES}}


def counts(report_row: dict) -> tuple[int, int, int, int]:
    return report_row["p_num"], report_row["p_den"], report_row["r_num"], report_row["r_den"]


def figures(report_row: dict) -> tuple[float, float, float]:
    return report_row["precision"], report_row["recall"], report_row["f1"]


# ---------------------------------------------------------------------------------------------
# Section 9: the check files against the dev gold

CHECK = {
    "pred_a_perfect.json": {
        "incident_type": ((100.0, 100.0, 100.0), (181, 181, 181, 181)),
        "PerpInd": ((100.0, 100.0, 100.0), (179, 179, 179, 179)),
        "PerpOrg": ((100.0, 100.0, 100.0), (116, 116, 116, 116)),
        "Target": ((100.0, 100.0, 100.0), (109, 109, 109, 109)),
        "Victim": ((100.0, 100.0, 100.0), (90, 90, 90, 90)),
        "Weapon": ((100.0, 100.0, 100.0), (56, 56, 56, 56)),
        "micro_avg": ((100.0, 100.0, 100.0), (731, 731, 731, 731)),
    },
    "pred_b_dropped.json": {
        "incident_type": ((79.12, 39.78, 52.94), (72, 91, 72, 181)),
        "PerpInd": ((77.94, 29.61, 42.91), (53, 68, 53, 179)),
        "PerpOrg": ((81.58, 26.72, 40.26), (31, 38, 31, 116)),
        "Target": ((84.85, 25.69, 39.44), (28, 33, 28, 109)),
        "Victim": ((82.14, 25.56, 38.98), (23, 28, 23, 90)),
        "Weapon": ((58.82, 17.86, 27.40), (10, 17, 10, 56)),
        "micro_avg": ((78.91, 29.69, 43.14), (217, 275, 217, 731)),
    },
    "pred_c_noisy.json": {
        "incident_type": ((81.90, 100.0, 90.05), (181, 221, 181, 181)),
        "PerpInd": ((81.74, 100.0, 89.95), (179, 219, 179, 179)),
        "PerpOrg": ((36.80, 100.0, 53.80), (124, 337, 116, 116)),
        "Target": ((73.15, 100.0, 84.50), (109, 149, 109, 109)),
        "Victim": ((69.23, 100.0, 81.82), (90, 130, 90, 90)),
        "Weapon": ((100.0, 100.0, 100.0), (56, 56, 56, 56)),
        "micro_avg": ((66.46, 100.0, 79.85), (739, 1112, 731, 731)),
    },
}


@pytest.fixture(scope="module")
def dev_gold() -> dict[str, list[dict]]:
    return load_gold(shared_path("data", "muc4", "gtt_processed", "dev.json"))


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(CHECK))
def test_check_files_reproduce_section_9(dev_gold: dict, name: str) -> None:
    preds = load_predictions(shared_path("data", "muc4", "metric_check", name))
    report = score(dev_gold, preds)
    assert report.documents == 200
    got = report_dict(report)
    for row, (expected_figures, expected_counts) in CHECK[name].items():
        assert figures(got[row]) == expected_figures, row
        assert counts(got[row]) == expected_counts, row
    p, r, f = CHECK[name]["micro_avg"][0]
    assert f"P: {p:.2f}%,  R: {r:.2f}%, F1: {f:.2f}%" in render(report)


@pytest.mark.shared
def test_dev_gold_deduplicates_to_181_templates(dev_gold: dict) -> None:
    assert len(dev_gold) == 200
    assert sum(len(t) for t in dev_gold.values()) == 191
    # scoring the gold against nothing leaves exactly the de-duplicated recall units
    report = score(dev_gold, {}, require_all=False)
    assert (report.per_category["incident_type"].r_den, report.micro.r_den) == (181, 731)


# ---------------------------------------------------------------------------------------------
# Normalisation and keys (sections 3.2, 2.3)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("The F.M.L.N.", "fmln"),
        ("  the   Army's  3rd brigade ", "armys 3rd brigade"),
        ('"santo tomas" presidential farm', "santo tomas presidential farm"),
        ("a-bomb", "abomb"),
        ("u.s. embassy", "us embassy"),
        ("A.M.", "am"),
        ("theater", "theater"),
        ("the a an", ""),
        ("_the_", ""),
        ("¡Bombs!", "¡bombs"),
        ("Guerrilla\tcolumn\n", "guerrilla column"),
        ("l’the", "l’"),  # ’ is not ASCII punctuation and is not a word character
        ("thé the", "thé"),
    ],
)
def test_normalize_mention_matches_spec_table(raw: str, normalised: str) -> None:
    assert normalize_mention(raw) == normalised


@given(st.text())
def test_normalize_mention_is_idempotent_and_clean(text: str) -> None:
    once = normalize_mention(text)
    assert normalize_mention(once) == once
    assert not set(once) & set(string.punctuation)
    assert once == once.strip()
    assert "  " not in once


@pytest.mark.parametrize(
    ("docid", "key"),
    [
        ("TST1-MUC3-0001", "10001"),
        ("TST2-MUC4-0100", "20100"),
        ("TST3-MUC4-0007", "30007"),
        ("TST4-MUC4-0100", "40100"),
        ("20036", "20036"),
    ],
)
def test_doc_key(docid: str, key: str) -> None:
    assert doc_key(docid) == key


@pytest.mark.parametrize("docid", ["TSTX-MUC4-0001", "TST1-MUC4-00a1", "nohyphen"])
def test_doc_key_rejects_odd_docids(docid: str) -> None:
    with pytest.raises(ValueError):
        doc_key(docid)


# ---------------------------------------------------------------------------------------------
# Hand-made documents whose answers are worked out here


def one_doc(gold_templates: list[dict], pred_templates: list[dict]) -> dict:
    return report_dict(score({"TST1-MUC3-0001": gold_templates}, {"10001": pred_templates}))


GOLD_BOMBING = tpl(
    "bombing",
    PerpInd=[[["urban terrorists", 10], ["terrorists", 95]]],
    Target=[[["power substation", 40]]],
    Weapon=[[["dynamite", 60]]],
)


def test_perfect_document_scores_100() -> None:
    pred = tpl(
        "bombing",
        PerpInd=[["Urban terrorists"]],
        Target=[["the power substation"]],
        Weapon=[["dynamite"]],
    )
    got = one_doc([GOLD_BOMBING], [pred])
    assert figures(got["micro_avg"]) == (100.0, 100.0, 100.0)
    assert counts(got["micro_avg"]) == (4, 4, 4, 4)
    assert counts(got["PerpOrg"]) == (0, 0, 0, 0)
    assert figures(got["PerpOrg"]) == (0.0, 0.0, 0.0)


def test_missing_template_costs_recall_only() -> None:
    gold_kidnap = tpl("kidnapping", Victim=[[["mayor", 3], ["jose perez", 9]]])
    pred = tpl(
        "bombing", PerpInd=[["terrorists"]], Target=[["power substation"]], Weapon=[["dynamite"]]
    )
    got = one_doc([GOLD_BOMBING, gold_kidnap], [pred])
    # 4 of 4 predicted units correct; 4 of 6 gold units found (type + victim missing)
    assert counts(got["micro_avg"]) == (4, 4, 4, 6)
    assert figures(got["micro_avg"]) == (100.0, 66.67, 80.0)
    assert counts(got["incident_type"]) == (1, 1, 1, 2)
    assert counts(got["Victim"]) == (0, 0, 0, 1)


def test_wrong_incident_type_unpairs_everything() -> None:
    pred = tpl(
        "kidnapping", PerpInd=[["terrorists"]], Target=[["power substation"]], Weapon=[["dynamite"]]
    )
    got = one_doc([GOLD_BOMBING], [pred])
    assert counts(got["micro_avg"]) == (0, 4, 0, 4)
    assert figures(got["micro_avg"]) == (0.0, 0.0, 0.0)


def test_incident_type_is_a_case_sensitive_substring_test() -> None:
    gold = [tpl("attack / bombing", Target=[[["bus", 0]]])]
    for itype, paired in [
        ("attack", True),
        ("bombing", True),
        ("bomb", True),
        ("", True),
        ("attack / bombing", True),
        ("Attack", False),
        ("bombing / attack", False),
    ]:
        got = one_doc(gold, [tpl(itype, Target=[["bus"]])])
        assert counts(got["micro_avg"]) == ((2, 2, 2, 2) if paired else (0, 2, 0, 2)), itype


def test_null_incident_type_reads_as_attack() -> None:
    gold_attack = [tpl("attack", Target=[[["bus", 0]]])]
    assert counts(one_doc(gold_attack, [tpl(None, Target=[["bus"]])])["micro_avg"]) == (2, 2, 2, 2)
    gold_arson = [tpl("arson", Target=[[["bus", 0]]])]
    assert counts(one_doc(gold_arson, [tpl(None, Target=[["bus"]])])["micro_avg"]) == (0, 2, 0, 2)


def test_entity_mixing_mentions_of_two_gold_entities_is_wrong() -> None:
    gold = [tpl("attack", PerpInd=[[["gunmen", 0], ["assassins", 9]], [["soldiers", 30]]])]
    # one entity whose two mentions come from different gold chains fits neither
    got = one_doc(gold, [tpl("attack", PerpInd=[["gunmen", "soldiers"]])])
    assert counts(got["PerpInd"]) == (0, 1, 0, 2)
    # the same mentions as two entities each fit their own chain
    got = one_doc(gold, [tpl("attack", PerpInd=[["gunmen"], ["soldiers"]])])
    assert counts(got["PerpInd"]) == (2, 2, 2, 2)


def test_mention_shared_by_two_gold_entities_finds_both() -> None:
    gold = [
        tpl(
            "attack",
            PerpInd=[
                [["gunmen", 0], ["terrorists", 5]],
                [["gunmen", 40], ["urban guerrillas", 60]],
            ],
        )
    ]
    got = one_doc(gold, [tpl("attack", PerpInd=[["Gunmen"]])])
    assert counts(got["PerpInd"]) == (1, 1, 2, 2)


def test_roles_never_give_credit_across_roles() -> None:
    gold = [tpl("attack", Victim=[[["mayor", 0]]])]
    got = one_doc(gold, [tpl("attack", Target=[["mayor"]])])
    assert counts(got["Target"]) == (0, 1, 0, 0)
    assert counts(got["Victim"]) == (0, 0, 0, 1)


def test_empty_prediction_document() -> None:
    got = one_doc([GOLD_BOMBING], [])
    assert counts(got["micro_avg"]) == (0, 0, 0, 4)
    assert figures(got["micro_avg"]) == (0.0, 0.0, 0.0)
    # and a missing entry gives the same numbers when allowed, or an error by default
    gold = {"TST1-MUC3-0001": [GOLD_BOMBING]}
    assert report_dict(score(gold, {}, require_all=False)) == got
    with pytest.raises(InputError, match="10001"):
        score(gold, {})


def test_document_without_gold_adds_only_false_positives() -> None:
    gold = {"TST1-MUC3-0001": [], "TST1-MUC3-0002": [GOLD_BOMBING]}
    pred = {"10001": [tpl("attack", PerpInd=[["men"]])], "10002": [], "99999": [tpl("x")]}
    got = report_dict(score(gold, pred))
    assert counts(got["micro_avg"]) == (0, 2, 0, 4)


def test_duplicate_gold_templates_are_dropped_but_predicted_ones_are_not() -> None:
    dup = tpl("attack", Target=[[["bus", 0]]])
    same_strings_other_offset = tpl("attack", Target=[[["bus", 77]], []])
    pred = tpl("attack", Target=[["bus"]])
    got = one_doc([dup, same_strings_other_offset], [pred, pred])
    # one gold template remains; the second prediction is entirely false positive
    assert counts(got["micro_avg"]) == (2, 4, 2, 2)


def test_gold_dedup_compares_unnormalised_strings() -> None:
    got = one_doc(
        [tpl("attack", Target=[[["Bus", 0]]]), tpl("attack", Target=[[["bus", 0]]])],
        [tpl("attack", Target=[["bus"]])],
    )
    assert counts(got["micro_avg"]) == (2, 2, 2, 4)


def test_tie_break_prefers_earlier_assignment_example_a() -> None:
    perp = [[["gunmen", 0], ["terrorists", 1]], [["gunmen", 2], ["urban guerrillas", 3]]]
    gold = [tpl("attack", PerpInd=perp, Victim=[[["mayor", 4]]], Weapon=[[["bomb", 5]]])]
    p0 = tpl("attack", PerpInd=[["gunmen"]])
    p1 = tpl("attack", PerpInd=[["Terrorists"], ["the terrorists"]])
    got = one_doc(gold, [p0, p1])
    assert counts(got["micro_avg"]) == (2, 5, 3, 5)
    assert figures(got["micro_avg"]) == (40.0, 60.0, 48.0)
    assert counts(got["PerpInd"]) == (1, 3, 2, 2)
    assert figures(got["incident_type"]) == (50.0, 100.0, 66.67)
    flipped = one_doc(gold, [p1, p0])
    assert figures(flipped["micro_avg"]) == (60.0, 40.0, 48.0)
    assert counts(flipped["PerpInd"]) == (2, 3, 1, 2)


def test_example_b_substring_type_empty_entity_multi_mentions() -> None:
    gold = [
        tpl(
            "attack / bombing",
            Target=[[["embassy", 0], ["us embassy", 9]]],
            Weapon=[[["dynamite", 20]]],
        ),
        tpl("kidnapping", Victim=[[["mayor", 30], ["jose lopez", 40]]]),
    ]
    pred = [
        tpl("bombing", Target=[["U.S. Embassy", "embassy"], ["the embassy"]], Weapon=[[]]),
        tpl("kidnapping", Victim=[["mayor", "police"]]),
        tpl("attack", PerpOrg=[["fmln"]]),
    ]
    got = one_doc(gold, pred)
    assert counts(got["incident_type"]) == (2, 3, 2, 2)
    assert counts(got["PerpOrg"]) == (0, 1, 0, 0)
    assert counts(got["Target"]) == (2, 2, 1, 1)
    assert counts(got["Victim"]) == (0, 1, 0, 1)
    assert counts(got["Weapon"]) == (1, 1, 1, 1)
    assert figures(got["micro_avg"]) == (62.5, 80.0, 70.18)


def test_empty_predicted_entity_needs_a_gold_entity_of_its_role() -> None:
    got = one_doc([tpl("attack", Target=[[["bus", 0]]])], [tpl("attack", Weapon=[[]])])
    assert counts(got["Weapon"]) == (0, 1, 0, 0)


def test_pairing_maximises_document_f1_not_first_match() -> None:
    # p0 could take g0 (type only) but the best pairing gives it g1, where its fillers are
    gold = [tpl("attack"), tpl("attack", Target=[[["bus", 0]]], Victim=[[["driver", 5]]])]
    pred = [tpl("attack", Target=[["bus"]], Victim=[["driver"]])]
    got = one_doc(gold, pred)
    assert counts(got["micro_avg"]) == (3, 3, 3, 4)


def test_render_layout() -> None:
    text = render(score({"TST1-MUC3-0001": [GOLD_BOMBING]}, {"10001": []}))
    lines = text.split("\n")
    assert lines[0] == "=" * 17 + " incident_type " + "=" * 17
    assert lines[1] == "P: 0.00%,  R: 0.00%, F1: 0.00%"
    assert lines[12] == "*" * 17 + " micro_avg " + "*" * 17
    assert lines[14] == "print: " + " ".join(["0.00"] * 21)
    assert text.endswith(lines[14] + "\n\n")


def test_rounding_is_half_even_on_the_binary_value() -> None:
    # 1/8 = 12.5% exactly, 0.125 * 100 = 12.5 -> "12.50"; 2/3 -> 66.67; 1/6 -> 16.67
    gold = [tpl("attack", Target=[[[w, i]] for i, w in enumerate("bcdefgh")])]
    got = one_doc(gold, [tpl("attack")])
    assert figures(got["micro_avg"]) == (100.0, 12.5, 22.22)
    assert json.loads(json.dumps(got)) == got


# ---------------------------------------------------------------------------------------------
# Loading and errors


def test_load_gold_and_predictions_round_trip(tmp_path: Path) -> None:
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(
        json.dumps({"docid": "TST9-MUC4-0001", "doctext": "x", "templates": []})
        + "\n"
        + json.dumps({"docid": "TST9-MUC4-0002", "doctext": "y", "templates": [GOLD_BOMBING]})
        + "\n\n",
        encoding="utf-8",
    )
    pred_file = tmp_path / "pred.json"
    pred_file.write_text(
        json.dumps(
            {
                "90001": {"pred_templates": [], "doctext": "ignored"},
                "90002": {"pred_templates": [tpl("bombing", Target=[["power substation"]])]},
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    gold = load_gold(gold_file)
    preds = load_predictions(pred_file)
    assert list(gold) == ["TST9-MUC4-0001", "TST9-MUC4-0002"]
    assert list(preds) == ["90001", "90002"]
    assert counts(report_dict(score(gold, preds))["micro_avg"]) == (2, 2, 2, 4)


def test_bad_gold_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text('{"docid": "TST1-MUC3-0001", "templates": []}\n{"docid": oops}\n')
    with pytest.raises(MalformedLine) as err:
        load_gold(path)
    assert (err.value.source, err.value.line) == (str(path), 2)
    assert f"{path}:2" in str(err.value)


@pytest.mark.parametrize(
    ("template", "needle"),
    [
        ({"incident_type": "attack"}, "PerpInd"),
        ({**tpl("attack"), "Target": "bus"}, "Target"),
        (tpl("attack", Target=[[["bus", 0, 1]]]), "mention"),
        (tpl(None), "incident_type"),
    ],
)
def test_bad_gold_template_is_rejected(tmp_path: Path, template: dict, needle: str) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"docid": "TST1-MUC3-0001", "templates": [template]}) + "\n")
    with pytest.raises(MalformedLine, match=needle) as err:
        load_gold(path)
    assert err.value.line == 1


def test_bad_prediction_names_line_of_the_document(tmp_path: Path) -> None:
    path = tmp_path / "pred.json"
    path.write_text(
        '{\n "10001": {"pred_templates": []},\n "10002": {"pred_templates":\n'
        '   [{"incident_type": "attack", "PerpInd": [[1]], "PerpOrg": [], "Target": [],'
        ' "Victim": [], "Weapon": []}]}\n}\n'
    )
    with pytest.raises(MalformedLine, match="not a string") as err:
        load_predictions(path)
    assert (err.value.source, err.value.line) == (str(path), 3)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{"10001": {"pred_templates": []}}\n{"10002": {"pred_templates": []}}\n', 2),
        ('[\n{"10001": 1}]', 1),
        ('{\n"10001": {"pred_templates": []},\n"10002": {"pred_templates": [}\n}', 3),
        ('{\n"10001": {"templates": []}\n}', 2),
    ],
)
def test_malformed_prediction_file(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "pred.json"
    path.write_text(text)
    with pytest.raises(MalformedLine) as err:
        load_predictions(path)
    assert err.value.line == line


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.json"):
        load_gold(tmp_path / "nope.json")


# ---------------------------------------------------------------------------------------------
# Property tests, including a brute-force cross-check of the pairing search

WORDS = ["the gunmen", "gunmen", "Gunmen.", "army", "the army", "bus", "a bus", "mayor", ""]
TYPES = ["attack", "bombing", "attack / bombing", "kidnapping"]

entities = st.lists(st.sampled_from(WORDS), min_size=0, max_size=2)
role_lists = st.lists(entities, max_size=2)


@st.composite
def templates(draw: st.DrawFn, types: list[object], roles: st.SearchStrategy = role_lists) -> dict:
    return tpl(draw(st.sampled_from(types)), **{role: draw(roles) for role in ROLES})


# entities with at least one real mention: an empty one is vacuously "correct" (section 3)
real_roles = st.lists(
    st.lists(st.sampled_from([w for w in WORDS if w]), min_size=1, max_size=2), max_size=2
)


def as_gold(template: dict) -> dict:
    return {**template, **{r: [[[m, 0] for m in e] for e in template[r]] for r in ROLES}}


def dedup_gold_copy(gold_templates: list[dict]) -> list[dict]:
    """What a perfect system predicts: each distinct gold template once, empty entities gone."""
    seen, out = [], []
    for t in gold_templates:
        clean = tpl(t["incident_type"], **{r: [e for e in t[r] if e] for r in ROLES})
        if clean not in seen:
            seen.append(clean)
            out.append(clean)
    return out


def brute_force(gold_templates: list[dict], pred_templates: list[dict]) -> tuple:
    """Section 4 by the letter: every (G+1)^K sequence in order, filtered, first best F kept."""

    def norm(e: list) -> set:
        return {normalize_mention(m) for m in e}

    golds = dedup_gold_copy(gold_templates)
    k, g = len(pred_templates), len(golds)
    best, best_counts = None, None
    for seq in itertools.product([*range(g), None], repeat=k):
        assigned = [j for j in seq if j is not None]
        if len(assigned) != len(set(assigned)):
            continue
        pn = dict.fromkeys(CATEGORIES, 0)
        rn = dict.fromkeys(CATEGORIES, 0)
        for p, j in zip(pred_templates, seq, strict=True):
            itype = p["incident_type"] if isinstance(p["incident_type"], str) else "attack"
            if j is None or itype not in golds[j]["incident_type"]:
                continue
            gt = golds[j]
            pn["incident_type"] += 1
            rn["incident_type"] += 1
            for r in ROLES:
                pn[r] += sum(any(norm(e) <= norm(h) for h in gt[r]) for e in p[r])
                rn[r] += sum(any(norm(e) <= norm(h) for e in p[r]) for h in gt[r])
        pd = k + sum(len(p[r]) for p in pred_templates for r in ROLES)
        rd = g + sum(len(t[r]) for t in golds for r in ROLES)
        pp = sum(pn.values()) / pd if pd else 0.0
        rr = sum(rn.values()) / rd if rd else 0.0
        f = 0.0 if pp + rr == 0 else ((2 * pp) * rr) / (pp + rr)
        if best is None or f > best:
            best, best_counts = f, (pn, rn)
    assert best_counts is not None
    return best_counts


@settings(max_examples=300, deadline=None)
@given(
    st.lists(templates(TYPES), max_size=3),
    st.lists(templates([*TYPES, None, "bomb"]), max_size=4),
)
def test_search_agrees_with_brute_force(gold_templates: list[dict], preds: list[dict]) -> None:
    got = report_dict(
        score({"TST1-MUC3-0001": [as_gold(t) for t in gold_templates]}, {"10001": preds})
    )
    pn, rn = brute_force(gold_templates, preds)
    for c in CATEGORIES:
        assert (got[c]["p_num"], got[c]["r_num"]) == (pn[c], rn[c]), c


corpora = st.lists(st.lists(templates(TYPES), max_size=3), min_size=1, max_size=3)
predictions = st.lists(st.lists(templates([*TYPES, None]), max_size=3), min_size=3, max_size=3)


def build(gold_docs: list[list[dict]], pred_docs: list[list[dict]]) -> tuple[dict, dict]:
    gold = {f"TST1-MUC3-{n:04d}": [as_gold(t) for t in docs] for n, docs in enumerate(gold_docs)}
    pred = {str(10000 + n): pred_docs[n] for n in range(len(gold_docs))}
    return gold, pred


@settings(max_examples=150, deadline=None)
@given(corpora, predictions)
def test_scores_are_percentages(gold_docs: list, pred_docs: list) -> None:
    report = score(*build(gold_docs, pred_docs))
    for row in [*report.per_category.values(), report.micro]:
        for value in (row.precision, row.recall, row.f1):
            assert 0.0 <= value <= 100.0
        assert 0 <= row.p_num <= row.p_den and 0 <= row.r_num <= row.r_den


@settings(max_examples=150, deadline=None)
@given(corpora)
def test_perfect_predictions_score_100(gold_docs: list) -> None:
    gold, _ = build(gold_docs, [[]] * 3)
    perfect = {str(10000 + n): dedup_gold_copy(docs) for n, docs in enumerate(gold_docs)}
    report = score(gold, perfect)
    rows = [report.micro, *report.per_category.values()]
    for row in rows:
        assert row.p_num == row.p_den and row.r_num == row.r_den
    if report.micro.r_den:
        assert (report.micro.precision, report.micro.recall, report.micro.f1) == (100, 100, 100)


@settings(max_examples=150, deadline=None)
@given(
    corpora,
    st.lists(st.lists(templates([*TYPES, None], real_roles), max_size=3), min_size=3, max_size=3),
    st.integers(0, 2),
    templates(["arson", "forced work stoppage"], real_roles),
)
def test_unrelated_template_never_raises_precision(
    gold_docs: list, pred_docs: list, where: int, extra: dict
) -> None:
    gold, pred = build(gold_docs, pred_docs)
    key = str(10000 + where % len(gold_docs))
    before = score(gold, pred)
    after = score(gold, {**pred, key: [*pred[key], extra]})
    assert after.micro.precision <= before.micro.precision
    for c in CATEGORIES:
        assert after.per_category[c].precision <= before.per_category[c].precision
        assert after.per_category[c].r_num == before.per_category[c].r_num


def test_large_document_with_ties_is_fast_and_exact() -> None:
    # 12 type-only predictions against 9 gold templates: every full pairing ties, and the
    # first in order pairs p_0..p_8 with g_0..g_8. Enumerating (9+1)^12 would not finish.
    gold = [tpl("attack", Target=[[[f"bus {n}", n]]]) for n in range(9)]
    got = one_doc(gold, [tpl("attack")] * 12)
    assert counts(got["incident_type"]) == (9, 12, 9, 9)
    assert counts(got["Target"]) == (0, 0, 0, 9)
