"""One real PostgreSQL per test session, on a free loopback port, in a temporary folder.

Every test talks to it through DATABASE_URL, exactly as a deployment pointed at an external server would.
`fresh_database` gives a test its own empty database on the same server when it needs isolation.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from occurisk_assets.lib import db, postgres_server, roles, schema
from occurisk_assets.lib.settings import SHARED_DATA, get_settings
from tests.browser import browser, live_server, screenshots  # noqa: F401

# The built 30.1 platform (session-scoped, built on first use) for every test that reads a finished build.
from tests.built_platform import built_database, built_database_copy, db_conn  # noqa: F401

# A platform database with a PostgreSQL-backed Dagster instance, for tests of real `occurisk` processes.
from tests.dagster_platform import platform  # noqa: F401

# The fake LLM server as the configured OpenAI model (the résumé rewording's tests).
from tests.fakes.llm_fixtures import fake_llm  # noqa: F401

# The session's one real browser and live server, for every folder that drives pages.
from tests.serving import free_port

ONET_DATA = SHARED_DATA / "onet"
TASK_RATINGS_EXCERPT = ONET_DATA / "excerpts" / "db_30_1_task_ratings_head.txt"


# The apps and servers the tests start load the speech model only when a test transcribes (api/config.py).
os.environ.setdefault("OCCURISK_PRELOAD_SPEECH_MODEL", "0")
# One test client sends many expensive requests a minute (fixture sets of ads, résumés, letters); the rate
# limit's own tests (tests/api/test_overload_*.py) set theirs.
os.environ.setdefault("OCCURISK_HEAVY_REQUESTS_PER_CLIENT_PER_MINUTE", "100000")


def pytest_configure(config) -> None:
    """One vector cache for the whole run, its workers included (they inherit the environment): every build
    of a release in the suite reads the O*NET texts' meaning vectors the first one encoded."""
    if hasattr(config, "workerinput") or "OCCURISK_VECTOR_CACHE_DIR" in os.environ:
        return
    config.vector_cache_dir = tempfile.mkdtemp(prefix="occurisk-vectors-")
    os.environ["OCCURISK_VECTOR_CACHE_DIR"] = config.vector_cache_dir


def pytest_collection_modifyitems(items) -> None:
    """Files marked `builds_releases` first: `--dist loadfile` hands files out in this order, and started
    last they kept one worker busy for the final 25 minutes while the other had nothing left to do."""
    items.sort(key=lambda item: item.get_closest_marker("builds_releases") is None)


def pytest_unconfigure(config) -> None:
    if getattr(config, "vector_cache_dir", None):
        shutil.rmtree(config.vector_cache_dir, ignore_errors=True)
        os.environ.pop("OCCURISK_VECTOR_CACHE_DIR", None)


def _point_at(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    db.export_connection_env()


@pytest.fixture(scope="session", autouse=True)
def pg_server() -> str:
    """Start the session's server and make it the platform database for everything in the process."""
    if not SHARED_DATA.is_dir():
        pytest.exit(f"real data not found at {SHARED_DATA} (../shared/data beside the project)", returncode=2)
    # Not under pytest's basetemp: pytest prunes old basetemps, which would pull the data folder from
    # under a server of a concurrent session.
    home = Path(tempfile.mkdtemp(prefix="occurisk-test-"))
    os.environ["OCCURISK_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(home / "dagster_home")
    (home / "dagster_home").mkdir()
    # The default instance (local files in DAGSTER_HOME) for CLI builds, said explicitly (no warning).
    (home / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    for key in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OCCURISK_ONET_SOURCE", "OCCURISK_ONET_LANDING"):
        os.environ.pop(key, None)
    # fast: a throwaway server (its folder is deleted after the session), so crash safety is not needed.
    server = postgres_server.LocalServer(pgdata=home / "postgres" / "data", port=free_port(), fast=True)
    server.start()
    # The platform's databases with the owners the local server gives them (occurisk_assets/lib/roles.py).
    server.provision_databases({"occurisk": roles.OWNER, "dagster": roles.DAGSTER, "mlflow": roles.MLFLOW})
    # The owner's URL names its 0600 password file (in the session's home), never the password.
    _point_at(server.url("occurisk"))
    url = schema.ensure_server()
    yield url
    server.stop()
    shutil.rmtree(home, ignore_errors=True)


# The test databases of this session's server now in use. A dropped database's name is given to the next
# one: dbt keeps a build's parse per server, database name and version (defs/dbt/assets.py saved_parse), and
# the next build on that name starts from it instead of parsing the whole project once more (3.6 s a build).
_names_in_use: set[str] = set()


def _free_name() -> str:
    n = 0
    while f"t_{n}" in _names_in_use:
        n += 1
    _names_in_use.add(f"t_{n}")
    return f"t_{n}"


@contextmanager
def isolated_database(pg_server: str, template: str | None = None) -> Iterator[str]:
    """An empty database of its own on the session's server, made the platform database meanwhile; with
    `template`, a copy of that database instead (file copy: seconds, where building it again takes minutes)."""
    name = _free_name()
    copy_of = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy_of}')
    url = db.with_database(pg_server, name)
    _point_at(url)
    schema.ensure_server()
    try:
        yield url
    finally:
        _point_at(pg_server)
        with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        _names_in_use.discard(name)


@pytest.fixture
def fresh_database(pg_server):
    """An empty database for one test."""
    with isolated_database(pg_server) as url:
        yield url


@pytest.fixture(scope="module")
def module_database(pg_server):
    """An empty database shared by the tests of one module (when building it is the slow part)."""
    with isolated_database(pg_server) as url:
        yield url


@pytest.fixture(scope="session")
def onet_dir() -> Path:
    return ONET_DATA
