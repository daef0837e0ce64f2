"""Clustering scores for the fusion benchmark, checked against answers worked out by hand."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchfloor.eval.fusion_metrics import bcubed_prf, pairwise_prf

# gold: {a, b, c} {d}
GOLD = {"a": "g1", "b": "g1", "c": "g1", "d": "g2"}


def _scores(result: dict) -> tuple[float, float, float]:
    return result["precision"], result["recall"], result["f1"]


def test_split_and_wrong_merge() -> None:
    predicted = {"a": "p1", "b": "p1", "c": "p2", "d": "p2"}  # {a, b} {c, d}
    # pairs: gold ab ac bc (3); predicted ab cd (2); both ab (1)
    # P = 1/2, R = 1/3, F1 = 2 * 1/6 / (5/6) = 2/5
    pair = pairwise_prf(GOLD, predicted)
    assert _scores(pair) == pytest.approx((0.5, 1 / 3, 0.4))
    assert (pair["gold_pairs"], pair["predicted_pairs"], pair["common_pairs"]) == (3, 2, 1)
    assert pair["items"] == 4
    # B-cubed precision, item by item (share of its predicted cluster in its gold cluster):
    #   a: {a,b} -> 2/2, b: 2/2, c: {c,d} -> only c is gold-mate, 1/2, d: 1/2   => 3/4
    # recall (share of its gold cluster found in its predicted cluster):
    #   a: {a,b,c} -> 2/3, b: 2/3, c: 1/3, d: {d} -> 1/1                       => 2/3
    # F1 = 2 * 3/4 * 2/3 / (3/4 + 2/3) = 1 / (17/12) = 12/17
    b3 = bcubed_prf(GOLD, predicted)
    assert _scores(b3) == pytest.approx((0.75, 2 / 3, 12 / 17))
    assert b3["items"] == 4


def test_perfect_clustering_scores_one_whatever_the_labels() -> None:
    predicted = {"a": 7, "b": 7, "c": 7, "d": 9}
    assert _scores(pairwise_prf(GOLD, predicted)) == (1.0, 1.0, 1.0)
    assert _scores(bcubed_prf(GOLD, predicted)) == pytest.approx((1.0, 1.0, 1.0))


def test_all_singletons() -> None:
    predicted = {item: item for item in GOLD}
    # no predicted pair: precision has an empty denominator and is 0; recall 0/3
    assert _scores(pairwise_prf(GOLD, predicted)) == (0.0, 0.0, 0.0)
    # B-cubed: every item's predicted cluster is itself, so precision 1;
    # recall a, b, c: 1/3 each, d: 1  => (1 + 1) / 4 = 1/2; F1 = 2 * 1/2 / (3/2) = 2/3
    assert _scores(bcubed_prf(GOLD, predicted)) == pytest.approx((1.0, 0.5, 2 / 3))


def test_all_in_one() -> None:
    predicted = dict.fromkeys(GOLD, "everything")
    # pairs: predicted 4*3/2 = 6, gold 3, all 3 gold pairs among them
    # P = 3/6, R = 1, F1 = 2 * 1/2 / (3/2) = 2/3
    assert _scores(pairwise_prf(GOLD, predicted)) == pytest.approx((0.5, 1.0, 2 / 3))
    # B-cubed precision a, b, c: 3/4 each, d: 1/4 => (9/4 + 1/4) / 4 = 5/8; recall 1
    # F1 = 2 * 5/8 / (13/8) = 10/13
    assert _scores(bcubed_prf(GOLD, predicted)) == pytest.approx((0.625, 1.0, 10 / 13))


def test_both_all_singletons_agree_perfectly() -> None:
    gold = {"a": 1, "b": 2, "c": 3}
    predicted = {"a": "x", "b": "y", "c": "z"}
    # no pair on either side: they agree that every item stands alone
    assert _scores(pairwise_prf(gold, predicted)) == (1.0, 1.0, 1.0)
    assert _scores(bcubed_prf(gold, predicted)) == pytest.approx((1.0, 1.0, 1.0))


def test_only_items_in_both_mappings_count() -> None:
    gold = {**GOLD, "e": "g1", "f": "g3"}  # e and f were never predicted
    predicted = {"a": "p1", "b": "p1", "c": "p2", "d": "p2", "z": "p1"}  # z has no gold
    assert pairwise_prf(gold, predicted) == pairwise_prf(GOLD, {k: predicted[k] for k in GOLD})
    assert bcubed_prf(gold, predicted) == bcubed_prf(GOLD, {k: predicted[k] for k in GOLD})


def test_no_common_items_scores_zero() -> None:
    for metric in (pairwise_prf, bcubed_prf):
        assert _scores(metric({"a": 1}, {"b": 1})) == (0.0, 0.0, 0.0)
        assert _scores(metric({}, {})) == (0.0, 0.0, 0.0)


# small alphabets so clusters of several items are common
ITEMS = st.sampled_from("abcdefghij")
LABELS = st.integers(0, 3)
CLUSTERINGS = st.dictionaries(ITEMS, LABELS, min_size=1)


@st.composite
def gold_and_predicted(draw: st.DrawFn) -> tuple[dict, dict]:
    """Two clusterings of the same items, labels drawn independently."""
    gold = draw(CLUSTERINGS)
    predicted = {item: draw(LABELS) for item in sorted(gold)}
    return gold, predicted


@given(gold_and_predicted())
def test_scores_lie_in_unit_interval(pair: tuple[dict, dict]) -> None:
    gold, predicted = pair
    for metric in (pairwise_prf, bcubed_prf):
        for value in _scores(metric(gold, predicted)):
            assert 0.0 <= value <= 1.0 + 1e-12


@given(CLUSTERINGS)
def test_identical_clusterings_score_one(gold: dict) -> None:
    for metric in (pairwise_prf, bcubed_prf):
        assert _scores(metric(gold, dict(gold))) == pytest.approx((1.0, 1.0, 1.0))


@given(gold_and_predicted(), st.permutations(range(4)))
def test_relabelling_clusters_changes_nothing(pair: tuple[dict, dict], perm: list[int]) -> None:
    gold, predicted = pair
    renamed_pred = {k: f"cluster-{perm[v]}" for k, v in predicted.items()}
    renamed_gold = {k: ("G", perm[v]) for k, v in gold.items()}
    for metric in (pairwise_prf, bcubed_prf):
        assert metric(gold, predicted) == pytest.approx(metric(gold, renamed_pred))
        assert metric(gold, predicted) == pytest.approx(metric(renamed_gold, predicted))


@given(gold_and_predicted())
def test_swapping_gold_and_prediction_swaps_precision_and_recall(pair: tuple[dict, dict]) -> None:
    gold, predicted = pair
    for metric in (pairwise_prf, bcubed_prf):
        forward, backward = metric(gold, predicted), metric(predicted, gold)
        assert forward["precision"] == pytest.approx(backward["recall"])
        assert forward["recall"] == pytest.approx(backward["precision"])


@given(gold_and_predicted())
def test_agrees_with_a_brute_force_count(pair: tuple[dict, dict]) -> None:
    gold, predicted = pair
    items = sorted(gold)
    same_gold = {(x, y) for x, y in combinations(items, 2) if gold[x] == gold[y]}
    same_pred = {(x, y) for x, y in combinations(items, 2) if predicted[x] == predicted[y]}
    result = pairwise_prf(gold, predicted)
    assert result["gold_pairs"] == len(same_gold)
    assert result["predicted_pairs"] == len(same_pred)
    assert result["common_pairs"] == len(same_gold & same_pred)

    def members(clustering: dict, item: str) -> set[str]:
        return {other for other in items if clustering[other] == clustering[item]}

    precision = sum(
        len(members(gold, i) & members(predicted, i)) / len(members(predicted, i)) for i in items
    ) / len(items)
    recall = sum(
        len(members(gold, i) & members(predicted, i)) / len(members(gold, i)) for i in items
    ) / len(items)
    b3 = bcubed_prf(gold, predicted)
    assert (b3["precision"], b3["recall"]) == pytest.approx((precision, recall))
