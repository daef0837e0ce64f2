"""The test corpus for the Spark jobs: sample articles, fusion reports, bad input, a WARC."""

from __future__ import annotations

import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "src" / "watchfloor" / "samples"
#: A line that is not UTF-8 (latin-1 é): counted and skipped, the rest of the file is read.
BAD_LINE = b'{"id": "latin1", "text": "Caf\xe9 bombing", "published": "2024-01-02"}'


def warc_record(headers: dict[str, str], block: bytes) -> bytes:
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def warc_file() -> bytes:
    """Three gzip members: a text/plain article, a corrupt member, an HTTP HTML response."""
    text = (
        "Gunmen kill four at checkpoint in Mali\n\nBAMAKO - Gunmen killed four soldiers at a "
        "checkpoint near Mopti in central Mali on Tuesday, the army said."
    )
    plain = warc_record(
        {
            "WARC-Type": "resource",
            "WARC-Record-ID": "<urn:uuid:plain-1>",
            "WARC-Date": "2024-02-14T10:00:00Z",
            "WARC-Target-URI": "https://example.org/mali",
            "Content-Type": "text/plain; charset=utf-8",
        },
        text.encode(),
    )
    html = (
        b"<html><head><title>Bomb kills six in Mogadishu market</title></head><body><article>"
        b"<h1>Bomb kills six in Mogadishu market</h1><p>MOGADISHU - A roadside bomb killed six "
        b"people at a busy market in Mogadishu, Somalia, on Monday, police said. Al-Shabaab "
        b"claimed responsibility for the attack in a statement.</p><p>Witnesses said the "
        b"blast destroyed several stalls and wounded at least ten others.</p></article>"
        b"</body></html>"
    )
    response = warc_record(
        {
            "WARC-Type": "response",
            "WARC-Record-ID": "<urn:uuid:html-1>",
            "WARC-Date": "2024-03-05T08:00:00Z",
            "WARC-Target-URI": "https://example.org/mogadishu",
            "Content-Type": "application/http; msgtype=response",
        },
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html,
    )
    corrupt = bytearray(gzip.compress(warc_record({"WARC-Type": "resource"}, b"x" * 200)))
    corrupt[12:40] = b"\xff" * 28  # damage the deflate stream, keep the gzip header
    return gzip.compress(plain) + bytes(corrupt) + gzip.compress(response)


def write_inputs(folder: Path, n_samples: int = 12, n_fusion: int = 16) -> None:
    folder.mkdir(parents=True)
    samples = (SAMPLES / "articles.jsonl").read_bytes().splitlines()[:n_samples]
    samples.insert(5, BAD_LINE)
    (folder / "articles.jsonl").write_bytes(b"\n".join(samples) + b"\n")
    fusion = (SAMPLES / "fusion" / "reports-a.jsonl").read_bytes().splitlines()[:n_fusion]
    (folder / "fusion.jsonl").write_bytes(b"\n".join(fusion) + b"\n")
    (folder / "crawl.warc.gz").write_bytes(warc_file())
