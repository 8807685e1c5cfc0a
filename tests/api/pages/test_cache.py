"""The response cache shared by pages and the JSON API: a repeated request is answered from memory, and
anything that changes what is served — the active version switching, scores rebuilt, a served table
written — changes the data generation, so the next answer is computed afresh."""

from __future__ import annotations

import logging

import psycopg
import pytest
from dagster import DagsterInstance
from fastapi.testclient import TestClient

from api.main import create_app
from occurisk_assets.definitions import defs
from occurisk_assets.defs.dbt.assets import score_dbt_models
from occurisk_assets.lib import data_generation, roles
from occurisk_assets.partitions import data_version_partitions
from tests.built_platform import assert_success, platform_database, raw_version_served

DETAIL = "/api/v1/occupations/53-3032"
PAGE = "/occupation/53-3032"


def generation(url: str) -> int:
    with psycopg.connect(url) as conn:
        return data_generation.current(conn)


@pytest.mark.parametrize("path", [DETAIL, PAGE, "/explore", "/api/v1/rankings/ai_risk?limit=5"])
def test_a_repeated_request_is_served_from_the_cache(site, path):
    first = site.get(path)
    again = site.get(path)
    assert first.status_code == again.status_code == 200
    assert again.headers["x-cache"] == "hit" and again.content == first.content
    # The language is part of the key: the Korean page is not the English one.
    if not path.startswith("/api/"):
        korean = site.get(path, headers={"Accept-Language": "ko"})
        assert korean.headers["x-cache"] == "miss" and '<html lang="ko">' in korean.text


def test_health_and_errors_are_never_cached(site):
    assert "x-cache" not in site.get("/api/v1/health").headers
    site.get("/occupation/99-9999")
    assert site.get("/occupation/99-9999").headers["x-cache"] == "miss"


def test_switching_the_active_version_changes_the_next_answer(site, built_database):
    site.get("/")
    cached = site.get("/")
    assert cached.headers["x-cache"] == "hit" and "Data: O*NET 30.1." in cached.text
    with raw_version_served(built_database, "30.0"):
        switched = site.get("/")
        assert switched.headers["x-cache"] == "miss" and "Data: O*NET 30.0." in switched.text
        assert site.get("/api/v1/occupations").json()["meta"]["data_version"] == "30.0"
    back = site.get("/")
    assert back.headers["x-cache"] == "miss" and "Data: O*NET 30.1." in back.text


def rebuild_score_marts(url: str) -> None:
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(data_version_partitions.name, ["30.1"])
    with platform_database(url):
        job = defs().resolve_job_def("data_version_pipeline")
        result = job.execute_in_process(
            partition_key="30.1",
            instance=instance,
            raise_on_error=False,
            asset_selection=list(score_dbt_models.keys),
        )
    assert_success(result, "the score marts rebuild")


def test_rebuilding_scores_changes_the_next_answer(site, built_database):
    """A rater's scores of one occupation's tasks are rewritten (as a re-score would) and the score marts
    rebuilt: the next detail answer and page carry the new occupation score; restoring both brings back
    the old answer, computed again rather than replayed from before."""
    before = site.get(DETAIL).json()
    site.get(PAGE)
    assert site.get(PAGE).headers["x-cache"] == "hit"
    model = before["model_scores"][0]["model"]
    task_ids = [t["task_id"] for t in site.get(DETAIL, params={"tasks": 100}).json()["top_tasks"]]
    with psycopg.connect(built_database) as conn:
        saved = conn.execute(
            "SELECT task_id, run_id, score FROM core.task_ai_score "
            "WHERE data_version = '30.1' AND model = %s AND task_id = ANY(%s)",
            (model, task_ids),
        ).fetchall()
        generation_before = data_generation.current(conn)
        conn.execute(
            "UPDATE core.task_ai_score SET score = 1.0 WHERE data_version = '30.1' AND model = %s "
            "AND task_id = ANY(%s)",
            (model, task_ids),
        )
    try:
        assert generation(built_database) > generation_before  # the write alone already moved it
        rebuild_score_marts(built_database)
        after = site.get(DETAIL)
        assert after.headers["x-cache"] == "miss"
        changed = after.json()
        rescored = next(m for m in changed["model_scores"] if m["model"] == model)
        assert rescored["score"] == pytest.approx(1.0)
        assert changed["ai_score"]["mean"] > before["ai_score"]["mean"]
        page = site.get(PAGE)
        assert page.headers["x-cache"] == "miss"
        assert f"About {round(changed['ai_score']['mean'] * 100)}% of the work" in page.text
    finally:
        with psycopg.connect(built_database) as conn:
            for task_id, run_id, score in saved:
                conn.execute(
                    "UPDATE core.task_ai_score SET score = %s WHERE data_version = '30.1' AND model = %s "
                    "AND task_id = %s AND run_id = %s",
                    (score, model, task_id, run_id),
                )
        rebuild_score_marts(built_database)
    restored = site.get(DETAIL)
    assert restored.headers["x-cache"] == "miss"
    assert restored.json()["ai_score"] == before["ai_score"]


def test_every_served_table_moves_the_generation(built_database):
    """Each mart the API reads carries the trigger its dbt post-hook ensures, as do the Python-written
    tables; a write to any of them (a retention delete, say) moves the generation in the same commit."""
    with psycopg.connect(built_database) as conn:
        watched = {
            row[0]
            for row in conn.execute(
                """SELECT c.relnamespace::regnamespace || '.' || c.relname FROM pg_trigger t
                   JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'bump_data_generation'"""
            )
        }
        read_by_api = {
            "marts.occupation_summary",
            "marts.occupation_ai_score_by_model",
            "marts.occupation_master",
            "marts.occupation_task_weight",
            "marts.task_statements",
            "marts.task_ai_ensemble",
            "marts.task_model_score",
            "marts.occupation_related",
            "marts.occupation_search_terms",
            "marts.occupation_search_words",
            "marts.task_catalog",
            "core.data_version",
            "core.task_ai_score",
            "core.model_run",
            "bls.bls_oews_metrics",
            "bls.bls_proj_metrics",
            "bls.soc_bls_link",
        }
        assert read_by_api <= watched, read_by_api - watched
        before = data_generation.current(conn)
        with conn.transaction():
            conn.execute("DELETE FROM marts.occupation_related WHERE data_version = 'none'")
            # Inside the writing transaction the new generation is not visible to anyone else yet.
            with psycopg.connect(built_database) as other:
                assert data_generation.current(other) == before
        assert data_generation.current(conn) == before + 1


def test_an_unreadable_generation_is_warned_once_per_outage(fresh_database, caplog):
    """Uncached while the API role cannot read the data generation: said once, not at every request."""
    with psycopg.connect(fresh_database, autocommit=True) as owner:
        owner.execute("REVOKE SELECT ON core.data_generation FROM occurisk_api")
        api_app = create_app(roles.role_url(fresh_database, roles.API))
        with TestClient(api_app) as api, caplog.at_level(logging.WARNING, logger="api.cache"):
            for _ in range(3):
                assert "x-cache" not in api.get("/api/v1/versions").headers
            owner.execute("GRANT SELECT ON core.data_generation TO occurisk_api")
            assert api.get("/api/v1/versions").headers["x-cache"] == "miss"
            owner.execute("REVOKE SELECT ON core.data_generation FROM occurisk_api")
            api.get("/api/v1/versions")
            api.get("/api/v1/versions")
    warnings = [r.getMessage() for r in caplog.records if r.name == "api.cache"]
    assert len(warnings) == 2, warnings
    assert all("data generation cannot be read" in w and r"permission denied" in w for w in warnings)
