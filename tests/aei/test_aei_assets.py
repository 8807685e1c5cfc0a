"""The AEI domain as Dagster runs it: the sensor finds the releases (the data folder, then one dropped in the
landing folder), each loads as its own partition with provenance and checks, each is matched to the
complete O*NET 30.1; a bad file is refused by file and line while the release as last loaded stays."""

import hashlib
import os

import pytest
from dagster import instance_for_test

from occurisk_assets.defs.aei.sensors import aei_release_sensor
from occurisk_assets.defs.dbt.assets import onet_dbt_models
from occurisk_assets.lib import db
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import resolve_release
from occurisk_assets.versions import mark_complete
from tests.aei.conftest import AEI_DATA, copy_with_line_replaced
from tests.dbt.helpers import build
from tests.lifecycle.conftest import Ticks, execute, platform_defs

TABLE_ROWS = {
    "job_exposure": 756,
    "task_penetration": 17998,
    "task_usage": 3514 + 3365,
    "task_interaction": 3364,
    "interaction_share": 6,
}


def query(sql: str, params: tuple = ()) -> list[tuple]:
    with db.connect() as conn:
        return conn.execute(sql, params).fetchall()


def table_rows() -> dict[str, int]:
    return {table: query(f"SELECT count(*) FROM aei.{table}")[0][0] for table in TABLE_ROWS}


@pytest.fixture(scope="module")
def aei_folder(tmp_path_factory):
    """The real releases as symlinks, in a folder a test may change."""
    folder = tmp_path_factory.mktemp("aei")
    for release in AEI_DATA.iterdir():
        os.symlink(release, folder / release.name)
    return folder


@pytest.fixture(scope="module")
def platform(module_database, aei_folder, tmp_path_factory):
    """O*NET 30.1 loaded and complete; the AEI sensor's first tick, its three load runs and three match runs."""
    landing = tmp_path_factory.mktemp("landing")
    mp = pytest.MonkeyPatch()
    mp.setenv("OCCURISK_AEI_DIR", str(aei_folder))
    mp.setenv("OCCURISK_ONET_LANDING", str(landing))
    mp.setenv("OCCURISK_LANDING_SETTLE_S", "0")
    from occurisk_assets.lib.settings import get_settings

    get_settings.cache_clear()
    load_release(resolve_release("30.1"))
    with db.connect() as conn:
        mark_complete(conn, "30.1")
        conn.commit()
    with instance_for_test() as instance:
        build(onet_dbt_models, "30.1", instance)  # the task weights, and the AEI views over the matches
        ticks = Ticks(instance, aei_release_sensor)
        first = ticks.tick().run_requests
        loads = {r.partition_key: execute(instance, r) for r in first}
        second = ticks.tick().run_requests
        matches = {r.partition_key.keys_by_dimension["aei_release"]: execute(instance, r) for r in second}
        yield {
            "instance": instance,
            "ticks": ticks,
            "landing": landing,
            "first": first,
            "loads": loads,
            "second": second,
            "matches": matches,
        }
    mp.undo()
    get_settings.cache_clear()


def test_sensor_loads_each_release_then_matches_it(platform):
    assert [(r.job_name, r.partition_key) for r in platform["first"]] == [
        ("aei_load", "2025_02_10"),
        ("aei_load", "2025_03_27"),
        ("aei_load", "labor_market_impacts"),
    ]
    assert sorted(platform["instance"].get_dynamic_partitions("aei_release")) == [
        "2025_02_10",
        "2025_03_27",
        "labor_market_impacts",
    ]
    assert sorted((r.job_name, str(r.partition_key)) for r in platform["second"]) == [
        ("aei_match", "2025_02_10|30.1"),
        ("aei_match", "2025_03_27|30.1"),
        ("aei_match", "labor_market_impacts|30.1"),
    ]
    assert platform["ticks"].tick().run_requests == []  # nothing new: nothing requested


def test_releases_kept_side_by_side_with_provenance(platform, aei_folder):
    assert table_rows() == TABLE_ROWS
    files = query("SELECT aei_release, file_name, bytes, sha256 FROM aei.release_file ORDER BY 1, 2")
    assert len(files) == 6
    for release, file_name, size, sha256 in files:
        folder = "labor_market_impacts" if release == "labor_market_impacts" else f"release_{release}"
        content = (AEI_DATA / folder / file_name).read_bytes()
        assert (size, sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert query("SELECT aei_release, published_on::text FROM aei.release ORDER BY 1") == [
        ("2025_02_10", "2025-02-10"),
        ("2025_03_27", "2025-03-27"),
        ("labor_market_impacts", "2026-03-05"),
    ]
    for result in platform["loads"].values():
        (check,) = result.get_asset_check_evaluations()
        assert check.passed


def test_match_rate_check_and_unmatched_list(platform):
    result = platform["matches"]["labor_market_impacts"]
    (check,) = result.get_asset_check_evaluations()
    assert check.check_name == "match_rate" and check.passed
    assert check.passed
    assert check.metadata["rows_by_method"].value == {
        # only 30.1 is loaded: the 4 texts in a 29.1/30.0 wording match by similarity here
        "task_penetration.csv": {"exact": 17439, "normalised": 1, "similar": 49, "none": 509}
    }
    assert check.metadata["unmatched_texts"].value == 509
    (materialization,) = result.asset_materializations_for_node("aei__task_match")
    assert len(materialization.metadata["unmatched"].value) == 509
    # a text matches every task with that statement: more (text, task) rows than texts
    assert query(
        "SELECT count(DISTINCT task_text), count(*) FILTER (WHERE method = 'exact') FROM aei.task_match "
        "WHERE aei_release = 'labor_market_impacts' AND data_version = '30.1'"
    ) == [(17992, 18683)]


def test_observed_use_by_occupation(platform):
    """Customer Service Representatives (43-4051): the release's observed exposure, the weighted task
    penetration, and (release 2025_03_27) the automation / augmentation shares."""
    rows = query(
        "SELECT aei_release, observed_exposure, round(penetration::numeric, 4), round(penetration_coverage::numeric, 4), "
        "n_tasks_observed, round(automation_share::numeric, 4), round(augmentation_share::numeric, 4) "
        "FROM marts.occupation_observed_use WHERE data_version = '30.1' AND soc_code = '43-4051' ORDER BY 1"
    )
    by_release = {row[0]: row[1:] for row in rows}
    # 2025_02_10 publishes only usage shares: no exposure, penetration or patterns, so no row
    assert sorted(by_release) == ["2025_03_27", "labor_market_impacts"]
    observed, penetration, coverage, n_tasks, automation, augmentation = by_release["labor_market_impacts"]
    assert observed == 0.7011 and 0 < penetration <= 1 and 0 < coverage <= 1 and n_tasks > 10
    assert automation is None  # this release has no interaction patterns
    observed, penetration, _, n_tasks, automation, augmentation = by_release["2025_03_27"]
    assert observed is None and penetration is None and n_tasks == 0  # no job_exposure, no penetration
    assert 0 < automation < 1 and automation + augmentation == pytest.approx(1, abs=1e-4)
    print(rows)


def test_a_dropped_release_loads_and_a_bad_file_keeps_the_previous_data(platform, aei_folder, tmp_path):
    before = table_rows()
    hashes = query(
        "SELECT file_name, sha256 FROM aei.release_file WHERE aei_release = 'labor_market_impacts'"
    )
    (aei_folder / "labor_market_impacts").unlink()
    copy_with_line_replaced(
        AEI_DATA / "labor_market_impacts",
        aei_folder / "labor_market_impacts",
        "task_penetration.csv",
        4242,
        '"x",2',
    )
    dropped = platform["landing"] / "aei" / "release_2026_01_15"
    dropped.mkdir(parents=True)
    (dropped / "task_pct_v2.csv").symlink_to(AEI_DATA / "release_2025_03_27" / "task_pct_v2.csv")
    requests = platform["ticks"].tick().run_requests
    assert [r.partition_key for r in requests] == ["2026_01_15", "labor_market_impacts"]
    execute(platform["instance"], requests[0])
    job = platform_defs().resolve_job_def("aei_load")
    refused = job.execute_in_process(
        partition_key="labor_market_impacts", instance=platform["instance"], raise_on_error=False
    )
    assert not refused.success
    (failure,) = [e for e in refused.all_events if e.is_step_failure]
    error = failure.step_failure_data.error
    # Dagster wraps the step's exception: the loader's own message is the cause's.
    message = error.message + (error.cause.message if error.cause else "")
    assert f"{aei_folder}/labor_market_impacts/task_penetration.csv: line 4242: column penetration" in message
    assert table_rows() == {**before, "task_usage": before["task_usage"] + 3365}
    assert (
        query("SELECT file_name, sha256 FROM aei.release_file WHERE aei_release = 'labor_market_impacts'")
        == hashes
    )
