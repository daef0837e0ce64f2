"""Segmentation: paragraphs and sentences with article offsets, the frame every stage uses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    headline: bool


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph, blank lines separating them."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


SentenceSplitter = Callable[[Sequence[str]], Iterable[list[tuple[int, int]]]]


def segment(text: str, split: SentenceSplitter, has_headline: bool) -> list[Sentence]:
    """Sentences of the article; each paragraph is split by ``split`` (spaCy in production)."""
    paras = paragraphs(text)
    sentences: list[Sentence] = []
    chunks = [text[s:e] for s, e in paras]
    for number, ((p_start, _p_end), spans) in enumerate(zip(paras, split(chunks), strict=True)):
        for s, e in spans:
            raw = text[p_start + s : p_start + e]
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw) - len(raw.rstrip())
            start, end = p_start + s + lead, p_start + e - trail
            if end <= start:
                continue
            sentences.append(
                Sentence(
                    len(sentences),
                    start,
                    end,
                    text[start:end],
                    number,
                    has_headline and number == 0,
                )
            )
    return sentences


def regex_splitter(chunks: Sequence[str]) -> Iterable[list[tuple[int, int]]]:
    """A dependency-free splitter for tests and fallbacks: split after . ! ? before a capital."""
    boundary = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")
    for chunk in chunks:
        spans, position = [], 0
        for match in boundary.finditer(chunk):
            spans.append((position, match.start()))
            position = match.end()
        spans.append((position, len(chunk)))
        yield [(s, e) for s, e in spans if chunk[s:e].strip()]
