"""The postings assets as Dagster runs them: one day's partition materialized, its checks, and the mix drift
against the previous day."""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg
import pytest
from scipy.stats import ks_2samp

from occurisk_assets.defs.postings.assets import (
    postings_cleaned,
    postings_coded,
    postings_collected,
    postings_mix_drift,
)
from occurisk_assets.defs.postings.schedules import daily_postings
from occurisk_assets.lib import db
from occurisk_assets.postings.coding import CodedPosting, OccupationCode, store_coding
from occurisk_assets.postings.drift import group_divergence
from occurisk_assets.postings.importing import import_file
from tests.resources import resources_for_tests

DAY1, DAY2 = dt.date(2026, 11, 24), dt.date(2026, 11, 25)
ASSETS = [postings_collected, postings_cleaned, postings_coded, postings_mix_drift]


def ad(n: int, title: str) -> dict:
    return {
        "title": title,
        "description": f"Posting number {n}: {title} wanted for a growing team in a busy location, "
        f"full-time hours and benefits, apply with reference {n}.",
        "identifier": f"ad-{n}",
    }


@pytest.fixture(scope="module")
def two_days(module_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("days")
    day1 = folder / "day1.jsonl"
    day1.write_text("\n".join(json.dumps(ad(n, "Truck Driver")) for n in range(1, 5)) + "\n")
    day2 = folder / "day2.jsonl"
    rows = [ad(n, "Registered Nurse") for n in range(5, 8)] + [
        ad(8, "Truck Driver"),
        dict(ad(1, "Truck Driver"), identifier="copy"),
    ]
    day2.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with db.connect(autocommit=True) as conn:
        import_file(conn, day1, collected_on=DAY1)
        import_file(conn, day2, collected_on=DAY2)
        yield conn


def test_a_day_materialized_with_its_checks(two_days):
    conn = two_days
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        ASSETS, partition_key=DAY2.isoformat(), instance=instance, resources=resources_for_tests()
    )
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert checks["has_rows"].passed and checks["has_rows"].metadata["rows"].value == 5
    # one of the day's five postings repeats a posting of day 1 word for word
    assert (
        checks["duplicate_rate"].passed and checks["duplicate_rate"].metadata["duplicate_rate"].value == 0.2
    )
    coded = checks["coded_share_above_confidence"]
    assert not coded.passed and "no O*NET version is active" in coded.description
    (status,) = conn.execute(
        "SELECT DISTINCT coding_status FROM postings.posting WHERE status = 'accepted'"
    ).fetchone()
    assert status == "no_active_version"  # flagged as such, not hidden


def test_mix_drift_between_two_days(two_days):
    conn = two_days
    scores = {"53-3032": 0.31, "29-1141": 0.22}
    rows = conn.execute(
        "SELECT posting_id, title FROM postings.posting WHERE status = 'accepted' ORDER BY posting_id"
    ).fetchall()
    with conn.transaction():
        for posting_id, title in rows:
            soc = "53-3032" if title == "Truck Driver" else "29-1141"
            occupation = OccupationCode(1, soc, title, 0.8, scores[soc] + posting_id / 1000)
            store_coding(conn, posting_id, "30.1", "test/1", CodedPosting([occupation], [], False))
    result = dg.materialize(
        [postings_mix_drift],
        partition_key=DAY2.isoformat(),
        instance=dg.DagsterInstance.ephemeral(),
        resources=resources_for_tests(),
    )
    assert result.success
    report = conn.execute("SELECT report FROM postings.mix_drift WHERE day = %s", (DAY2,)).fetchone()[0]
    assert report["baseline_day"] == DAY1.isoformat()
    assert (report["n_baseline"], report["n_day"]) == (4, 4)
    assert report["groups_baseline"] == {"53": 4} and report["groups_day"] == {"29": 3, "53": 1}
    assert report["group_js"] == pytest.approx(group_divergence({"29": 3, "53": 1}, {"53": 4}))
    before = [
        r[0]
        for r in conn.execute(
            "SELECT ai_score FROM postings.posting WHERE collected_on = %s AND status = 'accepted'", (DAY1,)
        )
    ]
    after = [
        r[0]
        for r in conn.execute(
            "SELECT ai_score FROM postings.posting WHERE collected_on = %s AND status = 'accepted'", (DAY2,)
        )
    ]
    assert report["exposure"]["ks_statistic"] == pytest.approx(ks_2samp(before, after).statistic)


def test_daily_schedule_runs_the_day_at_two():
    assert daily_postings.cron_schedule == "0 2 * * *" and daily_postings.execution_timezone == "UTC"
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    )
    request = daily_postings(context)
    assert request.partition_key == "2026-12-01"
