"""Profiles nobody opened for N days (OCCURISK_ASSISTANT_RETENTION_DAYS, default 30) are deleted with every
row that hangs off them. Only counts are reported: nothing personal reaches logs or the Dagster event log."""

from __future__ import annotations

import psycopg


def delete_unused_profiles(conn: psycopg.Connection, days: int) -> int:
    with conn.transaction():
        cur = conn.execute(
            "DELETE FROM assistant.profile WHERE last_opened_at < now() - make_interval(days => %s)", [days]
        )
        return cur.rowcount
