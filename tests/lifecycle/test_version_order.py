"""Version order: one ordering in Python and SQL; a version's diff compares with the nearest older complete
version whatever order the releases arrive in; `versions list` explains the state each version is in."""

from __future__ import annotations

import pytest

from occurisk_assets.lib import db
from occurisk_assets.lifecycle.activation import list_versions
from occurisk_assets.lifecycle.diff import finish_version, stored_diff
from occurisk_assets.onet.loader import load_release
from occurisk_assets.onet.sources import resolve_release
from occurisk_assets.versions import nearest_newer, nearest_older, sort_versions, version_sort_key
from tests.conftest import isolated_database

VERSIONS = ["30.1", "29.1", "30.10", "30.0", "30.1a", "30.2", "31", "30.01b", "4.0", "30.1.1", "30.-", "30_1"]


def test_python_and_sql_order_versions_the_same(fresh_database):
    python_order = sort_versions(VERSIONS)
    # Numbers as numbers; a text part after every number part; a shorter version before its extensions.
    assert python_order == [
        "4.0",
        "29.1",
        "30.0",
        "30.1",
        "30.1.1",
        "30.2",
        "30.10",
        "30.-",
        "30.01b",
        "30.1a",
        "31",
        "30_1",
    ]
    with db.connect() as conn:
        sql_order = [
            r[0]
            for r in conn.execute(
                "SELECT v FROM unnest(%s::text[]) AS v ORDER BY core.version_sort_key(v), v", (VERSIONS,)
            )
        ]
    assert sql_order == python_order
    assert nearest_older(VERSIONS, "30.1") == "30.0" and nearest_newer(VERSIONS, "30.1") == "30.1.1"


def test_fullwidth_digits_are_not_numbers():
    assert version_sort_key("３０.1") == ((1, 0, "３０"), (0, 1, ""))


def _build(order: list[str]) -> dict[str, dict]:
    """Load releases in `order`, each finished as the pipeline's last step does; the stored reports."""
    for version in order:
        load_release(resolve_release(version))
        with db.connect() as conn:
            finish_version(conn, version)
    with db.connect() as conn:
        reports = {v: stored_diff(conn, v) for v in order}
    for report in reports.values():
        report.pop("created_at")
    return reports


def test_30_0_after_30_1_gives_the_same_diffs_as_in_order(pg_server):
    with isolated_database(pg_server):
        in_order = _build(["30.0", "30.1"])
    with isolated_database(pg_server):
        reversed_order = _build(["30.1", "30.0"])
    assert in_order["30.1"]["baseline_version"] == "30.0"
    assert in_order["30.1"]["row_counts"] and "## O*NET 30.0 → 30.1" in in_order["30.1"]["markdown"]
    assert in_order["30.0"]["baseline_version"] is None
    assert reversed_order == in_order


@pytest.mark.parametrize("last_outcome", ["activated", "already_active"])
def test_versions_list_says_an_inactive_version_was_replaced(fresh_database, last_outcome):
    with db.connect() as conn:
        for version, active in (("30.0", True), ("30.1", False)):
            conn.execute(
                "INSERT INTO core.data_version (id, loaded_at, build_status, is_active) "
                "VALUES (%s, now(), 'complete', %s)",
                (version, active),
            )
        conn.execute(
            """INSERT INTO core.activation_log (data_version, outcome, trigger, active_before, active_after,
                   reason, gates) VALUES ('30.1', %s, 'pipeline', '30.1', '30.1', 'already active', '[]')""",
            (last_outcome,),
        )
        rows = {r.data_version: r for r in list_versions(conn)}
    assert (rows["30.1"].last_outcome, rows["30.1"].last_reason) == (
        "replaced",
        "O*NET 30.0 was activated after it",
    )
    assert rows["30.0"].last_outcome is None and rows["30.0"].is_active
