"""Scoring fixtures: a marts.task_catalog built from the real 30.1 files, a fake OpenAI/Anthropic server,
a scoring config pointing at it, and API keys that must never show up anywhere."""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg
import pytest

from occurisk_assets.lib.settings import SHARED_DATA, Settings
from occurisk_assets.resources import LLMProviders
from occurisk_assets.scoring.config import ScoringConfig, load_scoring_config
from tests.fakes.llm_server import FakeLLMServer

ONET_30_1 = SHARED_DATA / "onet" / "db_30_1_text"
OPENAI_MODEL = "openai:gpt-4.1-mini"
ANTHROPIC_MODEL = "anthropic:claude-haiku-4-5"
LLM_MODELS = [OPENAI_MODEL, ANTHROPIC_MODEL]
OPENAI_TEST_KEY = "sk-test-OPENAI-4f1c2e9a7b"
ANTHROPIC_TEST_KEY = "sk-ant-test-ANTHROPIC-8d3b6c0f2e"

CATALOG_DDL = """
CREATE SCHEMA IF NOT EXISTS marts;
CREATE TABLE marts.task_catalog (
    data_version text NOT NULL, task_id integer NOT NULL, onetsoc_code text NOT NULL, soc_code text NOT NULL,
    occupation_title text NOT NULL, task_statement text NOT NULL, task_type text, importance numeric,
    relevance numeric, frequency numeric, priority_rank integer NOT NULL, PRIMARY KEY (data_version, task_id)
);
CREATE TEMP TABLE catalog_load (task_id integer, onetsoc_code text, occupation_title text, task_statement text,
                                task_type text);
"""


def _read_tsv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_catalog(conn: psycopg.Connection, data_version: str = "30.1") -> int:
    """marts.task_catalog from the real Task Statements + Occupation Data (no Task Ratings in this copy:
    priority by task type, then task_id, as the dbt model ranks unrated tasks)."""
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in _read_tsv(ONET_30_1 / "Occupation Data.txt")}
    conn.execute(CATALOG_DDL)
    with conn.cursor().copy("COPY catalog_load FROM STDIN") as copy:
        for r in _read_tsv(ONET_30_1 / "Task Statements.txt"):
            code = r["O*NET-SOC Code"]
            task_type = None if r["Task Type"] == "n/a" else r["Task Type"]
            copy.write_row((int(r["Task ID"]), code, titles[code], r["Task"], task_type))
    n = conn.execute(
        """
        INSERT INTO marts.task_catalog (data_version, task_id, onetsoc_code, soc_code, occupation_title,
            task_statement, task_type, priority_rank)
        SELECT %s, task_id, onetsoc_code, left(onetsoc_code, 7), occupation_title, task_statement, task_type,
               row_number() OVER (ORDER BY CASE task_type WHEN 'Core' THEN 1 WHEN 'Supplemental' THEN 2 ELSE 3 END,
                                  task_id)
        FROM catalog_load
        """,
        [data_version],
    ).rowcount
    conn.execute("DROP TABLE catalog_load")
    conn.commit()
    return n


def add_release(conn: psycopg.Connection, source: str, target: str, changed_texts: dict[int, str]) -> None:
    """A copy of release `source` as `target`, with some task texts changed."""
    conn.execute(
        """
        INSERT INTO marts.task_catalog
        SELECT %s, task_id, onetsoc_code, soc_code, occupation_title, task_statement, task_type, importance,
               relevance, frequency, priority_rank
        FROM marts.task_catalog WHERE data_version = %s
        """,
        [target, source],
    )
    for task_id, text in changed_texts.items():
        conn.execute(
            "UPDATE marts.task_catalog SET task_statement = %s WHERE data_version = %s AND task_id = %s",
            [text, target, task_id],
        )
    conn.commit()


@pytest.fixture
def catalog_db(fresh_database) -> str:
    with psycopg.connect(fresh_database) as conn:
        assert load_catalog(conn) == 18_796
    return fresh_database


@pytest.fixture
def conn(catalog_db):
    with psycopg.connect(catalog_db) as connection:
        yield connection


@pytest.fixture
def fake_api():
    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def llm_settings() -> Settings:
    """The settings scoring runs with when the LLM providers resource is configured with the test keys
    (as the code location configures it from the environment): nothing is written to os.environ."""
    return LLMProviders(openai_api_key=OPENAI_TEST_KEY, anthropic_api_key=ANTHROPIC_TEST_KEY).settings()


def _toml_value(value) -> str:
    return (
        f'"{value}"'
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )


def fake_config(tmp_path: Path, server: FakeLLMServer, **model_overrides) -> ScoringConfig:
    """The real models.toml, with both LLMs pointed at the fake server, quick timeouts and retries, and
    `model_overrides` applied to both."""
    lines = ["[retry]", "base_delay_s = 0.01", "max_delay_s = 0.05", "[batch]", "poll_interval_s = 0.01"]
    for name, base_url in (
        (OPENAI_MODEL, server.openai_base_url),
        (ANTHROPIC_MODEL, server.anthropic_base_url),
    ):
        fields = {
            "base_url": base_url,
            "timeout_s": 0.5,
            "requests_per_minute": 60_000,
            "tokens_per_minute": 100_000_000,
            "concurrency": 4,
            **model_overrides,
        }
        lines += [f'[models."{name}"]', *(f"{k} = {_toml_value(v)}" for k, v in fields.items())]
    override = tmp_path / "scoring-test.toml"
    override.write_text("\n".join(lines) + "\n")
    return load_scoring_config(override)


@pytest.fixture
def llm_config(tmp_path, fake_api) -> ScoringConfig:
    return fake_config(tmp_path, fake_api)
