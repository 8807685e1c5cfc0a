"""The API's database role reads what the API serves and can change nothing, even after switching its
session to read-write. (The tables themselves: tests/test_migrations.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from occurisk_assets.lib import db, roles, schema
from occurisk_assets.lib.data_generation import CURRENT_GENERATION

PROJECT = Path(__file__).resolve().parents[1]

WRITES = [
    "INSERT INTO core.data_version (id) VALUES ('99.9')",
    "UPDATE core.data_version SET is_active = true",
    "DELETE FROM core.version_diff",
    "CREATE TABLE public.sneaky (x int)",
    "CREATE TABLE core.sneaky (x int)",
    "CREATE TEMP TABLE sneaky (x int)",
    "SET ROLE occurisk",
    "SELECT count(*) FROM core.llm_call",  # prompts and raw responses: not served
    "SELECT count(*) FROM core.release_intake",
    "SELECT count(*) FROM onet_raw.occupation_data",
    "SELECT count(*) FROM bls.soc_bls_link",  # served through the view marts.soc_bls_metrics only
    "SELECT count(*) FROM assistant.profile",  # people's data: the assistant role's alone
]


@pytest.fixture
def api_conn(fresh_database):
    with psycopg.connect(roles.role_url(fresh_database, roles.API), autocommit=True) as conn:
        yield conn


def test_the_api_role_reads_what_it_serves(api_conn):
    assert api_conn.execute("SELECT current_user").fetchone()[0] == "occurisk_api"
    assert api_conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
    for table in roles.API_TABLES:
        assert api_conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


@pytest.mark.parametrize("statement", WRITES)
def test_the_api_role_cannot_write_even_read_write(api_conn, statement):
    api_conn.execute("SET default_transaction_read_only = off")  # allowed, and changes nothing:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        api_conn.execute(statement)


def test_marts_dbt_builds_later_are_readable_by_the_api(fresh_database, api_conn):
    with db.connect(fresh_database, autocommit=True) as owner:
        owner.execute("CREATE TABLE marts.built_later AS SELECT 1 AS x")
    assert api_conn.execute("SELECT x FROM marts.built_later").fetchone()[0] == 1


def test_the_api_role_reads_the_data_generation(api_conn):
    """The response cache reads it on every request (api/cache.py)."""
    assert api_conn.execute("SELECT count(*) >= 0 FROM core.data_generation").fetchone()[0]


def test_migrate_fails_naming_a_table_the_api_role_cannot_read(fresh_database):
    """A served table the owner cannot grant (made by another role: its GRANT only warns) stops the
    migration with the table's name, instead of an API that fails or serves uncached at request time."""
    superuser = roles.role_url(fresh_database, roles.SUPERUSER)
    with psycopg.connect(superuser, autocommit=True) as admin:
        admin.execute("ALTER TABLE core.data_generation OWNER TO postgres")
        admin.execute("GRANT SELECT, INSERT, UPDATE ON core.data_generation TO occurisk")
        admin.execute("REVOKE ALL ON core.data_generation FROM occurisk_api")
    with pytest.raises(RuntimeError, match=r"occurisk_api cannot read core\.data_generation$"):
        schema.migrate(fresh_database)
    with psycopg.connect(superuser, autocommit=True) as admin:
        admin.execute("ALTER TABLE core.data_generation OWNER TO occurisk")
    schema.migrate(fresh_database)


def test_every_platform_table_the_read_pool_queries_is_granted():
    """The SQL the API's read pool runs (api/, its pages included, and the cache's generation read) names no table
    outside the served schemas that API_TABLES leaves out."""
    sources = [p.read_text() for p in (PROJECT / "api").rglob("*.py")]
    read = {
        table
        for text in [*sources, CURRENT_GENERATION]
        for table in re.findall(r"\b(?:FROM|JOIN)\s+((?:core|bls|onet_raw)\.\w+)", text)
    }
    assert "core.data_generation" in read
    assert read <= set(roles.API_TABLES), read - set(roles.API_TABLES)
