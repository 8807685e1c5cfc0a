"""Meaning vectors of O*NET and project texts already encoded, kept on disk so that each text is encoded once
per machine and model: a release's rebuild, the next release (most of its texts unchanged) and the coder's
training reuse them instead of spending minutes of CPU again.

One SQLite file per model and version under OCCURISK_HOME/cache (or OCCURISK_VECTOR_CACHE_DIR), keyed by the
text's SHA-256; while one process encodes what the file lacks, another wanting the same texts waits for it
(on 2 cores, encoding them twice at once is pure loss) and then reads them. Only builds
pass through it (O*NET texts, the project's Korean terms): request-time encoding of a person's words never
does. It is a cache: a file that cannot be read is set aside and started again, never an error."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from occurisk_assets.lib.settings import get_settings
from occurisk_assets.text.encoder import DIMENSIONS, MODEL_NAME, MODEL_VERSION, encode

log = logging.getLogger(__name__)

BATCH = 512
# SQLite's default limit on host parameters is 32,766; lookups go in chunks well under it.
LOOKUP_CHUNK = 5_000


@dataclass(frozen=True)
class Encoded:
    vectors: np.ndarray  # float32, one unit-length row per text (as encoder.encode gives)
    encoded_now: int  # distinct texts the model had to encode (the rest came from the cache)


def cache_path() -> Path:
    return get_settings().vector_cache_path / f"text-vectors-{MODEL_NAME}-{MODEL_VERSION}.sqlite3"


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=120)  # Dagster steps in other processes may be writing
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS vector (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID"
        )
        return conn
    except sqlite3.DatabaseError as exc:  # a damaged file: set it aside, start an empty one
        conn.close()
        log.warning("text-vector cache %s unreadable (%s): starting a new one", path.name, type(exc).__name__)
        path.replace(path.with_suffix(".damaged"))
        return _open(path)


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def encode_reusing(texts: Sequence[str]) -> Encoded:
    """encoder.encode(texts), with every text the cache already holds read from it and the others encoded
    (each distinct text once, in batches) and added to it."""
    texts = list(texts)
    distinct = list(dict.fromkeys(texts))
    keys = [_key(t) for t in distinct]
    known: dict[bytes, np.ndarray] = {}
    path = cache_path()
    conn = _open(path)
    lock = open(path.with_suffix(".lock"), "w")  # noqa: SIM115 (held across the encoding below)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released by the kernel if this process dies
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob in conn.execute(f"SELECT key, vector FROM vector WHERE key IN ({marks})", chunk):
                known[key] = np.frombuffer(blob, dtype="<f4")
        missing = [(k, t) for k, t in zip(keys, distinct, strict=True) if k not in known]
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            vectors = encode([t for _, t in batch])
            known.update((k, v) for (k, _), v in zip(batch, vectors, strict=True))
            # Each batch committed as it is made: a build stopped halfway keeps what it paid for.
            conn.executemany(
                "INSERT OR IGNORE INTO vector (key, vector) VALUES (?, ?)",
                [(k, v.astype("<f4").tobytes()) for (k, _), v in zip(batch, vectors, strict=True)],
            )
            conn.commit()
    finally:
        lock.close()
        conn.close()
    row_of = dict(zip(distinct, keys, strict=True))
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = known[row_of[text]]
    return Encoded(out, len(missing))
