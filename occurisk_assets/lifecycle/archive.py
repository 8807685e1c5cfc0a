"""Archives: rows of the platform exported to a folder of gzip-compressed CSV files (one per table, COPY
format) plus manifest.json, and restored from it.

An archive is written to `<name>.partial/` and renamed when complete, so a folder without the suffix is
always whole. Restoring refuses to overwrite: a version or run that exists again in the database is a
conflict for a person to resolve, not something to merge silently.
"""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from occurisk_assets.lib.safe_archives import UnsafeArchive, path_inside
from occurisk_assets.lib.schema import table_exists
from occurisk_assets.onet.loader import partition_name

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
COPY_CSV = "FORMAT csv, HEADER true"


class ArchiveError(Exception):
    pass


@dataclass(frozen=True)
class TableSlice:
    """The rows of one table that belong to an archive: `schema.table WHERE where`."""

    schema: str
    table: str
    where: str  # SQL over the table's columns, with %(name)s parameters
    params: dict

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.table}"


def _columns(conn: psycopg.Connection, schema: str, table: str) -> list[tuple[str, str]]:
    """(name, type) of the columns a COPY can write back: stored generated columns are recomputed."""
    return conn.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
           ORDER BY a.attnum""",
        (schema, table),
    ).fetchall()


def _export_slice(conn: psycopg.Connection, part: TableSlice, folder: Path) -> dict:
    columns = _columns(conn, part.schema, part.table)
    file_name = f"{part.schema}.{part.table}.csv.gz"
    query = sql.SQL("COPY (SELECT {} FROM {} WHERE {}) TO STDOUT WITH ({})").format(
        sql.SQL(", ").join(sql.Identifier(name) for name, _ in columns),
        sql.Identifier(part.schema, part.table),
        sql.SQL(part.where),
        sql.SQL(COPY_CSV),
    )
    # COPY takes no server-side parameters: the slice's values are bound client-side.
    statement = psycopg.ClientCursor(conn).mogrify(query, part.params)
    with conn.cursor() as cur, gzip.open(folder / file_name, "wb") as out:
        with cur.copy(statement) as copy:
            for chunk in copy:
                out.write(chunk)
        rows = cur.rowcount
    return {
        "schema": part.schema,
        "table": part.table,
        "file": file_name,
        "rows": rows,
        "columns": [[name, sql_type] for name, sql_type in columns],
    }


def write_archive(
    conn: psycopg.Connection, root: Path, name: str, kind: str, slices: list[TableSlice], identity: dict
) -> tuple[Path, dict]:
    """Export `slices` (in restore order) into root/name; returns the folder and its manifest."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / name
    if final.exists():
        raise ArchiveError(f"archive {final} already exists")
    partial = root / f"{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    manifest = {
        "format": ARCHIVE_FORMAT,
        "kind": kind,
        **identity,
        "created_at": datetime.now(UTC).isoformat(),
        "tables": [_export_slice(conn, part, partial) for part in slices],
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2))
    partial.rename(final)
    return final, manifest


def read_manifest(folder: Path) -> dict:
    """The manifest of an archive folder; every file it lists is held to the safe-archive rules (a plain path
    inside the folder, no symbolic link): a manifest cannot make a restore read a file from elsewhere."""
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        raise ArchiveError(f"{folder} is not an occurisk archive: {MANIFEST} is missing")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError(
            f"{path}: archive format {manifest.get('format')!r}, this version reads {ARCHIVE_FORMAT}"
        )
    for entry in manifest["tables"]:
        try:
            listed = path_inside(folder, entry["file"], str(path))
        except UnsafeArchive as exc:
            raise ArchiveError(str(exc)) from exc
        if not listed.is_file():
            raise ArchiveError(f"{folder}: {entry['file']} listed in {MANIFEST} is missing")
    return manifest


def _create_missing_table(conn: psycopg.Connection, entry: dict) -> None:
    """A table the archive holds but the database lacks: a mart dbt has not built yet, or the raw table of a
    file no spec names (files.py's have their parents from the migrations) restored into a fresh database."""
    schema, table = entry["schema"], entry["table"]
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(sql_type))
        for name, sql_type in entry["columns"]
    )
    if (
        schema == "onet_raw"
    ):  # the loader's layout: LIST-partitioned by data_version, PK (data_version, line_no)
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} ({}, PRIMARY KEY (data_version, line_no)) PARTITION BY LIST (data_version)"
            ).format(sql.Identifier(schema, table), columns)
        )
    else:
        conn.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(schema, table), columns))


def _restore_table(conn: psycopg.Connection, folder: Path, entry: dict, data_version: str | None) -> int:
    schema, table = entry["schema"], entry["table"]
    if not table_exists(conn, f"{schema}.{table}"):
        _create_missing_table(conn, entry)
    if schema == "onet_raw":
        part = partition_name(table, data_version)
        conn.execute(
            sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES IN ({})").format(
                sql.Identifier(schema, part), sql.Identifier(schema, table), sql.Literal(data_version)
            )
        )
    names = sql.SQL(", ").join(sql.Identifier(name) for name, _ in entry["columns"])
    # Through a scratch table: identity columns (run_id, ...) keep their archived values.
    conn.execute(
        sql.SQL("CREATE TEMP TABLE _restore ({}) ON COMMIT DROP").format(
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in entry["columns"]
            )
        )
    )
    copy_sql = sql.SQL("COPY _restore ({}) FROM STDIN WITH ({})").format(names, sql.SQL(COPY_CSV))
    with conn.cursor() as cur, gzip.open(folder / entry["file"], "rb") as src, cur.copy(copy_sql) as copy:
        while chunk := src.read(1 << 20):
            copy.write(chunk)
    restored = conn.execute(
        sql.SQL("INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE SELECT {} FROM _restore").format(
            sql.Identifier(schema, table), names, names
        )
    ).rowcount
    conn.execute("DROP TABLE _restore")
    _resync_identities(conn, schema, table)
    if restored != entry["rows"]:
        raise ArchiveError(
            f"{folder / entry['file']}: {restored} rows restored, the manifest says {entry['rows']}"
        )
    return restored


def _resync_identities(conn: psycopg.Connection, schema: str, table: str) -> None:
    """Rows restored with their archived ids (OVERRIDING SYSTEM VALUE) do not advance the identity sequence:
    move it past them, so the next generated id (e.g. the next scoring run) cannot collide."""
    qualified = sql.Identifier(schema, table).as_string(conn)
    for (column,) in conn.execute(
        """SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attidentity <> ''
           AND NOT a.attisdropped""",
        (qualified,),
    ).fetchall():
        conn.execute(
            sql.SQL(
                """SELECT setval(pg_get_serial_sequence({qualified}, {column}), max({ident}))
                   FROM {table} HAVING max({ident}) > coalesce(
                       pg_sequence_last_value(pg_get_serial_sequence({qualified}, {column})::regclass), 0)"""
            ).format(
                qualified=sql.Literal(qualified),
                column=sql.Literal(column),
                ident=sql.Identifier(column),
                table=sql.Identifier(schema, table),
            )
        )


def _check_conflicts(conn: psycopg.Connection, manifest: dict) -> None:
    if manifest["kind"] == "version":
        version = manifest["data_version"]
        if conn.execute("SELECT 1 FROM core.data_version WHERE id = %s", (version,)).fetchone():
            raise ArchiveError(
                f"O*NET {version} is in the database again: restoring would mix two copies of it "
                f"(archive the loaded copy first: occurisk archive)"
            )
    run_ids = manifest.get("run_ids") or []
    if run_ids:
        present = [
            r[0]
            for r in conn.execute(
                "SELECT run_id FROM core.model_run WHERE run_id = ANY(%s) ORDER BY run_id", (run_ids,)
            )
        ]
        if present:
            raise ArchiveError(f"scoring runs {present} are in the database already")


def _check_column_types(conn: psycopg.Connection, folder: Path, manifest: dict) -> None:
    """The manifest's column types are written into CREATE TABLE statements: each must be nothing but a type
    name PostgreSQL knows (to_regtype accepts exactly one), so a manifest cannot carry SQL of its own."""
    for entry in manifest["tables"]:
        for name, sql_type in entry["columns"]:
            try:  # not a type name: NULL, or an error (syntax, type modifier) that ends the transaction
                known = conn.execute("SELECT to_regtype(%s)", (sql_type,)).fetchone()[0] is not None
            except (psycopg.errors.SyntaxError, psycopg.errors.DataError):
                known = False
            if not known:
                raise ArchiveError(
                    f"{folder / MANIFEST}: column {entry['table']}.{name} has no type PostgreSQL knows"
                )


def restore_archive(conn: psycopg.Connection, folder: Path) -> dict:
    """Put an archive's rows back, all or nothing; returns {table: rows}."""
    folder = folder.resolve()
    manifest = read_manifest(folder)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('occurisk.activation', 0))")
        _check_column_types(conn, folder, manifest)
        _check_conflicts(conn, manifest)
        restored = {
            f"{e['schema']}.{e['table']}": _restore_table(conn, folder, e, manifest.get("data_version"))
            for e in manifest["tables"]
        }
        conn.execute("UPDATE core.archive_log SET restored_at = now() WHERE path = %s", (str(folder),))
    conn.commit()
    return restored


def log_archive(conn: psycopg.Connection, kind: str, folder: Path, manifest: dict) -> None:
    conn.execute(
        "INSERT INTO core.archive_log (kind, data_version, run_ids, path, tables) VALUES (%s, %s, %s, %s, %s)",
        (
            kind,
            manifest.get("data_version"),
            manifest.get("run_ids") or [],
            str(folder.resolve()),
            Jsonb({f"{e['schema']}.{e['table']}": e["rows"] for e in manifest["tables"]}),
        ),
    )
