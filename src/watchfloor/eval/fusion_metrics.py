"""Scores for cross-report fusion: how well predicted clusters of reports match the gold ones.

A clustering is a mapping from item (a report or event id) to a cluster label. Labels are only
names: two clusterings that group the items alike score the same whatever the labels are. Only
items present in both mappings are scored, so an item the system dropped or the annotators did
not cover neither helps nor hurts.

Two measures, because they fail differently:

* pairwise: precision and recall over the pairs of items put in one cluster. Large clusters
  weigh quadratically, so one wrong merge of two big clusters costs a lot.
* B-cubed (Bagga and Baldwin, 1998): for each item, the share of its predicted cluster that is
  in its gold cluster (precision) and the share of its gold cluster that is in its predicted
  cluster (recall), averaged over items. Every item weighs the same, and singletons count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping

from watchfloor.eval.metrics import precision_recall_f1

# item id -> cluster label
Clustering = Mapping[str, Hashable]


def pairwise_prf(gold: Clustering, predicted: Clustering) -> dict[str, float]:
    """Pairwise precision, recall and F1 over the items both mappings hold.

    Returns ``precision``, ``recall``, ``f1`` and the counts behind them (``items``,
    ``gold_pairs``, ``predicted_pairs``, ``common_pairs``). With no predicted pairs precision
    is 0.0, with no gold pairs recall is 0.0 (as :func:`precision_recall_f1` does for an empty
    denominator); when neither side has a pair but there are items, both sides agree that
    every item stands alone and all three scores are 1.0. With no common item all are 0.0.
    """
    items = _common(gold, predicted)
    gold_pairs = _pairs_within(Counter(gold[i] for i in items))
    predicted_pairs = _pairs_within(Counter(predicted[i] for i in items))
    # a pair is in both iff its items share the gold label and the predicted label
    common_pairs = _pairs_within(Counter((gold[i], predicted[i]) for i in items))
    if items and gold_pairs == 0 and predicted_pairs == 0:
        precision = recall = f1 = 1.0
    else:
        precision, recall, f1 = precision_recall_f1(common_pairs, predicted_pairs, gold_pairs)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "items": len(items),
        "gold_pairs": gold_pairs,
        "predicted_pairs": predicted_pairs,
        "common_pairs": common_pairs,
    }


def bcubed_prf(gold: Clustering, predicted: Clustering) -> dict[str, float]:
    """B-cubed precision, recall and F1 (harmonic mean of the two averages).

    Returns ``precision``, ``recall``, ``f1`` and ``items``. Each item counts itself in its
    own clusters, so with at least one item every score is above 0; with no common item all
    three are 0.0.
    """
    items = _common(gold, predicted)
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}
    gold_size = Counter(gold[i] for i in items)
    predicted_size = Counter(predicted[i] for i in items)
    overlap = Counter((gold[i], predicted[i]) for i in items)
    precision = sum(overlap[gold[i], predicted[i]] / predicted_size[predicted[i]] for i in items)
    recall = sum(overlap[gold[i], predicted[i]] / gold_size[gold[i]] for i in items)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "items": len(items)}


def _common(gold: Clustering, predicted: Clustering) -> list[str]:
    return [item for item in gold if item in predicted]


def _pairs_within(sizes: Counter) -> int:
    """Unordered pairs of items that share a cluster, given each cluster's size."""
    return sum(n * (n - 1) // 2 for n in sizes.values())
