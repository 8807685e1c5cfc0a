"""After postings arrive (import, crawl, USAJOBS): clean them, then code them when a coder is available."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import psycopg

from occurisk_assets.postings.cleaning import clean_postings
from occurisk_assets.postings.coding import CoderUnavailable, OccupationCoder, code_postings, load_coder
from occurisk_assets.versions import active_version


@dataclass
class Processed:
    cleaned: Counter
    coded: Counter
    coder_problem: str | None = None  # why nothing was coded


def process_new_postings(conn: psycopg.Connection, coder: OccupationCoder | None = None) -> Processed:
    cleaned = clean_postings(conn)
    version = active_version(conn)
    if version is None:
        return Processed(cleaned, code_postings(conn, coder), "no O*NET version is active (run the pipeline)")
    try:
        coder = coder or load_coder(version)
    except CoderUnavailable as exc:
        return Processed(cleaned, Counter(), str(exc))
    return Processed(cleaned, code_postings(conn, coder))
