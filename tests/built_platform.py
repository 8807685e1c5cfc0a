"""The real platform, built once per test session for every test that reads a finished build: the real
O*NET 30.1 pipeline output (the Dagster job, run once: published raters score every task) and the real BLS
OEWS May 2024 and 2024-34 projections, with 30.1 active; plus one LLM run over a few tasks against a fake
OpenAI server, so that rationales show. It lives in a database of its own on the session server, so other
tests' databases and versions cannot disturb it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterInstance

from occurisk_assets.aei.files import find_releases
from occurisk_assets.aei.loader import load_release as load_aei_release
from occurisk_assets.aei.matching import match_release
from occurisk_assets.definitions import defs
from occurisk_assets.defs.careers.assets import careers_dbt_models
from occurisk_assets.defs.dbt.assets import score_dbt_models
from occurisk_assets.lib import db, schema
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.lifecycle.activation import activate
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import resolve_release
from occurisk_assets.runs.pipeline import run_pipeline
from occurisk_assets.scoring.config import load_scoring_config
from occurisk_assets.scoring.runs import ScoringEnvironment, ScoringRequest, run_scoring
from occurisk_assets.versions import BUILDING, mark_complete
from tests.fakes.llm_server import FakeLLMServer

DATA_VERSION = "30.1"
BUILT_DATABASE = "occurisk_built"
# The build as it finished, copied before any test connects to it: what built_database_copy clones.
BUILT_PRISTINE = "occurisk_built_pristine"
LLM_MODEL = "openai:gpt-4.1-mini"
LLM_TASKS = 12  # the catalog's first tasks by priority
AEI_RELEASES = ("labor_market_impacts", "2025_03_27")


@contextmanager
def platform_database(url: str) -> Iterator[None]:
    """Make `url` the platform database (DATABASE_URL) for the block, as a deployment would set it."""
    previous = os.environ["DATABASE_URL"]

    def point_at(target: str) -> None:
        os.environ["DATABASE_URL"] = target
        get_settings.cache_clear()
        db.export_connection_env()

    point_at(url)
    try:
        yield
    finally:
        point_at(previous)


def assert_success(result, what: str) -> None:
    failures = [
        f"{e.step_key}: {e.step_failure_data.error.message.strip()}"
        for e in result.all_events
        if e.is_step_failure
    ]
    assert result.success, f"{what} failed: {failures}"


def build_real_database(instance: DagsterInstance) -> None:
    """The whole data_version job for 30.1 (it loads the BLS releases first), then 30.1 activated."""
    assert_success(run_pipeline(DATA_VERSION, instance), f"the {DATA_VERSION} pipeline")
    with db.connect() as conn:
        activate(conn, DATA_VERSION)


def add_llm_run(instance: DagsterInstance, workdir: Path) -> None:
    """A re-scoring as an operator would do it: one LLM over the catalog's first tasks, against a fake OpenAI
    server (the official SDK's HTTP code runs, only the peer is fake), then the score marts rebuilt."""
    with FakeLLMServer() as server:
        override = workdir / "models.toml"
        override.write_text(f'[models."{LLM_MODEL}"]\nbase_url = "{server.openai_base_url}"\n')
        os.environ["OPENAI_API_KEY"] = "sk-test-api-tests"
        get_settings.cache_clear()
        try:
            with db.connect() as conn:
                [run] = run_scoring(
                    conn,
                    ScoringRequest(DATA_VERSION, models=[LLM_MODEL], top_n=LLM_TASKS),
                    ScoringEnvironment(config=load_scoring_config(override)),
                )
        finally:
            os.environ.pop("OPENAI_API_KEY")
            get_settings.cache_clear()
    assert run.n_scored == LLM_TASKS
    job = defs().resolve_job_def("data_version_pipeline")
    assert_success(
        job.execute_in_process(
            partition_key=DATA_VERSION,
            instance=instance,
            raise_on_error=False,
            asset_selection=[*score_dbt_models.keys, *careers_dbt_models.keys],
        ),
        "the score marts rebuild",
    )


def add_observed_use() -> None:
    """The Anthropic Economic Index releases with observed exposure, penetration and interaction patterns,
    matched to 30.1 (the AEI loader and matcher the aei assets run)."""
    releases = find_releases(*get_settings().aei_release_roots)
    with db.connect() as conn:
        for key in AEI_RELEASES:
            load_aei_release(releases[key])
            match_release(conn, key, DATA_VERSION)


@contextmanager
def raw_version_served(url: str, data_version: str = "30.0") -> Iterator[None]:
    """For the block, `data_version` is active with only its raw files loaded and marked built (its marts
    stay empty); afterwards 30.1 is active again and `data_version` is back to not served, so tests that
    come later see the built platform as it was."""
    load_release(resolve_release(data_version), url=url)
    try:
        with psycopg.connect(url) as conn:
            mark_complete(conn, data_version)
            activate(conn, data_version)
        yield
    finally:
        with psycopg.connect(url) as conn:
            activate(conn, DATA_VERSION)
            conn.execute(
                "UPDATE core.data_version SET build_status = %s WHERE id = %s", (BUILDING, data_version)
            )


@pytest.fixture(scope="session")
def built_database(pg_server, tmp_path_factory) -> str:
    url = db.with_database(pg_server, BUILT_DATABASE)
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{BUILT_DATABASE}"')
    with platform_database(url):
        schema.ensure_server()
        instance = DagsterInstance.ephemeral()
        build_real_database(instance)
        add_llm_run(instance, tmp_path_factory.mktemp("api_llm"))
        add_observed_use()
    with psycopg.connect(db.with_database(pg_server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{BUILT_PRISTINE}" TEMPLATE "{BUILT_DATABASE}" STRATEGY FILE_COPY')
    return url


@contextmanager
def copy_of_built_platform(pg_server: str) -> Iterator[str]:
    """A database of its own holding the built platform as it was right after its build (needs
    built_database), made the platform database for the block: for tests that change a built platform
    (re-running the pipeline on it, archiving, rebuilding) without building one again or touching the
    shared one."""
    from tests.conftest import isolated_database  # tests/conftest.py imports this module

    with isolated_database(pg_server, template=BUILT_PRISTINE) as url:
        yield url


@pytest.fixture
def built_database_copy(pg_server, built_database) -> Iterator[str]:
    """A copy of the built platform for one test that changes it (copy_of_built_platform)."""
    with copy_of_built_platform(pg_server) as url:
        yield url


@pytest.fixture(scope="session")
def db_conn(built_database) -> Iterator[psycopg.Connection]:
    """A connection for computing what the API should answer, straight from the tables."""
    with psycopg.connect(built_database, autocommit=True) as conn:
        yield conn
