"""task_ai_ensemble and occupation_ai_score(_by_model) from real scoring tables, through Dagster, on real 30.1."""

from __future__ import annotations

import statistics
from collections import defaultdict

import pytest

from occurisk_assets.dbt.project import DBT_PROJECT_DIR
from occurisk_assets.defs.dbt.assets import onet_dbt_models, saved_parse, score_dbt_models
from occurisk_assets.lib import db
from tests.dbt.helpers import build, failed_checks, load_onet, mart_counts, query

pytestmark = pytest.mark.usefixtures("module_database")


def add_run(
    model: str, created_at: str, status: str, scores: dict[int, float], data_version: str = "30.1"
) -> int:
    """A run of `model` as the scoring code records it, with the given task scores."""
    with db.connect() as conn:
        run_id = conn.execute(
            """INSERT INTO core.model_run (model, provider, model_version, prompt_version, data_version, mode,
                   status, created_at, n_tasks, selection_hash)
               VALUES (%s, 'published', 'v1', 'p1', %s, 'published', %s, %s, %s, 'test') RETURNING run_id""",
            (model, data_version, status, created_at, len(scores)),
        ).fetchone()[0]
        conn.cursor().executemany(
            """INSERT INTO core.task_ai_score (data_version, task_id, model, run_id, model_version, prompt_version,
                   score, origin, raw_json_ref, created_at)
               VALUES (%s, %s, %s, %s, 'v1', 'p1', %s, 'published', 'test', %s)""",
            [(data_version, task_id, model, run_id, score, created_at) for task_id, score in scores.items()],
        )
    return run_id


def tasks_of(*codes: str) -> list[int]:
    return [
        r[0]
        for r in query(
            "SELECT task_id FROM marts.task_statements WHERE data_version = '30.1' "
            "AND onetsoc_code = ANY(%s) ORDER BY task_id",
            (list(codes),),
        )
    ]


@pytest.fixture(scope="module")
def scored(module_database, onet_dir, instance):
    load_onet(onet_dir / "db_30_1_text", "30.1")
    build(onet_dbt_models, "30.1", instance)
    ceo, cso, advertising = tasks_of("11-1011.00"), tasks_of("11-1011.03"), tasks_of("11-2011.00")
    add_run("alpha", "2025-01-01", "completed", {t: (t % 10) / 10 for t in ceo + cso + advertising})
    add_run("beta", "2025-01-02", "completed", {t: (t % 7) / 7 for t in ceo})
    # A later alpha run that stopped after 5 tasks: those 5 count from it, the rest from the first run.
    add_run("alpha", "2025-03-01", "stopped_budget", dict.fromkeys(ceo[:5], 1.0))
    add_run(
        "alpha", "2025-03-01", "completed", dict.fromkeys(ceo, 0.0), data_version="30.0"
    )  # another version
    return build(score_dbt_models, "30.1", instance)


def latest_scores() -> dict[int, dict[str, float]]:
    """task -> model -> score, from the latest run per model (by the run's created_at), computed in Python."""
    rows = query(
        "SELECT s.task_id, s.model, s.score, r.created_at FROM core.task_ai_score s "
        "JOIN core.model_run r USING (run_id) WHERE s.data_version = '30.1'"
    )
    best: dict[tuple[int, str], tuple] = {}
    for task_id, model, score, run_created in rows:
        if (task_id, model) not in best or run_created > best[(task_id, model)][1]:
            best[(task_id, model)] = (float(score), run_created)
    by_task: dict[int, dict[str, float]] = defaultdict(dict)
    for (task_id, model), (score, _) in best.items():
        by_task[task_id][model] = score
    return by_task


def test_the_score_build_starts_from_the_parse_of_the_onet_build(scored):
    """Both builds are of 30.1 on this module's database: the second starts from the dbt project's parse the
    first kept (dbt_build), instead of parsing the whole project again."""
    [log] = (DBT_PROJECT_DIR / "target").glob(f"score_dbt_models-{scored.run_id[:7]}-*/dbt.log")
    text = log.read_text()
    assert '"command": "dbt build"' in text
    assert "Unable to do partial parsing" not in text
    assert saved_parse("30.1").is_file()


def test_ensemble_takes_each_models_latest_run(scored):
    assert failed_checks(scored) == []
    assert len(scored.get_asset_check_evaluations()) == len(score_dbt_models.check_specs) > 20
    expected = latest_scores()
    rows = query(
        "SELECT task_id, mean, std, min, max, n_models FROM marts.task_ai_ensemble WHERE data_version = '30.1'"
    )
    assert len(rows) == len(expected) == 31 + 18 + 30
    for task_id, mean, std, low, high, n_models in rows:
        scores = list(expected[task_id].values())
        assert n_models == len(scores)
        assert abs(mean - statistics.fmean(scores)) < 1e-12
        assert abs(std - statistics.pstdev(scores)) < 1e-12
        assert (low, high) == (min(scores), max(scores))
    first_ceo_task = tasks_of("11-1011.00")[0]
    assert expected[first_ceo_task]["alpha"] == 1.0  # from the stopped later run
    assert mart_counts()[("task_ai_ensemble", "30.1")] == 79
    assert ("task_ai_ensemble", "30.0") not in mart_counts()


def test_occupation_scores_renormalise_over_scored_tasks(scored):
    weights = {
        t: (soc, w)
        for soc, t, w in query(
            "SELECT soc_code, task_id, weight FROM marts.occupation_task_weight WHERE data_version = '30.1'"
        )
    }
    by_task = latest_scores()

    def weighted(task_scores: dict[int, float]) -> dict[str, tuple[float, float]]:
        """soc -> (renormalised weighted mean, coverage)."""
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for task_id, score in task_scores.items():
            soc, w = weights[task_id]
            sums[soc][0] += w * score
            sums[soc][1] += w
        return {soc: (total / cover, cover) for soc, (total, cover) in sums.items()}

    per_model = {m: weighted({t: s[m] for t, s in by_task.items() if m in s}) for m in ("alpha", "beta")}
    ensemble = weighted({t: statistics.fmean(s.values()) for t, s in by_task.items()})

    by_model_rows = query("SELECT soc_code, model, score, coverage FROM marts.occupation_ai_score_by_model")
    assert {(soc, m) for soc, m, _, _ in by_model_rows} == {
        ("11-1011", "alpha"),
        ("11-2011", "alpha"),
        ("11-1011", "beta"),
    }
    for soc, model, score, coverage in by_model_rows:
        assert abs(score - per_model[model][soc][0]) < 1e-12
        assert abs(coverage - per_model[model][soc][1]) < 1e-12
    # beta scored only 11-1011.00, one of the two O*NET-SOC codes sharing SOC 11-1011: half its weight.
    assert abs(per_model["beta"]["11-1011"][1] - 0.5) < 1e-12

    rows = query(
        "SELECT soc_code, mean, std, coverage, n_tasks_scored, n_models FROM marts.occupation_ai_score "
        "ORDER BY soc_code"
    )
    assert [r[0] for r in rows] == ["11-1011", "11-2011"]
    for soc, mean, std, coverage, _n_tasks_scored, n_models in rows:
        assert abs(mean - ensemble[soc][0]) < 1e-12
        assert abs(coverage - 1) < 1e-12  # every task of both SOCs was scored by some model
        models = [m for m in per_model if soc in per_model[m]]
        assert n_models == len(models)
        assert abs(std - statistics.pstdev(per_model[m][soc][0] for m in models)) < 1e-12
    assert [r[4] for r in rows] == [49, 30]


def test_rerun_is_idempotent_and_a_newer_run_takes_over(scored, instance):
    before = mart_counts()
    build(score_dbt_models, "30.1", instance)
    assert mart_counts() == before

    task_id = tasks_of("11-2011.00")[0]
    add_run("beta", "2025-04-01", "completed", {task_id: 0.25})
    result = build(score_dbt_models, "30.1", instance)
    assert failed_checks(result) == []
    alpha = (task_id % 10) / 10
    assert query("SELECT n_models, mean FROM marts.task_ai_ensemble WHERE task_id = %s", (task_id,)) == [
        (2, statistics.fmean([alpha, 0.25]))
    ]
    assert mart_counts()[("task_ai_ensemble", "30.1")] == before[("task_ai_ensemble", "30.1")]
    assert query("SELECT count(*) FROM core.task_ai_score WHERE data_version = '30.1'") == [
        (79 + 31 + 5 + 1,)
    ]
