"""The two comparison plots as PNG files (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from watchfloor.reference.compare import CompareReport, matched_reference_ids
from watchfloor.reference.records import ReferenceEvent


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window
    import matplotlib.pyplot as plt

    return plt


def plot_map(report: CompareReport, reference: Sequence[ReferenceEvent], path: Path) -> Path:
    """Scatter of reference events by coordinates, matched ones apart from missed ones."""
    plt = _pyplot()
    matched = matched_reference_ids(report)
    located = [r for r in reference if r.latitude is not None and r.longitude is not None]
    fig, ax = plt.subplots(figsize=(8, 7))
    for label, color, keep in (
        ("not in watchfloor", "#b0b0b0", False),
        ("matched", "#c0392b", True),
    ):
        points = [r for r in located if (r.external_id in matched) == keep]
        ax.scatter(
            [r.longitude for r in points],
            [r.latitude for r in points],
            s=8,
            c=color,
            alpha=0.7,
            label=f"{label} ({len(points)})",
        )
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title(f"{report.dataset.upper()} events covered by watchfloor")
    ax.legend(loc="best")
    ax.set_aspect("equal", adjustable="datalim")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_monthly(report: CompareReport, path: Path) -> Path:
    """Reference events per month next to those we matched."""
    plt = _pyplot()
    months = sorted(report.monthly)
    totals = [report.monthly[m][0] for m in months]
    hits = [report.monthly[m][1] for m in months]
    fig, ax = plt.subplots(figsize=(max(6, len(months) * 0.35), 4))
    xs = range(len(months))
    ax.bar(xs, totals, color="#b0b0b0", label=f"{report.dataset.upper()} events")
    ax.bar(xs, hits, color="#c0392b", label="matched by watchfloor")
    step = max(1, len(months) // 24)
    ax.set_xticks(list(xs)[::step], months[::step], rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("events")
    ax.legend(loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
