"""The O*NET texts' meaning vectors of the built 30.1 platform (the data_version job materialises the
text/onet_text_embeddings asset): every source stored with the model's name and version, vectors that
decode to unit length and find an occupation from Korean, readable by the API role, and a re-run that
leaves the same rows without encoding a text again."""

from __future__ import annotations

import numpy as np
import psycopg

from occurisk_assets.lib import roles
from occurisk_assets.text.embeddings import SOURCES, build_embeddings, load_embeddings
from occurisk_assets.text.encoder import MODEL_NAME, MODEL_VERSION, encode
from tests.built_platform import DATA_VERSION

SNAPSHOT = """SELECT source, count(*), count(DISTINCT item_no), md5(string_agg(text || encode(embedding, 'hex'),
              ',' ORDER BY source, item_no)) FROM meaning.onet_text_embedding WHERE data_version = %s
              GROUP BY source ORDER BY source"""


def test_every_source_of_the_release_is_stored_with_its_model(db_conn):
    model_name, model_version, counts, distinct = db_conn.execute(
        "SELECT model_name, model_version, counts, distinct_texts FROM meaning.embedding_build "
        "WHERE data_version = %s",
        [DATA_VERSION],
    ).fetchone()
    assert (model_name, model_version) == (MODEL_NAME, MODEL_VERSION)
    assert set(counts) == set(SOURCES) and all(n > 0 for n in counts.values())
    assert counts["alternate_title"] > 50_000 and counts["task"] > 18_000 and distinct < sum(counts.values())
    stored = dict(
        db_conn.execute(
            "SELECT source, count(*) FROM meaning.onet_text_embedding WHERE data_version = %s "
            "AND model_name = %s AND model_version = %s GROUP BY source",
            [DATA_VERSION, MODEL_NAME, MODEL_VERSION],
        ).fetchall()
    )
    assert stored == counts


def test_stored_vectors_are_the_encoders_and_find_nurses_from_korean(built_database):
    with psycopg.connect(roles.role_url(built_database, roles.API)) as api:  # request-time code's role
        rows, vectors = load_embeddings(api, DATA_VERSION, "title")
    assert vectors.dtype == np.float32 and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=2e-3)
    titles = [text for _, _, text in rows]
    first = titles.index("Registered Nurses")
    assert np.allclose(vectors[first], encode(["Registered Nurses"])[0], atol=2e-3)
    nearest = np.argsort(-(vectors @ encode(["간호사"])[0]))[:3]
    assert "Registered Nurses" in [titles[i] for i in nearest]


def test_a_rebuild_leaves_the_same_rows(built_database_copy):
    with psycopg.connect(built_database_copy, autocommit=True) as conn:
        before = conn.execute(SNAPSHOT, [DATA_VERSION]).fetchall()
        build = build_embeddings(conn, DATA_VERSION)
        after = conn.execute(SNAPSHOT, [DATA_VERSION]).fetchall()
    assert after == before and {source: n for source, n, *_ in after} == build.counts
    # The platform's build filled this machine's vector cache: the rebuild encodes nothing again.
    with psycopg.connect(built_database_copy) as conn:
        distinct_texts = conn.execute(
            "SELECT count(DISTINCT text) FROM meaning.onet_text_embedding WHERE data_version = %s",
            [DATA_VERSION],
        ).fetchone()[0]
    assert build.encoded_now == 0 and build.distinct_texts == distinct_texts
    assert all(n == distinct for _, n, distinct, _ in after)
