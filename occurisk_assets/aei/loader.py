"""Load one AEI release: every file read and checked first, then written in one transaction (COPY into
staging tables, the release's previous rows replaced). A bad file stops the load before any write, so the
release as last loaded — and every other release — stays served; a re-run replaces the same rows."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from occurisk_assets.aei.files import SPECS, ParsedFile, Release, read_file
from occurisk_assets.lib import db


@dataclass
class FileReport:
    file_name: str
    table: str
    rows: int
    bytes: int
    sha256: str


@dataclass
class ReleaseLoadReport:
    release: str
    source: str
    seconds: float
    files: list[FileReport] = field(default_factory=list)


def write_release(
    conn: psycopg.Connection, release: Release, parsed: list[ParsedFile], run_id: str | None
) -> None:
    key = release.key
    with conn.transaction():
        # Two loads of the same release at once would otherwise interleave their DELETE and INSERT.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"occurisk.aei.{key}",))
        conn.execute(
            """INSERT INTO aei.release (aei_release, published_on, citation, source, run_id)
               VALUES (%s, %s, %s, %s, %s)
               ON CONFLICT (aei_release) DO UPDATE SET published_on = EXCLUDED.published_on,
                 citation = EXCLUDED.citation, source = EXCLUDED.source, run_id = EXCLUDED.run_id,
                 loaded_at = now()""",
            (key, release.published_on, release.citation, str(release.folder), run_id),
        )
        conn.execute("DELETE FROM aei.release_file WHERE aei_release = %s", (key,))
        for table in sorted({spec.table for spec in SPECS}):
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE aei_release = %s").format(sql.Identifier("aei", table)), (key,)
            )
        for file in parsed:
            columns = ["aei_release", "line_no", *file.spec.table_columns]
            target = sql.Identifier("aei", file.spec.table)
            names = sql.SQL(", ").join(map(sql.Identifier, columns))
            with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, names)) as copy:
                for row in file.rows:
                    copy.write_row([key, *(row[c] for c in columns[1:])])
            conn.execute(
                """INSERT INTO aei.release_file (aei_release, file_name, table_name, rows, bytes, sha256, header)
                   VALUES (%s, %s, %s, %s, %s, %s, %s)""",
                (key, file.path.name, file.spec.table, len(file.rows), file.bytes, file.sha256, file.header),
            )


def load_release(release: Release, run_id: str | None = None, url: str | None = None) -> ReleaseLoadReport:
    started = time.perf_counter()
    parsed = [read_file(path) for path in release.files]  # raises AeiFileError before any write
    with db.connect(url) as conn:
        write_release(conn, release, parsed, run_id)
        conn.commit()
        for table in sorted({f.spec.table for f in parsed}):
            conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier("aei", table)))
    return ReleaseLoadReport(
        release.key,
        str(release.folder),
        time.perf_counter() - started,
        [FileReport(f.path.name, f.spec.table, len(f.rows), f.bytes, f.sha256) for f in parsed],
    )
