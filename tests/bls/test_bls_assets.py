"""The BLS Dagster assets materialized in process (each holds every known release; a run loads the missing
ones, or the configured ones again), with their asset checks."""

from __future__ import annotations

from dagster import AssetKey, AssetSelection, DagsterInstance, Definitions, materialize

from occurisk_assets.defs.bls import assets, checks
from occurisk_assets.defs.bls.definitions import defs
from occurisk_assets.defs.dbt.definitions import defs as dbt_defs
from occurisk_assets.lib import db
from tests.conftest import isolated_database
from tests.resources import resources_for_tests

OEWS_CHECKS = [
    checks.oews_rows_match_sheet,
    checks.oews_soc_code_unique,
    checks.oews_detailed_employment_matches_total,
]
PROJ_CHECKS = [
    checks.proj_rows_match_sheet,
    checks.proj_soc_code_unique,
    checks.proj_line_item_employment_matches_total,
    checks.proj_codes_match_nem_coverage,
]


def rows_per_release() -> dict[str, int]:
    with db.connect() as conn:
        return dict(
            conn.execute("SELECT ref_year_month, count(*) FROM bls.bls_oews_metrics GROUP BY 1").fetchall()
        )


def releases(*keys: str, reload: bool = False) -> dict:
    return {"releases": list(keys), "reload": reload}


def loads(result, node: str) -> tuple[dict, list[str]]:
    """What the run's materialization of `node` says it loaded, and which releases it kept."""
    [materialization] = result.asset_materializations_for_node(node)
    return materialization.metadata["loaded"].value, materialization.metadata["already_loaded"].value


def check_results(result) -> dict[str, tuple[bool, dict]]:
    return {
        e.check_name: (e.passed, {k: v.value for k, v in e.metadata.items()})
        for e in result.get_asset_check_evaluations()
    }


def test_oews_releases_loaded_when_missing_and_reloaded_on_request(fresh_database):
    instance = DagsterInstance.ephemeral()
    for ref in ("2023-05", "2024-05"):
        result = materialize(
            [assets.bls_oews_metrics, *OEWS_CHECKS],
            instance=instance,
            run_config={"ops": {"bls__bls_oews_metrics": {"config": releases(ref)}}},
            resources=resources_for_tests(),
        )
        assert result.success
        loaded, kept = loads(result, "bls__bls_oews_metrics")
        assert list(loaded) == [ref] and kept == []
        evaluations = check_results(result)
        assert {name: passed for name, (passed, _) in evaluations.items()} == {
            "oews_rows_match_sheet": True,
            "oews_soc_code_unique": True,
            "oews_detailed_employment_matches_total": True,
        }
    # The checks see every loaded release.
    evaluations = {name: (passed, meta["2024-05"]) for name, (passed, meta) in evaluations.items()}
    assert rows_per_release() == {"2023-05": 1396, "2024-05": 1396}
    _, totals = evaluations["oews_detailed_employment_matches_total"]
    assert totals == {
        "passed": True,
        "published_total": 154187380,
        "sum_of_detailed": 154186300,
        "detailed_rows": 831,
        "detailed_without_employment": 0,
        "difference": -1080,
        "tolerance": 4155,
    }
    _, counts = evaluations["oews_rows_match_sheet"]
    assert counts == {
        "passed": True,
        "rows_in_table": 1396,
        "sheet_data_rows": 1403,
        "distinct_codes_in_sheet": 1396,
    }

    # A run with the default config loads only the release still missing; one with `reload` loads again.
    missing = materialize([assets.bls_oews_metrics], instance=instance, resources=resources_for_tests())
    loaded, kept = loads(missing, "bls__bls_oews_metrics")
    assert list(loaded) == ["2022-05"] and kept == ["2023-05", "2024-05"]
    rerun = materialize(
        [assets.bls_oews_metrics, *OEWS_CHECKS],
        instance=instance,
        run_config={"ops": {"bls__bls_oews_metrics": {"config": releases("2024-05", reload=True)}}},
        resources=resources_for_tests(),
    )
    assert rerun.success and all(passed for passed, _ in check_results(rerun).values())
    assert rows_per_release() == {"2022-05": 1395, "2023-05": 1396, "2024-05": 1396}
    loaded, kept = loads(rerun, "bls__bls_oews_metrics")
    assert list(loaded) == ["2024-05"] and loaded["2024-05"]["rows"] == 1396
    assert loaded["2024-05"]["aggregated_to_broad"] == [
        "13-1020",
        "13-2020",
        "29-2010",
        "31-1120",
        "39-7010",
        "47-4090",
        "51-2090",
    ]


def test_the_loads_write_to_the_database_the_resource_names(fresh_database, pg_server):
    def coverage_rows(url: str) -> int:
        with db.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM bls.nem_occupational_coverage").fetchone()[0]

    with isolated_database(pg_server) as environment_database:  # what DATABASE_URL now names
        result = materialize(
            [assets.nem_occupational_coverage],
            instance=DagsterInstance.ephemeral(),
            resources=resources_for_tests(fresh_database),
        )
        assert result.success
        assert loads(result, "bls__nem_occupational_coverage")[0]["2024-2034"]["rows"] == 1113
        assert (coverage_rows(fresh_database), coverage_rows(environment_database)) == (1113, 0)


def test_projections_and_checks(fresh_database):
    instance = DagsterInstance.ephemeral()
    result = materialize(
        [assets.bls_proj_metrics, assets.nem_occupational_coverage, assets.nem_onet_crosswalk, *PROJ_CHECKS],
        instance=instance,
        resources=resources_for_tests(),
    )
    assert result.success
    evaluations = check_results(result)
    assert {name: passed for name, (passed, _) in evaluations.items()} == {
        "proj_rows_match_sheet": True,
        "proj_soc_code_unique": True,
        "proj_line_item_employment_matches_total": True,
        "proj_codes_match_nem_coverage": True,
    }
    assert evaluations["proj_line_item_employment_matches_total"][1] == {
        "partition": "2024-2034",
        "published_base_total": 169956100,
        "sum_of_line_items_base": 169956400,
        "published_projected_total": 175167900,
        "sum_of_line_items_projected": 175169900,
        "line_items": 832,
        "tolerance": 41600,
    }
    assert evaluations["proj_rows_match_sheet"][1] == {
        "partition": "2024-2034",
        "rows_in_table": 1113,
        "sheet_data_rows": 1113,
    }
    again = materialize(
        [assets.bls_proj_metrics, *PROJ_CHECKS[:3]], instance=instance, resources=resources_for_tests()
    )
    assert again.success
    assert loads(again, "bls__bls_proj_metrics") == ({}, ["2024-2034"])  # loaded already: kept
    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM bls.bls_proj_metrics").fetchone()[0] == 1113


def test_checks_run_alone_over_every_loaded_release_and_fail_on_a_mismatch(fresh_database):
    instance = DagsterInstance.ephemeral()
    materialize(
        [assets.bls_oews_metrics],
        instance=instance,
        run_config={"ops": {"bls__bls_oews_metrics": {"config": releases("2023-05", "2024-05")}}},
        resources=resources_for_tests(),
    )
    with db.connect() as conn:
        conn.execute(
            "DELETE FROM bls.bls_oews_metrics WHERE ref_year_month = '2024-05' AND soc_code = '15-1252'"
        )
    result = materialize(
        [assets.bls_oews_metrics, *OEWS_CHECKS],
        instance=instance,
        resources=resources_for_tests(),
        selection=AssetSelection.checks(*OEWS_CHECKS),
    )
    assert rows_per_release() == {"2023-05": 1396, "2024-05": 1395}  # the asset itself did not run
    evaluations = check_results(result)
    passed, per_release = evaluations["oews_rows_match_sheet"]
    assert passed is False
    assert per_release["2023-05"] == {
        "passed": True,
        "rows_in_table": 1396,
        "sheet_data_rows": 1403,
        "distinct_codes_in_sheet": 1396,
    }
    assert per_release["2024-05"]["passed"] is False and per_release["2024-05"]["rows_in_table"] == 1395
    passed, per_release = evaluations["oews_detailed_employment_matches_total"]
    assert passed is False
    assert per_release["2024-05"]["difference"] == -1080 - 1654440  # Software Developers are missing
    assert per_release["2023-05"]["passed"] is True
    assert evaluations["oews_soc_code_unique"][0] is True


def test_definitions_load():
    # The domain alone, with the resources the code location binds for every domain and the dbt domain's
    # `dbt` resource for its dbt models.
    resources = {**resources_for_tests(), **dbt_defs().resources}
    domain = Definitions.merge(defs(), Definitions(resources=resources))
    graph = domain.get_repository_def().asset_graph
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == {
        "bls/bls_oews_metrics",
        "bls/bls_proj_metrics",
        "bls/nem_onet_crosswalk",
        "bls/nem_occupational_coverage",
        "bls/soc_2010_2018_crosswalk",
        "bls/soc_bls_link",
        "stg_bls__oews_metrics",
        "stg_bls__projections",
        "stg_bls__soc_links",
        "soc_bls_metrics",
        "occupation_master",
    }  # the dbt mart the link reads, defined by the dbt domain
    assert not graph.get(AssetKey(["occupation_master"])).is_materializable
    python_checks = {c.name for c in graph.asset_check_keys if c.asset_key.path[0] == "bls"}
    assert len(python_checks) == 8
    # The dbt tests of the BLS models are checks too.
    assert "unique_combination_of_columns_soc_bls_metrics_data_version__soc_code" in {
        c.name for c in graph.asset_check_keys
    }
