"""A 20-task sample with two raters and the offline default end to end on real 30.1 data, with the real O*NET loader and dbt:
`occurisk score` scores, then aggregates into task_ai_ensemble and occupation_ai_score."""

from __future__ import annotations

from click.testing import CliRunner
from dagster import DagsterInstance

from occurisk_assets.cli import main
from occurisk_assets.defs.dbt.assets import onet_dbt_models
from occurisk_assets.lib import db
from tests.dbt.helpers import build, load_onet


def test_score_then_aggregate_on_the_real_pipeline_marts(fresh_database, onet_dir):
    load_onet(onet_dir / "db_30_1_text", "30.1")
    build(onet_dbt_models, "30.1", DagsterInstance.ephemeral())
    runner = CliRunner()

    sampled = runner.invoke(main, ["score", "--version", "30.1", "--sample", "20"])

    assert sampled.exit_code == 0, sampled.output
    with db.connect() as conn:
        ensemble = conn.execute(
            "SELECT count(*), min(n_models), max(n_models) FROM marts.task_ai_ensemble WHERE data_version = '30.1'"
        ).fetchone()
        scored_tasks = conn.execute("SELECT count(DISTINCT task_id) FROM core.task_ai_score").fetchone()[0]
        assert ensemble == (scored_tasks, 1, 2) or ensemble == (scored_tasks, 2, 2)
        socs = conn.execute(
            "SELECT count(DISTINCT w.soc_code) FROM core.task_ai_score s JOIN marts.occupation_task_weight w "
            "USING (data_version, task_id)"
        ).fetchone()[0]
        n_occupations = conn.execute("SELECT count(*) FROM marts.occupation_ai_score").fetchone()[0]
    assert n_occupations == socs > 0
    assert (
        f"aggregated: marts.task_ai_ensemble and marts.occupation_ai_score ({socs} SOC occupations scored)"
        in sampled.output
    )

    full = runner.invoke(main, ["score", "--version", "30.1"])

    assert full.exit_code == 0, full.output
    with db.connect() as conn:
        rated_socs, scored_socs = conn.execute(
            """
            SELECT (SELECT count(DISTINCT w.soc_code) FROM core.task_ai_score s
                    JOIN marts.occupation_task_weight w USING (data_version, task_id) WHERE s.data_version = '30.1'),
                   (SELECT count(*) FROM marts.occupation_ai_score WHERE data_version = '30.1')
            """
        ).fetchone()
    assert rated_socs == scored_socs > 700  # every SOC with a rated task has an occupation score
