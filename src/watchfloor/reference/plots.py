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


def _month_range(months: Sequence[str]) -> list[str]:
    """Every YYYY-MM from the first to the last of ``months``, gaps included."""
    if not months:
        return []
    year, month = (int(p) for p in min(months).split("-"))
    last = max(months)
    out: list[str] = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        out.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


#: The monthly plot never grows wider than this (inches): decades of months are bars of
#: a fraction of a millimetre, not a picture twelve thousand pixels wide.
MAX_WIDTH_IN = 12.0


def plot_monthly(report: CompareReport, path: Path) -> Path:
    """Reference events per month next to those we matched (months without events show 0)."""
    plt = _pyplot()
    months = _month_range(list(report.monthly))
    totals = [report.monthly.get(m, (0, 0))[0] for m in months]
    hits = [report.monthly.get(m, (0, 0))[1] for m in months]
    fig, ax = plt.subplots(figsize=(min(MAX_WIDTH_IN, max(6.0, len(months) * 0.35)), 4))
    xs = range(len(months))
    width = 0.8 if len(months) <= 120 else 1.0
    ax.bar(xs, totals, width=width, color="#b0b0b0", label=f"{report.dataset.upper()} events")
    ax.bar(xs, hits, width=width, color="#c0392b", label="matched by watchfloor")
    if len(months) > 36:  # label Januaries only, at most about 24 of them
        years = [i for i, m in enumerate(months) if m.endswith("-01")] or [0]
        step = max(1, -(-len(years) // 24))
        ticks = years[::step]
        ax.set_xticks(ticks, [months[i][:4] for i in ticks], rotation=60, ha="right", fontsize=7)
    else:
        ax.set_xticks(list(xs), months, rotation=60, ha="right", fontsize=7)
    ax.set_xlim(-0.5, len(months) - 0.5)
    ax.set_ylabel("events per month")
    matched, total = sum(hits), sum(totals)
    ax.set_title(
        f"{report.dataset.upper()} events per month: {matched} of {total} matched by watchfloor"
    )
    ax.legend(loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
