"""The meaning vectors of one O*NET release's texts — occupation titles, alternate and reported titles, task
statements, DWAs — built once per data_version (the Dagster asset text/onet_text_embeddings) and read by
request-time code instead of encoding them per request. Stored in meaning.onet_text_embedding (migration
0014) as float16 with the model's name and version; meaning.embedding_build says what each build held."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np
import psycopg

from occurisk_assets.text.encoder import DIMENSIONS, MODEL_NAME, MODEL_VERSION
from occurisk_assets.text.vector_cache import encode_reusing

# source → the raw table's query (a release that lacks the file has no such table or no rows: 0 texts).
SOURCES = {
    "title": "SELECT onetsoc_code, NULL, title FROM onet_raw.occupation_data",
    "alternate_title": "SELECT onetsoc_code, NULL, alternate_title FROM onet_raw.alternate_titles",
    "reported_title": "SELECT onetsoc_code, NULL, reported_job_title FROM onet_raw.sample_of_reported_titles",
    "task": "SELECT onetsoc_code, task_id::text, task FROM onet_raw.task_statements",
    "dwa": "SELECT NULL, dwa_id, dwa_title FROM onet_raw.dwa_reference",
}


@dataclass(frozen=True)
class EmbeddingBuild:
    data_version: str
    counts: dict[str, int]
    distinct_texts: int
    encoded_now: int  # distinct texts the model encoded (the others were in the vector cache)
    seconds: float


def source_rows(conn: psycopg.Connection, data_version: str) -> dict[str, list[tuple]]:
    """source → [(onetsoc_code, item_id, text)] in the release's order, blank texts left out."""
    rows = {}
    for source, query in SOURCES.items():
        table = query.split(" FROM ")[1]
        if conn.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is None:
            rows[source] = []
            continue
        found = conn.execute(f"{query} WHERE data_version = %s ORDER BY line_no", [data_version]).fetchall()
        rows[source] = [r for r in found if r[2] and r[2].strip()]
    return rows


def build_embeddings(conn: psycopg.Connection, data_version: str) -> EmbeddingBuild:
    """Encode every text of the release (each distinct text once, texts already encoded on this machine read
    from the vector cache) and replace the version's rows in one transaction: a re-run leaves the same rows,
    a failed one the previous ones."""
    started = time.perf_counter()
    rows = source_rows(conn, data_version)
    texts = list(dict.fromkeys(text for found in rows.values() for *_, text in found))
    encoded = encode_reusing(texts)
    vectors = encoded.vectors.astype("<f2")
    row_of = {text: i for i, text in enumerate(texts)}
    counts = {source: len(found) for source, found in rows.items()}
    with conn.transaction():
        conn.execute("DELETE FROM meaning.onet_text_embedding WHERE data_version = %s", [data_version])
        with conn.cursor().copy(
            "COPY meaning.onet_text_embedding (data_version, source, item_no, onetsoc_code, item_id, text, "
            "model_name, model_version, embedding) FROM STDIN"
        ) as copy:
            for source, found in rows.items():
                for n, (onetsoc_code, item_id, text) in enumerate(found, start=1):
                    vector = vectors[row_of[text]].tobytes()
                    copy.write_row((data_version, source, n, onetsoc_code, item_id, text, MODEL_NAME,
                                    MODEL_VERSION, vector))  # fmt: skip
        seconds = time.perf_counter() - started
        conn.execute(
            """INSERT INTO meaning.embedding_build
                   (data_version, model_name, model_version, dimensions, counts, distinct_texts, seconds)
               VALUES (%s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (data_version) DO UPDATE SET model_name = excluded.model_name,
                   model_version = excluded.model_version, dimensions = excluded.dimensions,
                   counts = excluded.counts, distinct_texts = excluded.distinct_texts,
                   seconds = excluded.seconds, built_at = now()""",
            [data_version, MODEL_NAME, MODEL_VERSION, DIMENSIONS, json.dumps(counts), len(texts), seconds],
        )
    return EmbeddingBuild(data_version, counts, len(texts), encoded.encoded_now, seconds)


def load_embeddings(conn, data_version: str, source: str) -> tuple[list[tuple], np.ndarray]:
    """One source's stored rows [(onetsoc_code, item_id, text)] and their vectors (float32, unit length), for
    request-time code; nothing when the version has none built by the current model."""
    found = conn.execute(
        """SELECT onetsoc_code, item_id, text, embedding FROM meaning.onet_text_embedding
           WHERE data_version = %s AND source = %s AND model_name = %s AND model_version = %s
           ORDER BY item_no""",
        [data_version, source, MODEL_NAME, MODEL_VERSION],
    ).fetchall()
    if not found:
        return [], np.zeros((0, DIMENSIONS), dtype=np.float32)
    matrix = np.frombuffer(b"".join(bytes(r[3]) for r in found), dtype="<f2").reshape(len(found), DIMENSIONS)
    return [r[:3] for r in found], matrix.astype(np.float32)
