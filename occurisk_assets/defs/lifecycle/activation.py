"""Which data_version is active: exactly one at a time, switched in one transaction."""

from __future__ import annotations

import psycopg

from occurisk_assets.defs.onet.loader import ensure_core_tables


class UnknownVersion(Exception):
    pass


def active_version(conn: psycopg.Connection) -> str | None:
    row = conn.execute("SELECT id FROM core.data_version WHERE is_active").fetchone()
    return row[0] if row else None


def list_versions(conn: psycopg.Connection) -> list[tuple]:
    ensure_core_tables(conn)
    return conn.execute(
        """SELECT id, release_date, is_active, loaded_at, source, notes FROM core.data_version
           ORDER BY string_to_array(id, '.')::int[]"""
    ).fetchall()


def activate(conn: psycopg.Connection, data_version: str, note: str | None = None) -> None:
    ensure_core_tables(conn)
    with conn.transaction():
        exists = conn.execute("SELECT loaded_at IS NOT NULL FROM core.data_version WHERE id = %s FOR UPDATE",
                              (data_version,)).fetchone()
        if not exists or not exists[0]:
            raise UnknownVersion(f"O*NET {data_version} is not loaded; load it first (occurisk pipeline --version {data_version})")
        conn.execute("UPDATE core.data_version SET is_active = false WHERE is_active AND id <> %s", (data_version,))
        conn.execute("UPDATE core.data_version SET is_active = true, notes = coalesce(%s, notes) WHERE id = %s",
                     (note, data_version))
