"""The copy of the built platform (built_database_copy in tests/built_platform.py): the finished build in a
database of its own, the platform database meanwhile; what a test changes there leaves the shared build as
it was."""

from __future__ import annotations

import os

import psycopg

from occurisk_assets.lib import db


def facts(url: str) -> tuple:
    with psycopg.connect(url) as conn:
        return conn.execute(
            """SELECT (SELECT id FROM core.data_version WHERE is_active),
                      (SELECT count(*) FROM marts.task_catalog WHERE data_version = '30.1'),
                      (SELECT count(*) FROM core.model_run),
                      current_setting('search_path')"""
        ).fetchone()


def test_a_copy_holds_the_build_and_its_changes_stay_in_it(built_database, built_database_copy):
    assert built_database_copy != built_database
    assert os.environ["DATABASE_URL"] == built_database_copy
    shared = facts(built_database)
    assert shared[:2] == ("30.1", 18796)
    assert facts(built_database_copy) == shared
    with db.connect() as conn:
        conn.execute("UPDATE core.data_version SET is_active = false")
    assert facts(built_database_copy)[0] is None
    assert facts(built_database) == shared
