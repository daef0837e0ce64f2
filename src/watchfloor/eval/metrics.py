"""Counting helpers shared by the scorers."""

from __future__ import annotations


def precision_recall_f1(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Fractions in [0, 1]; an empty denominator gives 0 rather than an error."""
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
