"""The alembic migrations own every table the Python code uses: `occurisk db migrate` on an empty database
makes each relation the code names and the onet_raw parent of every file files.py knows, a second run
changes nothing, the revisions after the tables of 0001–0005 go down and up again, and the history has one
line and one head."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.script import ScriptDirectory

from occurisk_assets.backup import _tool
from occurisk_assets.careers.similarity import COMPONENTS
from occurisk_assets.lib import db, schema
from occurisk_assets.onet.files import SPECS

ROOT = Path(__file__).resolve().parents[1]
OCCURISK = str(Path(sys.executable).parent / "occurisk")
# Schemas whose tables the migrations own (staging/intermediate/marts are dbt's; onet_raw's parents are the
# migrations' too, checked against files.py below, its per-version partitions the loader's).
OWNED_SCHEMAS = ("core", "bls", "careers", "postings", "assistant")
# A schema-qualified name in the code: `core.model_run`, not `defs.postings.crawler`, `api/careers.py`,
# `@postings.command(...)` or `bls.gov`.
QUALIFIED_NAME = re.compile(
    rf"(?<![\w./])({'|'.join(OWNED_SCHEMAS)})\.([a-z_][a-z0-9_]*)\b(?!\.py|\s*\()(?<!bls\.gov)"
)
LAST_REVISION_BEFORE_THIS_WORK = "0006"  # the posting outcomes; 0007 on: the tables the code made


def names_in_code() -> set[str]:
    """Every `schema.name` of an owned schema that the product code (occurisk_assets, api) names."""
    found = set()
    for folder in ("occurisk_assets", "api"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            found |= {f"{s}.{n}" for s, n in QUALIFIED_NAME.findall(path.read_text())}
    return found


def relations_and_routines(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute(
        """SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ANY(%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
           UNION SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = ANY(%(schemas)s)""",
        {"schemas": list(OWNED_SCHEMAS)},
    ).fetchall()
    return {r[0] for r in rows}


def tables(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = ANY(%s)",
        [list(OWNED_SCHEMAS)],
    ).fetchall()
    return {r[0] for r in rows}


def schema_dump(url: str) -> list[str]:
    """Every table, column, index, constraint, trigger, function and privilege, as pg_dump writes them; its
    lines sorted, since grants made in another order list the same privileges in another order."""
    result = subprocess.run(
        [_tool("pg_dump"), "--schema-only", "--restrict-key=occurisk", "-d", url],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(result.stdout.splitlines())


def occurisk_db_migrate(url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PGPASSFILE"} | {"DATABASE_URL": url}
    return subprocess.run(
        [OCCURISK, "db", "migrate"], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def empty_database(pg_server) -> Iterator[str]:
    """A database nothing has touched: not even the test session's migrate."""
    name = f"t_empty_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield db.with_database(pg_server, name)
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def migrated(empty_database) -> str:
    with psycopg.connect(empty_database) as conn:
        assert tables(conn) == set()
    result = occurisk_db_migrate(empty_database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"database migrated to revision {schema.alembic_heads()[0]}"
    return empty_database


def test_db_migrate_makes_every_table_the_code_uses_and_no_other(migrated):
    in_code = names_in_code()
    with psycopg.connect(migrated) as conn:
        made = relations_and_routines(conn)
        made_tables = tables(conn)
    assert sorted(in_code - made) == []  # a name the code uses that no migration makes
    assert sorted(made_tables - in_code) == []  # a table the migrations make that nothing uses
    assert {"careers.occupation_similarity", "postings.posting", "assistant.profile"} <= made_tables


def test_the_similarity_table_has_a_column_per_component(migrated):
    with psycopg.connect(migrated) as conn:
        columns = {
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'careers' AND table_name = 'occupation_similarity'"
            )
        }
    assert set(COMPONENTS) <= columns


def test_every_onet_file_has_its_list_partitioned_parent_with_the_columns_of_files_py(migrated):
    with psycopg.connect(migrated) as conn:
        parents = dict(
            conn.execute(
                """SELECT c.relname, pg_get_partkeydef(c.oid) FROM pg_class c
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'onet_raw' AND c.relkind = 'p'"""
            ).fetchall()
        )
        columns = {
            spec.table: conn.execute(
                """SELECT column_name, data_type FROM information_schema.columns
                   WHERE table_schema = 'onet_raw' AND table_name = %s ORDER BY ordinal_position""",
                (spec.table,),
            ).fetchall()
            for spec in SPECS
        }
        primary_key = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'onet_raw.task_statements'::regclass AND contype = 'p'"
        ).fetchone()[0]
    assert parents == {spec.table: "LIST (data_version)" for spec in SPECS}
    for spec in SPECS:
        expected = [("data_version", "text"), ("line_no", "integer"), *spec.columns]
        assert [tuple(c) for c in columns[spec.table]] == expected, spec.file_name
    assert primary_key == "PRIMARY KEY (data_version, line_no)"


def test_migrating_again_changes_nothing(migrated):
    before = schema_dump(migrated)
    result = occurisk_db_migrate(migrated)
    assert result.returncode == 0, result.stderr
    assert schema_dump(migrated) == before


def test_the_new_revisions_go_down_and_up_again(migrated):
    before = schema_dump(migrated)
    config = schema.alembic_config(migrated)
    command.downgrade(config, LAST_REVISION_BEFORE_THIS_WORK)
    with psycopg.connect(migrated) as conn:
        assert schema.current_revision(conn) == LAST_REVISION_BEFORE_THIS_WORK
        left = tables(conn)
        schemas = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace")}
    assert not {t for t in left if t.split(".")[0] in ("careers", "postings")}
    assert {t for t in left if t.startswith("assistant.")} == {
        "assistant.profile",
        "assistant.posting_outcome",
        "assistant.posting_outcome_change",
    }
    assert {"careers", "postings", "assistant"} <= schemas  # 0004's and 0006's
    with psycopg.connect(migrated) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'onet_raw'").fetchone()[0] == 0
    assert schema.migrate(migrated) == schema.alembic_heads()[0]
    assert schema_dump(migrated) == before


def test_the_history_is_one_line_with_one_head():
    script = ScriptDirectory(str(schema.MIGRATIONS_DIR))
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads {heads}: re-point the newer revision's down_revision"
    chain = [r.revision for r in script.walk_revisions("base", heads[0])]
    assert len(chain) == len(set(chain)) == len(list(script.walk_revisions()))
    # Each revision's file is named after it: NNNN_what.py.
    for revision in script.walk_revisions():
        assert Path(revision.path).name.startswith(f"{revision.revision}_"), revision.path
