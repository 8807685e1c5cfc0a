"""The `careers` schema: what defs/careers computes in Python (the similarity), per data_version."""

from __future__ import annotations

import psycopg

from occurisk_assets import data_generation
from occurisk_assets.defs.careers.similarity import COMPONENTS

_COMPONENT_COLUMNS = ",\n    ".join(
    f"{name} double precision CHECK ({name} BETWEEN 0 AND 1)" for name in COMPONENTS
)

DDL = f"""
CREATE SCHEMA IF NOT EXISTS careers;

-- The K most similar SOCs of each SOC, and the reverse of each such pair (so every pair is stored both
-- ways): the combined similarity, its rank among all of the SOC's neighbours, and each component (NULL
-- where one of the two SOCs lacks that descriptor).
CREATE TABLE IF NOT EXISTS careers.occupation_similarity (
    data_version        text NOT NULL,
    soc_code            text NOT NULL,
    similar_soc_code    text NOT NULL,
    similarity          double precision NOT NULL CHECK (similarity BETWEEN 0 AND 1),
    similarity_rank     integer NOT NULL CHECK (similarity_rank >= 1),
    {_COMPONENT_COLUMNS},
    onet_related_tier   text CHECK (onet_related_tier IN ('Primary-Short', 'Primary-Long', 'Supplemental')),
    PRIMARY KEY (data_version, soc_code, similar_soc_code),
    CHECK (soc_code <> similar_soc_code)
);
CREATE INDEX IF NOT EXISTS occupation_similarity_by_rank
    ON careers.occupation_similarity (data_version, soc_code, similarity_rank);

-- One row per data_version: which components were used (and their weights), the recall of O*NET's
-- related occupations, how long the build took.
CREATE TABLE IF NOT EXISTS careers.similarity_build (
    data_version        text PRIMARY KEY,
    top_k               integer NOT NULL,
    n_socs              integer NOT NULL,
    n_pairs             integer NOT NULL,
    components          jsonb NOT NULL,
    related_recall      jsonb NOT NULL,
    seconds             double precision NOT NULL,
    built_at            timestamptz NOT NULL DEFAULT now()
);
"""


def ensure_schema(conn: psycopg.Connection) -> None:
    """Create what is missing; serialised so that concurrent first builds do not race on CREATE."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('occurisk.careers.schema'))")
        conn.execute(DDL)
    # The similar-occupations endpoint reads them.
    data_generation.ensure(conn, ("careers.occupation_similarity", "careers.similarity_build"))
