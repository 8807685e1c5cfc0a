"""The O*NET release as partitioned Dagster assets, materialized in process."""

from __future__ import annotations

from dagster import DagsterInstance, materialize

from occurisk_assets.defs.onet.assets import onet_release
from occurisk_assets.onet.files import SPECS
from occurisk_assets.partitions import data_version_partitions
from tests.resources import resources_for_tests


def test_materialize_two_partitions_checks_pass(fresh_database):
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(data_version_partitions.name, ["30.0", "30.1"])
    for version in ("30.0", "30.1"):
        result = materialize(
            [onet_release], partition_key=version, instance=instance, resources=resources_for_tests()
        )
        assert result.success
        evaluations = result.get_asset_check_evaluations()
        failed = [
            (e.asset_key.to_user_string(), e.check_name)
            for e in evaluations
            if not e.passed and e.severity.value == "ERROR"
        ]
        assert failed == []
        materialized = result.asset_materializations_for_node("onet_release")
        assert len(materialized) == len(SPECS)
        by_key = {m.asset_key.to_user_string(): m.metadata for m in materialized}
        assert by_key["onet_raw/task_ratings"]["present"].value is False
        assert by_key["onet_raw/task_statements"]["rows"].value == (18797 if version == "30.0" else 18796)
    # 30.1 against 30.0: the row-count change report names the previous version and passes (small changes).
    change = {(e.asset_key.to_user_string(), e.check_name): e for e in evaluations}[
        ("onet_raw/alternate_titles", "row_count_change_vs_previous_version")
    ]
    assert change.passed and change.metadata["previous_version"].value == "30.0"
    assert change.metadata["previous_rows"].value == 56495
