"""Train the MUC-4 role filler and incident model (``watchfloor.eval.muc4_roles``) on MUC-4
train.

    python -m watchfloor.train.muc4_roles --data ../shared/data \
        --out src/watchfloor/eval/data/muc4_roles \
        --incidents-out src/watchfloor/eval/data/muc4_incidents

Every training document is truecased as ``watchfloor eval muc4`` truecases the test messages,
parsed with the extractor's spaCy model, and cut into candidate phrases; a candidate is labelled
with the role of the gold mention it equals after the GTT metric's normalisation (else "none").
The per-role probability thresholds are chosen by two-fold cross-validation on the training
documents (the F1 of each role over the distinct fillers of each document, as the metric counts
them), then the model is refit on all of them.
Deterministic: the same data gives the same weights. About 5 minutes on 2 cores, most of it
parsing.

The incident model is fitted on the same documents: whether each has a template, and one of
each incident type. Its held-out figures come from the same two folds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from watchfloor.eval import gtt, muc4
from watchfloor.eval import muc4_roles as roles
from watchfloor.eval.metrics import precision_recall_f1
from watchfloor.resolve.actors import ActorKB
from watchfloor.settings import Settings

# When one phrase is gold in two roles, the first of these wins.
ROLE_ORDER = ("PerpOrg", "PerpInd", "Victim", "Target", "Weapon")
MIN_COUNT = 2
FOLDS = 2
# The role model's l2 weight: 3e-5 against the fit's default 1e-4, by two-fold CV on train
# (mean entity-level role F1 43.7 at 1e-4, 44.3 at 3e-5, 43.5 at 1e-5, 41.8 at 3e-4).
ROLE_L2 = 3e-5
THRESHOLD_GRID = tuple(round(0.1 + 0.05 * i, 2) for i in range(15))  # 0.1 ... 0.8


def read_lines(path: Path) -> list[dict]:
    """GTT JSON Lines records (any docid form: train ids are DEV-MUC3-...)."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: not JSON ({exc.msg})") from exc
    return lines


def gold_roles(templates: Sequence[dict]) -> dict[str, str]:
    """Normalised gold mention → role, over every template of a document."""
    out: dict[str, str] = {}
    for role in ROLE_ORDER:
        for template in templates:
            for entity in template.get(role, []):
                for mention in entity:
                    text = mention[0] if isinstance(mention, list) else mention
                    key = gtt.normalize_mention(text)
                    if key:
                        out.setdefault(key, role)
    return out


def labelled_candidates(
    docs: Sequence[object], templates: Sequence[Sequence[dict]]
) -> tuple[list[list[roles.Candidate]], list[list[int]]]:
    cands, labels = [], []
    for doc, temps in zip(docs, templates, strict=True):
        found = roles.candidates(doc)
        gold = gold_roles(temps)
        cands.append(found)
        labels.append(
            [roles.LABELS.index(gold.get(gtt.normalize_mention(c.text), roles.NONE)) for c in found]
        )
    return cands, labels


def vocabulary(cands: Sequence[Sequence[roles.Candidate]]) -> dict[str, int]:
    counts: Counter[str] = Counter(f for doc in cands for c in doc for f in c.features)
    kept = sorted(f for f, n in counts.items() if n >= MIN_COUNT or f == roles.BIAS_FEATURE)
    return {f: i for i, f in enumerate(kept)}


def fit_model(
    cands: Sequence[Sequence[roles.Candidate]], labels: Sequence[Sequence[int]], **fit_args
) -> roles.RoleModel:
    vocab = vocabulary(cands)
    rows = [[vocab[f] for f in c.features if f in vocab] for doc in cands for c in doc]
    targets = np.array([y for doc in labels for y in doc], dtype=np.int64)
    fit_args.setdefault("l2", ROLE_L2)
    weights, bias = roles.fit(rows, targets, len(vocab), **fit_args)
    return roles.RoleModel(vocab, weights, bias)


def gold_chains(templates: Sequence[dict], role: str) -> set[frozenset[str]]:
    """The distinct gold entities of one role over a document's templates, each as its set
    of normalised mentions."""
    chains = set()
    for template in templates:
        for entity in template.get(role, []):
            keys = {gtt.normalize_mention(m[0] if isinstance(m, list) else m) for m in entity}
            if keys - {""}:
                chains.add(frozenset(keys - {""}))
    return chains


def entity_counts(
    chosen: Sequence[tuple[roles.Candidate, str, float]], templates: Sequence[dict]
) -> np.ndarray:
    """Per role of ``ROLE_ORDER`` in ``LABELS`` order: correct fillers, fillers, gold entities
    found and gold entities of one document, counted as the GTT metric counts a template's
    fillers (a phrase said twice is one filler; an entity is found by any of its mentions)."""
    out = np.zeros((len(roles.LABELS) - 1, 4), dtype=np.int64)
    for k, role in enumerate(roles.LABELS[1:]):
        keys = {gtt.normalize_mention(c.text) for c, r, _ in chosen if r == role} - {""}
        chains = gold_chains(templates, role)
        mentions = set().union(*chains) if chains else set()
        found = sum(1 for chain in chains if chain & keys)
        out[k] = (len(keys & mentions), len(keys), found, len(chains))
    return out


def best_thresholds(
    held_out: Sequence[tuple[Sequence[roles.Candidate], np.ndarray, Sequence[dict]]],
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Per role, the grid threshold with the best F1 over the distinct fillers of each
    held-out document (candidates, their probabilities, its gold templates) and that F1: the
    metric scores entities, and a phrase the text repeats ten times is one of them."""
    tally = np.zeros((len(THRESHOLD_GRID), len(roles.LABELS) - 1, 4), dtype=np.int64)
    for cands, probs, templates in held_out:
        for g, t in enumerate(THRESHOLD_GRID):
            chosen = roles.choose_roles(cands, probs, dict.fromkeys(roles.LABELS, t))
            tally[g] += entity_counts(chosen, templates)
    chosen_t, figures = {}, {}
    for k, role in enumerate(roles.LABELS[1:]):
        scores = [gtt.CategoryScore.from_counts(*map(int, row)) for row in tally[:, k]]
        best = max(range(len(scores)), key=lambda g: (scores[g].f1, -g))
        chosen_t[role] = THRESHOLD_GRID[best] if scores[best].f1 > 0 else roles.DEFAULT_THRESHOLD
        figures[role] = {
            "F1": round(scores[best].f1, 2),
            "P": round(scores[best].precision, 2),
            "R": round(scores[best].recall, 2),
            "threshold": chosen_t[role],
        }
    return chosen_t, figures


def incident_figures(
    texts: Sequence[str], labels: Sequence[Sequence[int]]
) -> dict[str, dict[str, float]]:
    """Held-out P/R/F1 per incident label at probability 0.5, over the same folds as the
    role thresholds."""
    tally = np.zeros((len(roles.INCIDENT_LABELS), 3))  # tp, predicted, gold
    for fold in range(FOLDS):
        train_idx = [i for i in range(len(texts)) if i % FOLDS != fold]
        model = roles.fit_incident_model(
            [texts[i] for i in train_idx], [labels[i] for i in train_idx]
        )
        for i in range(fold, len(texts), FOLDS):
            probs = model.probabilities(texts[i])
            pred = np.array([probs[k] >= 0.5 for k in roles.INCIDENT_LABELS])
            gold = np.asarray(labels[i], dtype=bool)
            tally += np.stack([pred & gold, pred, gold], axis=1)
    figures = {}
    for label, (tp, n_pred, n_gold) in zip(roles.INCIDENT_LABELS, tally, strict=True):
        p, r, f = precision_recall_f1(int(tp), int(n_pred), int(n_gold))
        figures[label] = {"F1": round(100 * f, 2), "P": round(100 * p, 2), "R": round(100 * r, 2)}
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=roles.MODEL_DIR)
    parser.add_argument("--incidents-out", type=Path, default=roles.INCIDENT_DIR)
    args = parser.parse_args(argv)
    train_path = args.data / "muc4" / "gtt_processed" / "train.json"
    if not train_path.is_file():
        print(f"no MUC-4 training file at {train_path}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    lines = read_lines(train_path)
    settings = Settings()
    holder = type("KBHolder", (), {"kb": ActorKB.load()})()
    recase = muc4.build_recaser(
        holder, muc4.default_case_texts(args.data), [r.get("doctext") or "" for r in lines]
    )
    import spacy

    nlp = spacy.load(settings.spacy_model)
    texts = [recase(r.get("doctext") or "") for r in lines]
    docs = list(nlp.pipe(texts, batch_size=32))
    gold_templates = [r.get("templates", []) for r in lines]
    cands, labels = labelled_candidates(docs, gold_templates)
    print(
        f"parsed {len(docs)} documents, {sum(map(len, cands))} candidates "
        f"in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )

    # thresholds by cross-validation over documents (fold = position mod FOLDS)
    held_out = []
    for fold in range(FOLDS):
        train_idx = [i for i in range(len(docs)) if i % FOLDS != fold]
        model = fit_model([cands[i] for i in train_idx], [labels[i] for i in train_idx])
        for i in range(fold, len(docs), FOLDS):
            if cands[i]:
                held_out.append((cands[i], model.probabilities(cands[i]), gold_templates[i]))
    thresholds, cv_figures = best_thresholds(held_out)

    model = fit_model(cands, labels)
    digest = hashlib.sha256(train_path.read_bytes()).hexdigest()[:16]
    model.info = {
        "trained": dt.date.today().isoformat(),
        "data": "muc4/gtt_processed/train.json",
        "data_sha256": digest,
        "documents": len(docs),
        "candidates": int(sum(map(len, cands))),
        "label_counts": dict(Counter(roles.LABELS[y] for doc in labels for y in doc)),
        "thresholds": thresholds,
        "cross_validated": cv_figures,
        "spacy_model": settings.spacy_model,
    }
    roles.save_role_model(model, args.out)
    print(json.dumps(cv_figures, indent=1))

    doc_labels = [roles.document_labels(r.get("templates", [])) for r in lines]
    incidents = roles.fit_incident_model(texts, doc_labels)
    incidents.info = {
        **{k: model.info[k] for k in ("trained", "data", "data_sha256", "documents")},
        "positives": dict(
            zip(roles.INCIDENT_LABELS, np.sum(doc_labels, axis=0).tolist(), strict=True)
        ),
        "cross_validated": incident_figures(texts, doc_labels),
    }
    roles.save_incident_model(incidents, args.incidents_out)
    print(json.dumps(incidents.info["cross_validated"], indent=1))
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
