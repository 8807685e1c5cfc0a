"""Writing received postings: one row per (source, source_key). Receiving a posting again only marks it
seen; receiving it changed replaces its fields and sends it through cleaning and coding again."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import psycopg
from psycopg.types.json import Jsonb

from occurisk_assets.postings.records import PostingRecord

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
    -- changed content goes through cleaning and coding again
    status = 'new', cleaned_at = NULL, coded_at = NULL
-- unchanged content is left alone (SEEN_AGAIN): replacing its fields would drop what cleaning found,
-- such as the duties listed in its HTML, and it would not be cleaned again to find them
WHERE p.raw_sha256 IS DISTINCT FROM EXCLUDED.raw_sha256
RETURNING (xmax = 0) AS inserted, posting_id
"""
SEEN_AGAIN = (
    "UPDATE postings.posting SET last_seen_at = now(), origin = %s WHERE source = %s AND source_key = %s"
)


def store_postings(
    conn: psycopg.Connection, records: Iterable[PostingRecord], collected_on: dt.date | None = None
) -> Counter:
    """Upsert `records`; counts of 'inserted' and 'seen_again'. The caller owns the transaction."""
    day = collected_on or dt.datetime.now(dt.UTC).date()
    counts: Counter = Counter()
    for rec in records:
        written = conn.execute(
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
        if written is None:  # received again unchanged
            conn.execute(SEEN_AGAIN, (rec.origin, rec.source, rec.source_key))
        counts["inserted" if written and written[0] else "seen_again"] += 1
    return counts
