"""The *data generation*: a number that changes whenever anything the API or the web pages serve changes —
the active version switches, a mart of a version is rebuilt, scores or BLS figures are written, a version is
archived or restored. The response cache (api/cache.py) keys every answer by it, so no cached answer can
outlive the data it was built from.

Each writing transaction bumps a counter of `core.data_generation` *inside that transaction*, once — from a
statement trigger on every served table, and from the post-hook of every dbt mart — so the new generation
becomes visible exactly when the new data does: a reader that sees the old generation may cache new data
under it (harmless: that key is dead at once), never old data under the new one. The generation is the sum
of the counters. A transaction takes a counter row no other open transaction holds (`SKIP LOCKED`, a new
row when all are taken), so concurrent writers never wait for each other; the table has as many rows as
there were ever writers at once.

The migrations create the counters, the functions and the triggers (0005, and the revision of each watched
table made later, each with its own frozen SQL).
"""

from __future__ import annotations

import psycopg

# What the API reads per request before it looks in the cache.
CURRENT_GENERATION = "SELECT coalesce(sum(generation), 0)::bigint AS generation FROM core.data_generation"


def current(conn: psycopg.Connection) -> int:
    return conn.execute(CURRENT_GENERATION).fetchone()[0]
