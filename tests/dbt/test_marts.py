"""The O*NET marts built by dbt through Dagster on the real 30.1 and 30.0 releases (no Task Ratings)."""

from __future__ import annotations

import pytest

from occurisk_assets.defs.dbt.assets import onet_dbt_models
from tests.dbt.helpers import build, failed_checks, load_onet, mart_counts, query
from tests.dbt.onet_files import read_rows, spread_over_soc, task_type_raw_weight

pytestmark = pytest.mark.usefixtures("module_database")


@pytest.fixture(scope="module")
def built_30_1(module_database, onet_dir, instance):
    load_onet(onet_dir / "db_30_1_text", "30.1")
    load_onet(onet_dir / "db_30_0_text", "30.0")
    return build(onet_dbt_models, "30.1", instance)


def test_30_1_marts_have_the_release_counts(built_30_1):
    counts = mart_counts()
    assert counts[("occupation_master", "30.1")] == 1016
    assert counts[("task_statements", "30.1")] == 18796
    assert counts[("task_catalog", "30.1")] == 18796
    assert counts[("occupation_task_weight", "30.1")] == 18796
    assert counts[("weight_method_by_version", "30.1")] == 1
    assert ("occupation_task_ratings", "30.1") not in counts  # the shared 30.1 copy has no Task Ratings
    assert not any(version == "30.0" for _, version in counts)  # only the partition that was run
    assert query(
        "SELECT count(*) FROM marts.occupation_master WHERE data_version = '30.1' AND job_zone IS NOT NULL"
    ) == [(923,)]
    assert query(
        "SELECT soc_code, title, n_tasks, n_core_tasks, n_supplemental_tasks, n_rated_tasks "
        "FROM marts.occupation_master WHERE data_version = '30.1' AND onetsoc_code = '11-2011.00'"
    ) == [("11-2011", "Advertising and Promotions Managers", 30, 13, 8, 0)]


def test_dbt_tests_pass_as_asset_checks(built_30_1):
    evaluations = built_30_1.get_asset_check_evaluations()
    assert len(evaluations) == len(onet_dbt_models.check_specs) > 90
    assert failed_checks(built_30_1) == []
    checked = {(e.asset_key.to_user_string(), e.check_name) for e in evaluations}
    assert (
        "occupation_task_weight",
        "sums_to_one_occupation_task_weight_weight__data_version__soc_code__1e_9",
    ) in checked


def test_weights_follow_core_2_supplemental_1_and_sum_to_one_per_soc(built_30_1, onet_dir):
    tasks = read_rows(onet_dir / "db_30_1_text" / "Task Statements.txt")
    expected = spread_over_soc(
        {int(t["Task ID"]): task_type_raw_weight(t["Task Type"]) for t in tasks},
        {int(t["Task ID"]): t["O*NET-SOC Code"] for t in tasks},
    )
    actual = dict(
        query("SELECT task_id, weight FROM marts.occupation_task_weight WHERE data_version = '30.1'")
    )
    assert actual.keys() == expected.keys()
    assert max(abs(actual[t] - expected[t]) for t in expected) < 1e-12

    sums = query(
        "SELECT soc_code, sum(weight) FROM marts.occupation_task_weight "
        "WHERE data_version = '30.1' GROUP BY soc_code"
    )
    assert len(sums) == len({t["O*NET-SOC Code"][:7] for t in tasks}) == 798
    assert all(abs(total - 1) < 1e-9 for _, total in sums)
    assert query(
        "SELECT weight_method, has_task_ratings, n_occupations_task_ratings, n_occupations_task_type, "
        "n_soc_codes FROM marts.weight_method_by_version WHERE data_version = '30.1'"
    ) == [("task_type", False, 0, 923, 798)]
    assert query(
        "SELECT DISTINCT weight_method FROM marts.occupation_task_weight WHERE data_version = '30.1'"
    ) == [("task_type",)]


def test_task_catalog_without_ratings_ranks_by_task_type(built_30_1):
    rows = query(
        "SELECT task_type, priority_rank FROM marts.task_catalog WHERE data_version = '30.1' "
        "ORDER BY priority_rank"
    )
    assert [rank for _, rank in rows] == list(range(1, 18797))
    type_order = {"Core": 1, "Supplemental": 2, None: 3}
    assert [type_order[t] for t, _ in rows] == sorted(type_order[t] for t, _ in rows)
    assert query(
        "SELECT count(*) FROM marts.task_catalog WHERE data_version = '30.1' AND importance IS NULL "
        "AND relevance IS NULL AND frequency IS NULL"
    ) == [(18796,)]
    assert query(
        "SELECT occupation_title, text_hash = md5(task_statement) FROM marts.task_catalog "
        "WHERE data_version = '30.1' AND task_id = 8823"
    ) == [("Chief Executives", True)]


def test_rerun_and_second_version_side_by_side(built_30_1, instance):
    before = mart_counts()
    rerun = build(onet_dbt_models, "30.1", instance)
    assert failed_checks(rerun) == []
    assert mart_counts() == before

    result_30_0 = build(onet_dbt_models, "30.0", instance)
    assert failed_checks(result_30_0) == []
    counts = mart_counts()
    assert {k: v for k, v in counts.items() if k[1] == "30.1"} == before
    assert counts[("occupation_master", "30.0")] == 1016
    assert counts[("task_statements", "30.0")] == 18797
    assert counts[("occupation_task_weight", "30.0")] == 18797
    # 30.0 -> 30.1 dropped task 22703 (29-1212.00).
    assert query("SELECT data_version FROM marts.task_statements WHERE task_id = 22703") == [("30.0",)]
    assert all(
        abs(total - 1) < 1e-9
        for _, total in query(
            "SELECT soc_code, sum(weight) FROM marts.occupation_task_weight WHERE data_version = '30.0' GROUP BY 1"
        )
    )
