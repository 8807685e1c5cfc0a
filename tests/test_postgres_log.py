"""The local server's log never holds what a refused statement carried (occurisk_assets/lib/db.py,
LOG_PRIVACY_SETTINGS): neither the value an error's DETAIL and CONTEXT quote, nor the statement, nor its
parameters."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

from occurisk_assets.lib import postgres_server

SECRET = "Cared for my mother"


def test_a_refused_value_never_reaches_the_server_log(pg_server):
    log_file = postgres_server.LocalServer(
        pgdata=Path(os.environ["OCCURISK_HOME"]) / "postgres" / "data", port=0
    ).log_file
    with psycopg.connect(pg_server, autocommit=True) as conn:
        # jsonb quotes the bad escape's line in CONTEXT; the statement holds the text as a literal
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            conn.execute(f'SELECT \'{{"duty": "{SECRET} \\ud800"}}\'::jsonb')
        # the value as a bound parameter, and as a row DETAIL quotes ("Failing row contains …")
        conn.execute("CREATE TEMP TABLE duty (text text CHECK (length(text) < 5))")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO duty VALUES (%s)", [SECRET])
    log = log_file.read_text(errors="replace")
    assert "violates check constraint" in log  # the errors are logged, by their one-line message
    assert SECRET not in log
