"""The dbt assets' wiring: partition key -> dbt vars, asset keys, the two ops, checks (no database)."""

from __future__ import annotations

import json

import pytest
from dagster import AssetKey

from occurisk_assets.defs.dbt.assets import dbt_vars_args, onet_dbt_models, score_dbt_models
from occurisk_assets.defs.dbt.definitions import defs
from occurisk_assets.partitions import data_version_partitions


def test_partition_key_becomes_the_data_version_var():
    args = dbt_vars_args("30.1")
    assert args[0] == "--vars"
    assert json.loads(args[1]) == {"data_version": "30.1"}


@pytest.mark.parametrize("bad", ["", "30.1'; drop table x; --", "30 1", "30.1\n"])
def test_partition_key_that_is_not_a_release_key_is_refused(bad):
    with pytest.raises(ValueError, match="data_version"):
        dbt_vars_args(bad)


def test_models_keyed_by_name_sources_by_source_and_table():
    keys = onet_dbt_models.keys
    for mart in (
        "occupation_master",
        "task_statements",
        "occupation_task_ratings",
        "task_catalog",
        "occupation_task_weight",
        "weight_method_by_version",
    ):
        assert AssetKey([mart]) in keys
    assert {
        AssetKey(["task_ai_ensemble"]),
        AssetKey(["occupation_ai_score"]),
        AssetKey(["occupation_ai_score_by_model"]),
    } <= score_dbt_models.keys
    upstream = {dep for deps in onet_dbt_models.asset_deps.values() for dep in deps}
    assert {
        AssetKey(["onet_raw", t]) for t in ("occupation_data", "task_statements", "task_ratings", "job_zones")
    } <= upstream


def test_scores_op_sits_after_core_task_ai_score_without_a_cycle():
    score_upstream = {dep for deps in score_dbt_models.asset_deps.values() for dep in deps}
    assert {AssetKey(["core", "task_ai_score"]), AssetKey(["core", "model_run"])} <= score_upstream
    onet_upstream = {dep for deps in onet_dbt_models.asset_deps.values() for dep in deps}
    assert not any(key.path[0] == "core" for key in onet_upstream)
    assert not onet_dbt_models.keys & score_dbt_models.keys


def test_both_ops_partitioned_by_data_version_with_dbt_tests_as_checks():
    for assets in (onet_dbt_models, score_dbt_models):
        assert assets.partitions_def == data_version_partitions
    onet_checks = {(c.asset_key.to_user_string(), c.name) for c in onet_dbt_models.check_specs}
    assert (
        "occupation_task_weight",
        "sums_to_one_occupation_task_weight_weight__data_version__soc_code__1e_9",
    ) in onet_checks
    assert (
        "occupation_task_weight",
        "covers_values_of_occupation_task_weight_soc_code__soc_code__ref_task_statements_",
    ) in onet_checks
    assert ("occupation_task_weight", "accepted_range_occupation_task_weight_weight__1__0") in onet_checks
    assert any(
        key == "occupation_ai_score"
        for key, _ in ((c.asset_key.to_user_string(), c.name) for c in score_dbt_models.check_specs)
    )
    assert "dbt" in defs().resources
