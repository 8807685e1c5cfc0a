"""Writing received postings: one row per (source, source_key). Receiving a posting again only marks it
seen; receiving it changed replaces its fields and sends it through cleaning and coding again."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.defs.postings.records import PostingRecord

UPSERT = """
INSERT INTO postings.posting AS p (source, source_key, collected_on, origin, raw, raw_sha256, title,
    description_html, hiring_organization, job_location, date_posted, valid_through, employment_type,
    base_salary, url, identifier, duties)
VALUES (%(source)s, %(source_key)s, %(collected_on)s, %(origin)s, %(raw)s, %(raw_sha256)s, %(title)s,
    %(description_html)s, %(hiring_organization)s, %(job_location)s, %(date_posted)s, %(valid_through)s,
    %(employment_type)s, %(base_salary)s, %(url)s, %(identifier)s, %(duties)s)
ON CONFLICT (source, source_key) DO UPDATE SET
    last_seen_at = now(),
    origin = EXCLUDED.origin,
    raw = EXCLUDED.raw, raw_sha256 = EXCLUDED.raw_sha256, title = EXCLUDED.title,
    description_html = EXCLUDED.description_html, hiring_organization = EXCLUDED.hiring_organization,
    job_location = EXCLUDED.job_location, date_posted = EXCLUDED.date_posted,
    valid_through = EXCLUDED.valid_through, employment_type = EXCLUDED.employment_type,
    base_salary = EXCLUDED.base_salary, url = EXCLUDED.url, identifier = EXCLUDED.identifier,
    duties = EXCLUDED.duties,
    -- changed content goes through cleaning and coding again; unchanged keeps its results
    status = CASE WHEN p.raw_sha256 = EXCLUDED.raw_sha256 THEN p.status ELSE 'new' END,
    cleaned_at = CASE WHEN p.raw_sha256 = EXCLUDED.raw_sha256 THEN p.cleaned_at END,
    coded_at = CASE WHEN p.raw_sha256 = EXCLUDED.raw_sha256 THEN p.coded_at END
RETURNING (xmax = 0) AS inserted, posting_id
"""


def store_postings(
    conn: psycopg.Connection, records: Iterable[PostingRecord], collected_on: dt.date | None = None
) -> Counter:
    """Upsert `records`; counts of 'inserted' and 'seen_again'. The caller owns the transaction."""
    day = collected_on or dt.datetime.now(dt.UTC).date()
    counts: Counter = Counter()
    for rec in records:
        inserted, _ = conn.execute(
            UPSERT,
            {
                "source": rec.source,
                "source_key": rec.source_key,
                "collected_on": day,
                "origin": rec.origin,
                "raw": Jsonb(rec.raw),
                "raw_sha256": rec.raw_sha256,
                "title": rec.title,
                "description_html": rec.description_html,
                "hiring_organization": rec.hiring_organization,
                "job_location": rec.job_location,
                "date_posted": rec.date_posted,
                "valid_through": rec.valid_through,
                "employment_type": rec.employment_type,
                "base_salary": Jsonb(rec.base_salary) if rec.base_salary else None,
                "url": rec.url,
                "identifier": rec.identifier,
                "duties": rec.duties or None,
            },
        ).fetchone()
        counts["inserted" if inserted else "seen_again"] += 1
    return counts
