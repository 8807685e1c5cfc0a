"""The validation report (modelled vs observed exposure) on the built platform: the asset, its MLflow run
and its figures (printed: docs/methodology.md quotes them)."""

import dagster as dg

from occurisk_assets.aei.validation import validate
from occurisk_assets.defs.aei.assets import validation_report
from occurisk_assets.lib import db
from tests.resources import resources_for_tests


def test_validation_report_on_30_1(built_database):
    with db.connect(built_database) as conn:
        report = validate(conn, "labor_market_impacts", "30.1")
        assert validate(conn, "2025_03_27", "30.1") is None  # no observed exposure in that release
    print(report)
    assert report.n_occupations == 756  # every AEI occupation is an O*NET 30.1 SOC code with a score
    assert -1 <= report.spearman <= 1 and report.spearman_by_major_group
    assert 0 <= report.high_modelled_zero_observed_share <= 0.25
    low, high = report.growth_slope_ci95
    assert low < report.growth_slope_per_10_points < high and report.verdict.split(":")[0] in {
        "replicated",
        "same direction, different size",
        "not replicated",
    }
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("aei_release", ["labor_market_impacts"])
    instance.add_dynamic_partitions("data_version", ["30.1"])
    result = dg.materialize(
        [validation_report],
        partition_key=dg.MultiPartitionKey({"aei_release": "labor_market_impacts", "data_version": "30.1"}),
        instance=instance,
        resources=resources_for_tests(built_database),
    )
    (materialization,) = result.asset_materializations_for_node("aei__validation_report")
    assert materialization.metadata["spearman"].value == report.spearman
    run_id = materialization.metadata["mlflow_run_id"].value
    from mlflow.tracking import MlflowClient

    from occurisk_assets.lib.mlflow_store import tracking_uri

    logged = MlflowClient(tracking_uri=tracking_uri()).get_run(run_id).data
    assert logged.metrics["spearman"] == report.spearman and logged.params["verdict"] == report.verdict
