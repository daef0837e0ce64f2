"""Export stage: stored events written in other systems' formats, one module per format.

Each event writer is a pure function ``write_<fmt>(events, out) -> int`` over an iterable of
``StoredEvent`` and a text stream, so exports stream: nothing holds every event in memory.
GraphML writes the organisation graph instead of events. ``FORMATS`` is the registry the CLI
and the docs (docs/formats.md) follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from watchfloor.errors import ConfigError
from watchfloor.export.acled import write_acled
from watchfloor.export.geojson import write_geojson
from watchfloor.export.gtd import write_gtd
from watchfloor.export.jsonl import write_jsonl
from watchfloor.export.plover import write_plover
from watchfloor.store import StoredEvent

EventWriter = Callable[[Iterable[StoredEvent], TextIO], int]


def _write_stix(events: Iterable[StoredEvent], out: TextIO, **options: Any) -> int:
    from watchfloor.export.stix import write_stix  # stix2 is slow to import; only when asked

    return write_stix(events, out, **options)


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One output format: its writer, file suffix and what it holds."""

    name: str
    suffix: str
    description: str
    writer: Callable[..., int] | None
    graph: bool = False  # True: writes the organisation graph, not events


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("acled", ".csv", "ACLED-style CSV (codebook columns and codes)", write_acled),
        ExportFormat("gtd", ".csv", "GTD-style CSV (GTD fields and numeric codes)", write_gtd),
        ExportFormat("geojson", ".geojson", "GeoJSON FeatureCollection of points", write_geojson),
        ExportFormat(
            "jsonl", ".jsonl", "every event with sources and ledger, one per line", write_jsonl
        ),
        ExportFormat(
            "stix", ".json", "STIX 2.1 bundle (threat actors, locations, reports)", _write_stix
        ),
        ExportFormat(
            "plover", ".json", "PLOVER-style JSON (event, mode, context, actors)", write_plover
        ),
        ExportFormat("graphml", ".graphml", "organisation graph as GraphML", None, graph=True),
    )
}


def get_format(name: str) -> ExportFormat:
    """The registered format called ``name``; a usage error listing the choices otherwise."""
    found = FORMATS.get(name.lower())
    if found is None:
        raise ConfigError(f"--format: {name!r} is not one of {', '.join(FORMATS)}")
    return found


__all__ = [
    "FORMATS",
    "EventWriter",
    "ExportFormat",
    "get_format",
    "write_acled",
    "write_geojson",
    "write_gtd",
    "write_jsonl",
    "write_plover",
]
