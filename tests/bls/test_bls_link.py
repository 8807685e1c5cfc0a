"""Linking O*NET 30.1 SOC codes to OEWS and projections rows, on the real files."""

from __future__ import annotations

import pytest
from dagster import DagsterInstance, materialize

from occurisk_assets.bls import crosswalks, loader, oews, projections
from occurisk_assets.bls.link import (
    Crosswalks,
    LinkInputMissing,
    Match,
    build_soc_bls_link,
    link_codes,
    match_code,
    side_report,
)
from occurisk_assets.bls.queries import soc_bls_metrics
from occurisk_assets.bls.sources import OewsRelease, ProjectionPeriod
from occurisk_assets.defs.bls import assets, checks
from occurisk_assets.defs.dbt.definitions import defs as dbt_defs
from occurisk_assets.lib import db
from tests.resources import resources_for_tests

PERIOD = ProjectionPeriod.parse("2024-2034")
MILITARY = [
    "55-1011",
    "55-1012",
    "55-1013",
    "55-1014",
    "55-1015",
    "55-1016",
    "55-1017",
    "55-1019",
    "55-2011",
    "55-2012",
    "55-2013",
    "55-3011",
    "55-3012",
    "55-3013",
    "55-3014",
    "55-3015",
    "55-3016",
    "55-3018",
    "55-3019",
]


@pytest.fixture(scope="module")
def real_crosswalks(bls_dir) -> Crosswalks:
    nem = crosswalks.read_nem_onet_crosswalk(
        bls_dir / "crosswalks" / "nem_onet_to_soc_crosswalk.xlsx", PERIOD
    )
    soc = crosswalks.read_soc_2010_2018(bls_dir / "crosswalks" / "soc_2010_to_2018_crosswalk.xlsx")
    return Crosswalks.build(
        [(r["onetsoc_code"], r["nem_code"]) for r in nem],
        [(r["soc_2010_code"], r["soc_2018_code"]) for r in soc],
    )


@pytest.fixture(scope="module")
def oews_2024(bls_dir) -> dict[str, str]:
    release = OewsRelease.parse("2024-05")
    return {
        r["soc_code"]: r["o_group"] for r in oews.read_oews(bls_dir / release.workbook_path, release).rows
    }


@pytest.fixture(scope="module")
def proj_2024(bls_dir) -> dict[str, str]:
    return {
        r["soc_code"]: r["occupation_type"]
        for r in projections.read_projections(bls_dir / "occupation.xlsx", PERIOD).rows
    }


def test_onet_30_1_against_oews_2024(onet_30_1_occupations, real_crosswalks, oews_2024):
    socs = {code[:7] for code, _ in onet_30_1_occupations}
    assert (len(onet_30_1_occupations), len(socs)) == (1016, 867)
    matches = link_codes(socs, set(oews_2024), real_crosswalks)
    report = side_report(matches, [c for c, group in oews_2024.items() if group == "detailed"])
    assert report.counts == {"exact": 819, "crosswalk": 0, "aggregate": 28, "soc_2010": 0, "none": 20}
    # Military occupations are outside OEWS; fishing and hunting workers are not surveyed (mostly self-employed).
    assert report.onet_unmatched == ["45-3031", *MILITARY]
    assert report.bls_unmatched == []  # every detailed OEWS code is reached by some O*NET code
    assert matches["15-1252"] == Match("15-1252", "exact")
    assert matches["31-1121"] == matches["31-1122"] == Match("31-1120", "aggregate")
    assert matches["21-1011"] == matches["21-1014"] == Match("21-1018", "aggregate")
    aggregates = {m.bls_code for m in matches.values() if m.match_type == "aggregate"}
    assert sorted(aggregates) == [
        "13-1020",
        "13-2020",
        "21-1018",
        "25-2052",
        "25-9045",
        "29-2010",
        "31-1120",
        "39-7010",
        "47-4090",
        "51-2028",
        "51-2090",
        "53-1047",
    ]


def test_onet_30_1_against_projections_2024_34(onet_30_1_occupations, real_crosswalks, proj_2024):
    socs = {code[:7] for code, _ in onet_30_1_occupations}
    matches = link_codes(socs, set(proj_2024), real_crosswalks)
    report = side_report(matches, [c for c, kind in proj_2024.items() if kind == "line_item"])
    assert report.counts == {"exact": 820, "crosswalk": 0, "aggregate": 28, "soc_2010": 0, "none": 19}
    assert report.onet_unmatched == MILITARY
    assert report.bls_unmatched == []
    assert matches["45-3031"] == Match("45-3031", "exact")


def test_one_to_one_crosswalk_and_soc_2010_codes(real_crosswalks, oews_2024, proj_2024):
    only_one = Crosswalks.build([("21-1011.00", "21-1018")])  # a crosswalk in which 21-1018 has one member
    assert match_code("21-1011", set(oews_2024), only_one) == Match("21-1018", "crosswalk")
    # SOC 2010 codes of older taxonomies: Computer Systems Analysts 15-1121 became 15-1211 ...
    assert match_code("15-1121", set(oews_2024), real_crosswalks) == Match("15-1211", "soc_2010")
    # ... Software Developers, Applications 15-1132 split into 15-1252 and 15-1253: no single answer.
    assert match_code("15-1132", set(oews_2024), real_crosswalks) == Match(None, "none")
    # Fishers 45-3011 → 45-3031, published by the projections but not by OEWS.
    assert match_code("45-3011", set(proj_2024), real_crosswalks) == Match("45-3031", "soc_2010")
    assert match_code("45-3011", set(oews_2024), real_crosswalks) == Match(None, "none")


def load_everything() -> None:
    loader.load_oews("2024-05")
    loader.load_projections("2024-2034")
    loader.load_nem_onet_crosswalk("2024-2034")
    loader.load_soc_2010_2018()


def create_occupation_master(occupations: list[tuple[str, str]]) -> None:
    """A stand-in for the dbt mart with the columns the link reads, holding O*NET 30.1."""
    with db.connect() as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS marts")
        conn.execute(
            "CREATE TABLE marts.occupation_master (data_version text, onetsoc_code text, soc_code text,"
            " title text, PRIMARY KEY (data_version, onetsoc_code))"
        )
        with conn.cursor().copy("COPY marts.occupation_master FROM STDIN") as copy:
            for code, title in occupations:
                copy.write_row(("30.1", code, code[:7], title))


def test_link_asset_against_occupation_master(fresh_database, onet_30_1_occupations):
    load_everything()
    create_occupation_master(onet_30_1_occupations)
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("data_version", ["30.1"])
    for _ in range(2):  # a re-run replaces the version's links
        result = materialize(
            [assets.soc_bls_link, checks.soc_bls_link_targets_exist],
            partition_key="30.1",
            instance=instance,
            resources=resources_for_tests(),
        )
        assert result.success
    # The dbt models over the link (staging views, marts.soc_bls_metrics), with their dbt tests.
    dbt_run = materialize(
        [assets.bls_dbt_models], partition_key="30.1", instance=instance, resources=dbt_defs().resources
    )
    assert dbt_run.success
    assert [e.check_name for e in dbt_run.get_asset_check_evaluations() if not e.passed] == []
    assert {e.asset_key.to_user_string() for e in dbt_run.get_asset_materialization_events()} == {
        "stg_bls__oews_metrics",
        "stg_bls__projections",
        "stg_bls__soc_links",
        "soc_bls_metrics",
    }
    metadata = {
        k: v.value for k, v in result.asset_materializations_for_node("bls__soc_bls_link")[0].metadata.items()
    }
    assert metadata["onet_soc_codes"] == 867
    assert (metadata["ref_year_month"], metadata["projection_period"]) == ("2024-05", "2024-2034")
    assert (metadata["oews_exact"], metadata["oews_aggregate"], metadata["oews_none"]) == (819, 28, 20)
    assert (metadata["proj_exact"], metadata["proj_aggregate"], metadata["proj_none"]) == (820, 28, 19)
    assert metadata["oews_onet_unmatched"] == ["45-3031", *MILITARY]
    assert metadata["proj_onet_unmatched"] == MILITARY
    assert metadata["oews_bls_unmatched"] == metadata["proj_bls_unmatched"] == []
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.passed and evaluation.metadata["links"].value == 867

    with db.connect() as conn:
        assert conn.execute("SELECT count(*) FROM bls.soc_bls_link").fetchone()[0] == 867
        software = soc_bls_metrics(conn, "15-1252", "30.1")
        aide = soc_bls_metrics(conn, "31-1122", "30.1")
        infantry = soc_bls_metrics(conn, "55-3016", "30.1")
        surgeon = soc_bls_metrics(conn, "29-1022", "30.1")
        assert soc_bls_metrics(conn, "15-1252", "29.1") is None
    assert (
        software.employment,
        software.median_annual_wage,
        software.growth_pct,
        software.annual_openings,
    ) == (1654440, 133080, 15.8, 115200)
    assert (software.oews_match_type, software.proj_match_type) == ("exact", "exact")
    assert (aide.oews_soc_code, aide.oews_match_type, aide.employment) == ("31-1120", "aggregate", 3988140)
    assert (aide.proj_soc_code, aide.employment_base) == ("31-1120", 4347700)
    assert (infantry.oews_match_type, infantry.employment, infantry.proj_match_type) == ("none", None, "none")
    assert (surgeon.median_annual_wage, surgeon.median_annual_wage_flag) == (None, "top_coded")


def test_link_needs_its_inputs(fresh_database):
    with (
        db.connect() as conn,
        pytest.raises(LinkInputMissing, match="marts.occupation_master does not exist"),
    ):
        build_soc_bls_link(conn, "30.1")
    with (
        db.connect() as conn,
        pytest.raises(LinkInputMissing, match=r"bls.bls_oews_metrics is empty: load OEWS"),
    ):
        build_soc_bls_link(conn, "30.1", soc_codes=["15-1252"])


def test_link_from_an_explicit_code_list(fresh_database, onet_30_1_occupations):
    load_everything()
    with db.connect() as conn:
        report = build_soc_bls_link(conn, "30.1", soc_codes=[c[:7] for c, _ in onet_30_1_occupations])
    assert (report.oews.counts["exact"], report.proj.counts["none"]) == (819, 19)
