"""Load one O*NET release into `onet_raw.*`, one LIST partition per data_version per table.

Every present file is header-checked, then COPY'd (typed, `n/a` → NULL, CRLF handled by COPY) into a
fresh table; only when every file has loaded are the new tables swapped in for the old partitions, in the
same transaction. Any error — a wrong header, a truncated line, a non-numeric rating — rolls everything
back and is reported with the file name and line: the previous data of that version and of every other
version is untouched.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from occurisk_assets.lib import db
from occurisk_assets.onet.files import NON_DATA_FILES, SPEC_BY_FILE, SPECS, FileSpec, generic_spec, snake
from occurisk_assets.onet.sources import Release
from occurisk_assets.runs import build_lock
from occurisk_assets.versions import COMPLETE, build_status

COPY_OPTIONS = "FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x01', NULL 'n/a', HEADER true"
CHUNK = 1 << 20


class ReleaseFileError(Exception):
    """A release file that cannot be loaded; names the file and, where known, the line."""

    def __init__(self, file_name: str, line: int | None, problem: str):
        self.file_name, self.line, self.problem = file_name, line, problem
        where = f"{file_name}, line {line}" if line else file_name
        super().__init__(f"{where}: {problem}")


@dataclass
class FileLoad:
    file_name: str
    table: str
    present: bool
    required: bool
    known_file: bool
    rows: int | None = None
    bytes: int | None = None
    sha256: str | None = None
    header: tuple[str, ...] | None = None


@dataclass
class ReleaseLoadReport:
    data_version: str
    source: str
    files: list[FileLoad] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def present(self) -> list[FileLoad]:
        return [f for f in self.files if f.present]

    @property
    def absent(self) -> list[FileLoad]:
        return [f for f in self.files if not f.present]

    def rows(self, table: str) -> int | None:
        return next((f.rows for f in self.files if f.table == table), None)


def partition_name(table: str, data_version: str) -> str:
    return f"{table}__v{data_version.replace('.', '_')}"


def read_header(path: Path) -> tuple[str, ...]:
    with open(path, "rb") as fh:
        first = fh.readline()
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReleaseFileError(path.name, 1, f"header is not valid text ({exc.reason})") from exc
    return tuple(text.rstrip("\r\n").split("\t"))


def check_header(spec: FileSpec, header: tuple[str, ...]) -> None:
    if header not in spec.headers:
        expected = " | ".join("\t".join(h) for h in spec.headers).replace("\t", ", ")
        raise ReleaseFileError(
            spec.file_name, 1, f"unexpected columns [{', '.join(header)}]; expected [{expected}]"
        )


def file_facts(path: Path) -> tuple[int, int, str]:
    """(data rows, bytes, sha256) in one pass: rows = lines after the header, a last line without newline counts."""
    digest = hashlib.sha256()
    newlines = size = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            newlines += chunk.count(b"\n")
            size += len(chunk)
            last = chunk[-1:]
    lines = newlines + (0 if last == b"\n" else 1)
    return max(lines - 1, 0), size, digest.hexdigest()


def _ensure_parent(conn: psycopg.Connection, spec: FileSpec, header: tuple[str, ...]) -> None:
    """The partitioned parent of a file's table. A file of files.py has its parent from the migrations
    (0011); only a file no spec names yet (a newer release's) gets one here, shaped by its header."""
    if spec.file_name in SPEC_BY_FILE:
        if conn.execute("SELECT to_regclass(%s)", (f"onet_raw.{spec.table}",)).fetchone()[0] is None:
            raise RuntimeError(f"onet_raw.{spec.table} does not exist: run `occurisk db migrate` first")
        return
    table = sql.Identifier("onet_raw", spec.table)
    columns = [(snake(h), spec.column_type(h)) for h in header]
    columns += [c for c in spec.columns if c[0] not in {name for name, _ in columns}]
    column_defs = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(sql_type)) for name, sql_type in columns
    )
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (data_version text NOT NULL, line_no integer NOT NULL, {}, "
            "PRIMARY KEY (data_version, line_no)) PARTITION BY LIST (data_version)"
        ).format(table, column_defs)
    )
    for name, sql_type in columns:  # a later release may add a column to such a file
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                table, sql.Identifier(name), sql.SQL(sql_type)
            )
        )


_COPY_LINE = re.compile(r"line (\d+)")


def _copy_file(
    conn: psycopg.Connection, path: Path, spec: FileSpec, header: tuple[str, ...], data_version: str
) -> int:
    """COPY one file into a new unattached table; returns the rows loaded."""
    load_table = sql.Identifier("onet_raw", partition_name(spec.table, data_version) + "__load")
    sequence_name = partition_name(spec.table, data_version) + "__line"
    sequence = sql.Identifier("onet_raw", sequence_name)
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(load_table))
    conn.execute(
        sql.SQL("CREATE TABLE {} (LIKE {})").format(load_table, sql.Identifier("onet_raw", spec.table))
    )
    # line_no = the line in the file (header = 1): COPY consumes rows in file order.
    conn.execute(sql.SQL("DROP SEQUENCE IF EXISTS {0}; CREATE SEQUENCE {0} START 2").format(sequence))
    conn.execute(
        sql.SQL(
            "ALTER TABLE {} ALTER data_version SET DEFAULT {}, ALTER line_no SET DEFAULT nextval({})"
        ).format(load_table, sql.Literal(data_version), sql.Literal(f'onet_raw."{sequence_name}"'))
    )
    copy = sql.SQL("COPY {} ({}) FROM STDIN WITH ({})").format(
        load_table, sql.SQL(", ").join(sql.Identifier(snake(h)) for h in header), sql.SQL(COPY_OPTIONS)
    )
    try:
        with conn.cursor() as cur:
            with cur.copy(copy) as copier, open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    copier.write(chunk)
            loaded = cur.rowcount
    except psycopg.Error as exc:
        context = (exc.diag.context or "") if exc.diag else ""
        match = _COPY_LINE.search(context)
        column = re.search(r"column (\w+)", context)
        problem = exc.diag.message_primary if exc.diag and exc.diag.message_primary else str(exc)
        if column:
            problem = f"{problem} (column {column.group(1)})"
        raise ReleaseFileError(path.name, int(match.group(1)) if match else None, problem) from exc
    conn.execute(
        sql.SQL("ALTER TABLE {} ALTER data_version DROP DEFAULT, ALTER line_no DROP DEFAULT").format(
            load_table
        )
    )
    conn.execute(sql.SQL("DROP SEQUENCE {}").format(sequence))
    return loaded


def _swap_in(conn: psycopg.Connection, table: str, data_version: str, has_new: bool) -> None:
    """Replace (or remove) this version's partition of `table`."""
    part = partition_name(table, data_version)
    parent = sql.Identifier("onet_raw", table)
    exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"onet_raw.{part}",)).fetchone()[0]
    if exists:
        conn.execute(
            sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(parent, sql.Identifier("onet_raw", part))
        )
        conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier("onet_raw", part)))
    if has_new:
        conn.execute(
            sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                sql.Identifier("onet_raw", f"{part}__load"), sql.Identifier(part)
            )
        )
        conn.execute(
            sql.SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES IN ({})").format(
                parent, sql.Identifier("onet_raw", part), sql.Literal(data_version)
            )
        )


def plan_release(release: Release) -> tuple[list[tuple[FileSpec, Path | None]], list[str]]:
    """Every expected file (present or not) and every unknown file present, in a stable order."""
    present = {p.name: p for p in release.folder.iterdir() if p.is_file() and p.suffix == ".txt"}
    planned: list[tuple[FileSpec, Path | None]] = [(spec, present.get(spec.file_name)) for spec in SPECS]
    unknown = sorted(name for name in present if name not in SPEC_BY_FILE and name not in NON_DATA_FILES)
    for name in unknown:
        planned.append((generic_spec(name, read_header(present[name])), present[name]))
    return planned, unknown


def load_release(release: Release, url: str | None = None, run_id: str | None = None) -> ReleaseLoadReport:
    """Load every file of `release` for its data_version, all or nothing. The version stays (or becomes)
    `building` until the rest of the graph has been built for it, unless it was complete and the files are
    the same as then (`run_id`: the Dagster run building it, which must hold the version's build claim)."""
    started = time.perf_counter()
    planned, _ = plan_release(release)
    # Everything that can be validated without the database, first.
    report = _validate_files(release, planned)
    specs = {spec.file_name: spec for spec, _ in planned}
    paths = {spec.file_name: path for spec, path in planned}
    with psycopg.connect(url or db.database_url()) as conn:
        # Serialised per version: a second load of the same version waits for the first to commit instead
        # of deadlocking with it on the same tables.
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('occurisk.load.' || %s, 0))",
            (release.data_version,),
        )
        _copy_files(conn, release, report, specs, paths)
        same_files = _refuse_other_files_for_a_served_version(conn, release, report)
        _mark_building(conn, release, run_id, same_files)
        _swap_in_partitions(conn, release, report)
        _record_files(conn, release, report)
        if run_id is not None:
            build_lock.record_load(
                conn, release.data_version, run_id, {f.file_name: f.sha256 for f in report.present}
            )
        conn.commit()
        _analyze(conn, release, report)
    report.seconds = time.perf_counter() - started
    return report


def _validate_files(release: Release, planned: list[tuple[FileSpec, Path | None]]) -> ReleaseLoadReport:
    """Each planned file's presence, header, row count and hash; a missing required file, a wrong header or
    a required file without data rows is refused naming the file (and line)."""
    report = ReleaseLoadReport(data_version=release.data_version, source=release.source)
    for spec, path in planned:
        if path is None:
            if spec.required:
                raise ReleaseFileError(
                    spec.file_name, None, f"required file is missing from the release ({release.folder})"
                )
            report.files.append(FileLoad(spec.file_name, spec.table, False, spec.required, True))
            continue
        header = read_header(path)
        check_header(spec, header)
        rows, size, sha = file_facts(path)
        if spec.required and rows == 0:
            raise ReleaseFileError(spec.file_name, 2, "required file has a header but no data rows")
        report.files.append(
            FileLoad(
                spec.file_name,
                spec.table,
                True,
                spec.required,
                spec.file_name in SPEC_BY_FILE,
                rows,
                size,
                sha,
                header,
            )
        )
    return report


def _copy_files(
    conn: psycopg.Connection,
    release: Release,
    report: ReleaseLoadReport,
    specs: dict[str, FileSpec],
    paths: dict[str, Path | None],
) -> None:
    """COPY every present file into its staging table; every row of the file must arrive."""
    for f in report.files:
        _ensure_parent(conn, specs[f.file_name], f.header or specs[f.file_name].headers[0])
    for f in report.present:
        loaded = _copy_file(conn, paths[f.file_name], specs[f.file_name], f.header, release.data_version)
        if loaded != f.rows:
            raise ReleaseFileError(
                f.file_name, None, f"{f.rows} data lines in the file but {loaded} rows loaded"
            )


def _refuse_other_files_for_a_served_version(
    conn: psycopg.Connection, release: Release, report: ReleaseLoadReport
) -> bool:
    """Whether the files are the ones the version was built from; other files for a complete version are
    refused: loading them in place would serve a mix of two builds."""
    before = dict(
        conn.execute(
            "SELECT file_name, sha256 FROM core.release_files WHERE data_version = %s AND present",
            (release.data_version,),
        ).fetchall()
    )
    same_files = before == {f.file_name: f.sha256 for f in report.present}
    if not same_files and build_status(conn, release.data_version) == COMPLETE:
        raise ReleaseFileError(
            release.folder.name,
            None,
            f"O*NET {release.data_version} is complete and served: rebuild it with `occurisk pipeline "
            f"--version {release.data_version}`, which builds it aside and switches when it is complete",
        )
    return same_files


def _mark_building(conn: psycopg.Connection, release: Release, run_id: str | None, same_files: bool) -> None:
    conn.execute(
        """INSERT INTO core.data_version (id, release_date, source, loaded_at, build_status, build_run_id)
           VALUES (%(v)s, %(date)s, %(source)s, now(), 'building', %(run)s)
           ON CONFLICT (id) DO UPDATE SET release_date = EXCLUDED.release_date, source = EXCLUDED.source,
               loaded_at = EXCLUDED.loaded_at, build_run_id = EXCLUDED.build_run_id, build_error = NULL,
               build_status = CASE WHEN core.data_version.build_status = 'complete' AND %(same)s
                                   THEN 'complete' ELSE 'building' END""",
        {
            "v": release.data_version,
            "date": release.release_date,
            "source": release.source,
            "run": run_id,
            "same": same_files,
        },
    )


def _swap_in_partitions(conn: psycopg.Connection, release: Release, report: ReleaseLoadReport) -> None:
    for f in report.files:
        _swap_in(conn, f.table, release.data_version, f.present)
    # Tables of files this release no longer has keep no stale partition for this version.
    stale = conn.execute(
        "SELECT table_name FROM core.release_files WHERE data_version = %s AND present",
        (release.data_version,),
    ).fetchall()
    for (table,) in stale:
        if table not in {f.table for f in report.files}:
            _swap_in(conn, table, release.data_version, False)


def _record_files(conn: psycopg.Connection, release: Release, report: ReleaseLoadReport) -> None:
    conn.execute("DELETE FROM core.release_files WHERE data_version = %s", (release.data_version,))
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO core.release_files (data_version, file_name, table_name, present, required,
               known_file, rows, bytes, sha256, header) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
            [
                (
                    release.data_version,
                    f.file_name,
                    f.table,
                    f.present,
                    f.required,
                    f.known_file,
                    f.rows,
                    f.bytes,
                    f.sha256,
                    list(f.header) if f.header else None,
                )
                for f in report.files
            ],
        )


def _analyze(conn: psycopg.Connection, release: Release, report: ReleaseLoadReport) -> None:
    # Statistics for the new partitions now, not when autovacuum gets to them: dbt builds from them next.
    for f in report.present:
        conn.execute(
            sql.SQL("ANALYZE {}").format(
                sql.Identifier("onet_raw", partition_name(f.table, release.data_version))
            )
        )
